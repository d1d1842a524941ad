import { ObjectSchema, Schema } from "./schemaTypes";

/** Bounds of every org limit Losant accepts; a key outside this table is rejected. */
export const LIMIT_BOUNDS: Readonly<Record<string, { minimum: number; maximum?: number }>> = {
  apitoken: { minimum: 0 },
  application: { minimum: 0 },
  applicationcertificate: { minimum: 0 },
  applicationcertificateauthority: { minimum: 0 },
  applicationkey: { minimum: 0 },
  credential: { minimum: 0 },
  dashboard: { minimum: 0 },
  datatable: { minimum: 0 },
  device: { minimum: 0 },
  devicerecipe: { minimum: 0 },
  experiencedomain: { minimum: 0 },
  experienceendpoint: { minimum: 0 },
  experiencegroup: { minimum: 0 },
  experienceslug: { minimum: 0 },
  experienceuser: { minimum: 0 },
  experienceversion: { minimum: 0 },
  experienceview: { minimum: 0 },
  file: { minimum: 0 },
  flow: { minimum: 0 },
  integration: { minimum: 0 },
  notebook: { minimum: 0 },
  privatefile: { minimum: 0 },
  resourcejob: { minimum: 0 },
  webhook: { minimum: 0 },
  dataTTL: { minimum: 86400 },
  member: { minimum: 0 },
  payload: { minimum: 0 },
  storage: { minimum: 0 },
  notebookMinutesPerRun: { minimum: 0 },
  notebookMinutesPerMonth: { minimum: 0 },
  notebookInParallel: { minimum: 0 },
  experienceFlowSlots: { minimum: 0 },
  applicationFlowSlots: { minimum: 0 },
  systemInterval: { minimum: 5, maximum: 3600 },
};

export const LIMIT_KEYS: readonly string[] = Object.keys(LIMIT_BOUNDS);

const limitsSchema: ObjectSchema = {
  type: "object",
  properties: Object.fromEntries(
    Object.entries(LIMIT_BOUNDS).map(([key, bounds]) => [key, { type: "integer", ...bounds } as Schema]),
  ),
  additionalProperties: false,
};

const tagsSchema: Schema = {
  type: "array",
  maxItems: 100,
  items: {
    type: "object",
    properties: {
      key: { type: "string", pattern: "^[0-9a-zA-Z_-]{1,255}$" },
      value: { type: "string", minLength: 1, maxLength: 255 },
    },
    required: ["key", "value"],
    additionalProperties: false,
  },
};

const bannerSchema: ObjectSchema = {
  type: "object",
  properties: {
    message: { type: "string", maxLength: 2048 },
    level: { type: "string", enum: ["info", "warning", "critical"] },
  },
  additionalProperties: false,
};

/** Body of `PATCH /instances/{instanceId}/orgs/{orgId}`: every field Losant lets an instance change. */
export const ORG_PATCH_SCHEMA: ObjectSchema = {
  type: "object",
  properties: {
    name: { type: "string", minLength: 1, maxLength: 255 },
    description: { type: "string", maxLength: 32767 },
    iconColor: { type: "string", maxLength: 64 },
    limits: limitsSchema,
    whitelistedEmailDomains: { type: "array", items: { type: "string", minLength: 3, maxLength: 45 } },
    auditLogEnabled: { type: "boolean" },
    disabledAt: { oneOf: [{ type: "string", format: "date-time" }, { type: "boolean" }] },
    isReadOnly: { type: "boolean" },
    tags: tagsSchema,
    referralId: { type: "string", maxLength: 1024 },
    mfaMode: { type: "string", enum: ["notRequired", "adminRequired", "required"] },
    banner: bannerSchema,
  },
  additionalProperties: false,
};

/** Body of `POST /instances/{instanceId}/orgs`, which the emulator uses to seed orgs. */
export const ORG_POST_SCHEMA: ObjectSchema = {
  type: "object",
  properties: {
    // Losant also takes initial `members` here; the emulator makes its orgs without any.
    ...ORG_PATCH_SCHEMA.properties,
  },
  required: ["name"],
  additionalProperties: false,
};

/** The fields of the PATCH body, i.e. what an `InstanceOrg` can declare besides its identity. */
export const PATCHABLE_FIELDS = Object.keys(ORG_PATCH_SCHEMA.properties) as readonly PatchableField[];

export type PatchableField =
  | "name"
  | "description"
  | "iconColor"
  | "limits"
  | "whitelistedEmailDomains"
  | "auditLogEnabled"
  | "disabledAt"
  | "isReadOnly"
  | "tags"
  | "referralId"
  | "mfaMode"
  | "banner";

export const SUMMARY_FIELDS: readonly string[] = [
  "apiTokenCount",
  "appCount",
  "certificateCount",
  "certificateAuthorityCount",
  "credentialCount",
  "dashCount",
  "dataTableCount",
  "deviceCount",
  "deviceRecipeCount",
  "eventCount",
  "experienceDomainCount",
  "experienceEndpointCount",
  "experienceGroupCount",
  "experienceSlugCount",
  "experienceUserCount",
  "experienceVersionCount",
  "experienceViewCount",
  "fileCount",
  "flowCount",
  "integrationCount",
  "keyCount",
  "notebookCount",
  "privateFileCount",
  "resourceJobCount",
  "webhookCount",
  "memberCount",
  "pendingInviteCount",
  "payloadCount",
  "storageStats",
  "notebookStats",
];

export const OBJECT_ID_PATTERN = /^[A-Fa-f0-9]{24}$/;
