/**
 * The org's types, derived from the field list (`orgFields.ts`) so that the two cannot drift apart.
 */
import { fieldsWithRole } from "./orgFields";
import type { DocumentedOrg, FieldsWithRole, FieldType, OrgFields, SettingsOf } from "./orgFields";

export type { MfaMode, OrgBanner, OrgLimits, OrgTag } from "./orgFields";

export type PatchableField = FieldsWithRole<"patchable">;

/** The fields of an org that the program may declare (the PATCH body of Losant's API). */
export type OrgSettings = SettingsOf<OrgFields>;

/** Inputs of an InstanceOrg after Pulumi has resolved every Output. */
export interface InstanceOrgInputs extends OrgSettings {
  instanceId: string;
  /** The org to adopt; absent, the org is created (once) and its id recorded in the outputs. */
  orgId?: string | undefined;
  summaryInclude?: string[] | undefined;
  /** Set by the program for a resource without `orgId`: tags the org it creates (see provider/shared/creationMarker.ts). */
  creationMarker?: string | undefined;
}

/** The Instance Organization object that Losant's GET and PATCH return. */
export type LosantInstanceOrg = DocumentedOrg;

/** The subscription fields Losant returns for orgs that have billing set up. */
export const BILLING_FIELDS = fieldsWithRole("billing");

export type OrgBilling = { [K in FieldsWithRole<"billing">]?: FieldType<K> };

/** What the resource records in state: the org as Losant last returned it, plus the fields it manages. */
export interface InstanceOrgOutputs extends OrgSettings {
  instanceId: string;
  orgId: string;
  name: string;
  limits: NonNullable<OrgSettings["limits"]>;
  summaryInclude?: string[];
  summary?: FieldType<"summary">;
  creationDate?: FieldType<"creationDate">;
  lastUpdated?: FieldType<"lastUpdated">;
  /** The billing fields of Losant's org object, grouped; absent when Losant returns none. */
  billing?: OrgBilling;
  /** Names of the declared settings (and `limits.<key>` for each declared limit) this resource keeps as declared. */
  managedFields: string[];
}
