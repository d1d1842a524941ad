/**
 * What one org costs in a stack's state, part by part. The engine rewrites the whole state after
 * every step of an `up` (unless checkpoints are skipped), so bytes per org multiply with the fleet.
 * Sizes are of compact JSON, as `pulumi stack export` holds it: each part is its `"key":value,`.
 */

import { INSTANCE_ORG_TYPE } from "../provider/program/resourceType";

export { INSTANCE_ORG_TYPE };

/** The parts, in the order the README's table lists them. */
export const STATE_PARTS = [
  "__provider (inputs and outputs)",
  "inputs",
  "outputs: limits (34 effective limits)",
  "outputs: summary",
  "outputs: managedFields",
  "outputs: other",
  "engine: urn, id, type, parent, provider",
  "engine: propertyDependencies",
  "engine: created, modified",
  "engine: sourcePosition, stackTrace",
  "engine: other and JSON punctuation",
] as const;

export type StatePart = (typeof STATE_PARTS)[number];

export interface StateBreakdown {
  /** Resources of the measured type in the deployment. */
  resources: number;
  /** Average bytes per resource, by part; the parts add up to `resourceBytes`. */
  parts: Record<StatePart, number>;
  /** Average bytes of one resource's entry. */
  resourceBytes: number;
  /** Average bytes of what the provider writes: its inputs and outputs. */
  providerBytes: number;
  /** The whole deployment (stack, default provider and all) divided by the resource count. */
  deploymentBytesPerResource: number;
}

type Json = Record<string, unknown>;

function pairBytes(key: string, value: unknown): number {
  return value === undefined ? 0 : Buffer.byteLength(JSON.stringify({ [key]: value })) - 1;
}

function sumPairs(object: Json | undefined, keys?: (key: string) => boolean): number {
  return Object.entries(object ?? {})
    .filter(([key]) => !keys || keys(key))
    .reduce((sum, [key, value]) => sum + pairBytes(key, value), 0);
}

function resourceParts(resource: Json): Record<StatePart, number> {
  const inputs = resource.inputs as Json | undefined;
  const outputs = resource.outputs as Json | undefined;
  const outputPart = (key: string) => pairBytes(key, outputs?.[key]);
  const engine = (keys: string[]) => keys.reduce((sum, key) => sum + pairBytes(key, resource[key]), 0);
  const parts = {
    "__provider (inputs and outputs)": pairBytes("__provider", inputs?.__provider) + pairBytes("__provider", outputs?.__provider),
    inputs: sumPairs(inputs, (key) => key !== "__provider"),
    "outputs: limits (34 effective limits)": outputPart("limits"),
    "outputs: summary": outputPart("summary"),
    "outputs: managedFields": outputPart("managedFields"),
    "outputs: other": sumPairs(outputs, (key) => !["__provider", "limits", "summary", "managedFields"].includes(key)),
    "engine: urn, id, type, parent, provider": engine(["urn", "id", "type", "custom", "parent", "provider"]),
    "engine: propertyDependencies": engine(["propertyDependencies"]),
    "engine: created, modified": engine(["created", "modified"]),
    "engine: sourcePosition, stackTrace": engine(["sourcePosition", "stackTrace"]),
  } as Record<StatePart, number>;
  const counted = Object.values(parts).reduce((a, b) => a + b, 0);
  parts["engine: other and JSON punctuation"] = Buffer.byteLength(JSON.stringify(resource)) - counted;
  return parts;
}

/** Averages over every resource of `type` in an exported deployment (`(await stack.exportStack()).deployment`). */
export function stateBreakdown(deployment: unknown, type: string = INSTANCE_ORG_TYPE): StateBreakdown {
  const all = ((deployment as Json)?.resources ?? []) as Json[];
  const resources = all.filter((r) => r.type === type);
  if (resources.length === 0) throw new Error(`no resource of type ${type} in the deployment`);
  const parts = Object.fromEntries(STATE_PARTS.map((p) => [p, 0])) as Record<StatePart, number>;
  let providerBytes = 0;
  for (const resource of resources) {
    const own = resourceParts(resource);
    for (const part of STATE_PARTS) parts[part] += own[part];
    providerBytes += pairBytes("inputs", resource.inputs) + pairBytes("outputs", resource.outputs);
  }
  const n = resources.length;
  for (const part of STATE_PARTS) parts[part] = Math.round(parts[part] / n);
  return {
    resources: n,
    parts,
    resourceBytes: Object.values(parts).reduce((a, b) => a + b, 0),
    providerBytes: Math.round(providerBytes / n),
    deploymentBytesPerResource: Math.round(Buffer.byteLength(JSON.stringify(deployment)) / n),
  };
}

/** A markdown table of one or more breakdowns side by side (columns named by `labels`). */
export function breakdownTable(labels: string[], breakdowns: StateBreakdown[]): string {
  const row = (name: string, values: Array<number | string>) => `| ${name} | ${values.join(" | ")} |`;
  return [
    row("part of one org's state", labels),
    row(
      "---",
      labels.map(() => "---:"),
    ),
    ...STATE_PARTS.map((part) =>
      row(
        part,
        breakdowns.map((b) => `${b.parts[part]} B`),
      ),
    ),
    row(
      "**one org's entry**",
      breakdowns.map((b) => `**${b.resourceBytes} B**`),
    ),
    row(
      "of which the provider's inputs and outputs",
      breakdowns.map((b) => `${b.providerBytes} B`),
    ),
    row(
      "whole state / orgs",
      breakdowns.map((b) => `${b.deploymentBytesPerResource} B`),
    ),
  ].join("\n");
}
