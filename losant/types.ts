/** Org limits, keyed by Losant's limit names (see LIMIT_KEYS); each a non-negative whole number. */
export interface OrgLimits {
  apitoken?: number;
  application?: number;
  applicationcertificate?: number;
  applicationcertificateauthority?: number;
  applicationkey?: number;
  credential?: number;
  dashboard?: number;
  datatable?: number;
  device?: number;
  devicerecipe?: number;
  experiencedomain?: number;
  experienceendpoint?: number;
  experiencegroup?: number;
  experienceslug?: number;
  experienceuser?: number;
  experienceversion?: number;
  experienceview?: number;
  file?: number;
  flow?: number;
  integration?: number;
  notebook?: number;
  privatefile?: number;
  resourcejob?: number;
  webhook?: number;
  /** Seconds data is kept; at least 86400. */
  dataTTL?: number;
  member?: number;
  payload?: number;
  storage?: number;
  notebookMinutesPerRun?: number;
  notebookMinutesPerMonth?: number;
  notebookInParallel?: number;
  experienceFlowSlots?: number;
  applicationFlowSlots?: number;
  /** Seconds, 5 to 3600. */
  systemInterval?: number;
}

export interface OrgTag {
  key: string;
  value: string;
}

export interface OrgBanner {
  message?: string;
  level?: "info" | "warning" | "critical";
}

export type MfaMode = "notRequired" | "adminRequired" | "required";

/** The fields of an org that the program may declare (the PATCH body of Losant's API). */
export interface OrgSettings {
  name?: string;
  description?: string;
  iconColor?: string;
  limits?: OrgLimits;
  whitelistedEmailDomains?: string[];
  auditLogEnabled?: boolean;
  disabledAt?: string | boolean;
  isReadOnly?: boolean;
  tags?: OrgTag[];
  referralId?: string;
  mfaMode?: MfaMode;
  banner?: OrgBanner;
}

/** Inputs of an InstanceOrg after Pulumi has resolved every Output. */
export interface InstanceOrgInputs extends OrgSettings {
  instanceId: string;
  /** The org to adopt; absent, the org is created (once) and its id recorded in the outputs. */
  orgId?: string;
  summaryInclude?: string[];
  /** Set by the program for a resource without `orgId`: tags the org it creates (see provider/creationMarker.ts). */
  creationMarker?: string;
}

/** The Instance Organization object that Losant's GET and PATCH return. */
export interface LosantInstanceOrg extends OrgSettings {
  id: string;
  orgId?: string;
  instanceId?: string;
  name: string;
  creationDate?: string;
  lastUpdated?: string;
  summary?: Record<string, unknown>;
  planId?: string;
  customerId?: string;
  subscriptionId?: string;
  billingEmail?: string;
  subscriptionStatus?: string;
  currentPeriodStart?: string;
  currentPeriodEnd?: string;
}

/** The subscription fields Losant returns for orgs that have billing set up. */
export const BILLING_FIELDS = [
  "planId",
  "customerId",
  "subscriptionId",
  "billingEmail",
  "subscriptionStatus",
  "currentPeriodStart",
  "currentPeriodEnd",
] as const;

export type OrgBilling = Partial<Record<(typeof BILLING_FIELDS)[number], string>>;

/** What the resource records in state: the org as Losant last returned it, plus the fields it manages. */
export interface InstanceOrgOutputs extends OrgSettings {
  instanceId: string;
  orgId: string;
  name: string;
  limits: OrgLimits;
  summaryInclude?: string[];
  summary?: Record<string, unknown>;
  creationDate?: string;
  lastUpdated?: string;
  /** The billing fields of Losant's org object, grouped; absent when Losant returns none. */
  billing?: OrgBilling;
  /** Names of the declared settings (and `limits.<key>` for each declared limit) this resource keeps as declared. */
  managedFields: string[];
}
