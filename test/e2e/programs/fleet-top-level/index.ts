/** examples/fleet as it was before InstanceOrgFleet: one top-level InstanceOrg per entry. Its stacks must keep working. */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { InstanceOrg, OrgSettings } from "pulumi-losant-instance-org";

/** orgs.json: `defaults` apply to every org; each org's own settings win (limits merge per key). */
interface FleetFile {
  instanceId: string;
  defaults: OrgSettings;
  orgs: Array<OrgSettings & { key: string; orgId: string }>;
}

const config = new pulumi.Config();
const fleetPath = path.resolve(config.get("fleetFile") ?? "orgs.json");
const fleet = JSON.parse(fs.readFileSync(fleetPath, "utf8")) as FleetFile;

const orgs = fleet.orgs.map(
  ({ key, orgId, ...own }) =>
    new InstanceOrg(key, {
      instanceId: fleet.instanceId,
      orgId,
      ...fleet.defaults,
      ...own,
      limits: { ...fleet.defaults.limits, ...own.limits },
    }),
);

export const orgCount = orgs.length;
export const orgNames = pulumi.all(orgs.map((org) => org.name));
