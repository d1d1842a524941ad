/**
 * `npm run bench`: four ways to manage a fleet of orgs, timed side by side on the same emulator
 * (fixed added latency per request, like a WAN round trip), for fleets of 10, 50 and 200 orgs:
 *
 * - ours: the fleet example with InstanceOrg;
 * - engineFloor: the same program with a provider that makes no HTTP call (what Pulumi costs);
 * - directApi: a plain script making the same necessary calls with the same concurrency, no Pulumi;
 * - handwritten: a docs-style dynamic provider, inline in the program.
 *
 * Writes bench/results.json, bench/results.md and bench/chart.svg, and the table in bench/README.md.
 */
import fs from "fs";
import os from "os";
import path from "path";
import { startEmulator } from "../emulator/server";
import { REPO_ROOT, findPulumi, makeTempDir, removeTempDirs } from "../scripts/lib/workspace";
import { renderChart } from "./chart";
import { Operation, runDirect } from "./directApi";
import { Fleet, fleetStack, PulumiContender, seedFleetFile, writeFleetFile } from "../scripts/lib/fleet";

type Contender = PulumiContender | "directApi";
const CONTENDERS: Contender[] = ["engineFloor", "directApi", "ours", "handwritten"];
const OPERATIONS: Operation[] = ["adopt", "preview", "update", "refresh", "destroy"];
const LABELS: Record<Contender, string> = { ours: "InstanceOrg (ours)", engineFloor: "engine floor", directApi: "direct-API floor", handwritten: "hand-written provider" };
const COLORS: Record<Contender, string> = { ours: "#1f77b4", engineFloor: "#7f7f7f", directApi: "#2ca02c", handwritten: "#d62728" };
const TOKEN = "bench-token";

interface Measure {
  seconds: number;
  requestsPerResource: number;
  failed?: string;
}

interface Row {
  size: number;
  contender: Contender;
  operations: Record<Operation, Measure>;
  stateBytesPerResource: number;
  /** Resources the no-op preview says would change (a perpetual diff when above 0). */
  noOpPreviewChanges: number;
  /** Share of orgs whose undeclared limit, changed out of band, survived the limit update. */
  undeclaredLimitKept: number;
}

/** An undeclared limit someone changes by hand before the update; a merge-safe update keeps it. */
const HAND_SET_LIMIT = { key: "webhook", value: 7 } as const;

async function measureContender(contender: Contender, size: number, latencyMs: number): Promise<Row> {
  const emulator = await startEmulator({ tokens: { [TOKEN]: ["all.Instance"] } });
  const operations = {} as Record<Operation, Measure>;
  let stateBytesPerResource = 0;
  let noOpPreviewChanges = 0;
  let undeclaredLimitKept = 0;
  try {
    const fleet: Fleet = seedFleetFile(emulator, size);
    emulator.faults.configure({ latencyMs, connectionLatencyMs: 2 * latencyMs });
    const setup =
      contender === "directApi"
        ? undefined
        : await fleetStack(contender, emulator, fleet, TOKEN, { backendDir: makeTempDir("losant-bench-") });
    for (const operation of OPERATIONS) {
      if (operation === "update") {
        fleet.file.defaults.limits.device += 1;
        if (setup) writeFleetFile(setup.workDir, fleet.file);
        for (const orgId of fleet.orgIds) {
          const org = emulator.store.getOrg(fleet.instanceId, orgId)!;
          emulator.store.patchOrg(fleet.instanceId, orgId, { limits: { ...org.limits, [HAND_SET_LIMIT.key]: HAND_SET_LIMIT.value } });
        }
      }
      emulator.resetRequests();
      const started = process.hrtime.bigint();
      let failed: string | undefined;
      try {
        if (!setup) await runDirect(operation, fleet, emulator.url, TOKEN);
        else if (operation === "adopt" || operation === "update") await setup.stack.up();
        else if (operation === "preview") {
          const preview = await setup.stack.preview();
          noOpPreviewChanges = (preview.changeSummary.update ?? 0) + (preview.changeSummary.replace ?? 0);
        }
        else if (operation === "refresh") await setup.stack.refresh();
        else await setup.stack.destroy();
      } catch (error) {
        failed = String((error as Error).message).split("\n")[0].slice(0, 200);
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      operations[operation] = { seconds: Math.round(seconds * 100) / 100, requestsPerResource: Math.round((emulator.requests.length / size) * 100) / 100, ...(failed ? { failed } : {}) };
      if (operation === "update") {
        const kept = fleet.orgIds.filter((orgId) => emulator.store.getOrg(fleet.instanceId, orgId)!.limits[HAND_SET_LIMIT.key] === HAND_SET_LIMIT.value);
        undeclaredLimitKept = kept.length / size;
      }
      if (operation === "adopt" && setup) {
        const exported = await setup.stack.exportStack();
        stateBytesPerResource = Math.round(Buffer.byteLength(JSON.stringify(exported.deployment)) / size);
      }
      process.stdout.write(`  ${String(size).padStart(3)} orgs  ${LABELS[contender].padEnd(22)} ${operation.padEnd(8)} ${seconds.toFixed(2).padStart(7)}s  ${(emulator.requests.length / size).toFixed(2)} req/org${failed ? `  FAILED: ${failed}` : ""}\n`);
    }
  } finally {
    await emulator.close();
    removeTempDirs();
  }
  return { size, contender, operations, stateBytesPerResource, noOpPreviewChanges, undeclaredLimitKept };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Per operation, the run with the median time (repeats even out the machine's noise). */
function medianRow(runs: Row[]): Row {
  const operations = {} as Record<Operation, Measure>;
  for (const op of OPERATIONS) {
    const seconds = median(runs.map((r) => r.operations[op].seconds));
    operations[op] = runs.find((r) => r.operations[op].seconds === seconds)!.operations[op];
  }
  return { ...runs[0], operations, stateBytesPerResource: median(runs.map((r) => r.stateBytesPerResource)) };
}

function table(rows: Row[], sizes: number[]): string {
  const find = (size: number, c: Contender) => rows.find((r) => r.size === size && r.contender === c)!;
  const lines = [
    `| orgs | operation | ${CONTENDERS.map((c) => LABELS[c]).join(" | ")} | ours / (engine + direct) |`,
    `| ---: | --- | ${CONTENDERS.map(() => "---:").join(" | ")} | ---: |`,
  ];
  for (const size of sizes) {
    for (const op of OPERATIONS) {
      const cells = CONTENDERS.map((c) => {
        const m = find(size, c).operations[op];
        return m.failed ? "failed" : `${m.seconds.toFixed(2)} s, ${m.requestsPerResource} req`;
      });
      const floor = find(size, "engineFloor").operations[op].seconds + find(size, "directApi").operations[op].seconds;
      lines.push(`| ${size} | ${op} | ${cells.join(" | ")} | ${(find(size, "ours").operations[op].seconds / floor).toFixed(2)} |`);
    }
    const bytes = CONTENDERS.map((c) => (c === "directApi" ? "-" : `${find(size, c).stateBytesPerResource} B`));
    lines.push(`| ${size} | state per org | ${bytes.join(" | ")} | |`);
    const diffs = CONTENDERS.map((c) => (c === "directApi" ? "-" : `${find(size, c).noOpPreviewChanges}`));
    lines.push(`| ${size} | orgs a no-op preview would change | ${diffs.join(" | ")} | |`);
    const kept = CONTENDERS.map((c) => (c === "engineFloor" ? "-" : `${Math.round(find(size, c).undeclaredLimitKept * 100)}%`));
    lines.push(`| ${size} | hand-set undeclared limit kept by update | ${kept.join(" | ")} | |`);
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  if (!findPulumi()) throw new Error("no pulumi CLI: run `bash scripts/install-pulumi.sh` first");
  const sizes = (process.env.BENCH_SIZES ?? "10,50,200").split(",").map(Number);
  const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 40);
  const started = Date.now();
  const repeats = Number(process.env.BENCH_REPEATS ?? 3);
  const rows: Row[] = [];
  for (const size of sizes) {
    for (const contender of CONTENDERS) {
      const runs: Row[] = [];
      for (let i = 0; i < repeats; i++) runs.push(await measureContender(contender, size, latencyMs));
      rows.push(medianRow(runs));
    }
  }

  const largest = Math.max(...sizes);
  const at = (c: Contender) => rows.find((r) => r.size === largest && r.contender === c)!;
  const goals = OPERATIONS.map((op) => {
    const floor = at("engineFloor").operations[op].seconds + at("directApi").operations[op].seconds;
    const ratio = at("ours").operations[op].seconds / floor;
    return { operation: op, ratio: Math.round(ratio * 100) / 100, met: ratio <= 1.2 };
  });
  const versusHandwritten = OPERATIONS.map((op) => ({
    operation: op,
    timeRatio: Math.round((at("ours").operations[op].seconds / at("handwritten").operations[op].seconds) * 100) / 100,
    requests: [at("ours").operations[op].requestsPerResource, at("handwritten").operations[op].requestsPerResource],
  }));
  const machine = `${os.cpus().length} x ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const date = new Date().toISOString().slice(0, 10);
  const results = { date, machine, latencyMs, repeats, sizes, rows, goals, versusHandwritten, benchSeconds: Math.round((Date.now() - started) / 1000) };

  const benchDir = path.join(REPO_ROOT, "bench");
  fs.writeFileSync(path.join(benchDir, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  const md = [
    `Measured ${date} on ${machine}; median of ${repeats} runs; emulator latency ${latencyMs} ms per request plus ${2 * latencyMs} ms on each new connection (TCP and TLS handshakes); Pulumi CLI 3.248.0, file backend, default parallelism. Each cell: wall time, HTTP requests per org.`,
    "",
    table(rows, sizes),
    "",
    `Goal at ${largest} orgs, ours within 1.2x of engine floor + direct-API floor: ${goals.map((g) => `${g.operation} ${g.ratio} (${g.met ? "met" : "not met"})`).join(", ")}.`,
    `Ours against the hand-written provider at ${largest} orgs (time ratio; requests per org, ours vs theirs): ${versusHandwritten.map((v) => `${v.operation} ${v.timeRatio}x (${v.requests[0]} vs ${v.requests[1]})`).join(", ")}; state ${at("ours").stateBytesPerResource} B vs ${at("handwritten").stateBytesPerResource} B per org.`,
  ].join("\n");
  fs.writeFileSync(path.join(benchDir, "results.md"), `${md}\n\n![time against fleet size](chart.svg)\n`);
  const panels = OPERATIONS.map((op) => ({
    title: op,
    series: CONTENDERS.map((c) => ({ name: LABELS[c], color: COLORS[c], points: sizes.map((s) => [s, rows.find((r) => r.size === s && r.contender === c)!.operations[op].seconds] as [number, number]) })),
  }));
  fs.writeFileSync(path.join(benchDir, "chart.svg"), renderChart(panels, `${latencyMs} ms emulator latency, ${date}, ${machine}`));

  const readmePath = path.join(benchDir, "README.md");
  const readme = fs.readFileSync(readmePath, "utf8");
  const marker = /<!-- bench:start -->[\s\S]*<!-- bench:end -->/;
  const section = `${md}\n\n![time against fleet size](chart.svg)`;
  if (marker.test(readme)) fs.writeFileSync(readmePath, readme.replace(marker, `<!-- bench:start -->\n${section}\n<!-- bench:end -->`));
  process.stdout.write(`\n${md}\n\nbench took ${results.benchSeconds}s; wrote bench/results.json, bench/results.md, bench/chart.svg\n`);
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
