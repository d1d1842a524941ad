import { PATCHABLE_FIELDS } from "../../losant/instanceOrgSchema";
import { documentedOrg } from "../../losant/orgFields";
import { INSTANCE_ORG_PROPERTIES } from "../shared/resourceFields";
import { declaredSettings, managedFieldsOf } from "./plan";
import { BILLING_FIELDS } from "../../losant/types";
import { limitsFromState, storedLimits } from "../shared/storedLimits";
import type { LosantInstanceOrg, OrgBilling, OrgLimits } from "../../losant/types";
import type { InstanceOrgInputs, InstanceOrgOutputs } from "../shared/resourceTypes";

/** Copies without undefined members: protobuf Structs, and so Pulumi state, cannot hold them. */
function withoutUndefined<T extends object>(value: { [K in keyof T]?: T[K] | undefined }): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function managedFields(inputs: InstanceOrgInputs): string[] {
  return managedFieldsOf(declaredSettings(inputs));
}

/** Every output an InstanceOrg records: the documented org fields (billing ones grouped), and its own. */
export const OUTPUT_KEYS: readonly string[] = INSTANCE_ORG_PROPERTIES;

const SETTINGS = new Set<string>(PATCHABLE_FIELDS);

/** Top-level settings the program declares: `limits` for any `limits.<key>`. */
function declaredTopLevel(managed: readonly string[]): Set<string> {
  return new Set(managed.map((path) => path.split(".")[0]));
}

function isEmpty(value: unknown): boolean {
  if (value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === "object" && value !== null && Object.keys(value).length === 0;
}

/**
 * Leaves out what costs state and tells a reader nothing: an undeclared setting that is empty (`""`,
 * `[]`, `{}`), and `summary` unless the program asked for one with `summaryInclude`. The engine
 * rewrites the whole state after each step, so every byte per org is paid once per org per step.
 * A declared setting stays even when empty: the next diff compares it with what the program declares.
 */
function lean(outputs: { [K in keyof InstanceOrgOutputs]?: InstanceOrgOutputs[K] | undefined }): InstanceOrgOutputs {
  const declared = declaredTopLevel(outputs.managedFields ?? []);
  const summaryAsked = (outputs.summaryInclude ?? []).length > 0;
  const wanted = ([key, value]: [string, unknown]): boolean => {
    if (key === "summary") return summaryAsked;
    return !(SETTINGS.has(key) && key !== "limits" && !declared.has(key) && isEmpty(value));
  };
  return withoutUndefined<InstanceOrgOutputs>(Object.fromEntries(Object.entries(outputs).filter(wanted)));
}

/**
 * The resource's outputs: the org as Losant documents it (hypermedia and undocumented fields left
 * out), plus what the resource manages. The seven billing fields are grouped under `billing`: each
 * top-level output costs the engine work for every resource on every preview, and these are rarely
 * present. `managed` is what the resource keeps as declared; by default, what `inputs` declare.
 */
export function toOutputs(reply: LosantInstanceOrg, inputs: InstanceOrgInputs, managed: string[] = managedFields(inputs)): InstanceOrgOutputs {
  const { id, orgId, instanceId, ...rest } = documentedOrg(reply);
  const billing: OrgBilling = {};
  for (const field of BILLING_FIELDS) {
    if (rest[field] !== undefined) billing[field] = rest[field];
    delete rest[field];
  }
  return lean({
    ...rest,
    billing: Object.keys(billing).length > 0 ? billing : undefined,
    instanceId: instanceId ?? inputs.instanceId,
    orgId: orgId ?? id ?? inputs.orgId,
    limits: rest.limits ?? {},
    summaryInclude: inputs.summaryInclude,
    managedFields: managed,
  });
}

/** Outputs after a refresh: the org as read, with what the resource manages carried over from state. */
export function refreshedOutputs(reply: LosantInstanceOrg, props: InstanceOrgOutputs, ref: { instanceId: string; orgId: string }): InstanceOrgOutputs {
  return toOutputs(reply, { ...ref, summaryInclude: props.summaryInclude }, props.managedFields ?? []);
}

/**
 * Outputs when nothing was sent: the last known org as it is, with only what the program now
 * declares (managed fields, summaryInclude) brought up to date.
 */
export function keptOutputs(olds: InstanceOrgOutputs, inputs: InstanceOrgInputs): InstanceOrgOutputs {
  // State written by an older version may hold hypermedia fields: they go now.
  const kept = Object.fromEntries(Object.entries(olds).filter(([key]) => OUTPUT_KEYS.includes(key)));
  return lean({ ...kept, ...pickIdentity(olds), summaryInclude: inputs.summaryInclude, managedFields: managedFields(inputs) });
}

function pickIdentity(olds: InstanceOrgOutputs): Pick<InstanceOrgOutputs, "instanceId" | "orgId" | "name" | "limits"> {
  return { instanceId: olds.instanceId, orgId: olds.orgId, name: olds.name, limits: olds.limits ?? {} };
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

/** Outputs as state records them: the limits as one string where it holds them (storedLimits.ts). */
export type StoredOutputs = Omit<InstanceOrgOutputs, "limits"> & { limits: string | OrgLimits };

/** What state records for these outputs. */
export function toState(outputs: InstanceOrgOutputs): StoredOutputs {
  return { ...outputs, limits: storedLimits(outputs.limits) };
}

/**
 * The outputs a state entry holds, limits decoded. The engine hands the provider its stored outputs
 * as they are (diff's olds, update's olds, read's and delete's props): each is decoded here first.
 */
export function fromState(stored: StoredOutputs): InstanceOrgOutputs;
export function fromState(stored: Record<string, unknown>): Record<string, unknown> & { limits: OrgLimits };
export function fromState(stored: { limits?: unknown }): { limits: OrgLimits } {
  return { ...stored, limits: limitsFromState(stored.limits) };
}
