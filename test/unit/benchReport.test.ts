/**
 * The bench's bookkeeping: the "Large fleets" figures (docs/large-fleets.md) and bench/README.md's tables are
 * exactly what bench/results.json holds; the plan runs only what fits at fleet scale; partial runs
 * merge without losing other figures; the state breakdown adds up.
 */
import fs from "fs";
import path from "path";
import { LARGE_REFRESH_TIMES, planSteps, Options } from "../../bench/plan";
import { benchSection, betweenMarkers, largeFleetFigures, readmeLargeFleetLine, stateTable } from "../../bench/report";
import { emptyResults, loadResults, Measure, mergeResults, Results } from "../../bench/results";
import { stateBreakdown, STATE_PARTS } from "../../bench/stateSize";

const ROOT = path.resolve(__dirname, "../..");
const results = loadResults(path.join(ROOT, "bench", "results.json"));

test("bench/results.json is in the bench's format", () => {
  expect(results).toBeDefined();
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

const options = (over: Partial<Options> = {}): Options => ({
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
const show = (steps: ReturnType<typeof planSteps>) => steps.map((s) => `${s.op}/${s.checkpoints}${s.record ? "" : "(setup)"}`);

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
