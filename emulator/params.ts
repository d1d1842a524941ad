/**
 * The parameter checks Losant's framework makes before it looks at the token (Losant/bravado-core
 * `lib/index.js` runs `validateParams` before `authenticate` and `authorize`): the path ids, the
 * enumerated and schema-typed query parameters, and the body, each against the endpoint table
 * (apiInfo-instanceOrgs.json). `lib/validate-params.js` reports the first error only, as
 * '{field} {validationMessage}' with is-my-json-valid's message for the keyword that failed
 * ("pattern mismatch", "must be an enum value", "is the wrong type"). Where the emulator's own
 * validators word a refusal (the body and `query` schemas), the field is the framework's and the
 * reason the emulator's. Checks the endpoint table leaves to the handlers (`page`, `perPage`,
 * `summaryInclude`, whether the org exists) come after the token.
 */
import { ORG_PATCH_SCHEMA, ORG_POST_SCHEMA } from "../losant/instanceOrgSchema";
import { OBJECT_ID_PATTERN } from "../losant/orgRules";
import type { ObjectSchema } from "../losant/schemaTypes";
import { validate } from "../losant/validate";
import { paramError } from "./http";
import { SORT_FIELDS } from "./listing";
import { checkOrgQuery } from "./orgQuery";
import type { Route } from "./router";

/** The list's enumerated query parameters (apiInfo-instanceOrgs.json); blank stands for absent, as the table says of the filters. */
const LIST_ENUMS: Readonly<Record<string, readonly string[]>> = { sortField: SORT_FIELDS, sortDirection: ["asc", "desc"], filterField: ["name"] };

/** The name of each route's body parameter in the endpoint table: the field a body refusal names. */
const BODY_PARAMS: Readonly<Record<string, { name: string; schema: ObjectSchema }>> = {
  patch: { name: "organization", schema: ORG_PATCH_SCHEMA },
  post: { name: "orgConfig", schema: ORG_POST_SCHEMA },
};

export function checkParams(target: Route, query: Readonly<Record<string, string>>, body: unknown): void {
  if (!OBJECT_ID_PATTERN.test(target.instanceId)) throw paramError("instanceId", "pattern mismatch");
  if (target.resource === "org" && !OBJECT_ID_PATTERN.test(target.orgId)) throw paramError("orgId", "pattern mismatch");
  if (target.operation === "list") checkListQuery(query);
  const bodyParam = BODY_PARAMS[target.operation];
  if (bodyParam) {
    const [first] = validate(bodyParam.schema, body ?? {});
    if (first) throw paramError(first.path ? `${bodyParam.name}.${first.path}` : bodyParam.name, first.reason);
  }
}

function checkListQuery(query: Readonly<Record<string, string>>): void {
  for (const [name, allowed] of Object.entries(LIST_ENUMS)) {
    const value = query[name];
    if (value !== undefined && value.trim() !== "" && !allowed.includes(value)) throw paramError(name, "must be an enum value");
  }
  if (query.query === undefined || query.query.trim() === "") return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(query.query);
  } catch {
    // bravado-core `lib/prepare-params.js` puts the string "error" in place of JSON it cannot parse, "to let the validator err".
    throw paramError("query", "is the wrong type");
  }
  const [first] = checkOrgQuery(parsed);
  if (first) throw paramError(...splitViolation(first));
}

/** "query.$or[0].id must be ..." as field and reason. */
function splitViolation(line: string): [string, string] {
  const space = line.indexOf(" ");
  return [line.slice(0, space), line.slice(space + 1)];
}
