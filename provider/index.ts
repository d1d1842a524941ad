export { InstanceOrg, INSTANCE_ORG_PROPERTIES } from "./resource";
export type { InstanceOrgArgs, InstanceOrgAttributes } from "./resource";
export { instanceOrgProvider } from "./resource";
export type { InstanceOrgInputs, InstanceOrgOutputs, OrgLimits, OrgTag, OrgBanner, OrgBilling, MfaMode, OrgSettings } from "../losant/types";
export { LIMIT_KEYS, SUMMARY_FIELDS } from "../losant/instanceOrgSchema";
