/**
 * The Pulumi package schema of the native plugin (`pulumi package get-schema`), built from the one
 * field list: Losant's org fields (`losant/orgFields.ts`), the resource's own fields
 * (`provider/shared/resourceFields.ts`) and the settings (`provider/shared/settings.ts`). The plugin
 * serves it as built here; `scripts/gen-docs.ts` writes the same JSON to `schema.json` for SDK
 * generators, and lint fails when that copy is stale.
 */
import { ORG_FIELDS, type OrgFieldSpec } from "../../../losant/orgFields";
import { BANNER_LEVELS, BANNER_SCHEMA, LIMIT_BOUNDS, MFA_MODES, TAGS_SCHEMA } from "../../../losant/orgRules";
import type { Schema } from "../../../losant/schemaTypes";
import { RESOURCE_FIELDS, type ResourceFieldSpec } from "../../shared/resourceFields";
import {
  DEFAULT_API_URL,
  DEFAULT_MAX_CONCURRENCY,
  DEFAULT_TIMEOUT_MS,
  SETTING_BOUNDS,
  SETTING_DOCS,
  SETTING_SOURCES,
  type SettingName,
} from "../../shared/settings";
import { DEFAULT_RETRY_TIMEOUT_SECONDS } from "../../../client/retryPolicy";
import { PACKAGE_VERSION } from "../../shared/version";

export const PACKAGE = "losant";
export const INSTANCE_ORG_TOKEN = `${PACKAGE}:index:InstanceOrg`;
export const GET_INSTANCE_ORGS_TOKEN = `${PACKAGE}:index:getInstanceOrgs`;

/** A property of the schema (a subset of Pulumi's metaschema: what this package uses). */
export interface PropertySpec {
  type?: "string" | "integer" | "number" | "boolean" | "array" | "object";
  $ref?: string;
  items?: PropertySpec;
  additionalProperties?: PropertySpec;
  oneOf?: PropertySpec[];
  description?: string;
  secret?: boolean;
  replaceOnChanges?: boolean;
}

interface ObjectTypeSpec {
  type: "object";
  description: string;
  properties: Record<string, PropertySpec>;
  required?: string[];
}

interface EnumTypeSpec {
  type: "string";
  description: string;
  enum: Array<{ name: string; value: string }>;
}

const ref = (type: string): PropertySpec => ({ $ref: `#/types/${PACKAGE}:index:${type}` });
const ANY: PropertySpec = { $ref: "pulumi.json#/Any" };

/** Object and enum types the org's fields refer to, by field name (the rest map from their rule). */
const FIELD_TYPES: Readonly<Record<string, PropertySpec>> = {
  limits: ref("OrgLimits"),
  tags: { type: "array", items: ref("OrgTag") },
  banner: ref("OrgBanner"),
  mfaMode: ref("MfaMode"),
  billing: ref("OrgBilling"),
  summary: { type: "object", additionalProperties: ANY },
};

function fromRule(rule: Schema): PropertySpec {
  if ("oneOf" in rule) return { oneOf: rule.oneOf.map(fromRule) };
  if (rule.type === "array") return { type: "array", items: fromRule(rule.items) };
  if (rule.type === "object") return { type: "object", additionalProperties: ANY };
  return { type: rule.type };
}

function fromDocType(docType: string): PropertySpec {
  if (docType === "string[]") return { type: "array", items: { type: "string" } };
  if (docType === "boolean") return { type: "boolean" };
  if (docType === "object") return { type: "object", additionalProperties: ANY };
  return { type: "string" };
}

function typeOf(name: string, spec: OrgFieldSpec | ResourceFieldSpec): PropertySpec {
  const known = FIELD_TYPES[name];
  if (known !== undefined) return known;
  if ("rule" in spec && spec.rule !== undefined) return fromRule(spec.rule);
  return fromDocType(spec.docType);
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** The input's description: what it means, then what leaving it out means. */
function inputDescription(spec: OrgFieldSpec | ResourceFieldSpec): string {
  const rule = "ruleText" in spec && spec.ruleText !== undefined ? ` Rule: ${spec.ruleText}.` : "";
  let absent: string;
  if ("absentText" in spec && spec.absentText !== undefined) absent = spec.absentText;
  else if ("defaultText" in spec && spec.defaultText !== undefined) absent = spec.defaultText;
  else if (spec.role === "patchable") absent = "unmanaged: the org keeps whatever value it has";
  else absent = "";
  return `${sentence(spec.doc)}${rule}${absent === "" ? "" : ` Default: ${absent}.`}`;
}

interface PropertySets {
  inputs: Record<string, PropertySpec>;
  outputs: Record<string, PropertySpec>;
}

/** InstanceOrg's inputs and outputs, in the order the field lists give them. */
function instanceOrgProperties(): PropertySets {
  const inputs: Record<string, PropertySpec> = {};
  const outputs: Record<string, PropertySpec> = {};
  for (const [name, spec] of Object.entries(ORG_FIELDS) as Array<[string, OrgFieldSpec]>) {
    if (spec.role === "billing" || spec.role === "alias") continue;
    const type = typeOf(name, spec);
    if (spec.role === "identity") {
      inputs[name] = { ...type, description: inputDescription(spec), replaceOnChanges: true };
      outputs[name] = { ...type, description: spec.doc, replaceOnChanges: true };
    } else if (spec.role === "patchable") {
      inputs[name] = { ...type, description: inputDescription(spec) };
      outputs[name] = { ...type, description: spec.doc };
    } else {
      outputs[name] = { ...type, description: spec.doc };
    }
  }
  for (const [name, spec] of Object.entries(RESOURCE_FIELDS) as Array<[string, ResourceFieldSpec]>) {
    const type = typeOf(name, spec);
    if (spec.role === "input") inputs[name] = { ...type, description: inputDescription(spec) };
    outputs[name] = { ...type, description: spec.doc };
  }
  return { inputs, outputs };
}

function enumType(description: string, values: readonly string[]): EnumTypeSpec {
  return { type: "string", description, enum: values.map((value) => ({ name: value.charAt(0).toUpperCase() + value.slice(1), value })) };
}

function limitDescription(key: string): string {
  const { minimum, maximum } = LIMIT_BOUNDS[key] ?? { minimum: 0 };
  return `The org's \`${key}\` limit: a whole number ${maximum === undefined ? `>= ${minimum}` : `${minimum}-${maximum}`}.`;
}

function types(): Record<string, ObjectTypeSpec | EnumTypeSpec> {
  const tagItems = "items" in TAGS_SCHEMA ? TAGS_SCHEMA.items : undefined;
  const tagRequired = tagItems !== undefined && "required" in tagItems ? tagItems.required : undefined;
  const billing = Object.entries(ORG_FIELDS).filter(([, spec]) => spec.role === "billing");
  return {
    [`${PACKAGE}:index:OrgLimits`]: {
      type: "object",
      description: ORG_FIELDS.limits.doc,
      properties: Object.fromEntries(Object.keys(LIMIT_BOUNDS).map((key) => [key, { type: "integer", description: limitDescription(key) }])),
    },
    [`${PACKAGE}:index:OrgTag`]: {
      type: "object",
      description: "A tag of the org: a key and one of its values.",
      properties: {
        key: { type: "string", description: "The tag's key (1-255 of 0-9, a-z, A-Z, `_`, `-`)." },
        value: { type: "string", description: "The tag's value (1-255 characters)." },
      },
      required: [...(tagRequired ?? ["key", "value"])],
    },
    [`${PACKAGE}:index:OrgBanner`]: {
      type: "object",
      description: ORG_FIELDS.banner.doc,
      properties: Object.fromEntries(
        Object.keys(BANNER_SCHEMA.properties).map((key) => [
          key,
          key === "level"
            ? { ...ref("BannerLevel"), description: "How the banner is shown." }
            : { type: "string", description: "The banner's text (at most 2048 characters)." },
        ]),
      ),
    },
    [`${PACKAGE}:index:OrgBilling`]: {
      type: "object",
      description: RESOURCE_FIELDS.billing.doc,
      properties: Object.fromEntries(billing.map(([name, spec]) => [name, { type: "string", description: spec.doc }])),
    },
    [`${PACKAGE}:index:MfaMode`]: enumType(ORG_FIELDS.mfaMode.doc, MFA_MODES),
    [`${PACKAGE}:index:BannerLevel`]: enumType("How a banner is shown.", BANNER_LEVELS),
    [`${PACKAGE}:index:InstanceOrgInfo`]: {
      type: "object",
      description: "An org as getInstanceOrgs lists it: its documented fields as Losant returns them.",
      properties: Object.fromEntries(Object.entries(instanceOrgProperties().outputs).filter(([name]) => name !== "managedFields" && name !== "summaryInclude")),
      required: ["instanceId", "orgId", "name", "limits"],
    },
  };
}

const SETTING_DEFAULTS: Readonly<Record<SettingName, string>> = {
  apiToken: "none; a missing token fails at preview",
  apiUrl: DEFAULT_API_URL,
  maxConcurrency: String(DEFAULT_MAX_CONCURRENCY),
  requestTimeoutMs: String(DEFAULT_TIMEOUT_MS),
  retryTimeoutSeconds: String(DEFAULT_RETRY_TIMEOUT_SECONDS),
};

/** The provider's config: one variable per setting, with its default, bounds and environment fallback. */
function settingProperties(): Record<string, PropertySpec> {
  const properties: Record<string, PropertySpec> = {};
  for (const name of Object.keys(SETTING_SOURCES) as SettingName[]) {
    const bounds = (SETTING_BOUNDS as Partial<Record<SettingName, { min: number; max: number; unit: string }>>)[name];
    const range = bounds === undefined ? "" : ` From ${bounds.min} to ${bounds.max} ${bounds.unit}.`;
    const meaning = SETTING_DOCS[name].meaning;
    const description = `${meaning[0].toUpperCase()}${meaning.slice(1)}.${range} Default: ${SETTING_DEFAULTS[name]}. When not set, the environment variable \`${SETTING_SOURCES[name].env}\` is used.`;
    properties[name] = { type: bounds === undefined ? "string" : "integer", description, ...(name === "apiToken" ? { secret: true } : {}) };
  }
  return properties;
}

/** The whole package schema. */
export function pluginSchema(version: string = PACKAGE_VERSION): Record<string, unknown> {
  const { inputs, outputs } = instanceOrgProperties();
  const settings = settingProperties();
  const respect = { respectSchemaVersion: true };
  return {
    name: PACKAGE,
    displayName: "Losant",
    version,
    description: "Manages Losant instance organizations: creates, adopts, imports and updates them (pulumi-losant-instance-org's native plugin).",
    keywords: ["pulumi", "losant", "iot", "category/cloud"],
    license: "MIT",
    meta: { moduleFormat: "(.*)" },
    config: { variables: settings },
    provider: {
      description: "The Losant provider: one per Losant instance (API URL and token). Declare several to manage several instances from one program.",
      properties: settings,
      inputProperties: settings,
    },
    types: types(),
    resources: {
      [INSTANCE_ORG_TOKEN]: {
        description:
          "An organization of a Losant instance, created (no `orgId`) or adopted (`orgId`), kept as declared. Only the settings declared are managed. Import: `pulumi import losant:index:InstanceOrg <name> <instanceId>/<orgId>` declares every setting the org holds.",
        properties: outputs,
        required: ["instanceId", "orgId", "name", "limits", "managedFields"],
        inputProperties: inputs,
        requiredInputs: ["instanceId"],
      },
    },
    functions: {
      [GET_INSTANCE_ORGS_TOKEN]: {
        description: "Every org of an instance whose name matches `filter`, read 100 a request. Runs on preview too; it manages nothing.",
        inputs: {
          properties: {
            instanceId: { type: "string", description: ORG_FIELDS.instanceId.doc.split(" Changing")[0] },
            filter: {
              type: "string",
              description: "A name glob, as Losant's list filter takes it: `acme*` (case-insensitive, the whole name). Default: every org.",
            },
            summaryInclude: { type: "array", items: { type: "string" }, description: "Summary fields to include in each org's `summary`. Default: none." },
          },
          required: ["instanceId"],
        },
        outputs: {
          properties: { orgs: { type: "array", items: ref("InstanceOrgInfo"), description: "The orgs, as Losant returns them (hypermedia left out)." } },
          required: ["orgs"],
        },
      },
    },
    language: {
      python: { ...respect, packageName: "pulumi_losant" },
      // Namespace Pulumi.Losant; generated by tools/sdkgen-dotnet, untested (no .NET here).
      csharp: { ...respect },
      // A module path for a local `replace` (docs/native-plugin.md, Go): the SDK is generated, not published.
      go: { ...respect, importBasePath: "pulumi-losant-instance-org/sdk/go/losant" },
    },
  };
}
