/**
 * What must hold for a fleet after any trouble: every declared value set, every undeclared value as
 * it was, nothing deleted. The seeded orgs get undeclared values first, so "as it was" means something.
 */
import type { Emulator } from "../../emulator/server";
import type { StoredOrg } from "../../emulator/store";
import type { Fleet } from "../../scripts/lib/fleet";
import { CREATION_MARKER_KEY } from "../../provider/shared/creationMarker";

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

/** The declared values of `org` that differ from what `name` and the fleet's defaults say, as one line; undefined when all hold. */
function declaredProblem(org: StoredOrg, name: string, fleet: Fleet): string | undefined {
  const want = {
    name,
    auditLogEnabled: true,
    mfaMode: "adminRequired",
    device: fleet.file.defaults.limits.device,
    member: fleet.file.defaults.limits.member,
  };
  const got = { name: org.name, auditLogEnabled: org.auditLogEnabled, mfaMode: org.mfaMode, device: org.limits.device, member: org.limits.member };
  return JSON.stringify(got) === JSON.stringify(want) ? undefined : `${org.id} declared values ${JSON.stringify(got)}, want ${JSON.stringify(want)}`;
}

/** Problems found, one line each; empty when every invariant holds. */
export function fleetProblems(emulator: Emulator, fleet: Fleet, before: Map<string, string>): string[] {
  const problems: string[] = [];
  for (const orgId of fleet.orgIds) {
    const org = emulator.store.getOrg(fleet.instanceId, orgId);
    if (!org) {
      problems.push(`${orgId} was deleted`);
      continue;
    }
    // Found by id: entries to create may sit between the seeded ones (addNewOrgs with interleave).
    const entry = fleet.file.orgs.find((e) => e.orgId === orgId);
    const problem = entry ? declaredProblem(org, entry.name, fleet) : `${orgId} is not in the fleet file`;
    if (problem) problems.push(problem);
    if (undeclaredOf(org) !== before.get(orgId)) problems.push(`${orgId} undeclared values changed`);
  }
  return problems;
}

/**
 * What must hold for the entries without orgId, and for the instance as a whole: exactly one org per
 * declared name and no org that is not declared; each created org carries its creation marker
 * (`markerOf(key)`) and the declared values.
 */
export function createdProblems(emulator: Emulator, fleet: Fleet, markerOf: (key: string) => string): string[] {
  const problems: string[] = [];
  const orgs = emulator.store.listOrgs(fleet.instanceId);
  for (const entry of fleet.file.orgs) {
    const named = orgs.filter((org) => org.name === entry.name);
    if (named.length !== 1) {
      problems.push(`${named.length} orgs named "${entry.name}"`);
      continue;
    }
    if (entry.orgId !== undefined) continue;
    const marker = markerOf(entry.key);
    const markers = (named[0].tags ?? []).filter((tag) => tag.key === CREATION_MARKER_KEY).map((tag) => tag.value);
    if (JSON.stringify(markers) !== JSON.stringify([marker])) problems.push(`"${entry.name}" carries markers ${JSON.stringify(markers)}, want ["${marker}"]`);
    const problem = declaredProblem(named[0], entry.name, fleet);
    if (problem) problems.push(problem);
  }
  if (orgs.length !== fleet.file.orgs.length) problems.push(`${orgs.length} orgs in the instance for ${fleet.file.orgs.length} declared`);
  return problems;
}
