/**
 * The root program: one org, driven entirely by stack config, so a pipeline can use it as is:
 *
 *   pulumi config set instanceId 5f1e2d3c4b5a69788796a5b4
 *   pulumi config set orgId 60a1b2c3d4e5f60718293a4b    # leave it out to create the org
 *   pulumi config set name "Acme"
 *   pulumi config set --path limits.device 500
 *   pulumi config set auditLogEnabled true
 *   pulumi config set --secret losant:apiToken <token>
 *   pulumi up
 */
import * as pulumi from "@pulumi/pulumi";
import { InstanceOrg, MfaMode, OrgBanner, OrgLimits, OrgTag } from "./provider";

const config = new pulumi.Config();

const org = new InstanceOrg(
  "org",
  {
    instanceId: config.require("instanceId"),
    // Without orgId the org is created (name then required).
    orgId: config.get("orgId"),
    name: config.get("name"),
    description: config.get("description"),
    iconColor: config.get("iconColor"),
    limits: config.getObject<OrgLimits>("limits"),
    auditLogEnabled: config.getBoolean("auditLogEnabled"),
    whitelistedEmailDomains: config.getObject<string[]>("whitelistedEmailDomains"),
    tags: config.getObject<OrgTag[]>("tags"),
    mfaMode: config.get("mfaMode") as MfaMode | undefined,
    banner: config.getObject<OrgBanner>("banner"),
    isReadOnly: config.getBoolean("isReadOnly"),
    disabledAt: config.getObject<string | boolean>("disabledAt"),
    referralId: config.get("referralId"),
    summaryInclude: config.getObject<string[]>("summaryInclude"),
  },
  { protect: config.getBoolean("protect") ?? false, retainOnDelete: config.getBoolean("retainOnDelete") ?? false },
);

export const orgId = org.orgId;
export const instanceId = org.instanceId;
export const name = org.name;
export const description = org.description;
export const limits = org.limits;
export const auditLogEnabled = org.auditLogEnabled;
export const whitelistedEmailDomains = org.whitelistedEmailDomains;
export const tags = org.tags;
export const mfaMode = org.mfaMode;
export const banner = org.banner;
export const isReadOnly = org.isReadOnly;
export const disabledAt = org.disabledAt;
export const summary = org.summary;
export const creationDate = org.creationDate;
export const lastUpdated = org.lastUpdated;
export const managedFields = org.managedFields;
