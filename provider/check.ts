import { CheckFailure } from "@pulumi/pulumi/dynamic";
import { OBJECT_ID_PATTERN, ORG_PATCH_SCHEMA, SUMMARY_FIELDS } from "../losant/instanceOrgSchema";
import { describe, validate } from "../losant/validate";
import { UNKNOWN } from "./unknown";

/** Properties the dynamic-provider host adds to every resource's inputs. */
const HOST_PROPERTIES = new Set(["__provider"]);

const INPUT_PROPERTIES = new Set([...Object.keys(ORG_PATCH_SCHEMA.properties), "instanceId", "orgId", "summaryInclude"]);

function checkIdentity(name: "instanceId" | "orgId", value: unknown): CheckFailure[] {
  if (value === UNKNOWN) return [];
  if (value === undefined || value === null || value === "") {
    return [{ property: name, reason: `is required: the 24-character hex id of the ${name === "orgId" ? "organization" : "instance"}` }];
  }
  if (typeof value !== "string" || !OBJECT_ID_PATTERN.test(value)) {
    return [{ property: name, reason: `must be a 24-character hex id, got ${describe(value)}` }];
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
  failures.push(...checkIdentity("orgId", news.orgId));
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
  for (const violation of validate(ORG_PATCH_SCHEMA, settings, "", { unknownSentinel: UNKNOWN })) {
    failures.push({ property: violation.path, reason: violation.reason });
  }
  return failures;
}
