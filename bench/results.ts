/**
 * The shape of bench/results.json, and how a partial run (some sizes, some operations) is merged
 * into what earlier runs measured: each figure keeps the date, machine and load average it was
 * measured with, so a table can mix runs without hiding where each number came from.
 */
import fs from "fs";
import type { StateBreakdown } from "./stateSize";

export type Operation = "adopt" | "preview" | "update" | "refresh" | "upRefresh" | "destroy";
export const OPERATIONS: readonly Operation[] = ["adopt", "preview", "update", "refresh", "upRefresh", "destroy"];
export const OPERATION_LABELS: Record<Operation, string> = {
  adopt: "adopt (up)",
  preview: "no-op preview",
  update: "one-limit update (up)",
  refresh: "refresh",
  upRefresh: "no-op up --refresh",
  destroy: "destroy",
};

/** `native`: the same fleet as `ours`, declared in Pulumi YAML, through the native plugin pulumi-resource-losant. */
export type Contender = "engineFloor" | "directApi" | "ours" | "native" | "handwritten";
export const CONTENDERS: readonly Contender[] = ["engineFloor", "directApi", "ours", "native", "handwritten"];
export const CONTENDER_LABELS: Record<Contender, string> = {
  engineFloor: "engine floor",
  directApi: "direct-API floor",
  ours: "InstanceOrg (ours)",
  native: "native plugin (YAML)",
  handwritten: "hand-written provider",
};

/** `skipped`: the engine ran with PULUMI_SKIP_CHECKPOINTS=true (one state write at the end). */
export type Checkpoints = "normal" | "skipped";

/** Where and when a figure was measured. */
export interface Provenance {
  measuredAt: string;
  machine: string;
  /** `os.loadavg()` (1, 5, 15 minutes) when the measurement started. */
  loadAverage: number[];
  runs: number;
}

export interface Measure extends Provenance {
  /** Wall time, median of `runs`. */
  seconds: number;
  /**
   * HTTP requests the emulator received during the operation, of every kind (GETs, list requests, PATCHes,
   * POSTs, DELETEs, 429 answers included), divided by the fleet's orgs; the median of the runs.
   */
  requestsPerOrg: number;
  /** The fewest and most requests per org among the runs, where they differ. */
  requestsPerOrgRange?: [number, number];
  /** Resources the engine reported as changed (an update or replace); a no-op operation must have 0. */
  changed?: number;
  failed?: string;
}

export interface Row {
  size: number;
  contender: Contender;
  checkpoints: Checkpoints;
  /**
   * PULUMI_PARALLEL the CLI ran with (`--parallel N`); absent: the CLI's default (GOMAXPROCS x 4). The
   * direct-API floor runs no CLI and never has one: like its checkpoints, it stands beside rows of any.
   */
  parallel?: number;
  operations: { [K in Operation]?: Measure | undefined };
  /** The state after adopt, by part (Pulumi contenders only). */
  state?: StateBreakdown & Provenance;
  /** Resources a no-op preview would change (a perpetual diff when above 0). */
  noOpPreviewChanges?: number;
  /** Share of orgs whose undeclared limit, changed by hand, survived the limit update. */
  undeclaredLimitKept?: number;
}

/** What the bench runs of ours under a rate limit, in this order. */
export type RateLimitedOp = "upRefresh" | "update";
export const RATE_LIMITED_OPS: readonly RateLimitedOp[] = ["upRefresh", "update"];

/** An operation of ours while the emulator allows `perSecond` requests per second. */
export interface RateLimitedRun extends Provenance {
  /** A no-op `up --refresh`, or the one-limit update (results from before the update row have no op: upRefresh). */
  op: RateLimitedOp;
  size: number;
  perSecond: number;
  latencyMs: number;
  checkpoints: Checkpoints;
  /** As Row's: PULUMI_PARALLEL, absent for the CLI's default. */
  parallel?: number;
  seconds: number;
  /** Requests answered other than 429. */
  served: number;
  /** Requests answered 429. */
  limited: number;
  /** Requests the direct-API floor made for the same operation on the same fleet (without the limit). */
  directRequests?: number;
  changed: number;
  failed?: string;
}

export interface Results {
  latencyMs: number;
  pulumiVersion: string;
  rows: Row[];
  rateLimited: RateLimitedRun[];
  /** The state of one org before the state-size work (issue 12), for the before/after table. */
  stateBefore?: (StateBreakdown & { source: string }) | undefined;
  /** One entry per `npm run bench` invocation that wrote this file. */
  history: Array<{ date: string; args: string; seconds: number; loadAverageStart: number[]; loadAverageEnd: number[] }>;
}

export function emptyResults(latencyMs: number, pulumiVersion: string): Results {
  return { latencyMs, pulumiVersion, rows: [], rateLimited: [], history: [] };
}

/** Reads results.json; a file in the old (pre-issue-12) shape is not merged into. */
export function loadResults(file: string): Results | undefined {
  if (!fs.existsSync(file)) return undefined;
  const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<Results>;
  if (!Array.isArray(parsed.history) || !Array.isArray(parsed.rateLimited)) return undefined;
  const rateLimited = parsed.rateLimited.map((r) => ({ ...r, op: r.op ?? "upRefresh" }));
  return { ...parsed, rateLimited } as Results;
}

/** The order rows are kept and shown in: by size, contender, checkpoint mode, parallelism (the CLI's default first). */
export const rowOrder = (a: Row, b: Row): number =>
  a.size - b.size ||
  CONTENDERS.indexOf(a.contender) - CONTENDERS.indexOf(b.contender) ||
  a.checkpoints.localeCompare(b.checkpoints) ||
  (a.parallel ?? 0) - (b.parallel ?? 0);

/** Whether two figures ran at the same parallelism: a field read back from JSON is absent, never undefined-valued, but `??` covers both. */
export const sameParallel = (a: number | undefined, b: number | undefined): boolean => (a ?? undefined) === (b ?? undefined);

const sameRow = (a: Row, b: Row) => a.size === b.size && a.contender === b.contender && a.checkpoints === b.checkpoints && sameParallel(a.parallel, b.parallel);

const sameRateLimited = (a: RateLimitedRun, b: RateLimitedRun) =>
  a.op === b.op && a.size === b.size && a.perSecond === b.perSecond && a.checkpoints === b.checkpoints && sameParallel(a.parallel, b.parallel);

/** New figures win, operation by operation; figures this run did not measure are kept. */
export function mergeResults(old: Results, fresh: Results): Results {
  const rows = old.rows.map((row) => ({ ...row, operations: { ...row.operations } }));
  for (const row of fresh.rows) {
    const existing = rows.find((r) => sameRow(r, row));
    if (!existing) {
      rows.push(row);
      continue;
    }
    Object.assign(existing.operations, row.operations);
    if (row.state) existing.state = row.state;
    if (row.noOpPreviewChanges !== undefined) existing.noOpPreviewChanges = row.noOpPreviewChanges;
    if (row.undeclaredLimitKept !== undefined) existing.undeclaredLimitKept = row.undeclaredLimitKept;
  }
  rows.sort(rowOrder);
  const rateLimited = [...old.rateLimited.filter((r) => !fresh.rateLimited.some((f) => sameRateLimited(f, r))), ...fresh.rateLimited];
  return {
    latencyMs: fresh.latencyMs,
    pulumiVersion: fresh.pulumiVersion,
    rows,
    rateLimited,
    stateBefore: fresh.stateBefore ?? old.stateBefore,
    history: [...old.history, ...fresh.history],
  };
}

/** The row of that identity; `parallel` undefined finds the CLI's default. */
export function findRow(results: Results, size: number, contender: Contender, checkpoints: Checkpoints = "normal", parallel?: number): Row | undefined {
  return results.rows.find((r) => r.size === size && r.contender === contender && r.checkpoints === checkpoints && sameParallel(r.parallel, parallel));
}

export function sizesOf(results: Results): number[] {
  return [...new Set(results.rows.map((r) => r.size))].sort((a, b) => a - b);
}

/** Only the rows and rate-limited runs at the CLI's default parallelism: what a user gets, for the chart and the Large fleets figures. */
export function atDefaultParallelism(results: Results): Results {
  return { ...results, rows: results.rows.filter((r) => r.parallel === undefined), rateLimited: results.rateLimited.filter((r) => r.parallel === undefined) };
}

/** The parallelisms rows of this size were measured at, the CLI's default (undefined) first. */
export function parallelsOf(results: Results, size: number): Array<number | undefined> {
  const rows = results.rows.filter((r) => r.size === size);
  // Not one sort: Array.prototype.sort puts undefined last whatever the comparator says.
  const set = [...new Set(rows.map((r) => r.parallel).filter((p) => p !== undefined))].sort((a, b) => a - b);
  return rows.some((r) => r.parallel === undefined) ? [undefined, ...set] : set;
}
