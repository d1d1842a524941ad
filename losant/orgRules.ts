/**
 * The rules of the org's nested values (limits, tags, banner) and the enums, as Losant's
 * `instanceOrgPatch.json` states them. The field list (`orgFields.ts`) puts them on its fields.
 */
import type { ObjectSchema, Schema } from "./schemaTypes";

const BOUNDS = {
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
} as const satisfies Readonly<Record<string, { minimum: number; maximum?: number }>>;

/** Bounds of every org limit Losant accepts; a key outside this table is rejected. */
export const LIMIT_BOUNDS: Readonly<Record<string, { minimum: number; maximum?: number }>> = BOUNDS;

export type LimitKey = keyof typeof BOUNDS;

export const LIMIT_KEYS = Object.keys(LIMIT_BOUNDS) as readonly LimitKey[];

export const MFA_MODES = ["notRequired", "adminRequired", "required"] as const;
export const BANNER_LEVELS = ["info", "warning", "critical"] as const;

export const LIMITS_SCHEMA: ObjectSchema = {
  type: "object",
  properties: Object.fromEntries(Object.entries(LIMIT_BOUNDS).map(([key, bounds]): [string, Schema] => [key, { type: "integer", ...bounds }])),
  additionalProperties: false,
};

export const TAGS_SCHEMA: Schema = {
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

export const BANNER_SCHEMA: ObjectSchema = {
  type: "object",
  properties: {
    message: { type: "string", maxLength: 2048 },
    level: { type: "string", enum: BANNER_LEVELS },
  },
  additionalProperties: false,
};

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
