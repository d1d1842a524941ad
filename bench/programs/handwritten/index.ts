// Benchmark contender: a provider written the way Pulumi's dynamic-provider docs example suggests.
// The implementation is inline in the program (so the whole closure is serialized into state), the
// token travels as an input, every update GETs and then PATCHes every field, node-fetch runs with
// its default agent (no connection reuse), and nothing limits concurrency or handles 429s.
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import fetch from "node-fetch";

interface FleetFile {
  instanceId: string;
  defaults: Record<string, unknown> & { limits?: Record<string, number> };
  orgs: Array<Record<string, unknown> & { key: string; orgId: string; limits?: Record<string, number> }>;
}

const FIELDS = ["name", "description", "iconColor", "limits", "auditLogEnabled", "mfaMode", "tags", "whitelistedEmailDomains"];

class OrgProvider implements pulumi.dynamic.ResourceProvider {
  private async call(inputs: any, method: string, body?: unknown): Promise<any> {
    const res = await fetch(`${inputs.apiUrl}/instances/${inputs.instanceId}/orgs/${inputs.orgId}`, {
      method,
      headers: { Authorization: `Bearer ${inputs.apiToken}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok && !(method === "DELETE" && res.status === 404)) throw new Error(`${method} failed: ${res.status}`);
    return res.json();
  }

  private patchBody(inputs: any): Record<string, unknown> {
    const body: Record<string, unknown> = {};
    for (const field of FIELDS) if (inputs[field] !== undefined) body[field] = inputs[field];
    return body;
  }

  async create(inputs: any): Promise<pulumi.dynamic.CreateResult> {
    await this.call(inputs, "GET");
    const org = await this.call(inputs, "PATCH", this.patchBody(inputs));
    return { id: inputs.orgId, outs: { ...inputs, ...org } };
  }

  async diff(_id: string, olds: any, news: any): Promise<pulumi.dynamic.DiffResult> {
    const changes = FIELDS.some((f) => JSON.stringify(olds[f]) !== JSON.stringify(news[f]));
    return { changes, replaces: olds.orgId !== news.orgId ? ["orgId"] : [] };
  }

  async update(_id: string, _olds: any, news: any): Promise<pulumi.dynamic.UpdateResult> {
    await this.call(news, "GET");
    const org = await this.call(news, "PATCH", this.patchBody(news));
    return { outs: { ...news, ...org } };
  }

  async read(id: string, props: any): Promise<pulumi.dynamic.ReadResult> {
    const org = await this.call(props, "GET");
    return { id, props: { ...props, ...org } };
  }

  async delete(_id: string, props: any): Promise<void> {
    await this.call(props, "DELETE");
  }
}

const config = new pulumi.Config();
const fleet = JSON.parse(fs.readFileSync("orgs.json", "utf8")) as FleetFile;
const provider = new OrgProvider();
class Org extends pulumi.dynamic.Resource {
  public readonly name!: pulumi.Output<string>;
}

const orgs = fleet.orgs.map(
  ({ key, orgId, ...own }) =>
    new Org(provider, key, {
      apiUrl: config.require("apiUrl"),
      apiToken: config.require("apiToken"),
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
