import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { InstanceOrgFleet } from "pulumi-losant-instance-org";

/**
 * orgs.json: `defaults` apply to every org; each entry's own settings win (limits merge per key).
 * An entry with `orgId` adopts that org; one without creates it.
 */
const config = new pulumi.Config();
const fleet = new InstanceOrgFleet("fleet", { fleet: path.resolve(config.get("fleetFile") ?? "orgs.json") });

const orgs = Object.values(fleet.orgs);
export const orgCount = orgs.length;
export const orgNames = pulumi.all(orgs.map((org) => org.name));
export const orgIds = fleet.orgIds;
