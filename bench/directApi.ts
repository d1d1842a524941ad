/**
 * The direct-API floor: the same necessary HTTP calls as the provider makes for each operation,
 * with the same client and concurrency, and no Pulumi at all.
 */
import { LosantClient } from "../client/losantClient";
import { RequestGate } from "../client/requestGate";
import { planPatch } from "../provider/plan";
import { DEFAULT_MAX_CONCURRENCY } from "../provider/settings";
import type { OrgSettings } from "../losant/types";
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
    case "update":
      await each(async (ref, i) => {
        const current = await client.getOrg(ref);
        const plan = planPatch(declaredFor(fleet, i), current!);
        if (Object.keys(plan.body).length > 0) await client.patchOrg(ref, plan.body);
      });
      return;
    case "refresh":
    case "upRefresh": // the up after the refresh has nothing to send
      await each((ref) => client.getOrg(ref));
      return;
    case "destroy":
      await each((ref) => client.deleteOrg(ref));
      return;
  }
}
