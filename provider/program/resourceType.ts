/**
 * The type every InstanceOrg registers: what Pulumi's own `dynamic.Resource` would register for module
 * "losant", type "InstanceOrg", so Pulumi's dynamic-provider host runs it and existing states keep matching.
 */
export const INSTANCE_ORG_TYPE = "pulumi-nodejs:dynamic/losant:InstanceOrg";
