/**
 * Tables that hand-written pages carry between marker comments, each generated from the one place
 * its facts live: the config keys from `provider/shared/settings.ts`, the scopes from
 * `losant/scopes.ts`. `scripts/gen-docs.ts` fills them in and `npm run docs:check` fails when a
 * page's copy is stale, so the rest of each page stays hand-written and the tables cannot drift.
 */
import { REQUIRED_SCOPES } from "../../losant/scopes";
import type { InstanceOrgOperation } from "../../losant/scopes";
import { SETTING_BOUNDS, SETTING_DOCS, SETTING_SOURCES } from "../../provider/shared/settings";
import type { SettingName } from "../../provider/shared/settings";

const code = (text: string) => `\`${text}\``;

function row(cells: readonly string[]): string {
  return `| ${cells.map((cell) => cell.replace(/\|/g, "\\|")).join(" | ")} |`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [row(header), row(header.map(() => "---")), ...rows.map(row)].join("\n");
}

function allowed(name: SettingName): string {
  const bounds = (SETTING_BOUNDS as Partial<Record<SettingName, { min: number; max: number; unit: string }>>)[name];
  return bounds !== undefined ? `${bounds.min}-${bounds.max} ${bounds.unit}` : (SETTING_DOCS[name].allowed ?? "");
}

function configKey(name: SettingName): string {
  return name === "apiToken" ? `${code(SETTING_SOURCES[name].config)} (set with \`--secret\`)` : code(SETTING_SOURCES[name].config);
}

/** The config keys: `short` for the README (no meaning column), the full table for the reference. */
export function renderConfigTable(variant: "short" | "full"): string {
  const names = Object.keys(SETTING_SOURCES) as SettingName[];
  const header = ["Pulumi config", "environment variable", "default", "allowed"];
  const cells = (name: SettingName) => [configKey(name), code(SETTING_SOURCES[name].env), SETTING_DOCS[name].default, allowed(name)];
  if (variant === "short") return table(header, names.map(cells));
  return table(
    [...header, "meaning"],
    names.map((name) => [...cells(name), SETTING_DOCS[name].meaning]),
  );
}

/** What each operation is, in the terms of the request it sends. */
const OPERATIONS: ReadonlyArray<[InstanceOrgOperation, string, string]> = [
  ["get", "`GET /instances/{instanceId}/orgs/{orgId}`", "read an org (adopt, refresh, the read before a limits update)"],
  ["patch", "`PATCH /instances/{instanceId}/orgs/{orgId}`", "change an org's settings"],
  ["delete", "`DELETE /instances/{instanceId}/orgs/{orgId}`", "`destroy`, or the old org of a replace"],
  [
    "list",
    "`GET /instances/{instanceId}/orgs`",
    "read orgs in batches, tell a deleted org from an inaccessible instance after a 404, find a created org before and after a POST, `generate`, `getInstanceOrgs`",
  ],
  ["post", "`POST /instances/{instanceId}/orgs`", "create an org (an `InstanceOrg` without `orgId`)"],
];

/** Every scope that allows each operation (any one of them is enough). */
export function renderScopesTable(): string {
  return table(
    ["request", "what it is for", "scopes (any one)"],
    OPERATIONS.map(([operation, request, purpose]) => [request, purpose, REQUIRED_SCOPES[operation].map(code).join(", ")]),
  );
}

const start = (name: string) => `<!-- generated:${name}:start -->`;
const end = (name: string) => `<!-- generated:${name}:end -->`;

/**
 * `text` with the content between `<!-- generated:NAME:start -->` and `<!-- generated:NAME:end -->`
 * replaced, for each table given. A page that lacks a pair of markers is an error: a table that
 * silently stopped being written would drift again.
 */
export function fillGenerated(text: string, tables: Readonly<Record<string, string>>, page: string): string {
  let filled = text;
  for (const [name, content] of Object.entries(tables)) {
    const from = filled.indexOf(start(name));
    const to = filled.indexOf(end(name));
    if (from < 0 || to < from) throw new Error(`${page} lacks the markers ${start(name)} ... ${end(name)}`);
    filled = `${filled.slice(0, from)}${start(name)}\n${content}\n${filled.slice(to)}`;
  }
  return filled;
}
