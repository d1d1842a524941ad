/**
 * Which steps each row of the bench runs, in which runs and order, and about how long that takes. Pure, so
 * the plan can be printed (`--plan`) and tested.
 */
import { Checkpoints, Contender, CONTENDERS, findRow, Operation, OPERATIONS, RateLimitedOp, RATE_LIMITED_OPS, Results, sameParallel } from "./results";

/** From this size on, rows run with and without skipped checkpoints, and only the operations that fit. */
export const LARGE_FROM = 1000;

export interface Options {
  sizes: number[];
  ops?: Operation[] | undefined;
  contenders?: Contender[] | undefined;
  checkpoints?: Checkpoints[] | undefined;
  runs?: number | undefined;
  maxCheckpointedUpdate: number;
  latencyMs: number;
  rateLimit: number;
  rateLimitSize?: number | undefined;
  rateLimitCheckpoints: Checkpoints;
  /** What runs under the rate limit (default: RATE_LIMITED_OPS). */
  rateLimitOps?: RateLimitedOp[] | undefined;
  /** PULUMI_PARALLEL for every Pulumi CLI process the bench starts (`--parallel`); undefined: the CLI's default. */
  parallel?: number | undefined;
  resultsFile: string;
  planOnly: boolean;
  renderOnly: boolean;
}

/**
 * How many times a large row measures its refresh with skipped checkpoints (the rows issues 10 and
 * 12 set targets for) in one run; the median is kept. A refresh takes
 * seconds against a setup of a minute, and on a busy 2-core machine one refresh varies by about 20%
 * between runs (7.0-9.0 s at 2,000 orgs), as much as the gap issue 10 asks to measure.
 */
export const LARGE_REFRESH_TIMES = 3;

/**
 * Runs of a large row by default. Its adopt and update vary between runs by as much as the gap to the
 * engine floor they measure (issue 22: ours / engine floor at 2,000 orgs 1.50x and 1.28x in two runs), so
 * they run this many times, each on a fresh emulator and stack, and the median is kept.
 */
export const LARGE_RUNS = 3;

/** Below this size a run is cheap, and two are taken; from it, one (LARGE_RUNS from LARGE_FROM). */
export const MEDIAN_BELOW = 200;

/**
 * Runs per row by default: two below MEDIAN_BELOW orgs (their median), one from there, where the
 * figures are large against the noise, and LARGE_RUNS from LARGE_FROM for adopt and the update only
 * (see planSteps).
 */
export function defaultRuns(size: number): number {
  return size < MEDIAN_BELOW ? 2 : size < LARGE_FROM ? 1 : LARGE_RUNS;
}

export const runsFor = (size: number, options: Options): number => options.runs ?? defaultRuns(size);

export interface Step {
  op: Operation;
  checkpoints: Checkpoints;
  /** False for the adopt that only sets the fleet up. */
  record: boolean;
}

export function contendersFor(size: number, options: Options): Contender[] {
  return options.contenders ?? (size >= LARGE_FROM ? ["engineFloor", "directApi", "ours", "native"] : [...CONTENDERS]);
}

/**
 * The contenders in the order run `run` (from 0) measures them: reversed every other run, so that
 * none is always measured first (on a fresh machine) or last (after the others warmed caches and
 * heated the CPU).
 */
export function contenderOrder(size: number, options: Options, run: number): Contender[] {
  const order = contendersFor(size, options);
  return run % 2 === 0 ? order : [...order].reverse();
}

/**
 * The steps of one run. Adopt comes first (it builds the state the rest need); from LARGE_FROM orgs it
 * runs with skipped checkpoints, since with a checkpoint per step it grows with the square of the
 * fleet (issue 12: about 14 minutes at 2,000). Later steps run once per checkpoint mode.
 *
 * From LARGE_FROM orgs, runs after the first (run > 0) repeat only adopt and the update with skipped
 * checkpoints: each run is a fresh emulator and stack, so its adopt adopts the seeded fleet again, and
 * the rest (a minute or more a step) would not fit. Such a run with nothing to record is empty.
 */
export function planSteps(size: number, contender: Contender, options: Options, run = 0): Step[] {
  const large = size >= LARGE_FROM;
  const modes: Checkpoints[] = contender === "directApi" ? ["normal"] : (options.checkpoints ?? (large ? ["skipped", "normal"] : ["normal"]));
  const ops = options.ops ?? (large ? ["adopt", "update", "refresh", "upRefresh"] : [...OPERATIONS]);
  const adoptMode: Checkpoints = large && modes.includes("skipped") ? "skipped" : modes[0];
  const steps: Step[] = [{ op: "adopt", checkpoints: adoptMode, record: ops.includes("adopt") }];
  for (const op of ["preview", "update", "refresh", "upRefresh"] as const) {
    if (!ops.includes(op)) continue;
    for (const mode of modes) {
      if (op === "update" && mode === "normal" && size > options.maxCheckpointedUpdate && contender !== "directApi") continue;
      const times = op === "refresh" && large && mode === "skipped" && contender !== "directApi" ? LARGE_REFRESH_TIMES : 1;
      for (let i = 0; i < times; i++) steps.push({ op, checkpoints: mode, record: true });
    }
  }
  if (ops.includes("destroy")) steps.push({ op: "destroy", checkpoints: large && modes.includes("skipped") ? "skipped" : modes[0], record: true });
  if (!large || run === 0) return steps;
  // The direct-API floor has no checkpoints: its adopt and update stand beside the skipped-checkpoint rows.
  const repeated = (s: Step) => (s.op === "adopt" || s.op === "update") && (s.checkpoints === "skipped" || contender === "directApi");
  const kept = steps.filter((s, i) => i === 0 || (s.record && repeated(s)));
  if (!kept[0].record || !repeated(kept[0])) kept[0] = { ...kept[0], record: false };
  return kept.some((s) => s.record) ? kept : [];
}

export interface PlannedRun {
  size: number;
  /** From 0. */
  run: number;
  /** In the order they run; contenders with nothing to record in this run are left out. */
  contenders: Array<{ contender: Contender; steps: Step[] }>;
}

/** Every run of every size, in the order the bench runs them: a size's runs one after another, contenders alternating. */
export function planRuns(options: Options): PlannedRun[] {
  const runs: PlannedRun[] = [];
  for (const size of options.sizes) {
    for (let run = 0; run < runsFor(size, options); run++) {
      const contenders = contenderOrder(size, options, run)
        .map((contender) => ({ contender, steps: planSteps(size, contender, options, run) }))
        .filter((c) => c.steps.length > 0);
      if (contenders.length > 0) runs.push({ size, run, contenders });
    }
  }
  return runs;
}

export interface RateLimitedPlan {
  size: number;
  perSecond: number;
  /** After a setup adopt with skipped checkpoints and no limit, in this order. */
  steps: Array<{ op: RateLimitedOp; checkpoints: Checkpoints }>;
}

/**
 * The run of ours under a rate limit, if any: at --rate-limit-size orgs, or the largest size from
 * LARGE_FROM. The no-op `up --refresh` runs with --rate-limit-checkpoints; the update follows the rows'
 * rule (a checkpoint per step only up to --max-checkpointed-update orgs), since with a checkpoint per
 * step its time would be the engine's, not the requests'.
 */
export function planRateLimited(options: Options): RateLimitedPlan | undefined {
  if (options.rateLimit <= 0) return undefined;
  const size = options.rateLimitSize ?? options.sizes.filter((s) => s >= LARGE_FROM).sort((a, b) => b - a)[0];
  if (!size) return undefined;
  const ops = options.rateLimitOps ?? [...RATE_LIMITED_OPS];
  const steps = RATE_LIMITED_OPS.filter((op) => ops.includes(op)).map((op) => ({
    op,
    checkpoints: op === "update" && size > options.maxCheckpointedUpdate ? ("skipped" as const) : options.rateLimitCheckpoints,
  }));
  return steps.length > 0 ? { size, perSecond: options.rateLimit, steps } : undefined;
}

/**
 * What one run costs besides its steps: an emulator seeded, a stack created, the state exported after
 * adopt. The last full run took 1527 s against 1464 s of recorded steps over 27 runs: about 2.3 s each.
 */
export const RUN_OVERHEAD_SECONDS = 3;

/**
 * Whose recorded figure stands in for a contender's step that has none yet: the native plugin (YAML) manages the
 * same fleet with the same lifecycle as ours, and a 10-org smoke run took about ours' time.
 */
export const ESTIMATE_STAND_INS: Partial<Record<Contender, Contender>> = { native: "ours" };

export interface Estimate {
  seconds: number;
  /** Steps no figure in the results file gives a time for (counted as 0). */
  unknown: number;
}

/**
 * How long a plan should take, from the figures of an earlier run: each step at its recorded median
 * (a setup adopt at the recorded adopt; ESTIMATE_STAND_INS for a contender not measured yet), plus RUN_OVERHEAD_SECONDS a run; the rate-limited update at its
 * floor, the requests ours made per org in its row times the fleet, divided by the rate.
 */
export function estimateSeconds(
  runs: PlannedRun[],
  limited: RateLimitedPlan | undefined,
  results: Results | undefined,
  parallel?: number | undefined,
): Estimate {
  let seconds = 0;
  let unknown = 0;
  // At the plan's parallelism, else the CLI's default: near enough for an estimate. The direct-API floor has neither.
  const at = (size: number, contender: Contender, checkpoints: Checkpoints, p: number | undefined) =>
    results && (contender === "directApi" ? findRow(results, size, contender, "normal") : findRow(results, size, contender, checkpoints, p));
  const own = (size: number, contender: Contender, op: Operation, checkpoints: Checkpoints) =>
    at(size, contender, checkpoints, parallel)?.operations[op] ?? at(size, contender, checkpoints, undefined)?.operations[op];
  const recorded = (size: number, contender: Contender, op: Operation, checkpoints: Checkpoints) => {
    const standIn = ESTIMATE_STAND_INS[contender];
    return own(size, contender, op, checkpoints) ?? (standIn && own(size, standIn, op, checkpoints));
  };
  for (const run of runs) {
    for (const { contender, steps } of run.contenders) {
      seconds += RUN_OVERHEAD_SECONDS;
      for (const step of steps) {
        const m = recorded(run.size, contender, step.op, step.checkpoints);
        if (m && !m.failed) seconds += m.seconds;
        else unknown++;
      }
    }
  }
  if (limited) {
    seconds += RUN_OVERHEAD_SECONDS;
    const adopt = recorded(limited.size, "ours", "adopt", "skipped") ?? recorded(limited.size, "ours", "adopt", "normal");
    if (adopt && !adopt.failed) seconds += adopt.seconds;
    else unknown++;
    for (const step of limited.steps) {
      const earlierAt = (p: number | undefined) =>
        results?.rateLimited.find(
          (r) => r.size === limited.size && r.perSecond === limited.perSecond && r.op === step.op && sameParallel(r.parallel, p) && !r.failed,
        );
      const earlier = earlierAt(parallel) ?? earlierAt(undefined);
      const update = step.op === "update" ? recorded(limited.size, "ours", "update", step.checkpoints) : undefined;
      if (earlier) seconds += earlier.seconds;
      else if (update && !update.failed) seconds += (update.requestsPerOrg * limited.size) / limited.perSecond;
      else unknown++;
      // The direct-API floor's same operation, without the limit, to count its requests.
      const direct = recorded(limited.size, "directApi", step.op, "normal");
      if (direct && !direct.failed) seconds += direct.seconds;
      else unknown++;
    }
  }
  return { seconds: Math.round(seconds), unknown };
}
