import { PATCHABLE_FIELDS } from "../losant/instanceOrgSchema";
import { declaredSettings, managedFieldsOf } from "./plan";
import { BILLING_FIELDS } from "../losant/types";
import type { InstanceOrgInputs, InstanceOrgOutputs, LosantInstanceOrg, OrgBilling, OrgLimits } from "../losant/types";

/** Copies without undefined members: protobuf Structs, and so Pulumi state, cannot hold them. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The resource's outputs: the org as Losant returned it, plus what the resource manages. The seven
 * billing fields are grouped under `billing`: each top-level output costs the engine work for every
 * resource on every preview, and these are rarely present.
 */
export function toOutputs(org: LosantInstanceOrg, inputs: InstanceOrgInputs): InstanceOrgOutputs {
  const { id, orgId, instanceId, ...rest } = org;
  const billing: OrgBilling = {};
  for (const field of BILLING_FIELDS) {
    if (rest[field] !== undefined) billing[field] = rest[field];
    delete rest[field];
  }
  return withoutUndefined({
    ...rest,
    billing: Object.keys(billing).length > 0 ? billing : undefined,
    instanceId: instanceId ?? inputs.instanceId,
    orgId: orgId ?? id ?? inputs.orgId,
    limits: org.limits ?? {},
    summaryInclude: inputs.summaryInclude,
    managedFields: managedFieldsOf(declaredSettings(inputs as unknown as Record<string, unknown>)),
  });
}

/**
 * The inputs that refresh records: identity plus, for each managed value, what Losant holds now,
 * so that a drifted org shows up as a change that the next `up` undoes.
 */
export function refreshedInputs(outputs: InstanceOrgOutputs): Record<string, unknown> {
  const managed = new Set(outputs.managedFields ?? []);
  const inputs: Record<string, unknown> = { instanceId: outputs.instanceId, orgId: outputs.orgId };
  if (outputs.summaryInclude !== undefined) inputs.summaryInclude = outputs.summaryInclude;
  for (const field of PATCHABLE_FIELDS) {
    if (field === "limits") {
      const limits: Record<string, number | undefined> = {};
      for (const path of managed) {
        if (!path.startsWith("limits.")) continue;
        const key = path.slice("limits.".length);
        limits[key] = (outputs.limits as Record<string, number | undefined>)[key];
      }
      if (Object.keys(limits).length > 0) inputs.limits = withoutUndefined(limits) as OrgLimits;
    } else if (managed.has(field) && outputs[field] !== undefined) {
      inputs[field] = outputs[field];
    }
  }
  return inputs;
}
