/**
 * The fleet file: one instance, shared `defaults`, and one entry per org, with or without `orgId`.
 * Read and checked as a whole before any resource is declared, so every mistake in it is reported
 * at once, each naming its entry (index and key) and property path.
 */
import fs from "fs";
import { checkInputs } from "../shared/check";
import type { OrgSettings } from "../../losant/types";
import type { InstanceOrgInputs } from "../shared/resourceTypes";

export interface FleetDefaults extends OrgSettings {
  summaryInclude?: string[];
}

export interface FleetEntry extends FleetDefaults {
  /** The child resource's name: stable, unique in the fleet (letters, digits, `-`, `_`, `.`). */
  key: string;
  /** The org to adopt; leave it out to create the org. */
  orgId?: string;
}

export interface FleetSpec {
  instanceId: string;
  defaults?: FleetDefaults;
  orgs: FleetEntry[];
}

/** One declared org: its key and the InstanceOrg inputs after defaults were merged. */
export interface FleetMember {
  key: string;
  inputs: Omit<InstanceOrgInputs, "creationMarker">;
}

export class FleetSpecError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source} has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "FleetSpecError";
  }
}

const TOP_LEVEL = new Set(["instanceId", "defaults", "orgs"]);
const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
/** Objects whose keys merge one by one: a default limit stays unless the entry sets that limit. */
const MERGED_PER_KEY = ["limits", "banner"] as const;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** `defaults` under `own`, with `limits` and `banner` merged key by key. */
export function mergeDefaults(defaults: FleetDefaults, own: Omit<FleetEntry, "key">): Omit<FleetEntry, "key"> {
  const merged: Record<string, unknown> = { ...defaults, ...own };
  for (const field of MERGED_PER_KEY) {
    const shared = defaults[field];
    const mine = own[field];
    if (isRecord(shared) && isRecord(mine)) merged[field] = { ...shared, ...mine };
  }
  return merged as Omit<FleetEntry, "key">;
}

function entryLabel(entry: unknown, index: number): string {
  const key = isRecord(entry) && typeof entry.key === "string" ? ` (key "${entry.key}")` : "";
  return `orgs[${index}]${key}`;
}

/** Every problem of the spec, each as "where: what"; empty when the fleet can be declared. */
export function fleetProblems(spec: unknown): string[] {
  if (!isRecord(spec)) return ["the fleet must be an object with instanceId, defaults and orgs"];
  const problems: string[] = [];
  for (const key of Object.keys(spec)) if (!TOP_LEVEL.has(key)) problems.push(`${key}: is not a fleet property; expected instanceId, defaults, orgs`);
  if (spec.defaults !== undefined && !isRecord(spec.defaults)) problems.push("defaults: must be an object of org settings");
  if (spec.defaults !== undefined && isRecord(spec.defaults) && "orgId" in spec.defaults)
    problems.push("defaults.orgId: an orgId belongs to one entry, not to the defaults");
  if (!Array.isArray(spec.orgs)) return [...problems, "orgs: must be a list of entries"];
  const defaults = (isRecord(spec.defaults) ? spec.defaults : {}) as FleetDefaults;
  const seenKeys = new Map<string, number>();
  const seenOrgIds = new Map<string, number>();
  spec.orgs.forEach((entry: unknown, index: number) => {
    const at = entryLabel(entry, index);
    if (!isRecord(entry)) {
      problems.push(`${at}: must be an object with a key`);
      return;
    }
    const { key, ...own } = entry;
    if (typeof key !== "string" || !KEY_PATTERN.test(key)) {
      problems.push(`${at}.key: is required: 1-100 letters, digits, ".", "-" or "_", starting with a letter or digit (it names the resource)`);
    } else if (seenKeys.has(key)) {
      problems.push(`${at}.key: repeats the key of orgs[${seenKeys.get(key)}]; keys name the resources and must be unique`);
    } else {
      seenKeys.set(key, index);
    }
    if (typeof own.orgId === "string") {
      const id = own.orgId.toLowerCase();
      if (seenOrgIds.has(id)) problems.push(`${at}.orgId: the same org as orgs[${seenOrgIds.get(id)}]; one org can be managed once`);
      else seenOrgIds.set(id, index);
    }
    const inputs = { instanceId: spec.instanceId, ...mergeDefaults(defaults, own as Omit<FleetEntry, "key">) };
    for (const failure of checkInputs(inputs)) {
      // instanceId is the fleet's, reported once below.
      if (failure.property === "instanceId") continue;
      problems.push(`${at}.${failure.property}: ${failure.reason}`);
    }
  });
  const instanceProblem = checkInputs({ instanceId: spec.instanceId, orgId: "0".repeat(24) }).find((f) => f.property === "instanceId");
  if (instanceProblem) problems.unshift(`instanceId: ${instanceProblem.reason}`);
  return problems;
}

/** The spec, checked; throws a FleetSpecError listing every problem. */
export function parseFleet(spec: unknown, source = "the fleet"): FleetSpec {
  const problems = fleetProblems(spec);
  if (problems.length > 0) throw new FleetSpecError(source, problems);
  return spec as FleetSpec;
}

export function readFleetFile(file: string): FleetSpec {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new FleetSpecError(file, [`cannot be read as JSON: ${(error as Error).message}`]);
  }
  return parseFleet(parsed, file);
}

/** Each entry as InstanceOrg inputs, defaults merged, in file order. */
export function fleetMembers(spec: FleetSpec): FleetMember[] {
  return spec.orgs.map(({ key, ...own }) => ({ key, inputs: { instanceId: spec.instanceId, ...mergeDefaults(spec.defaults ?? {}, own) } }));
}
