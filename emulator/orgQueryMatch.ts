/**
 * Whether an org matches a (valid) org query. Losant documents the query's shape, not how each
 * operator compares; the readings here follow MongoDB, which Losant's operator names come from,
 * and are listed as assumptions in docs/emulator.md:
 * - date fields (creationDate, lastUpdated, disabledAt) compare as instants; a query value may be an
 *   ISO date string or milliseconds since the epoch;
 * - ids compare case-insensitively (they are hex);
 * - comparisons between different types never match; `$ne` and `$nin` match a missing field;
 * - `$ci: true` makes equality, `$in` and the text operators ignore case;
 * - a tag matcher of null means "any"; `tags: null` matches an org without tags.
 */
import type { OrgTag } from "../losant/types";
import type { Json, OrgQuery } from "./orgQuery";

/** The fields a query can test, as the emulator stores them. */
export interface QueryableOrg {
  id: string;
  name: string;
  creationDate: string;
  lastUpdated: string;
  mfaMode?: string;
  isReadOnly?: boolean;
  auditLogEnabled?: boolean;
  disabledAt?: string | boolean;
  referralId?: string;
  tags?: readonly OrgTag[];
  members?: ReadonlyArray<{ readonly userId: string }>;
}

type Scalar = string | number | boolean | null | undefined;
type Operators = { [op: string]: Json };

const DATE_FIELDS = new Set(["creationDate", "lastUpdated", "disabledAt"]);
const isObject = (value: unknown): value is { [key: string]: Json } => value !== null && typeof value === "object" && !Array.isArray(value);

export function matchesOrgQuery(org: QueryableOrg, query: OrgQuery): boolean {
  return Object.entries(query).every(([key, condition]) => matchesClause(org, key, condition));
}

function matchesClause(org: QueryableOrg, key: string, condition: Json): boolean {
  const queries = (condition ?? []) as OrgQuery[];
  if (key === "$and") return queries.every((q) => matchesOrgQuery(org, q));
  if (key === "$or") return queries.some((q) => matchesOrgQuery(org, q));
  if (key === "$nor") return !queries.some((q) => matchesOrgQuery(org, q));
  if (key === "tags") return matchesTagsCondition(org.tags ?? [], condition);
  if (key === "memberId")
    return matchesMember(
      (org.members ?? []).map((m) => m.userId),
      condition,
    );
  if (key === "id") return matchesValue(org.id.toLowerCase(), lowerIds(condition), {});
  return matchesValue(fieldValue(org, key), condition, { date: DATE_FIELDS.has(key) });
}

const FIELD_READERS: Readonly<Record<string, (org: QueryableOrg) => Scalar>> = {
  name: (org) => org.name,
  creationDate: (org) => org.creationDate,
  lastUpdated: (org) => org.lastUpdated,
  mfaMode: (org) => org.mfaMode,
  isReadOnly: (org) => org.isReadOnly,
  auditLogEnabled: (org) => org.auditLogEnabled,
  disabledAt: (org) => org.disabledAt,
  referralId: (org) => org.referralId,
};

function fieldValue(org: QueryableOrg, key: string): Scalar {
  return FIELD_READERS[key]?.(org);
}

/** A query's conditions, lower-cased once per query rather than once per org it is tested against. */
const loweredConditions = new WeakMap<object, Json>();

function lowerIds(condition: Json): Json {
  if (typeof condition === "string") return condition.toLowerCase();
  if (condition === null || typeof condition !== "object") return condition;
  const cached = loweredConditions.get(condition);
  if (cached !== undefined) return cached;
  const lowered = lowerIdsOnce(condition);
  loweredConditions.set(condition, lowered);
  return lowered;
}

function lowerIdsOnce(condition: Json): Json {
  if (Array.isArray(condition)) return condition.map(lowerIds);
  if (isObject(condition)) return Object.fromEntries(Object.entries(condition).map(([k, v]) => [k, lowerIds(v)]));
  return condition;
}

/** `memberId` holds when any member satisfies the condition; null (or $eq null) means "has no members". */
function matchesMember(memberIds: readonly string[], condition: Json): boolean {
  const lowered = lowerIds(condition);
  const ids = memberIds.map((id) => id.toLowerCase());
  if (lowered === null || (isObject(lowered) && "$eq" in lowered && lowered.$eq === null)) return ids.length === 0;
  if (isObject(lowered) && ("$ne" in lowered || "$nin" in lowered)) {
    // "no member is X" rather than "some member is not X", as MongoDB reads $ne on an array.
    const positive: Json = "$ne" in lowered ? { $eq: lowered.$ne } : { $in: lowered.$nin };
    return !ids.some((id) => matchesValue(id, positive, {}));
  }
  return ids.some((id) => matchesValue(id, lowered, {}));
}

interface Reading {
  date?: boolean;
}

function matchesValue(actual: Scalar, condition: Json, reading: Reading): boolean {
  if (!isObject(condition)) return equals(actual, condition as Scalar, reading, false);
  const ops = condition as Operators;
  const ci = ops.$ci === true;
  return Object.entries(ops).every(([op, operand]) => matchesOperator(actual, op, operand, reading, ci));
}

function matchesOperator(actual: Scalar, op: string, operand: Json, reading: Reading, ci: boolean): boolean {
  switch (op) {
    case "$eq":
      return equals(actual, operand as Scalar, reading, ci);
    case "$ne":
      return !equals(actual, operand as Scalar, reading, ci);
    case "$in":
      return plainValues(operand as Scalar[], reading, ci)?.has(actual) ?? (operand as Scalar[]).some((v) => equals(actual, v, reading, ci));
    case "$nin":
      return !(operand as Scalar[]).some((v) => equals(actual, v, reading, ci));
    case "$gt":
    case "$gte":
    case "$lt":
    case "$lte":
      return ordered(actual, op, operand as Scalar, reading);
    case "$startsWith":
    case "$endsWith":
    case "$contains":
      return textMatch(actual, op, operand as string, ci);
    default:
      return true; // $ci only modifies the others
  }
}

/**
 * An `$in` list as a set, where a plain `===` is the whole comparison (no dates, no `$ci`, no null):
 * an id batch of 100 is then one lookup per org instead of 100 comparisons.
 */
const valueSets = new WeakMap<readonly Scalar[], Set<Scalar> | null>();

function plainValues(values: readonly Scalar[], reading: Reading, ci: boolean): Set<Scalar> | undefined {
  if (reading.date || ci) return undefined;
  let set = valueSets.get(values);
  if (set === undefined) {
    set = values.some((v) => v === null) ? null : new Set(values);
    valueSets.set(values, set);
  }
  return set ?? undefined;
}

/** A comparable form of a value: instants for date fields where both sides read as dates. */
function comparable(actual: Scalar, expected: Scalar, reading: Reading): [Scalar, Scalar] {
  if (!reading.date) return [actual, expected];
  const a = toInstant(actual);
  const b = toInstant(expected);
  return a !== undefined && b !== undefined ? [a, b] : [actual, expected];
}

function toInstant(value: Scalar): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string") {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

function equals(actual: Scalar, expected: Scalar, reading: Reading, ci: boolean): boolean {
  if (expected === null) return actual === null || actual === undefined;
  const [a, b] = comparable(actual, expected, reading);
  if (ci && typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

function ordered(actual: Scalar, op: string, expected: Scalar, reading: Reading): boolean {
  const [a, b] = comparable(actual, expected, reading);
  if (a === null || a === undefined || b === null || b === undefined || typeof a !== typeof b) return false;
  if (op === "$gt") return a > b;
  if (op === "$gte") return a >= b;
  if (op === "$lt") return a < b;
  return a <= b;
}

function textMatch(actual: Scalar, op: string, operand: string, ci: boolean): boolean {
  if (typeof actual !== "string") return false;
  const [a, b] = ci ? [actual.toLowerCase(), operand.toLowerCase()] : [actual, operand];
  if (op === "$startsWith") return a.startsWith(b);
  if (op === "$endsWith") return a.endsWith(b);
  return a.includes(b);
}

/** A tag key or value matcher: a string, null (anything), `{$in}` or `{$nin}`. */
function matchesTagPart(actual: string, matcher: Json | undefined): boolean {
  if (matcher === null || matcher === undefined) return true;
  if (typeof matcher === "string") return actual === matcher;
  if (isObject(matcher) && Array.isArray(matcher.$in)) return matcher.$in.includes(actual);
  if (isObject(matcher) && Array.isArray(matcher.$nin)) return !matcher.$nin.includes(actual);
  return false;
}

function matchesTagFilter(tags: readonly OrgTag[], filter: Json): boolean {
  if (filter === null) return tags.length === 0;
  const f = filter as { [key: string]: Json };
  if ("$tagKey" in f || "$tagValue" in f) return tags.some((t) => matchesTagPart(t.key, f.$tagKey) && matchesTagPart(t.value, f.$tagValue));
  return Object.entries(f).every(([key, value]) => tags.some((t) => t.key === key && matchesTagPart(t.value, value)));
}

function matchesTagsCondition(tags: readonly OrgTag[], condition: Json): boolean {
  if (isObject(condition) && "$ne" in condition) return !matchesTagFilter(tags, condition.$ne);
  if (isObject(condition) && "$eq" in condition) return matchesTagFilter(tags, condition.$eq);
  return matchesTagFilter(tags, condition);
}
