/**
 * The bench's repeated runs (bench/plan.ts): from 1,000 orgs adopt and the update run three times on fresh
 * stacks, the contenders' order reversed every other run; the run under a rate limit; the time estimate.
 * And how the report states them: runs per figure, requests per org with their range, the rate-limited
 * update against its floors. (The plan's single-run steps are tested in benchReport.test.ts.)
 */
import { contenderOrder, estimateSeconds, LARGE_RUNS, Options, planRateLimited, planRuns, planSteps, RUN_OVERHEAD_SECONDS } from "../../bench/plan";
import { factsTable, largeFleetFigures, rateLimitedTable, timingTable } from "../../bench/report";
import { Contender, emptyResults, Measure, RateLimitedRun, Results } from "../../bench/results";
import { parseOptions } from "../../bench/run";
import { stateBreakdown } from "../../bench/stateSize";
import { benchOptions, showSteps } from "../support/benchOptions";

const options = benchOptions;
const show = showSteps;
const measure = (seconds: number, over: Partial<Measure> = {}): Measure => ({
  seconds,
  requestsPerOrg: 1,
  measuredAt: "2026-12-03T10:00:00.000Z",
  machine: "m",
  loadAverage: [0.5, 0.5, 0.5],
  runs: 1,
  ...over,
});

describe("plan of runs", () => {
  test.each<[Contender, number, Partial<Options>, string[]]>([
    ["engineFloor", 2000, {}, ["adopt/skipped", "update/skipped"]],
    ["ours", 1000, {}, ["adopt/skipped", "update/skipped"]],
    ["directApi", 2000, {}, ["adopt/normal", "update/normal"]],
    ["ours", 2000, { ops: ["update", "refresh"] }, ["adopt/skipped(setup)", "update/skipped"]],
    ["ours", 2000, { ops: ["refresh", "upRefresh"] }, []],
    ["ours", 2000, { checkpoints: ["normal"] }, []],
    ["ours", 200, { ops: ["adopt", "update"] }, ["adopt/normal", "update/normal"]],
    ["ours", 50, {}, ["adopt/normal", "preview/normal", "update/normal", "refresh/normal", "upRefresh/normal", "destroy/normal"]],
  ])("a later run of %s at %i orgs (%j) runs %j", (contender, size, over, expected) => {
    expect(show(planSteps(size, contender, options(over), 1))).toEqual(expected);
  });

  test("the first run of a large row is the whole plan", () => {
    expect(planSteps(2000, "ours", options(), 0)).toEqual(planSteps(2000, "ours", options()));
  });

  test("the contenders' order is reversed every other run", () => {
    expect(contenderOrder(2000, options(), 0)).toEqual(["engineFloor", "directApi", "ours", "native"]);
    expect(contenderOrder(2000, options(), 1)).toEqual(["native", "ours", "directApi", "engineFloor"]);
    expect(contenderOrder(2000, options(), 2)).toEqual(["engineFloor", "directApi", "ours", "native"]);
    expect(contenderOrder(10, options(), 1)).toEqual(["handwritten", "native", "ours", "directApi", "engineFloor"]);
  });

  // The native plugin (YAML) stands beside ours: the same steps, the same repeats, in every run.
  test.each<[number, Partial<Options>]>([
    [10, {}],
    [200, { ops: ["adopt", "preview", "update", "refresh"], runs: 3 }],
    [2000, {}],
    [2000, { ops: ["adopt", "preview", "update", "refresh"] }],
  ])("native runs the steps ours runs at %i orgs (%j)", (size, over) => {
    for (const run of [0, 1, 2]) expect(show(planSteps(size, "native", options(over), run))).toEqual(show(planSteps(size, "ours", options(over), run)));
  });

  const runsOf = (over: Partial<Options>) =>
    planRuns(options(over)).map(
      (r) => `${r.size}#${r.run + 1}: ${r.contenders.map((c) => `${c.contender} ${c.steps.filter((s) => s.record).length}`).join(", ")}`,
    );

  test(`by default: 2 runs below 200 orgs, 1 at 200, ${LARGE_RUNS} from 1,000 (later ones adopt and update only)`, () => {
    expect(runsOf({ sizes: [50, 200, 2000], contenders: ["engineFloor", "directApi", "ours"] })).toEqual([
      "50#1: engineFloor 6, directApi 6, ours 6",
      "50#2: ours 6, directApi 6, engineFloor 6",
      "200#1: engineFloor 6, directApi 6, ours 6",
      "2000#1: engineFloor 8, directApi 4, ours 8",
      "2000#2: ours 2, directApi 2, engineFloor 2",
      "2000#3: engineFloor 2, directApi 2, ours 2",
    ]);
  });

  test("--runs 3 --ops adopt,update at 200 and 2,000 orgs: medians of 3 for both", () => {
    expect(runsOf({ sizes: [200, 2000], ops: ["adopt", "update"], runs: 3, contenders: ["engineFloor", "ours"] })).toEqual([
      "200#1: engineFloor 2, ours 2",
      "200#2: ours 2, engineFloor 2",
      "200#3: engineFloor 2, ours 2",
      "2000#1: engineFloor 2, ours 2",
      "2000#2: ours 2, engineFloor 2",
      "2000#3: engineFloor 2, ours 2",
    ]);
  });

  test("a run with nothing to record is left out", () => {
    expect(runsOf({ sizes: [2000], ops: ["refresh"], runs: 3, contenders: ["ours"] })).toEqual(["2000#1: ours 4"]);
  });
});

describe("the run under a rate limit", () => {
  test.each<[string, Partial<Options>, { size: number; ops: string[] } | undefined]>([
    ["the largest size from 1,000, both operations", { sizes: [10, 1000, 2000] }, { size: 2000, ops: ["upRefresh/normal", "update/skipped"] }],
    ["the update alone", { sizes: [], rateLimitSize: 2000, rateLimitOps: ["update"] }, { size: 2000, ops: ["update/skipped"] }],
    ["a small fleet: both with --rate-limit-checkpoints", { sizes: [10], rateLimitSize: 10 }, { size: 10, ops: ["upRefresh/normal", "update/normal"] }],
    [
      "a small fleet, --rate-limit-checkpoints skipped",
      { sizes: [10], rateLimitSize: 10, rateLimitCheckpoints: "skipped" },
      { size: 10, ops: ["upRefresh/skipped", "update/skipped"] },
    ],
    [
      "up to --max-checkpointed-update orgs the update keeps a checkpoint per step",
      { sizes: [], rateLimitSize: 1000, maxCheckpointedUpdate: 1000 },
      { size: 1000, ops: ["upRefresh/normal", "update/normal"] },
    ],
    ["no size from 1,000", { sizes: [10, 200] }, undefined],
    ["--rate-limit 0", { sizes: [2000], rateLimit: 0 }, undefined],
    ["no operation", { sizes: [2000], rateLimitOps: [] }, undefined],
  ])("%s", (_name, over, expected) => {
    const plan = planRateLimited(options(over));
    expect(plan && { size: plan.size, ops: plan.steps.map((s) => `${s.op}/${s.checkpoints}`) }).toEqual(expected);
  });
});

test("the estimate adds the recorded figures, an overhead per run, and the rate-limited update at its floor", () => {
  const results: Results = {
    ...emptyResults(40, "3.248.0"),
    rows: [
      { size: 2000, contender: "ours", checkpoints: "skipped", operations: { adopt: measure(50), update: measure(40, { requestsPerOrg: 1.5 }) } },
      { size: 2000, contender: "directApi", checkpoints: "normal", operations: { adopt: measure(9), update: measure(8) } },
    ],
  };
  const runs = planRuns(options({ sizes: [2000], ops: ["adopt", "update"], contenders: ["ours", "directApi"] }));
  expect(estimateSeconds(runs, undefined, results)).toEqual({ seconds: 3 * (50 + 40 + 9 + 8) + 6 * RUN_OVERHEAD_SECONDS, unknown: 0 });
  const limited = planRateLimited(options({ rateLimitSize: 2000, rateLimitOps: ["update", "upRefresh"] }));
  // setup adopt 50 s, the update's floor 1.5 x 2000 / 20 = 150 s, the direct-API update 8 s; no figure for the up --refresh's
  expect(estimateSeconds([], limited, results)).toEqual({ seconds: RUN_OVERHEAD_SECONDS + 50 + 150 + 8, unknown: 2 });
});

test("a contender without figures is estimated at its stand-in's (the native plugin at ours'); its own figures win once recorded", () => {
  const ours = { size: 2000, contender: "ours" as const, checkpoints: "skipped" as const, operations: { adopt: measure(50), update: measure(40) } };
  const runs = planRuns(options({ sizes: [2000], ops: ["adopt", "update"], contenders: ["native"], runs: 1 }));
  expect(estimateSeconds(runs, undefined, { ...emptyResults(40, "3.248.0"), rows: [ours] })).toEqual({ seconds: 50 + 40 + RUN_OVERHEAD_SECONDS, unknown: 0 });
  const native = { ...ours, contender: "native" as const, operations: { adopt: measure(30), update: measure(20) } };
  expect(estimateSeconds(runs, undefined, { ...emptyResults(40, "3.248.0"), rows: [ours, native] })).toEqual({
    seconds: 30 + 20 + RUN_OVERHEAD_SECONDS,
    unknown: 0,
  });
});

describe("--parallel N", () => {
  test.each<[string, string[], NodeJS.ProcessEnv, number | undefined]>([
    ["absent: the CLI's default", [], {}, undefined],
    ["--parallel 64", ["--parallel", "64"], {}, 64],
    ["--parallel=1", ["--parallel=1"], {}, 1],
    ["PULUMI_PARALLEL already set: the CLI would read it, so the rows are marked with it", [], { PULUMI_PARALLEL: "16" }, 16],
    ["the flag wins over PULUMI_PARALLEL", ["--parallel", "64"], { PULUMI_PARALLEL: "16" }, 64],
  ])("%s", (_name, argv, env, expected) => {
    expect(parseOptions(argv, env).parallel).toBe(expected);
  });

  test.each<[string[], NodeJS.ProcessEnv, string]>([
    [["--parallel", "0"], {}, '--parallel must be a whole number from 1, got "0"'],
    [["--parallel", "abc"], {}, '--parallel must be a whole number from 1, got "abc"'],
    [["--parallel", "2.5"], {}, '--parallel must be a whole number from 1, got "2.5"'],
    [["--parallel=-4"], {}, '--parallel must be a whole number from 1, got "-4"'],
    [["--parallel="], {}, '--parallel must be a whole number from 1, got ""'],
    [["--parallel", "0x10"], {}, '--parallel must be a whole number from 1, got "0x10"'],
    [[], { PULUMI_PARALLEL: "0" }, 'PULUMI_PARALLEL must be a whole number from 1, got "0"'],
  ])("rejects %j (environment %j)", (argv, env, message) => {
    expect(() => parseOptions(argv, env)).toThrow(message);
  });

  test("the estimate takes the figures of the plan's parallelism, else the default's", () => {
    const row = (parallel: number | undefined, adopt: number, update?: number) => ({
      size: 2000,
      contender: "ours" as const,
      checkpoints: "skipped" as const,
      ...(parallel === undefined ? {} : { parallel }),
      operations: { adopt: measure(adopt), ...(update === undefined ? {} : { update: measure(update) }) },
    });
    const results: Results = { ...emptyResults(40, "3.248.0"), rows: [row(undefined, 50, 40), row(64, 30)] };
    const runs = planRuns(options({ sizes: [2000], ops: ["adopt", "update"], contenders: ["ours"], runs: 1 }));
    expect(estimateSeconds(runs, undefined, results)).toEqual({ seconds: 50 + 40 + RUN_OVERHEAD_SECONDS, unknown: 0 });
    // adopt at 64's 30 s; 64 has no update: the default's 40 s
    expect(estimateSeconds(runs, undefined, results, 64)).toEqual({ seconds: 30 + 40 + RUN_OVERHEAD_SECONDS, unknown: 0 });
  });
});

describe("report", () => {
  const rows = (ours: Measure, floor: Measure): Results => ({
    ...emptyResults(40, "3.248.0"),
    rows: [
      { size: 2000, contender: "engineFloor", checkpoints: "skipped", operations: { adopt: floor } },
      { size: 2000, contender: "ours", checkpoints: "skipped", operations: { adopt: ours } },
    ],
  });

  test("a line gives how many runs its figures are, and ours' requests per org with their range", () => {
    const table = timingTable(rows(measure(44, { runs: 3, requestsPerOrg: 1.04, requestsPerOrgRange: [1.02, 1.3] }), measure(40, { runs: 3 })));
    expect(table).toContain("| 2000 | skipped | adopt (up) | 40.00 s | - | 44.00 s | - | - | 3 | - / 1.04 (1.02-1.3) / - / - | 1.10 | - | - |");
    const mixed = timingTable(rows(measure(44, { runs: 3 }), measure(40, { runs: 1 })));
    expect(mixed).toContain("| 1 / - / 3 / - / - | - / 1 / - / - |");
  });

  test("the native plugin's line: its time, its requests per org, and its ratio to the engine floor", () => {
    const results = rows(measure(44, { runs: 3 }), measure(40, { runs: 3 }));
    results.rows.push({
      size: 2000,
      contender: "native",
      checkpoints: "skipped",
      operations: { adopt: measure(50, { runs: 3, requestsPerOrg: 1.9 }) },
      state: {
        ...stateBreakdown({ resources: [{ type: "losant:index:InstanceOrg" }] }, "losant:index:InstanceOrg"),
        deploymentBytesPerResource: 3080,
        ...measure(0),
      },
    });
    expect(timingTable(results)).toContain("| 2000 | skipped | adopt (up) | 40.00 s | - | 44.00 s | 50.00 s | - | 3 | - / 1 / 1.9 / - | 1.10 | 1.25 | - |");
    expect(factsTable(results)).toContain("| 2000 | state per org (whole state / orgs) | - | - | 3080 B | - |");
  });

  const limited = (over: Partial<RateLimitedRun>): RateLimitedRun => ({
    measuredAt: "2026-12-03T10:00:00.000Z",
    machine: "m",
    loadAverage: [0.5, 0.5, 0.5],
    runs: 1,
    op: "update",
    size: 2000,
    perSecond: 20,
    latencyMs: 40,
    checkpoints: "skipped",
    seconds: 110,
    served: 2100,
    limited: 7,
    directRequests: 2020,
    changed: 2000,
    ...over,
  });

  test("the rate-limited update against its floor (served ÷ rate) and the direct-API floor's (its requests ÷ rate)", () => {
    const results: Results = { ...emptyResults(40, "3.248.0"), rateLimited: [limited({})] };
    expect(rateLimitedTable(results)).toContain(
      "| 2000 | 20/s | skipped | one-limit update (up) | 110.00 s | 2100 | 7 | 105.00 s | 1.05 | 101.00 s (2020) | 1.09 | 2000 |",
    );
  });

  test("the Large fleets notes give each rate-limited operation its own sentence", () => {
    const results: Results = {
      ...emptyResults(40, "3.248.0"),
      rows: [{ size: 2000, contender: "ours", checkpoints: "skipped", operations: { update: measure(50) } }],
      rateLimited: [limited({ op: "upRefresh", seconds: 51, served: 5, limited: 0, directRequests: 2, changed: 0, checkpoints: "normal" }), limited({})],
    };
    const notes = largeFleetFigures(results);
    expect(notes).toContain("a no-op `up --refresh` of 2000 orgs (checkpoints every step) took 51.0 s and 5 requests (0 answered 429).");
    expect(notes).toContain(
      "a one-limit update of 2000 orgs (checkpoints skipped) took 110.0 s for 2100 requests served (7 answered 429): 1.05x its floor of 105.0 s (requests ÷ rate), 1.09x the direct-API floor's 101.0 s (2020 requests ÷ rate).",
    );
  });
});
