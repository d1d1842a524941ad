/**
 * The PATCH and POST bodies' schemas, derived from the field list; the nested rules live in
 * `orgRules.ts` and are re-exported here for the modules that use them with the schemas.
 */
import { ORG_FIELDS, type OrgFieldSpec } from "./orgFields";
import type { ObjectSchema, Schema } from "./schemaTypes";
import type { PatchableField } from "./types";

export { LIMIT_BOUNDS, LIMIT_KEYS, SUMMARY_FIELDS, OBJECT_ID_PATTERN } from "./orgRules";
export type { PatchableField } from "./types";

type FieldList = Readonly<Record<string, OrgFieldSpec>>;

function rulesOf(fields: FieldList): Record<string, Schema> {
  const properties: Record<string, Schema> = {};
  for (const [name, spec] of Object.entries(fields)) {
    if (spec.role === "patchable" && spec.rule !== undefined) properties[name] = spec.rule;
  }
  return properties;
}

/** The PATCH body's schema for a field list: every patchable field with its rule. */
export function patchSchemaOf(fields: FieldList): ObjectSchema {
  return { type: "object", properties: rulesOf(fields), additionalProperties: false };
}

/** The POST body's schema for a field list: the patchable fields, with those required on create. */
export function postSchemaOf(fields: FieldList): ObjectSchema {
  const required = Object.entries(fields)
    .filter(([, spec]) => spec.requiredOnCreate === true)
    .map(([name]) => name);
  // Losant also takes initial `members` here; the emulator makes its orgs without any.
  return { type: "object", properties: rulesOf(fields), required, additionalProperties: false };
}

/** Body of `PATCH /instances/{instanceId}/orgs/{orgId}`: every field Losant lets an instance change. */
export const ORG_PATCH_SCHEMA: ObjectSchema = patchSchemaOf(ORG_FIELDS);

/** Body of `POST /instances/{instanceId}/orgs`, which the emulator uses to seed orgs. */
export const ORG_POST_SCHEMA: ObjectSchema = postSchemaOf(ORG_FIELDS);

/** The fields of the PATCH body, i.e. what an `InstanceOrg` can declare besides its identity. */
export const PATCHABLE_FIELDS = Object.keys(ORG_PATCH_SCHEMA.properties) as readonly PatchableField[];
