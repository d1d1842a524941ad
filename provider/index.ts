export { InstanceOrg, InstanceOrgArgs, INSTANCE_ORG_PROPERTIES } from "./resource";
export { instanceOrgProvider } from "./dynamicProvider";
export type { InstanceOrgInputs, InstanceOrgOutputs, OrgLimits, OrgTag, OrgBanner, OrgBilling, MfaMode, OrgSettings } from "./types";
export { LIMIT_KEYS, SUMMARY_FIELDS } from "../schema/instanceOrgSchema";
