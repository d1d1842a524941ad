/**
 * The `query` parameter of `GET /instances/{id}/orgs`: our own reading of Losant's
 * advancedInstanceOrgQuery schema. `checkOrgQuery` accepts exactly what that schema accepts
 * (a unit test cross-checks it against the published file with ajv).
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type OrgQuery = { [key: string]: Json };

const ID_PATTERN = /^[A-Fa-f\d]{24}$/;
/** Losant's pattern has no closing anchor, so a tag key only has to start with these characters. */
const TAG_KEY_PATTERN = /^[0-9a-zA-Z_-]{1,255}/;
const MAX_LIST = 100;

const LOGICAL = ["$and", "$or", "$nor"] as const;
const ID_FIELDS = ["id", "memberId"] as const;
const VALUE_FIELDS = ["creationDate", "lastUpdated", "name", "mfaMode", "isReadOnly", "auditLogEnabled", "disabledAt", "referralId"] as const;
export const QUERY_FIELDS: readonly string[] = [...LOGICAL, ...ID_FIELDS, ...VALUE_FIELDS, "tags"];

const COMPARISONS = ["$eq", "$ne", "$gt", "$lt", "$gte", "$lte"] as const;
const TEXT_OPERATORS = ["$startsWith", "$endsWith", "$contains"] as const;
const LIST_OPERATORS = ["$in", "$nin"] as const;

type Violations = string[];

const isObject = (value: unknown): value is { [key: string]: Json } => value !== null && typeof value === "object" && !Array.isArray(value);
const isPrimitive = (value: unknown) => value === null || ["string", "number", "boolean"].includes(typeof value);
/** JSON Schema counts string length in code points. */
const length = (text: string) => [...text].length;
const includes = (list: readonly string[], key: string) => list.includes(key);

/** Every way `value` breaks the query schema, as "path reason" lines; empty when it is a valid query. */
export function checkOrgQuery(value: unknown, path = "query"): Violations {
  if (!isObject(value)) return [`${path} must be an object`];
  const out: Violations = [];
  for (const [key, condition] of Object.entries(value)) {
    const at = `${path}.${key}`;
    if (includes(LOGICAL, key)) out.push(...checkLogical(condition, at));
    else if (includes(ID_FIELDS, key)) out.push(...checkIdCondition(condition, at));
    else if (includes(VALUE_FIELDS, key)) out.push(...checkValueCondition(condition, at));
    else if (key === "tags") out.push(...checkTagsCondition(condition, at));
    else out.push(`${at} is not a field a query can name (${QUERY_FIELDS.join(", ")})`);
  }
  return out;
}

function checkLogical(value: Json, path: string): Violations {
  if (!Array.isArray(value)) return [`${path} must be an array of queries`];
  if (value.length > MAX_LIST) return [`${path} may hold at most ${MAX_LIST} queries`];
  return value.flatMap((item, i) => checkOrgQuery(item, `${path}[${i}]`));
}

function checkList(value: Json, path: string, item: (v: Json, at: string) => Violations): Violations {
  if (!Array.isArray(value)) return [`${path} must be an array`];
  if (value.length > MAX_LIST) return [`${path} may hold at most ${MAX_LIST} values`];
  return value.flatMap((v, i) => item(v, `${path}[${i}]`));
}

const checkIdValue = (value: Json, path: string): Violations =>
  value === null || (typeof value === "string" && ID_PATTERN.test(value)) ? [] : [`${path} must be a 24-character hex id or null`];

const checkIdListItem = (value: Json, path: string): Violations =>
  typeof value === "string" && ID_PATTERN.test(value) ? [] : [`${path} must be a 24-character hex id`];

/** `id` and `memberId`: an id (or null), or an object with exactly one operator. */
function checkIdCondition(value: Json, path: string): Violations {
  if (!isObject(value)) return checkIdValue(value, path);
  const keys = Object.keys(value);
  if (keys.length !== 1) return [`${path} must have exactly one operator`];
  const [op] = keys;
  if (includes(COMPARISONS, op)) return checkIdValue(value[op], `${path}.${op}`);
  if (includes(LIST_OPERATORS, op)) return checkList(value[op], `${path}.${op}`, checkIdListItem);
  return [`${path}.${op} is not an operator for ids (${[...COMPARISONS, ...LIST_OPERATORS].join(", ")})`];
}

/** Other fields: a plain value, or an object of operators (any number, none included). */
function checkValueCondition(value: Json, path: string): Violations {
  if (Array.isArray(value)) return [`${path} must be a string, number, boolean, null or an object of operators`];
  if (!isObject(value)) return [];
  const out: Violations = [];
  for (const [op, operand] of Object.entries(value)) {
    const at = `${path}.${op}`;
    if (includes(COMPARISONS, op)) {
      if (!isPrimitive(operand)) out.push(`${at} must be a string, number, boolean or null`);
    } else if (includes(TEXT_OPERATORS, op)) {
      if (typeof operand !== "string" || length(operand) < 1) out.push(`${at} must be a non-empty string`);
    } else if (op === "$ci") {
      if (typeof operand !== "boolean") out.push(`${at} must be a boolean`);
    } else if (includes(LIST_OPERATORS, op)) {
      out.push(...checkList(operand, at, (v, p) => (v !== null && isPrimitive(v) ? [] : [`${p} must be a string, number or boolean`])));
    } else {
      out.push(`${at} is not an operator (${[...COMPARISONS, ...TEXT_OPERATORS, "$ci", ...LIST_OPERATORS].join(", ")})`);
    }
  }
  return out;
}

/** A tag key or value to match: a string, null (any), `{$in: [...]}` or `{$nin: [...]}`. */
function checkTagMatcher(value: Json, path: string): Violations {
  if (value === null) return [];
  if (typeof value === "string") return length(value) <= 255 ? [] : [`${path} may be at most 255 characters`];
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && includes(LIST_OPERATORS, keys[0])) {
      return checkList(value[keys[0]], `${path}.${keys[0]}`, (v, p) =>
        typeof v === "string" && length(v) <= 255 ? [] : [`${p} must be a string of at most 255 characters`],
      );
    }
  }
  return [`${path} must be a string, null, {"$in": [...]} or {"$nin": [...]}`];
}

/** A tag filter: null, `{$tagKey, $tagValue}` (at least one), or `{key: matcher, ...}` with keys as Losant's pattern allows. */
function checkTagFilter(value: Json, path: string): Violations {
  if (value === null) return [];
  if (!isObject(value)) return [`${path} must be null or an object`];
  const keys = Object.keys(value);
  const byName = keys.length >= 1 && keys.every((k) => k === "$tagKey" || k === "$tagValue");
  const byKey = keys.every((k) => TAG_KEY_PATTERN.test(k));
  if (!byName && !byKey) return [`${path} must use either $tagKey/$tagValue or tag keys (starting with 0-9 a-z A-Z _ -), not both`];
  return keys.flatMap((k) => checkTagMatcher(value[k], `${path}.${k}`));
}

/** `tags`: a tag filter, `{$eq: filter}` or `{$ne: filter}`. No input fits two of these, so oneOf's exclusivity needs no check. */
function checkTagsCondition(value: Json, path: string): Violations {
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === "$eq" || keys[0] === "$ne")) return checkTagFilter(value[keys[0]], `${path}.${keys[0]}`);
  }
  return checkTagFilter(value, path);
}

/** The `query` parameter as sent: JSON text. Throws with the reasons when it is not a valid query. */
export function parseOrgQuery(text: string): OrgQuery {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error("query is not valid JSON");
  }
  const violations = checkOrgQuery(value);
  if (violations.length > 0) throw new Error(`query is not a valid org query: ${violations.join("; ")}`);
  return value as OrgQuery;
}
