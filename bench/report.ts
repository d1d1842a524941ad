/**
 * Renders bench/results.json as markdown: the tables of bench/README.md, and the figures of the
 * README's "Large fleets" section. Pure functions, so a test can check that the README's figures
 * are exactly what results.json holds.
 */
import { breakdownTable, STATE_PARTS } from "./stateSize";
import {
  atDefaultParallelism,
  Checkpoints,
  Contender,
  CONTENDER_LABELS,
  CONTENDERS,
  findRow,
  Measure,
  Operation,
  OPERATION_LABELS,
  OPERATIONS,
  parallelsOf,
  RateLimitedRun,
  Results,
  Row,
  sizesOf,
} from "./results";

const CHECKPOINT_LABELS: Record<Checkpoints, string> = { normal: "every step", skipped: "skipped" };
/** A figure's checkpoint mode as shown, and `--parallel N` when it ran at N (nothing at the CLI's default). */
const checkpointsCell = (checkpoints: Checkpoints, parallel: number | undefined) =>
  `${CHECKPOINT_LABELS[checkpoints]}${parallel === undefined ? "" : `, --parallel ${parallel}`}`;

const seconds = (m: Measure | undefined) => (m === undefined ? "-" : m.failed ? "failed" : `${m.seconds.toFixed(2)} s`);
/** Two significant digits below 0.1, so a refresh of 2,000 orgs in 4 requests shows as 0.002, not 0. */
const requestFigure = (n: number) => (n > 0 && n < 0.1 ? `${Number(n.toPrecision(2))}` : `${round(n)}`);
/** The median of the runs, and their range where it shows at this precision. */
const perOrg = (m: Measure | undefined) => {
  if (m === undefined || m.failed) return "-";
  const range = m.requestsPerOrgRange?.map(requestFigure);
  return `${requestFigure(m.requestsPerOrg)}${range && range[0] !== range[1] ? ` (${range[0]}-${range[1]})` : ""}`;
};
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(" / ");

function ratio(a: Measure | undefined, b: number | undefined): string {
  if (a === undefined || a.failed || b === undefined || b <= 0) return "-";
  return (a.seconds / b).toFixed(2);
}

/** How many measurements each figure of a line is the median of: one number when they agree, else per contender in column order. */
function runsCell(measures: Array<Measure | undefined>): string {
  const counts = measures.map((m) => m?.runs);
  const measured = [...new Set(counts.filter((n) => n !== undefined))];
  return measured.length === 1 ? String(measured[0]) : counts.map((n) => n ?? "-").join(" / ");
}

/**
 * One line per (orgs, checkpoints, operation, parallelism) that any contender measured, a parallelism's line
 * after the default's for the same operation. Every figure and ratio of a line is at its parallelism.
 */
export function timingTable(results: Results): string {
  const lines = [
    `| orgs | checkpoints | operation | ${CONTENDERS.map((c) => CONTENDER_LABELS[c]).join(" | ")} | runs | requests per org: direct / ours / native / hand-written | ours / engine floor | native / engine floor | ours / (engine + direct) |`,
    `| ---: | --- | --- | ${CONTENDERS.map(() => "---:").join(" | ")} | ---: | ---: | ---: | ---: | ---: |`,
  ];
  for (const size of sizesOf(results)) {
    for (const checkpoints of ["normal", "skipped"] as const) {
      for (const op of OPERATIONS) {
        for (const parallel of parallelsOf(results, size)) {
          // The direct-API floor makes no checkpoints and runs no CLI: it stands beside every kind of row.
          const m = (c: Contender) =>
            (c === "directApi" ? findRow(results, size, c, "normal") : findRow(results, size, c, checkpoints, parallel))?.operations[op];
          const pulumiMeasured = CONTENDERS.filter((c) => c !== "directApi").some((c) => m(c) !== undefined);
          if (!pulumiMeasured) continue;
          const engine = m("engineFloor");
          const direct = m("directApi");
          const floor = engine && direct && !engine.failed && !direct.failed ? engine.seconds + direct.seconds : undefined;
          const requests = [perOrg(direct), perOrg(m("ours")), perOrg(m("native")), perOrg(m("handwritten"))].join(" / ");
          const engineSeconds = engine && !engine.failed ? engine.seconds : undefined;
          lines.push(
            `| ${size} | ${checkpointsCell(checkpoints, parallel)} | ${OPERATION_LABELS[op]} | ${CONTENDERS.map((c) => seconds(m(c))).join(" | ")} | ${runsCell(CONTENDERS.map(m))} | ${requests} | ${ratio(m("ours"), engineSeconds)} | ${ratio(m("native"), engineSeconds)} | ${ratio(m("ours"), floor)} |`,
          );
        }
      }
    }
  }
  return lines.join("\n");
}

/** State per org and the other per-row facts, for the Pulumi contenders. */
export function factsTable(results: Results): string {
  const pulumi: Contender[] = ["engineFloor", "ours", "native", "handwritten"];
  const lines = [`| orgs | fact | ${pulumi.map((c) => CONTENDER_LABELS[c]).join(" | ")} |`, `| ---: | --- | ${pulumi.map(() => "---:").join(" | ")} |`];
  for (const size of sizesOf(results)) {
    // A fact sits in the row of the mode its step ran in (adopt runs with skipped checkpoints from 1,000 orgs); none
    // depends on the parallelism, so the CLI's default's row gives it, another's where that has none.
    const fact = (c: Contender, f: (r: Row) => string | undefined) => {
      const rows = parallelsOf(results, size)
        .flatMap((p) => [findRow(results, size, c, "normal", p), findRow(results, size, c, "skipped", p)])
        .filter((r) => r !== undefined);
      return rows.map(f).find((v) => v !== undefined) ?? "-";
    };
    const cells = (f: (r: Row) => string | undefined) => pulumi.map((c) => fact(c, f)).join(" | ");
    lines.push(`| ${size} | state per org (whole state / orgs) | ${cells((r) => r.state && `${r.state.deploymentBytesPerResource} B`)} |`);
    lines.push(`| ${size} | of which the provider's inputs and outputs | ${cells((r) => r.state && `${r.state.providerBytes} B`)} |`);
    lines.push(`| ${size} | orgs a no-op preview would change | ${cells((r) => r.noOpPreviewChanges?.toString())} |`);
    lines.push(
      `| ${size} | hand-set undeclared limit kept by update | ${cells((r) => (r.contender === "engineFloor" || r.undeclaredLimitKept === undefined ? undefined : `${Math.round(r.undeclaredLimitKept * 100)}%`))} |`,
    );
  }
  return lines.join("\n");
}

/** The least time a run's requests can take at its rate: the requests served, divided by the rate (429 answers cost nothing). */
const floorOf = (r: RateLimitedRun) => r.served / r.perSecond;
/** The same for the requests the direct-API floor made for the same operation. */
const directFloorOf = (r: RateLimitedRun) => (r.directRequests === undefined ? undefined : r.directRequests / r.perSecond);

export function rateLimitedTable(results: Results): string {
  if (results.rateLimited.length === 0) return "No run under a rate limit recorded yet (`npm run bench -- --rate-limit 20`).";
  const lines = [
    "| orgs | limit | checkpoints | operation (ours) | time | requests served | answered 429 | its floor: served ÷ rate | time / its floor | direct-API floor: its requests ÷ rate | time / direct-API floor | orgs changed | measured (load average 1/5/15 min) |",
    "| ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
  ];
  for (const r of results.rateLimited) {
    const floor = floorOf(r);
    const directFloor = directFloorOf(r);
    const time = r.failed ? "failed" : `${r.seconds.toFixed(2)} s`;
    const against = (f: number | undefined) => (r.failed || f === undefined || f <= 0 ? "-" : (r.seconds / f).toFixed(2));
    lines.push(
      `| ${r.size} | ${r.perSecond}/s | ${checkpointsCell(r.checkpoints, r.parallel)} | ${OPERATION_LABELS[r.op]} | ${time} | ${r.served} | ${r.limited} | ${floor.toFixed(2)} s | ${against(floor)} | ${directFloor === undefined ? "-" : `${directFloor.toFixed(2)} s (${r.directRequests})`} | ${against(directFloor)} | ${r.changed} | ${r.measuredAt.slice(0, 16)}, ${load(r.loadAverage)} |`,
    );
  }
  return lines.join("\n");
}

/** When and under what load each row was measured: the tables mix runs. */
export function provenanceTable(results: Results): string {
  const lines = [
    "| orgs | contender | checkpoints | measured | runs | load average at start (1/5/15 min) | machine |",
    "| ---: | --- | --- | --- | ---: | --- | --- |",
  ];
  for (const row of results.rows) {
    const measures = Object.values(row.operations).filter((m): m is Measure => m !== undefined);
    if (measures.length === 0) continue;
    const first = measures.reduce((a, b) => (a.measuredAt < b.measuredAt ? a : b));
    const runs = [...new Set(measures.map((m) => m.runs))].sort((a, b) => a - b);
    const last = measures.reduce((a, b) => (a.measuredAt > b.measuredAt ? a : b));
    const when =
      first.measuredAt.slice(0, 16) === last.measuredAt.slice(0, 16)
        ? first.measuredAt.slice(0, 16)
        : `${first.measuredAt.slice(0, 16)} to ${last.measuredAt.slice(11, 16)}`;
    lines.push(
      `| ${row.size} | ${CONTENDER_LABELS[row.contender]} | ${checkpointsCell(row.checkpoints, row.parallel)} | ${when.replace("T", " ")} | ${runs.length === 1 ? runs[0] : `${runs[0]}-${runs.at(-1)}`} | ${load(first.loadAverage)} | ${first.machine} |`,
    );
  }
  return lines.join("\n");
}

/** The state of one org, by part: before issue 12's work, and ours now at the largest size measured. */
export function stateTable(results: Results): string {
  const ours = sizesOf(results)
    .map((size) => findRow(results, size, "ours", "normal")?.state ?? findRow(results, size, "ours", "skipped")?.state)
    .filter((s) => s !== undefined);
  const now = ours.at(-1);
  const floor = sizesOf(results)
    .map((size) => findRow(results, size, "engineFloor", "normal")?.state ?? findRow(results, size, "engineFloor", "skipped")?.state)
    .filter((s) => s !== undefined)
    .at(-1);
  const labels: string[] = [];
  const columns = [];
  if (results.stateBefore) {
    labels.push("ours before");
    columns.push(results.stateBefore);
  }
  if (now) {
    labels.push(`ours now (${now.resources} orgs)`);
    columns.push(now);
  }
  if (floor) {
    labels.push(`engine floor (${floor.resources} orgs)`);
    columns.push(floor);
  }
  if (columns.length === 0) return "No state measured yet.";
  return breakdownTable(labels, columns);
}

/** The figures of the README's "Large fleets" section, at the CLI's default parallelism (what a user gets). */
export function largeFleetFigures(all: Results): string {
  const results = atDefaultParallelism(all);
  const large = sizesOf(results).filter((s) => s >= 1000);
  if (large.length === 0) return "No fleet of 1,000 orgs or more measured yet: run `npm run bench -- --sizes 1000,2000`.";
  const ops: Operation[] = ["update", "upRefresh", "refresh"];
  const lines = [
    `| orgs | operation | engine floor, every step | engine floor, skipped | ours, every step | ours, skipped | ours / engine floor, skipped | requests per org (ours) |`,
    `| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |`,
  ];
  for (const size of large) {
    for (const op of ops) {
      const m = (c: Contender, k: Checkpoints) => findRow(results, size, c, k)?.operations[op];
      const floorSkipped = m("engineFloor", "skipped");
      lines.push(
        `| ${size} | ${OPERATION_LABELS[op]} | ${seconds(m("engineFloor", "normal"))} | ${seconds(floorSkipped)} | ${seconds(m("ours", "normal"))} | ${seconds(m("ours", "skipped"))} | ${ratio(m("ours", "skipped"), floorSkipped && !floorSkipped.failed ? floorSkipped.seconds : undefined)} | ${perOrg(m("ours", "skipped") ?? m("ours", "normal"))} |`,
      );
    }
  }
  const state = findRow(results, large.at(-1)!, "ours", "skipped")?.state ?? findRow(results, large.at(-1)!, "ours", "normal")?.state;
  const notes = [
    `"-": not measured. The bench runs an \`up\` that writes a checkpoint after every step only up to \`--max-checkpointed-update\` orgs (200 by default, to keep the bench within 30 minutes): it grows with the square of the fleet (see the chart in [bench/README.md](../bench/README.md)).`,
  ];
  if (state) notes.push(`State per org: ${state.deploymentBytesPerResource} B (the provider's inputs and outputs: ${state.providerBytes} B).`);
  const limited = results.rateLimited.filter((r) => r.op === "upRefresh").at(-1);
  if (limited && !limited.failed) {
    notes.push(
      `Under a ${limited.perSecond} requests/s limit, a no-op \`up --refresh\` of ${limited.size} orgs (checkpoints ${CHECKPOINT_LABELS[limited.checkpoints]}) took ${limited.seconds.toFixed(1)} s and ${limited.served + limited.limited} requests (${limited.limited} answered 429).`,
    );
  }
  const update = results.rateLimited.filter((r) => r.op === "update").at(-1);
  if (update && !update.failed) {
    const directFloor = directFloorOf(update);
    notes.push(
      `Under a ${update.perSecond} requests/s limit, a one-limit update of ${update.size} orgs (checkpoints ${CHECKPOINT_LABELS[update.checkpoints]}) took ${update.seconds.toFixed(1)} s for ${update.served} requests served (${update.limited} answered 429): ${(update.seconds / floorOf(update)).toFixed(2)}x its floor of ${floorOf(update).toFixed(1)} s (requests ÷ rate)${directFloor ? `, ${(update.seconds / directFloor).toFixed(2)}x the direct-API floor's ${directFloor.toFixed(1)} s (${update.directRequests} requests ÷ rate)` : ""}.`,
    );
  }
  const provenance = results.rows
    .filter((r) => r.size >= 1000)
    .flatMap((r) => Object.values(r.operations))
    .filter((m): m is Measure => m !== undefined);
  if (provenance.length > 0) {
    const loads = provenance.map((m) => m.loadAverage[0]);
    const counts = [...new Set(provenance.map((m) => m.runs))].sort((a, b) => a - b);
    const runs = counts.length === 1 && counts[0] === 1 ? "one run each" : `${counts.join(" or ")} runs each (the median kept)`;
    notes.push(
      `Measured ${[...new Set(provenance.map((m) => m.measuredAt.slice(0, 10)))].join(", ")} on ${provenance[0].machine}, ${results.latencyMs} ms emulator latency, ${runs}; load average (1 min) at the start of each measurement ${Math.min(...loads).toFixed(2)}-${Math.max(...loads).toFixed(2)}.`,
    );
  }
  return [...lines, "", ...notes].join("\n");
}

/** The README's one line of Large-fleet figures: the largest fleet, checkpoints skipped, the CLI's default parallelism. */
export function readmeLargeFleetLine(all: Results): string {
  const results = atDefaultParallelism(all);
  const size = sizesOf(results)
    .filter((s) => s >= 1000)
    .at(-1);
  if (size === undefined) return "Not measured yet: `npm run bench -- --sizes 1000,2000`.";
  const m = (c: Contender, op: Operation) => findRow(results, size, c, "skipped")?.operations[op];
  const pair = (op: Operation) => `${seconds(m("ours", op))} (engine floor ${seconds(m("engineFloor", op))})`;
  const state = findRow(results, size, "ours", "skipped")?.state;
  return (
    `Bench, ${size} orgs, checkpoints skipped: one-limit update ${pair("update")}, ` +
    `no-op \`up --refresh\` ${pair("upRefresh")}${state ? `; state ${state.deploymentBytesPerResource} B per org` : ""}.`
  );
}

/** Everything bench/README.md shows between its markers. */
export function benchSection(results: Results): string {
  return [
    `Emulator latency ${results.latencyMs} ms per request plus ${2 * results.latencyMs} ms on each new connection; Pulumi CLI ${results.pulumiVersion}, file backend; rows run at the CLI's default parallelism (GOMAXPROCS × 4, 8 on a 2-core machine) unless marked \`--parallel N\` (PULUMI_PARALLEL=N for every CLI process of the line; the direct-API floor runs no CLI). Times are wall time, the median of the runs ("runs": how many measurements each median is of, per contender in column order where they differ), including the Automation API's own follow-up commands. Requests per org: every HTTP request the emulator received during the operation, of any kind (429 answers included), divided by the orgs; the median of the runs, their range in brackets where it differs.`,
    "",
    timingTable(results),
    "",
    factsTable(results),
    "",
    "### Under a rate limit",
    "",
    rateLimitedTable(results),
    "",
    "### When each row was measured",
    "",
    provenanceTable(results),
    "",
    "![time against fleet size, log scales](chart.svg)",
  ].join("\n");
}

export { STATE_PARTS };

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->`; the text unchanged when the markers are absent. */
export function replaceBetweenMarkers(text: string, name: string, content: string): string {
  const marker = new RegExp(`<!-- ${name}:start -->[\\s\\S]*?<!-- ${name}:end -->`);
  return text.replace(marker, () => `<!-- ${name}:start -->\n${content}\n<!-- ${name}:end -->`);
}

export function betweenMarkers(text: string, name: string): string | undefined {
  const match = new RegExp(`<!-- ${name}:start -->\\n([\\s\\S]*?)\\n<!-- ${name}:end -->`).exec(text);
  return match?.[1];
}
