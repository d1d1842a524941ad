/**
 * The properties Losant documents for an Instance Organization (its `instanceOrg.json` schema), as
 * a runtime list tied to the `LosantInstanceOrg` type. Replies also carry fields the schema does
 * not define: hypermedia (`_type`, `_links`, `_embedded`, and `_etag` in older API versions) and
 * whatever a newer API version adds. Those are dropped where a reply enters the package, so they
 * never reach outputs or state and never show up as a change.
 */
import { LIMIT_KEYS, SUMMARY_FIELDS } from "./instanceOrgSchema";
import type { LosantInstanceOrg, OrgBanner, OrgTag } from "./types";

/** Every top-level property of `instanceOrg.json`, in its order. */
export const INSTANCE_ORG_FIELDS = [
  "creationDate",
  "lastUpdated",
  "name",
  "id",
  "orgId",
  "instanceId",
  "description",
  "iconColor",
  "limits",
  "summary",
  "whitelistedEmailDomains",
  "auditLogEnabled",
  "disabledAt",
  "isReadOnly",
  "tags",
  "referralId",
  "mfaMode",
  "banner",
  "planId",
  "customerId",
  "subscriptionId",
  "billingEmail",
  "subscriptionStatus",
  "currentPeriodStart",
  "currentPeriodEnd",
] as const satisfies ReadonlyArray<keyof LosantInstanceOrg>;

export type InstanceOrgField = (typeof INSTANCE_ORG_FIELDS)[number];

// The list and the type must name the same fields: a field added to one and not the other fails to compile.
type Unlisted = Exclude<keyof LosantInstanceOrg, InstanceOrgField>;
const everyTypeFieldListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyTypeFieldListed;

const BANNER_FIELDS = ["message", "level"] as const satisfies ReadonlyArray<keyof OrgBanner>;
const TAG_FIELDS = ["key", "value"] as const satisfies ReadonlyArray<keyof OrgTag>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function pick(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of keys) if (source[key] !== undefined) picked[key] = source[key];
  return picked;
}

/** Nested objects the schema closes (`additionalProperties: false`) keep their documented keys only. */
function documentedValue(field: InstanceOrgField, value: unknown): unknown {
  if (field === "limits" && isRecord(value)) return pick(value, LIMIT_KEYS);
  if (field === "summary" && isRecord(value)) return pick(value, SUMMARY_FIELDS);
  if (field === "banner" && isRecord(value)) return pick(value, BANNER_FIELDS);
  if (field === "tags" && Array.isArray(value)) return value.map((tag) => (isRecord(tag) ? pick(tag, TAG_FIELDS) : tag));
  return value;
}

/**
 * The org as Losant documents it: only the properties `instanceOrg.json` defines, nested ones
 * included. Anything else in the reply is left out.
 */
export function documentedOrg(reply: unknown): LosantInstanceOrg {
  const source = isRecord(reply) ? reply : {};
  const org: Partial<Record<InstanceOrgField, unknown>> = {};
  for (const field of INSTANCE_ORG_FIELDS) {
    if (source[field] !== undefined) org[field] = documentedValue(field, source[field]);
  }
  // Values are Losant's, as typed by its schema; only the set of keys is enforced here.
  return org as LosantInstanceOrg;
}
