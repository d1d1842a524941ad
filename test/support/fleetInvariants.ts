/**
 * What must hold for a fleet after any trouble: every declared value set, every undeclared value as
 * it was, nothing deleted. The seeded orgs get undeclared values first, so "as it was" means something.
 */
import type { Emulator } from "../../emulator/server";
import type { StoredOrg } from "../../emulator/store";
import type { Fleet } from "../../scripts/lib/fleet";

const DECLARED = ["name", "auditLogEnabled", "mfaMode"] as const;
const DECLARED_LIMITS = ["device", "member"] as const;

export function decorateFleet(emulator: Emulator, fleet: Fleet): void {
  fleet.orgIds.forEach((orgId, i) => {
    const org = emulator.store.getOrg(fleet.instanceId, orgId)!;
    emulator.store.patchOrg(fleet.instanceId, orgId, {
      description: `seeded ${i}`,
      tags: [{ key: "seed", value: String(i) }],
      whitelistedEmailDomains: ["example.com"],
      limits: { ...org.limits, flow: 40 + i, webhook: 3 },
    });
  });
}

/** Everything about an org that the fleet program does not declare, as JSON. */
export function undeclaredOf(org: StoredOrg): string {
  const { lastUpdated: _lastUpdated, limits, ...rest } = org;
  const fields: Record<string, unknown> = { ...rest };
  for (const key of DECLARED) delete fields[key];
  const otherLimits: Record<string, unknown> = { ...limits };
  for (const key of DECLARED_LIMITS) delete otherLimits[key];
  return JSON.stringify({ ...fields, limits: otherLimits });
}

export function undeclaredSnapshot(emulator: Emulator, fleet: Fleet): Map<string, string> {
  return new Map(fleet.orgIds.map((id) => [id, undeclaredOf(emulator.store.getOrg(fleet.instanceId, id)!)]));
}

/** Problems found, one line each; empty when every invariant holds. */
export function fleetProblems(emulator: Emulator, fleet: Fleet, before: Map<string, string>): string[] {
  const problems: string[] = [];
  fleet.orgIds.forEach((orgId, i) => {
    const org = emulator.store.getOrg(fleet.instanceId, orgId);
    if (!org) {
      problems.push(`${orgId} was deleted`);
      return;
    }
    const want = {
      name: fleet.file.orgs[i].name,
      auditLogEnabled: true,
      mfaMode: "adminRequired",
      device: fleet.file.defaults.limits.device,
      member: fleet.file.defaults.limits.member,
    };
    const got = { name: org.name, auditLogEnabled: org.auditLogEnabled, mfaMode: org.mfaMode, device: org.limits.device, member: org.limits.member };
    if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`${orgId} declared values ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    if (undeclaredOf(org) !== before.get(orgId)) problems.push(`${orgId} undeclared values changed`);
  });
  return problems;
}
