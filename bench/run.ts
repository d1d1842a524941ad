/**
 * `npm run bench`: ways to manage a fleet of orgs, timed side by side on the same emulator (fixed
 * added latency per request, like a WAN round trip):
 *
 * - ours: the fleet example with InstanceOrg;
 * - native: the same fleet declared in Pulumi YAML, through the native plugin pulumi-resource-losant;
 * - engineFloor: the same program with a provider that makes no HTTP call (what Pulumi costs);
 * - directApi: a plain script making the same necessary calls with the same concurrency, no Pulumi;
 * - handwritten: a docs-style dynamic provider, inline in the program (10, 50 and 200 orgs only).
 *
 * Fleets of 1,000 orgs and more run with and without PULUMI_SKIP_CHECKPOINTS=true, and only the
 * operations that fit (see `planSteps`); their adopt and update run three times, the contenders'
 * order alternating between runs (`planRuns`). Flags pick a subset, so the big rows can be measured
 * alone on a quiet machine; each run is merged into bench/results.json, which keeps the date, machine
 * and load average of every figure. Run with `--help` for the flags.
 */
import fs from "fs";
import os from "os";
import path from "path";
import { execFileSync } from "child_process";
import { parseArgs } from "util";
import type { Stack } from "@pulumi/pulumi/automation";
import { startEmulator, Emulator } from "../emulator/server";
import { REPO_ROOT, findPulumi, makeTempDir, removeTempDirs } from "../scripts/lib/workspace";
import { Fleet, fleetStack, seedFleetFile, writeFleetFile } from "../scripts/lib/fleet";
import { renderChart, Series } from "./chart";
import { runDirect } from "./directApi";
import { benchSection, largeFleetFigures, readmeLargeFleetLine, replaceBetweenMarkers, stateTable } from "./report";
import {
  atDefaultParallelism,
  Checkpoints,
  Contender,
  CONTENDER_LABELS,
  CONTENDERS,
  emptyResults,
  loadResults,
  Measure,
  mergeResults,
  Operation,
  OPERATION_LABELS,
  OPERATIONS,
  Provenance,
  RateLimitedRun,
  RATE_LIMITED_OPS,
  Results,
  Row,
  rowOrder,
} from "./results";
import { stateBreakdown } from "./stateSize";
import { estimateSeconds, LARGE_FROM, LARGE_RUNS, MEDIAN_BELOW, Options, planRateLimited, planRuns, RateLimitedPlan, Step } from "./plan";

const TOKEN = "bench-token";
const DEFAULT_RESULTS = path.join(REPO_ROOT, "bench", "results.json");
/** An undeclared limit someone changes by hand before each update; a merge-safe update keeps it. */
const HAND_SET_LIMIT = { key: "webhook", value: 7 } as const;

const HELP = `npm run bench -- [flags]
  --sizes 10,50,200,1000,2000   fleet sizes (default: all five)
  --ops adopt,update,...        operations to record: ${OPERATIONS.join(", ")}
                                (adopt always runs first, as setup; default: all below ${LARGE_FROM} orgs,
                                adopt,update,refresh,upRefresh from ${LARGE_FROM})
  --contenders ours,engineFloor ${CONTENDERS.join(", ")} (default: all below ${LARGE_FROM} orgs, no hand-written from ${LARGE_FROM})
  --checkpoints normal,skipped  engine checkpoint modes (default: normal below ${LARGE_FROM} orgs, both from ${LARGE_FROM})
  --runs N                      runs per row, median kept, the contenders' order reversed every other run (default: 2 below
                                ${MEDIAN_BELOW} orgs, 1 from ${MEDIAN_BELOW}, ${LARGE_RUNS} from ${LARGE_FROM}, where runs after the first repeat only
                                adopt and the update with checkpoints skipped)
  --max-checkpointed-update N   largest fleet whose update runs with a checkpoint per step (default 200: none of the big rows;
                                1000 adds about 7 minutes, 2000 about 30)
  --latency MS                  emulator latency per request (default 40)
  --parallel N                  PULUMI_PARALLEL=N for every Pulumi CLI process of the run, the rate-limited one included:
                                at most N resource operations at once (default: the CLI's, GOMAXPROCS x 4, or
                                PULUMI_PARALLEL if set); its rows are kept beside the default's, marked --parallel N
  --rate-limit N                also run ours while the emulator allows N requests/s (default 20; 0: none)
  --rate-limit-size N           its fleet size (default: the largest size from ${LARGE_FROM}; none if no such size;
                                with --sizes "" the rate-limited run alone)
  --rate-limit-ops upRefresh,update
                                what runs under the limit, after an adopt without it (default: both): a no-op
                                up --refresh, a one-limit update
  --rate-limit-checkpoints M    the up --refresh's checkpoint mode (default normal; the update's follows
                                --max-checkpointed-update)
  --results FILE                merge into FILE instead of bench/results.json; then only FILE is written
  --plan                        print the steps and exit
  --render                      only rewrite results.md, chart.svg and the README sections from results.json
Examples, on a quiet machine:
  the big rows alone:                 npm run bench -- --sizes 1000,2000 --ops update,refresh,upRefresh --runs 1
  adopt and update, medians of 3:     npm run bench -- --sizes 200,2000 --ops adopt,update --runs 3 --rate-limit 0
  the rate-limited update alone:      npm run bench -- --sizes "" --rate-limit 20 --rate-limit-size 2000 --rate-limit-ops update
  the same rows at --parallel 64:     npm run bench -- --sizes 200,2000 --ops adopt,update --runs 3 --rate-limit 0 --parallel 64`;

function listOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = items.filter((i) => !allowed.includes(i as T));
  if (bad.length > 0) throw new Error(`${flag}: unknown ${bad.join(", ")}; allowed: ${allowed.join(", ")}`);
  return items as T[];
}

/**
 * PULUMI_PARALLEL for the run: --parallel, else PULUMI_PARALLEL already in the environment (the CLI would read it
 * anyway, so its rows are marked with it), else undefined for the CLI's default.
 */
function parallelOf(flag: string | undefined, env: NodeJS.ProcessEnv): number | undefined {
  const value = flag ?? env.PULUMI_PARALLEL;
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]*$/.test(value.trim()))
    throw new Error(`${flag === undefined ? "PULUMI_PARALLEL" : "--parallel"} must be a whole number from 1, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** The environment every Pulumi CLI process of the run gets for its parallelism (none: the CLI's default). */
const parallelEnv = (options: Options): Record<string, string> => (options.parallel === undefined ? {} : { PULUMI_PARALLEL: String(options.parallel) });

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: "string" },
      ops: { type: "string" },
      contenders: { type: "string" },
      checkpoints: { type: "string" },
      runs: { type: "string" },
      "max-checkpointed-update": { type: "string" },
      latency: { type: "string" },
      parallel: { type: "string" },
      "rate-limit": { type: "string" },
      "rate-limit-size": { type: "string" },
      "rate-limit-checkpoints": { type: "string" },
      "rate-limit-ops": { type: "string" },
      results: { type: "string" },
      plan: { type: "boolean" },
      render: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    process.exit(0);
  }
  const number = (value: string | undefined, fallback: number, flag: string) => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} must be a whole number, got ${value}`);
    return n;
  };
  // `--sizes ""` measures no row (with --rate-limit-size: the rate-limited run alone).
  const sizes = (values.sizes ?? env.BENCH_SIZES ?? "10,50,200,1000,2000")
    .split(",")
    .filter((s) => s.trim() !== "")
    .map((s) => number(s, 0, "--sizes"));
  return {
    sizes,
    ops: listOf(values.ops, OPERATIONS, "--ops"),
    contenders: listOf(values.contenders, CONTENDERS, "--contenders"),
    checkpoints: listOf(values.checkpoints, ["normal", "skipped"] as const, "--checkpoints"),
    runs: values.runs === undefined ? (env.BENCH_REPEATS ? Number(env.BENCH_REPEATS) : undefined) : number(values.runs, 1, "--runs"),
    maxCheckpointedUpdate: number(values["max-checkpointed-update"], 200, "--max-checkpointed-update"),
    latencyMs: number(values.latency ?? env.BENCH_LATENCY_MS, 40, "--latency"),
    parallel: parallelOf(values.parallel, env),
    rateLimit: number(values["rate-limit"], 20, "--rate-limit"),
    rateLimitSize: values["rate-limit-size"] === undefined ? undefined : number(values["rate-limit-size"], 0, "--rate-limit-size"),
    rateLimitCheckpoints: listOf(values["rate-limit-checkpoints"], ["normal", "skipped"] as const, "--rate-limit-checkpoints")?.[0] ?? "normal",
    rateLimitOps: listOf(values["rate-limit-ops"], RATE_LIMITED_OPS, "--rate-limit-ops"),
    resultsFile: values.results ? path.resolve(values.results) : DEFAULT_RESULTS,
    planOnly: values.plan ?? false,
    renderOnly: values.render ?? false,
  };
}

const machine = () => `${os.cpus().length} x ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const loadAverage = () => os.loadavg().map((v) => Math.round(v * 100) / 100);
const provenance = (runs: number): Provenance => ({ measuredAt: new Date().toISOString(), machine: machine(), loadAverage: loadAverage(), runs });

function setCheckpoints(stack: Stack, mode: Checkpoints): void {
  if (mode === "skipped") stack.workspace.envVars.PULUMI_SKIP_CHECKPOINTS = "true";
  else delete stack.workspace.envVars.PULUMI_SKIP_CHECKPOINTS;
}

/** Resources the engine reported as anything but unchanged. */
function changedOf(resourceChanges: Record<string, number> | undefined): number {
  return Object.entries(resourceChanges ?? {}).reduce((sum, [kind, n]) => (kind === "same" ? sum : sum + n), 0);
}

/** The fleet's own resource type: the custom type with the most resources. */
function fleetType(deployment: { resources?: Array<{ type: string; custom?: boolean }> }): string {
  const counts = new Map<string, number>();
  for (const r of deployment.resources ?? []) if (r.custom) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
}

interface RunOutcome {
  /** Per operation and checkpoint mode, each time it was measured in the run. */
  measures: Map<string, Measure[]>;
  state?: Row["state"];
  noOpPreviewChanges?: number;
  undeclaredLimitKept?: number;
}

const key = (op: Operation, mode: Checkpoints) => `${op}/${mode}`;

function prepareUpdate(emulator: Emulator, fleet: Fleet, workDir: string | undefined): void {
  fleet.file.defaults.limits.device += 1;
  if (workDir) writeFleetFile(workDir, fleet.file);
  for (const orgId of fleet.orgIds) {
    const org = emulator.store.getOrg(fleet.instanceId, orgId)!;
    emulator.store.patchOrg(fleet.instanceId, orgId, { limits: { ...org.limits, [HAND_SET_LIMIT.key]: HAND_SET_LIMIT.value } });
  }
}

/** One run of one contender: a fresh emulator seeded with the fleet, a fresh stack, the steps in order. */
async function runOnce(contender: Contender, size: number, steps: Step[], options: Options, captureState: boolean): Promise<RunOutcome> {
  const emulator = await startEmulator({ tokens: { [TOKEN]: ["all.Instance"] } });
  const outcome: RunOutcome = { measures: new Map() };
  try {
    const fleet = seedFleetFile(emulator, size);
    emulator.faults.configure({ latencyMs: options.latencyMs, connectionLatencyMs: 2 * options.latencyMs });
    const setup =
      contender === "directApi"
        ? undefined
        : await fleetStack(contender, emulator, fleet, TOKEN, { backendDir: makeTempDir("losant-bench-"), env: parallelEnv(options) });
    for (const step of steps) {
      if (step.op === "update") prepareUpdate(emulator, fleet, setup?.workDir);
      if (setup) setCheckpoints(setup.stack, step.checkpoints);
      emulator.resetRequests();
      const measuredWith = provenance(1);
      const started = process.hrtime.bigint();
      let failed: string | undefined;
      let changed: number | undefined;
      try {
        if (!setup) await runDirect(step.op, fleet, emulator.url, TOKEN);
        else if (step.op === "adopt" || step.op === "update") changed = changedOf((await setup.stack.up()).summary.resourceChanges);
        else if (step.op === "upRefresh") changed = changedOf((await setup.stack.up({ refresh: true })).summary.resourceChanges);
        else if (step.op === "preview") {
          const preview = await setup.stack.preview();
          changed = (preview.changeSummary.update ?? 0) + (preview.changeSummary.replace ?? 0);
          outcome.noOpPreviewChanges = changed;
        } else if (step.op === "refresh") changed = changedOf((await setup.stack.refresh()).summary.resourceChanges);
        else changed = changedOf((await setup.stack.destroy()).summary.resourceChanges);
      } catch (error) {
        failed = String((error as Error).message)
          .split("\n")[0]
          .slice(0, 200);
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const requests = emulator.requests.length;
      if (step.record) {
        const measured = outcome.measures.get(key(step.op, step.checkpoints)) ?? [];
        measured.push({
          seconds: Math.round(seconds * 100) / 100,
          requestsPerOrg: Math.round((requests / size) * 1000) / 1000,
          ...(changed !== undefined ? { changed } : {}),
          ...(failed ? { failed } : {}),
          ...measuredWith,
        });
        outcome.measures.set(key(step.op, step.checkpoints), measured);
      }
      if (step.op === "update") {
        const kept = fleet.orgIds.filter((orgId) => emulator.store.getOrg(fleet.instanceId, orgId)!.limits[HAND_SET_LIMIT.key] === HAND_SET_LIMIT.value);
        outcome.undeclaredLimitKept = kept.length / size;
      }
      // Once a row is enough: the state's size does not vary between runs, and exporting 2,000 orgs takes seconds.
      if (step.op === "adopt" && setup && !failed && captureState) {
        const { deployment } = await setup.stack.exportStack();
        outcome.state = { ...stateBreakdown(deployment, fleetType(deployment)), ...measuredWith };
      }
      process.stdout.write(
        `  ${String(size).padStart(4)} orgs  ${CONTENDER_LABELS[contender].padEnd(22)} ${OPERATION_LABELS[step.op].padEnd(22)} ${step.checkpoints.padEnd(8)} ${seconds.toFixed(2).padStart(8)} s  ${(requests / size).toFixed(3)} req/org${changed !== undefined ? `  ${changed} changed` : ""}  load ${loadAverage()[0]}${step.record ? "" : "  (setup)"}${failed ? `  FAILED: ${failed}` : ""}\n`,
      );
    }
  } finally {
    await emulator.close();
    removeTempDirs();
  }
  return outcome;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Rows of one contender and size from its runs so far: per step, the measure with the median time,
 * carrying the median requests per org (and their range when the runs differ) and how many
 * measurements the median is of.
 */
function rowsOf(contender: Contender, size: number, parallel: number | undefined, runs: Array<{ steps: Step[]; outcome: RunOutcome }>): Row[] {
  const outcomes = runs.map((r) => r.outcome);
  const steps = runs[0].steps; // the first run's plan holds every step the later ones repeat
  const rows = new Map<Checkpoints, Row>();
  // The direct-API floor runs no CLI: its row has no parallelism, and stands beside every one (results.ts).
  const marked = contender === "directApi" || parallel === undefined ? {} : { parallel };
  const rowFor = (mode: Checkpoints) => {
    if (!rows.has(mode)) rows.set(mode, { size, contender, checkpoints: mode, ...marked, operations: {} });
    return rows.get(mode)!;
  };
  for (const step of steps.filter((s) => s.record)) {
    // Every time it was measured, in every run (a step may repeat within a run: plan.ts).
    const all = outcomes.flatMap((o) => o.measures.get(key(step.op, step.checkpoints)) ?? []);
    const mid = median(all.map((m) => m.seconds));
    const chosen = all.find((m) => m.seconds === mid);
    if (!chosen) continue;
    const requests = all.filter((m) => !m.failed).map((m) => m.requestsPerOrg);
    const range: [number, number] | undefined =
      requests.length > 1 && Math.min(...requests) !== Math.max(...requests) ? [Math.min(...requests), Math.max(...requests)] : undefined;
    rowFor(step.checkpoints).operations[step.op] = {
      ...chosen,
      ...(requests.length > 0 ? { requestsPerOrg: median(requests) } : {}),
      ...(range ? { requestsPerOrgRange: range } : {}),
      runs: all.length,
    };
  }
  const adoptRow = rowFor(steps[0].checkpoints);
  const states = outcomes.map((o) => o.state).filter((s) => s !== undefined);
  if (states.length > 0) adoptRow.state = states[Math.floor(states.length / 2)];
  const previews = outcomes.map((o) => o.noOpPreviewChanges).filter((n) => n !== undefined);
  if (previews.length > 0) rowFor(steps.find((s) => s.op === "preview")!.checkpoints).noOpPreviewChanges = median(previews);
  const kept = outcomes.map((o) => o.undeclaredLimitKept).filter((n) => n !== undefined);
  if (kept.length > 0) rowFor(steps.find((s) => s.op === "update")!.checkpoints).undeclaredLimitKept = median(kept);
  return [...rows.values()];
}

/**
 * Ours while the emulator answers 429 above `perSecond` requests per second: after an adopt without the
 * limit, each planned operation under it. Then, without the limit, the direct-API floor's requests for
 * the same operation on the same fleet: the limits ours changed are put back first, so it makes the
 * same update.
 */
async function measureRateLimited(plan: RateLimitedPlan, options: Options): Promise<RateLimitedRun[]> {
  const emulator = await startEmulator({ tokens: { [TOKEN]: ["all.Instance"] } });
  const runs: RateLimitedRun[] = [];
  try {
    const fleet = seedFleetFile(emulator, plan.size);
    emulator.faults.configure({ latencyMs: options.latencyMs, connectionLatencyMs: 2 * options.latencyMs });
    const { stack, workDir } = await fleetStack("ours", emulator, fleet, TOKEN, { backendDir: makeTempDir("losant-bench-rate-"), env: parallelEnv(options) });
    setCheckpoints(stack, "skipped");
    await stack.up();
    for (const step of plan.steps) {
      if (step.op === "update") prepareUpdate(emulator, fleet, workDir);
      const limitsBefore = new Map(fleet.orgIds.map((orgId) => [orgId, { ...emulator.store.getOrg(fleet.instanceId, orgId)!.limits }]));
      setCheckpoints(stack, step.checkpoints);
      emulator.faults.configure({ rateLimitPerSecond: plan.perSecond });
      emulator.resetRequests();
      const measuredWith = provenance(1);
      const started = process.hrtime.bigint();
      let failed: string | undefined;
      let changed = 0;
      try {
        changed = changedOf((await stack.up(step.op === "upRefresh" ? { refresh: true } : {})).summary.resourceChanges);
      } catch (error) {
        failed = String((error as Error).message)
          .split("\n")[0]
          .slice(0, 200);
      }
      const seconds = Math.round((Number(process.hrtime.bigint() - started) / 1e9) * 100) / 100;
      const limited = emulator.requests.filter((r) => r.status === 429).length;
      const served = emulator.requests.length - limited;

      emulator.faults.configure({ rateLimit: null });
      for (const [orgId, limits] of limitsBefore) emulator.store.patchOrg(fleet.instanceId, orgId, { limits });
      emulator.resetRequests();
      await runDirect(step.op, fleet, emulator.url, TOKEN);
      const directRequests = emulator.requests.length;

      const run: RateLimitedRun = {
        op: step.op,
        size: plan.size,
        perSecond: plan.perSecond,
        latencyMs: options.latencyMs,
        checkpoints: step.checkpoints,
        ...(options.parallel === undefined ? {} : { parallel: options.parallel }),
        seconds,
        served,
        limited,
        directRequests,
        changed,
        ...(failed ? { failed } : {}),
        ...measuredWith,
      };
      runs.push(run);
      process.stdout.write(
        `  ${plan.size} orgs at ${plan.perSecond} req/s, ${OPERATION_LABELS[step.op]} (${step.checkpoints} checkpoints): ${seconds} s, ${served} served (floor ${(served / plan.perSecond).toFixed(1)} s), ${limited} answered 429, ${changed} changed; the direct-API floor: ${directRequests} requests (${(directRequests / plan.perSecond).toFixed(1)} s)${failed ? `  FAILED: ${failed}` : ""}\n`,
      );
    }
    return runs;
  } finally {
    await emulator.close();
    removeTempDirs();
  }
}

function chart(results: Results): string {
  const colors: Record<Contender, string> = { ours: "#1f77b4", native: "#9467bd", engineFloor: "#7f7f7f", directApi: "#2ca02c", handwritten: "#d62728" };
  const panels = OPERATIONS.map((op) => {
    const series: Series[] = [];
    for (const contender of CONTENDERS) {
      for (const mode of ["normal", "skipped"] as const) {
        // One line per contender and mode: the CLI's default parallelism only (the tables show the others).
        const points = atDefaultParallelism(results)
          .rows.filter((r) => r.contender === contender && r.checkpoints === mode)
          .map((r) => [r.size, r.operations[op]] as const)
          .filter((p): p is readonly [number, Measure] => p[1] !== undefined && !p[1].failed)
          .map(([size, m]) => [size, m.seconds] as [number, number]);
        if (points.length > 0)
          series.push({
            name: `${CONTENDER_LABELS[contender]}${mode === "skipped" ? ", checkpoints skipped" : ""}`,
            color: colors[contender],
            dashed: mode === "skipped",
            points,
          });
      }
    }
    return { title: OPERATION_LABELS[op], series };
  });
  return renderChart(panels, `${results.latencyMs} ms emulator latency; dashed: PULUMI_SKIP_CHECKPOINTS=true`);
}

function writeOutputs(results: Results, options: Options, writeJson = true): void {
  if (writeJson) fs.writeFileSync(options.resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  if (options.resultsFile !== DEFAULT_RESULTS) return;
  const benchDir = path.join(REPO_ROOT, "bench");
  const section = benchSection(results);
  fs.writeFileSync(path.join(benchDir, "results.md"), `${section}\n`);
  fs.writeFileSync(path.join(benchDir, "chart.svg"), chart(results));
  const benchReadme = path.join(benchDir, "README.md");
  if (fs.existsSync(benchReadme)) {
    let text = fs.readFileSync(benchReadme, "utf8");
    text = replaceBetweenMarkers(text, "bench", section);
    text = replaceBetweenMarkers(text, "state", stateTable(results));
    fs.writeFileSync(benchReadme, text);
  }
  const readme = path.join(REPO_ROOT, "README.md");
  fs.writeFileSync(readme, replaceBetweenMarkers(fs.readFileSync(readme, "utf8"), "large-fleets", readmeLargeFleetLine(results)));
  const largeFleets = path.join(REPO_ROOT, "docs", "large-fleets.md");
  fs.writeFileSync(largeFleets, replaceBetweenMarkers(fs.readFileSync(largeFleets, "utf8"), "large-fleets", largeFleetFigures(results)));
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.renderOnly) {
    const results = loadResults(options.resultsFile);
    if (!results) throw new Error(`${options.resultsFile} holds no results in this bench's format`);
    writeOutputs(results, options, false);
    return;
  }
  const runs = planRuns(options);
  const limitedPlan = planRateLimited(options);
  for (const run of runs) {
    for (const { contender, steps } of run.contenders) {
      process.stdout.write(
        `${run.size} orgs, run ${run.run + 1}, ${CONTENDER_LABELS[contender]}: ${steps.map((s) => `${s.op}${s.checkpoints === "skipped" ? "[skip]" : ""}${s.record ? "" : "(setup)"}`).join(", ")}\n`,
      );
    }
  }
  if (limitedPlan)
    process.stdout.write(
      `${limitedPlan.size} orgs, ours, ${limitedPlan.perSecond} req/s, after an adopt without the limit: ${limitedPlan.steps.map((s) => `${OPERATION_LABELS[s.op]} (${s.checkpoints} checkpoints)`).join(", ")}\n`,
    );
  if (options.parallel !== undefined) process.stdout.write(`every Pulumi CLI process with PULUMI_PARALLEL=${options.parallel}\n`);
  const estimate = estimateSeconds(runs, limitedPlan, loadResults(options.resultsFile) ?? loadResults(DEFAULT_RESULTS), options.parallel);
  process.stdout.write(
    `estimated ${estimate.seconds} s (${(estimate.seconds / 60).toFixed(0)} min) from the recorded figures${estimate.unknown > 0 ? `, ${estimate.unknown} steps without one not counted` : ""}\n`,
  );
  if (options.planOnly) return;

  const pulumi = findPulumi();
  if (!pulumi) throw new Error("no pulumi CLI: run `bash scripts/install-pulumi.sh` first");
  const pulumiVersion = execFileSync(pulumi, ["version"], { encoding: "utf8" }).trim().replace(/^v/, "");
  const started = Date.now();
  const loadAverageStart = loadAverage();
  const fresh = emptyResults(options.latencyMs, pulumiVersion);
  const old = loadResults(options.resultsFile);
  const combined = () => (old && old.latencyMs === options.latencyMs ? mergeResults(old, fresh) : fresh);
  // Saved after each run, so that a long bench cut short keeps what it measured.
  const save = () => fs.writeFileSync(options.resultsFile, `${JSON.stringify(combined(), null, 2)}\n`);
  const done = new Map<string, Array<{ steps: Step[]; outcome: RunOutcome }>>();
  for (const run of runs) {
    for (const { contender, steps } of run.contenders) {
      const id = `${run.size}/${contender}`;
      done.set(id, [...(done.get(id) ?? []), { steps, outcome: await runOnce(contender, run.size, steps, options, run.run === 0) }]);
      fresh.rows = [
        ...fresh.rows.filter((r) => r.size !== run.size || r.contender !== contender),
        ...rowsOf(contender, run.size, options.parallel, done.get(id)!),
      ].sort(rowOrder);
      save();
    }
  }
  if (limitedPlan) fresh.rateLimited.push(...(await measureRateLimited(limitedPlan, options)));
  fresh.history.push({
    date: new Date().toISOString(),
    args: process.argv.slice(2).join(" "),
    seconds: Math.round((Date.now() - started) / 1000),
    loadAverageStart,
    loadAverageEnd: loadAverage(),
  });

  const results = combined();
  writeOutputs(results, options);
  process.stdout.write(
    `\n${benchSection(results)}\n\nbench took ${fresh.history[0].seconds} s; wrote ${options.resultsFile}${options.resultsFile === DEFAULT_RESULTS ? ", bench/results.md, bench/chart.svg, bench/README.md and README.md's sections" : ""}\n`,
  );
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  });
}
