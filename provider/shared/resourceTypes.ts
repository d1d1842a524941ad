/**
 * The InstanceOrg resource's inputs and outputs as the provider sees them: Losant's org settings
 * (losant/types.ts) plus what only the Pulumi resource has (the org to adopt or none, the fields it
 * manages, the creation marker).
 */
import type { FieldType, OrgBilling, OrgSettings } from "../../losant/types";

/** Inputs of an InstanceOrg after Pulumi has resolved every Output. */
export interface InstanceOrgInputs extends OrgSettings {
  instanceId: string;
  /** The org to adopt; absent, the org is created (once) and its id recorded in the outputs. */
  orgId?: string | undefined;
  summaryInclude?: string[] | undefined;
  /** Set by the program for a resource without `orgId`: tags the org it creates (see creationMarker.ts). */
  creationMarker?: string | undefined;
}

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
