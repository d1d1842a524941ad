export { InstanceOrg, InstanceOrgArgs } from "./resource";
export { instanceOrgProvider } from "./dynamicProvider";
export type { InstanceOrgInputs, InstanceOrgOutputs, OrgLimits, OrgTag, OrgBanner, MfaMode, OrgSettings } from "./types";
export { LIMIT_KEYS, SUMMARY_FIELDS } from "../schema/instanceOrgSchema";
