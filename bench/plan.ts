/**
 * Which steps each row of the bench runs. Pure, so the plan can be printed (`--plan`) and tested.
 */
import { Checkpoints, Contender, CONTENDERS, Operation, OPERATIONS } from "./results";

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

export interface Step {
  op: Operation;
  checkpoints: Checkpoints;
  /** False for the adopt that only sets the fleet up. */
  record: boolean;
}

export function contendersFor(size: number, options: Options): Contender[] {
  return options.contenders ?? (size >= LARGE_FROM ? ["engineFloor", "directApi", "ours"] : [...CONTENDERS]);
}

/**
 * The steps of one run. Adopt comes first (it builds the state the rest need); from LARGE_FROM orgs it
 * runs with skipped checkpoints, since with a checkpoint per step it grows with the square of the
 * fleet (issue 12: about 14 minutes at 2,000). Later steps run once per checkpoint mode.
 */
export function planSteps(size: number, contender: Contender, options: Options): Step[] {
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
  return steps;
}
