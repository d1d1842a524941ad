/** Bench options for the plan's tests: the defaults of a run with no flags, overridden per case. */
import type { Options, planSteps } from "../../bench/plan";

export const benchOptions = (over: Partial<Options> = {}): Options => ({
  sizes: [],
  maxCheckpointedUpdate: 200,
  latencyMs: 40,
  rateLimit: 20,
  rateLimitCheckpoints: "normal",
  resultsFile: "x.json",
  planOnly: false,
  renderOnly: false,
  ...over,
});

/** Each step as `op/checkpoints`, `(setup)` for an adopt that is not recorded. */
export const showSteps = (steps: ReturnType<typeof planSteps>): string[] => steps.map((s) => `${s.op}/${s.checkpoints}${s.record ? "" : "(setup)"}`);
