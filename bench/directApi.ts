/**
 * The direct-API floor: the fewest HTTP calls each operation needs, with the same client and
 * concurrency, and no Pulumi at all: reads by id in lists of 100, a refresh as a walk of the
 * instance's list 1,000 a page, one PATCH per org that differs, one DELETE per org.
 */
import { LosantClient, MAX_IDS_PER_LIST } from "../client/losantClient";
import { READ_AHEAD_PAGE_SIZE } from "../client/readAhead";
import { RequestGate } from "../client/requestGate";
import { planPatch } from "../provider/server/plan";
import { DEFAULT_MAX_CONCURRENCY } from "../provider/shared/settings";
import type { LosantInstanceOrg, OrgSettings } from "../losant/types";
import type { Fleet } from "../scripts/lib/fleet";
import type { Operation } from "./results";

function declaredFor(fleet: Fleet, index: number): OrgSettings {
  const org = fleet.file.orgs[index];
  return { ...fleet.file.defaults, name: org.name, limits: { ...fleet.file.defaults.limits } } as OrgSettings;
}

export async function runDirect(operation: Operation, fleet: Fleet, apiUrl: string, token: string): Promise<void> {
  const client = new LosantClient({ apiUrl, apiToken: token, userAgent: "bench-direct", timeoutMs: 30_000, gate: new RequestGate(DEFAULT_MAX_CONCURRENCY) });
  const each = (work: (ref: { instanceId: string; orgId: string }, i: number) => Promise<unknown>) =>
    Promise.all(fleet.orgIds.map((orgId, i) => work({ instanceId: fleet.instanceId, orgId }, i)));
  switch (operation) {
    case "preview":
      return; // nothing to ask Losant: the last known state answers it
    case "adopt":
    case "update": {
      const current = await readById(client, fleet);
      await each(async (ref, i) => {
        const plan = planPatch(declaredFor(fleet, i), current.get(ref.orgId)!);
        if (Object.keys(plan.body).length > 0) await client.patchOrg(ref, plan.body);
      });
      return;
    }
    case "refresh":
    case "upRefresh": // the up after the refresh has nothing to send
      await walk(client, fleet.instanceId);
      return;
    case "destroy":
      await each((ref) => client.deleteOrg(ref));
      return;
  }
}

async function readById(client: LosantClient, fleet: Fleet): Promise<Map<string, LosantInstanceOrg>> {
  const chunks: string[][] = [];
  for (let i = 0; i < fleet.orgIds.length; i += MAX_IDS_PER_LIST) chunks.push(fleet.orgIds.slice(i, i + MAX_IDS_PER_LIST));
  const found = new Map<string, LosantInstanceOrg>();
  for (const lookup of await Promise.all(chunks.map((ids) => client.listOrgsById(fleet.instanceId, ids)))) {
    if (lookup.kind === "listed") for (const org of lookup.orgs) found.set(String(org.id), org);
  }
  return found;
}

async function walk(client: LosantClient, instanceId: string): Promise<void> {
  for (let after: string | undefined; ;) {
    const page = await client.listOrgsPage({
      instanceId,
      page: 0,
      perPage: READ_AHEAD_PAGE_SIZE,
      sortField: "id",
      sortDirection: "asc",
      query: after === undefined ? undefined : { id: { $gt: after } },
    });
    const last = page.items[page.items.length - 1];
    if (last === undefined || page.totalCount <= page.items.length) return;
    after = String(last.id);
  }
}
