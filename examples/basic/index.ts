import * as pulumi from "@pulumi/pulumi";
import { InstanceOrg } from "pulumi-losant-instance-org";

const config = new pulumi.Config();

const org = new InstanceOrg("acme", {
  instanceId: config.require("instanceId"),
  orgId: config.require("orgId"),
  name: config.get("name") ?? "Acme Corporation",
  auditLogEnabled: true,
  // Only these two limits are managed; every other limit keeps whatever value Losant has.
  limits: { device: config.getNumber("deviceLimit") ?? 500, member: 25 },
  tags: [{ key: "tier", value: "gold" }],
});

export const orgName = org.name;
export const deviceLimit = org.limits.apply((limits) => limits.device);
export const lastUpdated = org.lastUpdated;
