// An ES module program: the package is CommonJS, and Node's ESM loader imports its named exports.
import * as pulumi from "@pulumi/pulumi";
import { InstanceOrg } from "pulumi-losant-instance-org";

const config = new pulumi.Config();

const org = new InstanceOrg("acme", {
  instanceId: config.require("instanceId"),
  orgId: config.require("orgId"),
  name: config.get("name") ?? "Acme Corporation",
  auditLogEnabled: true,
  limits: { device: config.getNumber("deviceLimit") ?? 500 },
});

export const orgName = org.name;
export const deviceLimit = org.limits.apply((limits) => limits.device);
