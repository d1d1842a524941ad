/**
 * The bench's bookkeeping: the "Large fleets" figures (docs/large-fleets.md) and bench/README.md's tables are
 * exactly what bench/results.json holds; the plan runs only what fits at fleet scale; partial runs
 * merge without losing other figures; the state breakdown adds up.
 */
import fs from "fs";
import os from "os";
import path from "path";
import { LARGE_REFRESH_TIMES, planSteps } from "../../bench/plan";
import {
  benchSection,
  betweenMarkers,
  largeFleetFigures,
  provenanceTable,
  rateLimitedTable,
  readmeLargeFleetLine,
  stateTable,
  timingTable,
} from "../../bench/report";
import {
  CONTENDERS,
  emptyResults,
  findRow,
  loadResults,
  Measure,
  mergeResults,
  Operation,
  OPERATIONS,
  RateLimitedRun,
  Results,
  Row,
} from "../../bench/results";
import { stateBreakdown, STATE_PARTS } from "../../bench/stateSize";
import { benchOptions, showSteps } from "../support/benchOptions";

const ROOT = path.resolve(__dirname, "../..");
const results = loadResults(path.join(ROOT, "bench", "results.json"));

describe("bench/results.json", () => {
  const rows = results?.rows ?? [];
  const measures = rows.flatMap((row) => Object.entries(row.operations).map(([op, m]) => ({ row, op, m: m! })));

  test("is in the bench's format, with figures", () => {
    expect(results && { history: Array.isArray(results.history), rateLimited: Array.isArray(results.rateLimited) }).toEqual({
      history: true,
      rateLimited: true,
    });
    expect(results!.latencyMs).toBeGreaterThan(0);
    expect(results!.history.length).toBeGreaterThan(0);
    expect(measures.length).toBeGreaterThan(0);
  });

  test("every row names a known contender, checkpoint mode and fleet size", () => {
    const bad = rows.filter(
      (r) => !CONTENDERS.includes(r.contender) || !["normal", "skipped"].includes(r.checkpoints) || !Number.isInteger(r.size) || r.size < 1,
    );
    expect(bad).toEqual([]);
  });

  // Absent: the CLI's default. The direct-API floor runs no CLI, so it never has one.
  test("every row's parallelism is absent or a whole number from 1, and absent for the direct-API floor", () => {
    const bad = rows.filter((r) => r.parallel !== undefined && (!Number.isInteger(r.parallel) || r.parallel < 1 || r.contender === "directApi"));
    expect(bad).toEqual([]);
  });

  // A direct-API preview sends nothing and takes 0 s; every other figure is a time, a request count, or a failure.
  test("every figure is a time and a request count, or a failure, with where and when it was measured", () => {
    const bad = measures.filter(
      ({ op, m }) =>
        !OPERATIONS.includes(op as Operation) ||
        !(m.failed !== undefined || (m.seconds >= 0 && m.requestsPerOrg >= 0)) ||
        Number.isNaN(Date.parse(m.measuredAt)) ||
        m.machine === "" ||
        m.loadAverage.length !== 3 ||
        !(m.runs >= 1),
    );
    expect(bad.map(({ row, op }) => `${row.size} ${row.contender} ${row.checkpoints} ${op}`)).toEqual([]);
  });

  test("the largest fleet has ours and the engine floor with checkpoints skipped, for the rows the docs quote", () => {
    const largest = Math.max(...rows.map((r) => r.size));
    for (const contender of ["ours", "engineFloor"] as const) {
      const row = rows.find((r) => r.size === largest && r.contender === contender && r.checkpoints === "skipped");
      expect([contender, Object.keys(row?.operations ?? {}).sort()]).toEqual([contender, expect.arrayContaining(["refresh", "update", "upRefresh"])]);
    }
  });
});

test("loadResults reads nothing from a missing file or one in the old (pre-issue-12) shape", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-results-"));
  try {
    expect(loadResults(path.join(dir, "absent.json"))).toBeUndefined();
    fs.writeFileSync(path.join(dir, "old.json"), JSON.stringify({ latencyMs: 40, rows: [] }));
    expect(loadResults(path.join(dir, "old.json"))).toBeUndefined();
    fs.writeFileSync(path.join(dir, "new.json"), JSON.stringify(emptyResults(40, "3.248.0")));
    expect(loadResults(path.join(dir, "new.json"))).toEqual(emptyResults(40, "3.248.0"));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the Large fleets figures (docs/large-fleets.md) are bench/results.json's", () => {
  const page = fs.readFileSync(path.join(ROOT, "docs", "large-fleets.md"), "utf8");
  expect(betweenMarkers(page, "large-fleets")).toBe(largeFleetFigures(results!));
});

test("the README's Large fleets figures are bench/results.json's", () => {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  expect(betweenMarkers(readme, "large-fleets")).toBe(readmeLargeFleetLine(results!));
});

test("bench/README.md's tables are bench/results.json's", () => {
  const benchReadme = fs.readFileSync(path.join(ROOT, "bench", "README.md"), "utf8");
  expect(betweenMarkers(benchReadme, "bench")).toBe(benchSection(results!));
  expect(betweenMarkers(benchReadme, "state")).toBe(stateTable(results!));
});

const options = benchOptions;
const show = showSteps;

describe("plan", () => {
  test("below 1,000 orgs: every operation, checkpoint per step", () => {
    expect(show(planSteps(200, "ours", options()))).toEqual([
      "adopt/normal",
      "preview/normal",
      "update/normal",
      "refresh/normal",
      "upRefresh/normal",
      "destroy/normal",
    ]);
  });

  test(`1,000 orgs: adopt with skipped checkpoints, the rest in both modes but the update (too long with a checkpoint per step), the skipped-checkpoint refresh ${LARGE_REFRESH_TIMES} times`, () => {
    expect(show(planSteps(1000, "engineFloor", options()))).toEqual([
      "adopt/skipped",
      "update/skipped",
      "refresh/skipped",
      "refresh/skipped",
      "refresh/skipped",
      "refresh/normal",
      "upRefresh/skipped",
      "upRefresh/normal",
    ]);
    expect(show(planSteps(1000, "engineFloor", options({ maxCheckpointedUpdate: 1000 })))).toEqual([
      "adopt/skipped",
      "update/skipped",
      "update/normal",
      "refresh/skipped",
      "refresh/skipped",
      "refresh/skipped",
      "refresh/normal",
      "upRefresh/skipped",
      "upRefresh/normal",
    ]);
  });

  test("2,000 orgs: no update with a checkpoint per step (about 14 minutes), unless asked", () => {
    expect(show(planSteps(2000, "ours", options()))).not.toContain("update/normal");
    expect(show(planSteps(2000, "ours", options({ maxCheckpointedUpdate: 2000 })))).toContain("update/normal");
  });

  test("a subset: the adopt it needs runs as setup only; the direct-API floor has no checkpoints", () => {
    expect(show(planSteps(2000, "ours", options({ ops: ["refresh"], checkpoints: ["skipped"] })))).toEqual([
      "adopt/skipped(setup)",
      "refresh/skipped",
      "refresh/skipped",
      "refresh/skipped",
    ]);
    expect(show(planSteps(200, "ours", options({ ops: ["refresh"] })))).toEqual(["adopt/normal(setup)", "refresh/normal"]);
    expect(show(planSteps(2000, "directApi", options({ ops: ["update"] })))).toEqual(["adopt/normal(setup)", "update/normal"]);
  });
});

describe("results", () => {
  const measure = (seconds: number, measuredAt: string): Measure => ({
    seconds,
    requestsPerOrg: 1,
    measuredAt,
    machine: "m",
    loadAverage: [0.5, 0.5, 0.5],
    runs: 1,
  });

  test("a partial run replaces what it measured and keeps the rest", () => {
    const old: Results = {
      ...emptyResults(40, "3.248.0"),
      rows: [{ size: 2000, contender: "ours", checkpoints: "skipped", operations: { update: measure(20, "a"), refresh: measure(10, "a") } }],
    };
    const fresh: Results = {
      ...emptyResults(40, "3.248.0"),
      rows: [
        { size: 2000, contender: "ours", checkpoints: "skipped", operations: { refresh: measure(9, "b") } },
        { size: 1000, contender: "ours", checkpoints: "normal", operations: { refresh: measure(5, "b") } },
      ],
    };
    const merged = mergeResults(old, fresh);
    expect(merged.rows.map((r) => [r.size, r.checkpoints, r.operations.update?.seconds, r.operations.refresh?.seconds])).toEqual([
      [1000, "normal", undefined, 5],
      [2000, "skipped", 20, 9],
    ]);
    expect(old.rows[0].operations.refresh!.seconds).toBe(10);
  });

  test("the Large fleets figures give ours against the engine floor with checkpoints skipped, and requests per org", () => {
    const r: Results = {
      ...emptyResults(40, "3.248.0"),
      rows: [
        { size: 2000, contender: "engineFloor", checkpoints: "skipped", operations: { update: { ...measure(20, "2026-11-29T10:00"), requestsPerOrg: 0 } } },
        { size: 2000, contender: "ours", checkpoints: "skipped", operations: { update: { ...measure(23, "2026-11-29T10:05"), requestsPerOrg: 1.01 } } },
      ],
    };
    expect(largeFleetFigures(r)).toContain("| 2000 | one-limit update (up) | - | 20.00 s | - | 23.00 s | 1.15 | 1.01 |");
  });
});

test("the state breakdown's parts add up to each org's entry", () => {
  const resource = {
    urn: "urn:pulumi:dev::p::pulumi-nodejs:dynamic/losant:InstanceOrg::a",
    custom: true,
    id: "x",
    type: "pulumi-nodejs:dynamic/losant:InstanceOrg",
    inputs: { __provider: "p", name: "A" },
    outputs: { __provider: "p", name: "A", limits: { device: 1 }, summary: { deviceCount: 0 }, managedFields: ["name"] },
    parent: "urn:parent",
    propertyDependencies: { name: [] },
    stackTrace: [{}],
    somethingNew: 1,
  };
  const breakdown = stateBreakdown({ resources: [resource, { type: "pulumi:pulumi:Stack", urn: "s" }] });
  expect(breakdown.resources).toBe(1);
  expect(breakdown.resourceBytes).toBe(Buffer.byteLength(JSON.stringify(resource)));
  expect(STATE_PARTS.reduce((sum, part) => sum + breakdown.parts[part], 0)).toBe(breakdown.resourceBytes);
  expect(breakdown.parts["outputs: summary"]).toBe('"summary":{"deviceCount":0},'.length);
});

describe("parallelism (--parallel N): part of a row's identity", () => {
  const measure = (seconds: number, measuredAt = "2026-12-03T10:00:00.000Z"): Measure => ({
    seconds,
    requestsPerOrg: 1,
    measuredAt,
    machine: "m",
    loadAverage: [0.5, 0.5, 0.5],
    runs: 1,
  });
  const row = (contender: Row["contender"], parallel: number | undefined, seconds: number, measuredAt?: string): Row => ({
    size: 2000,
    contender,
    checkpoints: "skipped",
    ...(parallel === undefined ? {} : { parallel }),
    operations: { update: measure(seconds, measuredAt) },
  });
  const withRows = (...rows: Row[]): Results => ({ ...emptyResults(40, "3.248.0"), rows });
  const show = (r: Results) => r.rows.map((x) => `${x.contender}@${x.parallel ?? "default"}=${x.operations.update?.seconds}`);

  test.each<[string, Row[], Row[], string[]]>([
    [
      "a --parallel 64 row beside a default one keeps both, the default first",
      [row("ours", undefined, 40)],
      [row("ours", 64, 30)],
      ["ours@default=40", "ours@64=30"],
    ],
    ["a default row beside a --parallel 64 one keeps both", [row("ours", 64, 30)], [row("ours", undefined, 41)], ["ours@default=41", "ours@64=30"]],
    [
      "a --parallel 64 row replaces the --parallel 64 figure only",
      [row("ours", undefined, 40), row("ours", 64, 30)],
      [row("ours", 64, 28)],
      ["ours@default=40", "ours@64=28"],
    ],
    ["--parallel 16 and 64 are rows of their own", [row("ours", 64, 30)], [row("ours", 16, 35)], ["ours@16=35", "ours@64=30"]],
    [
      "rows sort by contender, then parallelism (the default first)",
      [row("ours", 64, 30)],
      [row("engineFloor", 64, 25), row("engineFloor", undefined, 50)],
      ["engineFloor@default=50", "engineFloor@64=25", "ours@64=30"],
    ],
  ])("merging: %s", (_name, old, fresh, expected) => {
    expect(show(mergeResults(withRows(...old), withRows(...fresh)))).toEqual(expected);
  });

  test("findRow without a parallelism finds the CLI's default's row, with one that parallelism's", () => {
    const results = withRows(row("ours", undefined, 40), row("ours", 64, 30));
    expect([undefined, 64, 8].map((p) => findRow(results, 2000, "ours", "skipped", p)?.operations.update?.seconds)).toEqual([40, 30, undefined]);
  });

  test("a rate-limited run at --parallel 64 is kept beside the default's; the same again replaces it", () => {
    const run = (parallel: number | undefined, seconds: number): RateLimitedRun => ({
      ...measure(0),
      op: "update",
      size: 2000,
      perSecond: 20,
      latencyMs: 40,
      checkpoints: "skipped",
      ...(parallel === undefined ? {} : { parallel }),
      seconds,
      served: 2100,
      limited: 0,
      changed: 2000,
    });
    const old = { ...emptyResults(40, "3.248.0"), rateLimited: [run(undefined, 210)] };
    const once = mergeResults(old, { ...emptyResults(40, "3.248.0"), rateLimited: [run(64, 120)] });
    expect(once.rateLimited.map((r) => [r.parallel, r.seconds])).toEqual([
      [undefined, 210],
      [64, 120],
    ]);
    const twice = mergeResults(once, { ...emptyResults(40, "3.248.0"), rateLimited: [run(64, 115)] });
    expect(twice.rateLimited.map((r) => [r.parallel, r.seconds])).toEqual([
      [undefined, 210],
      [64, 115],
    ]);
    expect(rateLimitedTable(twice)).toContain("| 2000 | 20/s | skipped, --parallel 64 | one-limit update (up) | 115.00 s |");
    expect(rateLimitedTable(twice)).toContain("| 2000 | 20/s | skipped | one-limit update (up) | 210.00 s |");
  });

  // Each line: size, the checkpoint cell, the operation, engine floor, direct-API floor, ours, and the ratios ours / engine floor and ours / (engine + direct).
  test.each<[string, Row[], string[]]>([
    [
      "each parallelism's line pairs ours with the engine floor of its own parallelism",
      [
        row("engineFloor", undefined, 50),
        row("ours", undefined, 40),
        row("engineFloor", 64, 20),
        row("ours", 64, 30),
        { ...row("directApi", undefined, 10), checkpoints: "normal" },
      ],
      [
        "| 2000 | skipped | one-limit update (up) | 50.00 s | 10.00 s | 40.00 s | 0.80 | 0.67 |",
        "| 2000 | skipped, --parallel 64 | one-limit update (up) | 20.00 s | 10.00 s | 30.00 s | 1.50 | 1.00 |",
      ],
    ],
    [
      "ours at 64 without an engine floor at 64: no ratio (never against the default's floor)",
      [row("engineFloor", undefined, 50), row("ours", undefined, 40), row("ours", 64, 30)],
      [
        "| 2000 | skipped | one-limit update (up) | 50.00 s | - | 40.00 s | 0.80 | - |",
        "| 2000 | skipped, --parallel 64 | one-limit update (up) | - | - | 30.00 s | - | - |",
      ],
    ],
    [
      "only --parallel 64 measured: its line alone",
      [row("engineFloor", 64, 20), row("ours", 64, 30)],
      ["| 2000 | skipped, --parallel 64 | one-limit update (up) | 20.00 s | - | 30.00 s | 1.50 | - |"],
    ],
  ])("timing table: %s", (_name, rows, expected) => {
    const lines = timingTable(withRows(...rows))
      .split("\n")
      .slice(2)
      .map((line) => {
        const cells = line.split(" | ");
        // orgs, checkpoints, operation, engine floor, direct-API floor, ours; ours / engine floor; ours / (engine + direct) with the closing bar
        return [...cells.slice(0, 6), cells[10], cells[12]].join(" | ");
      });
    expect(lines).toEqual(expected);
  });

  test("the provenance table marks a --parallel row after its checkpoint mode", () => {
    const table = provenanceTable(withRows(row("ours", undefined, 40, "2026-12-03T10:00"), row("ours", 64, 30, "2026-12-03T11:00")));
    expect(table).toContain("| 2000 | InstanceOrg (ours) | skipped | 2026-12-03 10:00 |");
    expect(table).toContain("| 2000 | InstanceOrg (ours) | skipped, --parallel 64 | 2026-12-03 11:00 |");
  });

  test("the Large fleets figures and the README's line stay at the CLI's default when --parallel rows are added", () => {
    const defaults = [row("engineFloor", undefined, 50), row("ours", undefined, 40)];
    const more = [...defaults, row("engineFloor", 64, 20), row("ours", 64, 30)];
    expect(largeFleetFigures(withRows(...more))).toBe(largeFleetFigures(withRows(...defaults)));
    expect(readmeLargeFleetLine(withRows(...more))).toBe(readmeLargeFleetLine(withRows(...defaults)));
  });

  test("results without any parallelism render as before: no --parallel mark, the header says what the default is", () => {
    // The committed results with their --parallel rows left out, as results from before the flag.
    const section = benchSection({ ...results!, rows: results!.rows.filter((r) => r.parallel === undefined) });
    expect(section).not.toContain(", --parallel");
    expect(section).toContain("rows run at the CLI's default parallelism (GOMAXPROCS × 4, 8 on a 2-core machine) unless marked `--parallel N`");
  });
});
