import * as pulumi from "@pulumi/pulumi";
import { getInstanceOrgs, InstanceOrg } from "pulumi-losant-instance-org";

/** Reads an org it does not manage (InstanceOrg.get) and lists the instance's orgs (getInstanceOrgs). */
const config = new pulumi.Config();
const instanceId = config.require("instanceId");
const other = InstanceOrg.get("other", config.require("otherOrgId"), { instanceId });

export const otherName = other.name;
export const otherDeviceLimit = other.limits.apply((limits) => limits.device);
export const listedNames = pulumi.output(getInstanceOrgs({ instanceId, filter: "Acme*" })).apply((orgs) => orgs.map((org) => org.name).sort());
