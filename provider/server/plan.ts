import { PATCHABLE_FIELDS, PatchableField } from "../../losant/instanceOrgSchema";
import { containsUnknown } from "../shared/unknown";
import { withoutMarker } from "../shared/creationMarker";
import type { OrgLimits, OrgSettings, OrgTag } from "../../losant/types";

/** The settings the program declares: every patchable field that is present and not null. */
export function declaredSettings(inputs: { readonly [field in PatchableField]?: unknown }): OrgSettings {
  const declared: Record<string, unknown> = {};
  for (const field of PATCHABLE_FIELDS) {
    const value = inputs[field];
    if (value !== undefined && value !== null) declared[field] = value;
  }
  return declared as OrgSettings;
}

/** `name`, `auditLogEnabled`, ..., with `limits` spelled out per key: what this resource keeps as declared. */
export function managedFieldsOf(settings: OrgSettings): string[] {
  const fields: string[] = [];
  for (const field of PATCHABLE_FIELDS) {
    if (settings[field] === undefined) continue;
    if (field === "limits") {
      for (const key of Object.keys(settings.limits ?? {}).sort()) fields.push(`limits.${key}`);
    } else {
      fields.push(field);
    }
  }
  return fields;
}

function isEmptyValue(value: unknown): boolean {
  if (value === undefined || value === null || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === "object" && Object.keys(value).length === 0;
}

/**
 * What an imported org declares: every patchable value it holds that is not empty, the creation
 * marker tag left out (it is the provider's, never declared).
 */
export function importedSettings(org: OrgSettings): OrgSettings {
  const settings: Record<string, unknown> = {};
  for (const field of PATCHABLE_FIELDS) {
    const value = field === "tags" ? withoutMarker(org.tags) : org[field];
    if (!isEmptyValue(value)) settings[field] = value;
  }
  return settings as OrgSettings;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) {
    const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
    const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

/**
 * Losant answers `disabledAt: true` with the moment it disabled the org, and date-times in its own
 * format; compare by meaning so a declared value never looks changed once applied.
 */
function disabledAtMatches(desired: unknown, current: unknown): boolean {
  const currentlyDisabled = typeof current === "string" || current === true;
  if (desired === true) return currentlyDisabled;
  if (desired === false) return !currentlyDisabled;
  if (typeof desired === "string" && typeof current === "string") return Date.parse(desired) === Date.parse(current);
  return false;
}

/** Each entry as text, sorted: two lists with the same members in any order give the same result. */
function sortedMembers(list: unknown[], key: (item: unknown) => string): string[] {
  return list.map(key).sort();
}

/**
 * Tags: the same key/value pairs, in any order (Losant may store them in its own order). The
 * creation marker on a created org is the provider's own and never counts.
 */
function tagsMatch(desired: unknown, rawCurrent: unknown): boolean {
  const current = withoutMarker(rawCurrent);
  if (!Array.isArray(desired) || !Array.isArray(current)) return deepEqual(desired, current);
  const pair = (tag: unknown) => JSON.stringify(typeof tag === "object" && tag !== null ? [(tag as OrgTag).key, (tag as OrgTag).value] : tag);
  return deepEqual(sortedMembers(desired, pair), sortedMembers(current, pair));
}

/** Email domains: the same domains, ignoring case, order and repeats (domains are case-insensitive). */
function domainsMatch(desired: unknown, current: unknown): boolean {
  if (!Array.isArray(desired) || !Array.isArray(current)) return deepEqual(desired, current);
  const domains = (list: unknown[]) => [...new Set(list.map((d) => (typeof d === "string" ? d.toLowerCase() : JSON.stringify(d))))].sort();
  return deepEqual(domains(desired), domains(current));
}

/** Objects where only the declared keys count (Losant may merge a PATCHed banner into the stored one). */
function declaredKeysMatch(desired: unknown, current: unknown): boolean {
  if (typeof desired !== "object" || desired === null || Array.isArray(desired)) return deepEqual(desired, current);
  const held = (typeof current === "object" && current !== null ? current : {}) as Record<string, unknown>;
  return Object.entries(desired).every(([key, value]) => value === undefined || deepEqual(value, held[key]));
}

/**
 * Does the org's current value of `field` already hold what the program declares? Compared by
 * meaning wherever Losant may store a value in another form than it was sent (docs/behaviour.md).
 */
export function settingMatches(field: PatchableField, desired: unknown, current: unknown): boolean {
  switch (field) {
    case "disabledAt":
      return disabledAtMatches(desired, current);
    case "limits":
    case "banner":
      return declaredKeysMatch(desired, current);
    case "tags":
      return tagsMatch(desired, current);
    case "whitelistedEmailDomains":
      return domainsMatch(desired, current);
    default:
      return deepEqual(desired, current);
  }
}

export interface PatchPlan {
  /** The PATCH body; empty when the org already holds every declared value. */
  body: OrgSettings;
}

/**
 * The smallest PATCH that brings `current` to what the program declares. A changed limit sends the
 * whole limits object, current values merged with the declared ones, so an undeclared limit keeps
 * its value whether Losant merges `limits` or replaces it.
 */
export function planPatch(declared: OrgSettings, current: OrgSettings): PatchPlan {
  const body: Record<string, unknown> = {};
  for (const field of PATCHABLE_FIELDS) {
    const desired = declared[field];
    if (desired === undefined) continue;
    if (differingPaths(field, desired, current[field]).length === 0) continue;
    body[field] = field === "limits" ? { ...(current.limits ?? {}), ...(desired as OrgLimits) } : desired;
  }
  return { body: body as OrgSettings };
}

/**
 * Paths under `field` where the declared value is not what `current` holds (`limits` per key); a
 * value not known yet always counts.
 */
function differingPaths(field: PatchableField, desired: unknown, current: unknown): string[] {
  if (field === "limits") {
    if (typeof desired !== "object" || desired === null) return ["limits"];
    const currentLimits = (current ?? {}) as Record<string, unknown>;
    return Object.entries(desired as Record<string, unknown>)
      .filter(([key, value]) => containsUnknown(value) || !settingMatches("limits", { [key]: value }, currentLimits))
      .map(([key]) => `limits.${key}`);
  }
  return containsUnknown(desired) || !settingMatches(field, desired, current) ? [field] : [];
}

export interface DiffOutcome {
  changes: boolean;
  replaces: string[];
  /** Paths that differ or may differ, for messages and tests. */
  changed: string[];
}

/** Same members, in any order (for `summaryInclude` and `managedFields`). */
export function sameList(a: unknown, b: unknown): boolean {
  const norm = (v: unknown) => (Array.isArray(v) ? [...v].map(String).sort() : []);
  return deepEqual(norm(a), norm(b));
}

/**
 * Compares what the program declares (`news`) with the org as last seen (`olds`, the state's
 * outputs). Only declared values count; a value not known yet counts as a possible change.
 */
export function diffInstanceOrg(olds: Record<string, unknown>, news: Record<string, unknown>): DiffOutcome {
  const replaces: string[] = [];
  const changed: string[] = [];
  for (const identity of ["instanceId", "orgId"] as const) {
    // A created org is identified by the id in the state: leaving orgId out, or adding that same id, changes nothing.
    if (identity === "orgId" && (news.orgId === undefined || news.orgId === null) && typeof olds.orgId === "string") continue;
    if (containsUnknown(news[identity]) || news[identity] !== olds[identity]) replaces.push(identity);
  }
  const declared = declaredSettings(news);
  for (const field of PATCHABLE_FIELDS) {
    const desired = declared[field];
    if (desired !== undefined) changed.push(...differingPaths(field, desired, olds[field]));
  }
  if (containsUnknown(news.summaryInclude) || !sameList(news.summaryInclude, olds.summaryInclude)) changed.push("summaryInclude");
  // Declaring or dropping a value changes what refresh reports back as inputs; record it without a call.
  const managedBefore = Array.isArray(olds.managedFields) ? (olds.managedFields as string[]) : [];
  if (!containsUnknown(declared) && !sameList(managedFieldsOf(declared), managedBefore) && changed.length === 0) {
    changed.push("managedFields");
  }
  return { changes: replaces.length > 0 || changed.length > 0, replaces, changed: [...replaces, ...changed] };
}
