// Benchmark contender: the same fleet, same resources and inputs, but a provider that does no I/O.
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";

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
class Org extends pulumi.dynamic.Resource {}

const orgs = fleet.orgs.map(({ key, orgId, ...own }) =>
  new Org(noIoProvider, key, {
    instanceId: fleet.instanceId,
    orgId,
    ...fleet.defaults,
    ...own,
    limits: { ...fleet.defaults.limits, ...own.limits },
  }),
);
export const orgCount = orgs.length;
