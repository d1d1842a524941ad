import { CheckFailure } from "@pulumi/pulumi/dynamic";
import { OBJECT_ID_PATTERN, ORG_PATCH_SCHEMA, ORG_POST_SCHEMA, SUMMARY_FIELDS } from "../../losant/instanceOrgSchema";
import { fieldsWithRole } from "../../losant/orgFields";
import { CREATION_MARKER_KEY } from "./creationMarker";
import { describe, validate } from "../../losant/validate";
import { RESOURCE_FIELDS } from "./resourceFields";
import { UNKNOWN } from "./unknown";

/** Properties the dynamic-provider host adds to every resource's inputs. */
const HOST_PROPERTIES = new Set(["__provider"]);

const INPUT_PROPERTIES = new Set([
  ...fieldsWithRole("identity"),
  ...Object.keys(ORG_PATCH_SCHEMA.properties),
  ...Object.entries(RESOURCE_FIELDS)
    .filter(([, spec]) => spec.role === "input")
    .map(([name]) => name),
  // Not a user input: the resource sets it on an org it creates (creationMarker.ts).
  "creationMarker",
]);

const absent = (value: unknown) => value === undefined || value === null;

function checkIdentity(name: "instanceId" | "orgId", value: unknown): CheckFailure[] {
  if (value === UNKNOWN) return [];
  if (value === undefined || value === null || value === "") {
    return [{ property: name, reason: `is required: the 24-character hex id of the ${name === "orgId" ? "organization" : "instance"}` }];
  }
  if (typeof value !== "string" || !OBJECT_ID_PATTERN.test(value)) {
    return [{ property: name, reason: `must be a 24-character hex id (0-9, a-f; either case), got ${describe(value)}` }];
  }
  return [];
}

/**
 * Losant's ids are MongoDB ObjectIds: its schema accepts hex digits in either case and it answers
 * with lowercase ones. Checked inputs carry the lowercase spelling, so requests, state and the
 * comparison with what Losant returns never differ by case alone (which would read as a replace).
 */
export function normalizeInputs(news: Record<string, unknown>): Record<string, unknown> {
  const out = { ...news };
  // null means "not declared": without orgId the org is created.
  if (out.orgId === null) delete out.orgId;
  for (const name of ["instanceId", "orgId"] as const) {
    const value = out[name];
    if (typeof value === "string" && value !== UNKNOWN && OBJECT_ID_PATTERN.test(value)) out[name] = value.toLowerCase();
  }
  return out;
}

/**
 * The same tag twice (same key and value) means nothing in Losant's tag model, where a key may carry
 * several values and queries match a key, a value or a pair; sending it would only store noise that
 * Losant might fold away, leaving a diff on every preview. The same key with different values is
 * meaningful and allowed.
 */
function checkRepeatedTags(tags: unknown): CheckFailure[] {
  if (!Array.isArray(tags)) return [];
  const seen = new Map<string, number>();
  const failures: CheckFailure[] = [];
  tags.forEach((tag, i) => {
    if (typeof tag !== "object" || tag === null || Array.isArray(tag)) return;
    const { key, value } = tag as Record<string, unknown>;
    if (typeof key !== "string" || typeof value !== "string" || key === UNKNOWN || value === UNKNOWN) return;
    const pair = JSON.stringify([key, value]);
    const first = seen.get(pair);
    if (first === undefined) seen.set(pair, i);
    else
      failures.push({
        property: `tags[${i}]`,
        reason: `repeats tags[${first}] (key ${JSON.stringify(key)}, value ${JSON.stringify(value)}); a tag key may have several values, but the same key and value twice means nothing`,
      });
  });
  return failures;
}

function checkReservedTags(tags: unknown): CheckFailure[] {
  if (!Array.isArray(tags)) return [];
  return tags.flatMap((tag: unknown, i) =>
    typeof tag === "object" && tag !== null && (tag as { key?: unknown }).key === CREATION_MARKER_KEY
      ? [{ property: `tags[${i}].key`, reason: `"${CREATION_MARKER_KEY}" is reserved: the provider tags the orgs it creates with it` }]
      : [],
  );
}

/** Set by InstanceOrg's constructor; a tag value, so 1-255 characters. */
function checkCreationMarker(value: unknown): CheckFailure[] {
  if (value === undefined || value === null || value === UNKNOWN) return [];
  if (typeof value !== "string" || value.length < 1 || value.length > 255) {
    return [{ property: "creationMarker", reason: `must be a string of 1-255 characters, got ${describe(value)}` }];
  }
  return [];
}

function checkSummaryInclude(value: unknown): CheckFailure[] {
  if (value === undefined || value === UNKNOWN) return [];
  if (!Array.isArray(value)) return [{ property: "summaryInclude", reason: `must be a list of summary field names, got ${describe(value)}` }];
  const failures: CheckFailure[] = [];
  value.forEach((item, i) => {
    if (item === UNKNOWN) return;
    if (typeof item !== "string" || !SUMMARY_FIELDS.includes(item)) {
      failures.push({ property: `summaryInclude[${i}]`, reason: `must be one of ${SUMMARY_FIELDS.join(", ")}; got ${describe(item)}` });
    }
  });
  return failures;
}

/**
 * Validates every input against Losant's rules without calling Losant, one failure per bad
 * property, so `pulumi preview` rejects bad input before anything is sent.
 */
export function checkInputs(news: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  failures.push(...checkIdentity("instanceId", news.instanceId));
  const creating = absent(news.orgId);
  if (!creating) failures.push(...checkIdentity("orgId", news.orgId));
  failures.push(...checkCreationMarker(news.creationMarker));
  failures.push(...checkSummaryInclude(news.summaryInclude));
  for (const key of Object.keys(news)) {
    if (!INPUT_PROPERTIES.has(key) && !HOST_PROPERTIES.has(key)) {
      failures.push({ property: key, reason: `is not an input of InstanceOrg; expected one of: ${[...INPUT_PROPERTIES].join(", ")}` });
    }
  }
  const settings: Record<string, unknown> = {};
  for (const key of Object.keys(ORG_PATCH_SCHEMA.properties)) {
    // null means "not declared", the same as leaving the property out.
    if (news[key] !== undefined && news[key] !== null) settings[key] = news[key];
  }
  // Without orgId the org is created: Losant's POST rules apply (name is required).
  for (const violation of validate(creating ? ORG_POST_SCHEMA : ORG_PATCH_SCHEMA, settings, "", { unknownSentinel: UNKNOWN, safeIntegers: true })) {
    const reason =
      creating && violation.path === "name" && violation.reason === "is required"
        ? "is required when creating an org (no orgId given); set name, or set orgId to adopt an existing org"
        : violation.reason;
    failures.push({ property: violation.path, reason });
  }
  failures.push(...checkRepeatedTags(settings.tags));
  failures.push(...checkReservedTags(settings.tags));
  return failures;
}
