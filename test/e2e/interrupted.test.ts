/**
 * A CI runner's timeout, through the real CLI: `pulumi up` of a 50-org fleet is SIGKILLed (its
 * whole process group) in the middle, then the recovery the README documents ("Recovering an
 * interrupted deployment") is run command by command, and the fleet is checked:
 * - every declared value is set, no undeclared value changed, nothing was deleted;
 * - each org is in state once, no pending operation is left, and the next preview is empty;
 * - the orphaned dynamic-provider process sent no request after the engine died, and exited.
 */
import fs from "fs";
import path from "path";
import { ChildProcess, execFile, spawn } from "child_process";
import { Emulator, startEmulator } from "../../emulator/server";
import { fleetStack, seedFleetFile } from "../../scripts/lib/fleet";
import { findPulumi, pulumiEnv } from "../../scripts/lib/workspace";
import { describeWithPulumi, tempDir } from "../support/e2eHarness";
import { decorateFleet, fleetProblems, undeclaredSnapshot } from "../support/fleetInvariants";

jest.setTimeout(600_000);

const TOKEN = "interrupted-up-token-9c4e";
const ORGS = 50;
/** Latency and one request at a time make the up last long enough to be killed halfway. */
const LATENCY_MS = 150;
/** Time the provider gets to notice the engine is gone: a request that arrives later was started after it. */
const NOTICE_MARGIN_MS = 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

interface ProcessInfo {
  pid: number;
  ppid: number;
  cmdline: string;
  cwd?: string;
}

/** Processes on this machine (Linux /proc): enough to find the plugins a given `pulumi up` started. */
function processes(): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ");
      let cwd: string | undefined;
      try {
        cwd = fs.readlinkSync(`/proc/${entry}/cwd`);
      } catch {
        cwd = undefined;
      }
      out.push({ pid: Number(entry), ppid, cmdline, cwd });
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

const alive = (pid: number) => fs.existsSync(`/proc/${pid}`) && !/\) Z /.test(safeRead(`/proc/${pid}/stat`));

function safeRead(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/** Every empty `.attrs` file the file backend left: the README's step for "failed to load checkpoint: EOF". */
function emptyAttrsFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".attrs") && fs.statSync(full).size === 0) found.push(full);
    }
  };
  walk(dir);
  return found;
}

function lockFiles(backendDir: string): string[] {
  const locks = path.join(backendDir, ".pulumi", "locks");
  if (!fs.existsSync(locks)) return [];
  const found: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".json")) found.push(full);
    }
  };
  walk(locks);
  return found;
}

const timings: string[] = [];

describeWithPulumi("a pulumi up killed with SIGKILL mid-fleet, then the documented recovery", () => {
  let emulator: Emulator;
  const leftovers: number[] = [];

  afterAll(async () => {
    // Pulumi's language host outlives a SIGKILLed engine too; it is ours to clean up here, by pid.
    for (const pid of leftovers) if (alive(pid)) process.kill(pid, "SIGKILL");
    await emulator?.close();
    console.log(`interrupted deployment:\n${timings.join("\n")}`);
  });

  test(`SIGKILL of the process group of \`pulumi up\` (${ORGS} orgs); cancel, refresh --clear-pending-creates, up: the fleet is whole`, async () => {
    const pulumi = findPulumi()!;
    emulator = await startEmulator({ tokens: { [TOKEN]: ["all.Instance"] } });
    const fleet = seedFleetFile(emulator, ORGS);
    decorateFleet(emulator, fleet);
    const before = undeclaredSnapshot(emulator, fleet);
    const backendDir = tempDir("losant-interrupted-state-");
    const { workDir } = await fleetStack("ours", emulator, fleet, TOKEN, { backendDir, config: { "losant:maxConcurrency": "1" } });
    const env = { ...process.env, ...pulumiEnv(backendDir) };
    delete env.LOSANT_API_TOKEN;

    const cli = (args: string[]) =>
      new Promise<{ ok: boolean; output: string; ms: number }>((resolve) => {
        const started = Date.now();
        execFile(pulumi, [...args, "--stack", "dev", "--non-interactive"], { cwd: workDir, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
          resolve({ ok: !error, output: `${stdout}${stderr}`, ms: Date.now() - started }),
        );
      });

    // 1. The up, killed as a CI runner kills a job: SIGKILL to its whole process group.
    emulator.faults.configure({ latencyMs: LATENCY_MS });
    const upStarted = Date.now();
    const up: ChildProcess = spawn(pulumi, ["up", "--yes", "--skip-preview", "--stack", "dev", "--non-interactive"], { cwd: workDir, env, detached: true, stdio: "ignore" });
    await waitFor(() => emulator.requests.length >= 30, 240_000, "30 requests of the up");
    const realWorkDir = fs.realpathSync(workDir);
    const children = processes().filter((p) => p.ppid === up.pid);
    const provider = processes().find((p) => p.cmdline.includes("dynamic-provider") && p.cwd === realWorkDir);
    leftovers.push(...children.map((p) => p.pid));
    expect(provider).toBeDefined();
    const requestsBeforeKill = emulator.requests.length;
    process.kill(-up.pid!, "SIGKILL");
    const killedAt = Date.now();

    // 2. The orphaned provider notices, starts nothing new, and exits once its request in flight settles.
    await waitFor(() => !alive(provider!.pid), 30_000, "the orphaned dynamic-provider process to exit");
    const providerExitMs = Date.now() - killedAt;
    await sleep(2000);
    const late = emulator.requests.filter((r) => r.at > killedAt + NOTICE_MARGIN_MS);
    const afterKill = emulator.requests.filter((r) => r.at > killedAt).length;
    expect(late.map((r) => `${r.method} ${r.path} at +${r.at - killedAt} ms`)).toEqual([]);
    emulator.faults.configure({ latencyMs: 0 });

    // 3. What the kill left: a lock, and maybe an empty .attrs file.
    expect(lockFiles(backendDir)).toHaveLength(1);
    const emptyAttrs = emptyAttrsFiles(backendDir);
    for (const file of emptyAttrs) fs.rmSync(file);

    // 4. The documented recovery.
    const cancel = await cli(["cancel", "--yes"]);
    expect({ cancel: cancel.ok, output: cancel.ok ? "" : cancel.output }).toEqual({ cancel: true, output: "" });
    expect(lockFiles(backendDir)).toEqual([]);
    const requestsBeforeRefresh = emulator.requests.length;
    const refresh = await cli(["refresh", "--clear-pending-creates", "--yes"]);
    expect({ refresh: refresh.ok, output: refresh.ok ? "" : refresh.output }).toEqual({ refresh: true, output: "" });
    const refreshRequests = emulator.requests.length - requestsBeforeRefresh;
    const upAgain = await cli(["up", "--yes"]);
    expect({ up: upAgain.ok, output: upAgain.ok ? "" : upAgain.output }).toEqual({ up: true, output: "" });
    expect(upAgain.output).not.toMatch(/pending operations/);
    const preview = await cli(["preview", "--expect-no-changes"]);
    expect({ preview: preview.ok, output: preview.ok ? "" : preview.output }).toEqual({ preview: true, output: "" });

    // 5. The fleet is whole, and the state holds each org once, with nothing pending.
    expect(fleetProblems(emulator, fleet, before)).toEqual([]);
    expect(emulator.requests.filter((r) => r.method === "DELETE")).toEqual([]);
    const exported = await cli(["stack", "export"]);
    const deployment = JSON.parse(exported.output.slice(exported.output.indexOf("{"))).deployment as {
      resources: Array<{ type: string; id?: string; urn: string }>;
      pending_operations?: unknown[];
    };
    const orgs = deployment.resources.filter((r) => r.type.endsWith("InstanceOrg"));
    expect(orgs).toHaveLength(ORGS);
    expect(new Set(orgs.map((r) => r.id)).size).toBe(ORGS);
    expect(new Set(orgs.map((r) => r.urn)).size).toBe(ORGS);
    expect([...orgs.map((r) => r.id!)].sort()).toEqual([...fleet.orgIds].sort());
    expect(deployment.pending_operations ?? []).toEqual([]);

    timings.push(
      [
        `up ran ${killedAt - upStarted} ms and sent ${requestsBeforeKill} requests before the kill`,
        `orphaned provider exited ${providerExitMs} ms after the kill; requests arriving after the kill: ${afterKill} (after +${NOTICE_MARGIN_MS} ms: ${late.length})`,
        `empty .attrs files removed: ${emptyAttrs.length}`,
        `cancel ${cancel.ms} ms; refresh --clear-pending-creates ${refresh.ms} ms (${refreshRequests} requests); up ${upAgain.ms} ms; preview ${preview.ms} ms`,
      ].join("\n"),
    );
  });
});
