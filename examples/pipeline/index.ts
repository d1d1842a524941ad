import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { InstanceOrgFleet } from "pulumi-losant-instance-org";

/**
 * One stack per Losant instance or shard of a fleet: each stack's config names its fleet file
 * (`Pulumi.<stack>.yaml`: `losant-orgs:fleetFile: orgs/<stack>.json`). The token and API URL come from
 * the environment (LOSANT_API_TOKEN, LOSANT_API_URL), so nothing secret is in config or state.
 */
const config = new pulumi.Config();
const fleet = new InstanceOrgFleet("fleet", { fleet: path.resolve(config.require("fleetFile")) });

export const orgCount = Object.keys(fleet.orgs).length;
export const orgIds = fleet.orgIds;
