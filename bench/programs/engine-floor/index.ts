// Benchmark contender: the same fleet, with resources registering exactly the properties an
// InstanceOrg registers, but a provider that does no I/O: what Pulumi itself costs.
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { INSTANCE_ORG_PROPERTIES } from "pulumi-losant-instance-org";

interface FleetFile {
  instanceId: string;
  defaults: Record<string, unknown> & { limits?: Record<string, number> };
  orgs: Array<Record<string, unknown> & { key: string; orgId: string; limits?: Record<string, number> }>;
}

const stable = (value: unknown): string =>
  JSON.stringify(value, (_k, v) => (v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v));
const withoutProvider = ({ __provider, ...rest }: Record<string, unknown>) => rest;

const noIoProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds, news) {
    return { inputs: news };
  },
  async diff(_id, olds, news) {
    return { changes: stable(withoutProvider(olds)) !== stable(withoutProvider(news)) };
  },
  async create(inputs) {
    return { id: inputs.orgId, outs: inputs };
  },
  async read(id, props) {
    return { id, props };
  },
  async update(_id, _olds, news) {
    return { outs: news };
  },
  async delete() {},
};

const fleet = JSON.parse(fs.readFileSync("orgs.json", "utf8")) as FleetFile;
class Org extends pulumi.dynamic.Resource {
  public readonly name!: pulumi.Output<string>;
}

const orgs = fleet.orgs.map(
  ({ key, orgId, ...own }) =>
    new Org(noIoProvider, key, {
      ...Object.fromEntries(INSTANCE_ORG_PROPERTIES.map((property) => [property, undefined])),
      instanceId: fleet.instanceId,
      orgId,
      ...fleet.defaults,
      ...own,
      limits: { ...fleet.defaults.limits, ...own.limits },
    }),
);
// The same stack outputs as the fleet example, so the engine does the same work for them.
export const orgCount = orgs.length;
export const orgNames = pulumi.all(orgs.map((org) => org.name));
