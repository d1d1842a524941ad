/**
 * The properties an InstanceOrg has besides Losant's org fields, and the list of every property it
 * registers, derived from both lists.
 */
import { ORG_FIELDS, type OrgFieldSpec } from "../../losant/orgFields";

export interface ResourceFieldSpec {
  readonly role: "input" | "output";
  readonly doc: string;
  readonly docType: string;
  /** What a left-out input means, for the docs. */
  readonly defaultText?: string;
  readonly list?: boolean;
}

export const RESOURCE_FIELDS = {
  summaryInclude: {
    role: "input",
    docType: "string[]",
    list: true,
    doc: "Summary field names (`deviceCount`, `payloadCount`, `storageStats`, ...) to include in `summary`, sent as the `summaryInclude` query parameter on GET and PATCH. Kept as given in the outputs.",
    defaultText: "none: no `summaryInclude` is sent",
  },
  billing: {
    role: "output",
    docType: "object",
    doc: "Losant's billing fields (`planId`, `customerId`, `subscriptionId`, `billingEmail`, `subscriptionStatus`, `currentPeriodStart`, `currentPeriodEnd`), grouped in one object and present only where Losant returns any of them: every top-level output costs the engine work per resource on every operation.",
  },
  managedFields: {
    role: "output",
    docType: "string[]",
    doc: "The declared settings this resource keeps as declared (`limits.<key>` per declared limit).",
  },
} as const satisfies Readonly<Record<string, ResourceFieldSpec>>;

type OrgFieldList = Readonly<Record<string, OrgFieldSpec>>;
type ResourceFieldList = Readonly<Record<string, ResourceFieldSpec>>;

/**
 * Every property an InstanceOrg registers, for a pair of field lists: its inputs, then the outputs
 * Losant adds, then its own outputs. Billing fields share one `billing` output and `id` is `orgId`.
 */
export function registeredPropertiesOf(orgFields: OrgFieldList, resourceFields: ResourceFieldList): string[] {
  const org = (role: OrgFieldSpec["role"]) => Object.keys(orgFields).filter((name) => orgFields[name]?.role === role);
  const own = (role: ResourceFieldSpec["role"]) => Object.keys(resourceFields).filter((name) => resourceFields[name]?.role === role);
  return [...org("identity"), ...org("patchable"), ...own("input"), ...org("output"), ...own("output")];
}

/**
 * Every property an InstanceOrg registers. Each costs the engine a little work per resource on
 * every operation, which is why the rarely present billing fields share one `billing` output.
 */
export const INSTANCE_ORG_PROPERTIES: readonly string[] = registeredPropertiesOf(ORG_FIELDS, RESOURCE_FIELDS);
