/**
 * The per-org change summary of a `pulumi preview --json` (docs/pipeline.md): one Markdown row per org
 * that changes, with each changed field as old -> new (limits per key), and a count of the orgs that
 * do not. Written for a reviewer of a pull request that touches hundreds of orgs, who wants a table,
 * not a preview of nested diffs.
 *
 * The changed fields are the provider's own diff (`diffInstanceOrg`), run on the step's old outputs
 * and new inputs, so the summary lists exactly what `up` would send, compared by the same meaning.
 */
import { diffInstanceOrg } from "../provider/server/plan";
import { fromState } from "../provider/server/outputs";
import { INSTANCE_ORG_TYPE } from "../provider/program/resourceType";
import { UNKNOWN } from "../provider/shared/unknown";

/** What Pulumi prints in place of a secret value when `--show-secrets` is not given. */
export const SECRET_TEXT = "[secret]";
/** Shown for a value the preview cannot know yet (it comes from another resource's output). */
export const UNKNOWN_TEXT = "(known after up)";
/** The signature key Pulumi gives a secret value written out whole (`--show-secrets` off, older CLIs). */
const SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d";

interface StepState {
  type?: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

export interface PreviewStep {
  op: string;
  urn: string;
  oldState?: StepState;
  newState?: StepState;
}

/** The parts of `pulumi preview --json` the summary reads. */
export interface PreviewJson {
  steps?: PreviewStep[];
  changeSummary?: Record<string, number>;
}

export interface FieldChange {
  /** `name`, or `limits.device` for one limit. */
  path: string;
  /** Shown values: JSON text, `[secret]`, or undefined where there is no value on that side. */
  old?: string | undefined;
  new?: string | undefined;
}

export interface OrgChange {
  name: string;
  /** The org's id, or undefined for an org that is still to be created. */
  id: string | undefined;
  action: "create" | "update" | "delete" | "replace";
  fields: FieldChange[];
}

export interface PreviewSummary {
  changes: OrgChange[];
  /** InstanceOrgs the preview leaves as they are; undefined when the preview did not list them (no `--show-sames`). */
  unchanged: number | undefined;
}

/** Steps that change nothing by themselves: a refresh's reads, and the resources that stay. */
const PASSIVE_OPS = new Set(["same", "refresh", "read", "discard", "remove-pending-replace"]);
const REPLACE_OPS = new Set(["replace", "create-replacement", "delete-replaced", "replace-replaced"]);

function isSecret(value: unknown): boolean {
  return value === SECRET_TEXT || (typeof value === "object" && value !== null && SECRET_SIGNATURE in value);
}

function shown(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (isSecret(value)) return SECRET_TEXT;
  if (value === UNKNOWN) return UNKNOWN_TEXT;
  return JSON.stringify(value, (_key, v: unknown) => (isSecret(v) ? SECRET_TEXT : v))
    .split(JSON.stringify(UNKNOWN))
    .join(UNKNOWN_TEXT);
}

/** The value at `limits.device` or `name` in an object of inputs or (decoded) outputs. */
function valueAt(record: Record<string, unknown> | undefined, path: string): unknown {
  let value: unknown = record;
  for (const part of path.split(".")) {
    if (isSecret(value)) return value;
    value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[part] : undefined;
  }
  return value;
}

/** Fields a secret hides: their change cannot be seen, so each is listed as [secret] on a changing org. */
function secretPaths(...records: Array<Record<string, unknown> | undefined>): string[] {
  const paths = new Set<string>();
  const walk = (value: unknown, path: string) => {
    if (isSecret(value)) paths.add(path);
    else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) walk(inner, path === "" ? key : `${path}.${key}`);
    }
  };
  for (const record of records) walk(record ?? {}, "");
  return [...paths].filter((p) => !p.startsWith("__"));
}

/** The provider's own diff of what state holds against what the program now declares. */
function changedFields(olds: Record<string, unknown>, news: Record<string, unknown>): FieldChange[] {
  const decoded = fromState(olds);
  const paths = diffInstanceOrg(decoded, news).changed.filter((p) => p !== "managedFields");
  for (const hidden of secretPaths(olds, news)) if (!paths.includes(hidden)) paths.push(hidden);
  return paths.map((path) => ({ path, old: shown(valueAt(decoded, path)), new: shown(valueAt(news, path)) }));
}

/** Every declared field of an org to create, as `(none) -> value`. */
function declaredFields(news: Record<string, unknown>): FieldChange[] {
  const fields: FieldChange[] = [];
  for (const [key, value] of Object.entries(news)) {
    if (key.startsWith("__") || key === "creationMarker" || value === undefined || value === null) continue;
    if (key === "limits" && typeof value === "object" && !isSecret(value)) {
      for (const [limit, n] of Object.entries(value as Record<string, unknown>)) fields.push({ path: `limits.${limit}`, new: shown(n) });
    } else fields.push({ path: key, new: shown(value) });
  }
  return fields;
}

function actionOf(ops: string[]): OrgChange["action"] | undefined {
  if (ops.some((op) => REPLACE_OPS.has(op))) return "replace";
  for (const op of ["create", "update", "delete"] as const) if (ops.includes(op)) return op;
  return undefined;
}

function isInstanceOrg(step: PreviewStep): boolean {
  return (step.newState?.type ?? step.oldState?.type) === INSTANCE_ORG_TYPE;
}

function textOf(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function orgChange(action: OrgChange["action"], urn: string, steps: PreviewStep[]): OrgChange {
  // In a replace, the step that deletes the old org carries no new state; the others carry both.
  const old = steps.find((s) => s.oldState?.outputs)?.oldState;
  const next = steps.find((s) => s.newState?.inputs)?.newState;
  const olds = old?.outputs ?? {};
  const news = next?.inputs ?? {};
  const name = textOf(news.name) ?? textOf(olds.name) ?? urn.slice(urn.lastIndexOf("::") + 2);
  const id = textOf(old?.id) ?? textOf(olds.orgId) ?? textOf(news.orgId);
  let fields: FieldChange[] = [];
  if (action === "create") fields = declaredFields(news);
  else if (action !== "delete") fields = changedFields(olds, news);
  return { name: isSecret(name) ? SECRET_TEXT : name, id: id === undefined || isSecret(id) ? undefined : id, action, fields };
}

export function summarizePreview(preview: PreviewJson): PreviewSummary {
  const byUrn = new Map<string, PreviewStep[]>();
  for (const step of preview.steps ?? []) {
    if (!isInstanceOrg(step)) continue;
    byUrn.set(step.urn, [...(byUrn.get(step.urn) ?? []), step]);
  }
  const changes: OrgChange[] = [];
  let unchanged = 0;
  for (const [urn, steps] of byUrn) {
    // A refresh step carries what the refresh read, not what the program declares: the change is in the others.
    const active = steps.filter((s) => !PASSIVE_OPS.has(s.op));
    const action = actionOf(active.map((s) => s.op));
    if (action !== undefined) changes.push(orgChange(action, urn, active));
    else if (steps.some((s) => s.op === "same")) unchanged++;
  }
  // Without --show-sames the preview lists only some of the resources that stay; then the count is unknown.
  const listedSames = (preview.steps ?? []).filter((s) => s.op === "same").length;
  const allSamesListed = listedSames === (preview.changeSummary?.same ?? 0);
  return { changes, unchanged: allSamesListed ? unchanged : undefined };
}

/** Text that keeps a Markdown table cell a cell: no pipe, no line break. */
function cell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function fieldText(field: FieldChange): string {
  if (field.old === undefined) return `${field.path}: ${field.new ?? "(none)"}`;
  return `${field.path}: ${field.old} → ${field.new ?? "(none)"}`;
}

const ACTION_ORDER: Record<OrgChange["action"], number> = { replace: 0, delete: 1, create: 2, update: 3 };

/** The Markdown a job writes to `$GITHUB_STEP_SUMMARY`: a heading, the counts, one row per changing org. */
export function renderSummary(summary: PreviewSummary, title = "Losant orgs"): string {
  const unchanged = summary.unchanged === undefined ? "unchanged orgs not listed (run the preview with `--show-sames`)" : `${summary.unchanged} unchanged`;
  const counts = new Map<string, number>();
  for (const change of summary.changes) counts.set(change.action, (counts.get(change.action) ?? 0) + 1);
  const byAction = [...counts].map(([action, n]) => `${n} to ${action}`).join(", ");
  const lines = [`### ${cell(title)}`, "", `${summary.changes.length} org(s) change${byAction ? ` (${byAction})` : ""}; ${unchanged}.`];
  if (summary.changes.length > 0) {
    lines.push("", "| org | id | action | changes |", "| --- | --- | --- | --- |");
    const sorted = [...summary.changes].sort((a, b) => ACTION_ORDER[a.action] - ACTION_ORDER[b.action] || a.name.localeCompare(b.name));
    for (const change of sorted) {
      // An update with no field listed only changes which fields the resource manages: nothing is sent to Losant.
      const fields =
        change.fields.length === 0 && change.action === "update" ? "(no value changes)" : change.fields.map((f) => cell(fieldText(f))).join("<br>");
      lines.push(`| ${cell(change.name)} | ${change.id ?? "(new)"} | ${change.action} | ${fields} |`);
    }
  }
  return `${lines.join("\n")}\n`;
}
