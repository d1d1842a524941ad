/**
 * The org's types, derived from the field list (`orgFields.ts`) so that the two cannot drift apart.
 */
import { fieldsWithRole } from "./orgFields";
import type { DocumentedOrg, FieldsWithRole, FieldType, OrgFields, SettingsOf } from "./orgFields";

export type { FieldType, MfaMode, OrgBanner, OrgLimits, OrgTag } from "./orgFields";

export type PatchableField = FieldsWithRole<"patchable">;

/** The fields of an org a client may change (the PATCH body of Losant's API). */
export type OrgSettings = SettingsOf<OrgFields>;

/** The Instance Organization object that Losant's GET and PATCH return. */
export type LosantInstanceOrg = DocumentedOrg;

/** The subscription fields Losant returns for orgs that have billing set up. */
export const BILLING_FIELDS = fieldsWithRole("billing");

export type OrgBilling = { [K in FieldsWithRole<"billing">]?: FieldType<K> };
