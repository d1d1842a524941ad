/**
 * The harness of the interrupted-deployment tests: a fleet in the emulator with its stack, the real
 * CLI run in a process group of its own (as a CI runner or a terminal starts it), what a kill leaves
 * in the file backend, and the invariants of a whole fleet.
 */
import fs from "fs";
import path from "path";
import { ChildProcess, execFile, spawn } from "child_process";
import { Emulator, startEmulator } from "../../emulator/server";
import { addNewOrgs, fleetStack, seedFleetFile } from "../../scripts/lib/fleet";
import { findPulumi, pulumiEnv } from "../../scripts/lib/workspace";
import { tempDir } from "./e2eHarness";
import { createdProblems, decorateFleet, fleetProblems, undeclaredSnapshot } from "./fleetInvariants";

const DEFAULT_TOKEN = "interrupted-up-token-9c4e";

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

export interface ProcessInfo {
  pid: number;
  ppid: number;
  cmdline: string;
  cwd?: string | undefined;
}

/** Processes on this machine (Linux /proc): enough to find the plugins a given `pulumi up` started. */
export function processes(): ProcessInfo[] {
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

export const alive = (pid: number) => fs.existsSync(`/proc/${pid}`) && !/\) Z /.test(safeRead(`/proc/${pid}/stat`));

function safeRead(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/** Every empty `.attrs` file the file backend left: the README's step for "failed to load checkpoint: EOF". */
export function emptyAttrsFiles(dir: string): string[] {
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

export function lockFiles(backendDir: string): string[] {
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

/**
 * SIGKILLs `up`'s whole process group, as a CI runner's timeout does, then waits until the
 * dynamic-provider process it orphaned has settled the requests it had in flight and exited
 * (engineWatchdog.ts): after this, nothing of the killed run reaches Losant any more. Returns the
 * pids the kill may have left, for the caller to make sure of at the end.
 */
export async function killUpMidRun(up: ChildProcess, workDir: string): Promise<number[]> {
  const realWorkDir = fs.realpathSync(workDir);
  const children = processes().filter((p) => p.ppid === up.pid);
  const providers = children.filter((p) => p.cmdline.includes("dynamic-provider") && p.cwd === realWorkDir);
  expect(providers.length).toBeGreaterThan(0);
  process.kill(-up.pid!, "SIGKILL");
  for (const provider of providers) await waitFor(() => !alive(provider.pid), 30_000, "the orphaned dynamic-provider process to exit");
  return children.map((p) => p.pid);
}

/**
 * What an interrupted-run suite keeps for one describe block: the emulators its fleets start and the
 * pids a kill may leave, both ended after the block, and notes printed then under `title`.
 */
export function interruptedRunResources(title: string): { emulators: Emulator[]; leftovers: number[]; notes: string[] } {
  const emulators: Emulator[] = [];
  const leftovers: number[] = [];
  const notes: string[] = [];
  afterAll(async () => {
    // Pulumi's language host outlives a SIGKILLed engine too; it is ours to clean up here, by pid.
    for (const pid of leftovers) if (alive(pid)) process.kill(pid, "SIGKILL");
    for (const emulator of emulators) await emulator.close();
    console.log(`${title}:\n${notes.join("\n")}`);
  });
  return { emulators, leftovers, notes };
}

export interface Deployment {
  resources: Array<{ type: string; id?: string; urn: string }>;
  pending_operations?: unknown[];
}

/**
 * A fleet in the emulator, its stack, and the CLI run in the stack's directory: `orgs` seeded orgs
 * to adopt and, with `creates`, that many entries without orgId between them (created by POST).
 * `env` is added to every command's environment (e.g. PULUMI_SKIP_CHECKPOINTS), `config` to the
 * stack's config (by default one request at a time: `losant:maxConcurrency` 1).
 */
export async function fleetSetup(
  orgs: number,
  emulators: Emulator[],
  options: { token?: string; env?: Record<string, string>; creates?: number; config?: Record<string, string> } = {},
) {
  const token = options.token ?? DEFAULT_TOKEN;
  const creates = options.creates ?? 0;
  const pulumi = findPulumi()!;
  const emulator = await startEmulator({ tokens: { [token]: ["all.Instance"] } });
  emulators.push(emulator);
  const fleet = seedFleetFile(emulator, orgs);
  decorateFleet(emulator, fleet);
  const before = undeclaredSnapshot(emulator, fleet);
  const newNames = addNewOrgs(fleet, creates, { interleave: true });
  const backendDir = tempDir("losant-interrupted-state-");
  const { workDir } = await fleetStack("ours", emulator, fleet, token, { backendDir, config: { "losant:maxConcurrency": "1", ...options.config } });
  const env = { ...process.env, ...pulumiEnv(backendDir), ...(options.env ?? {}) };
  delete env.LOSANT_API_TOKEN;

  const cli = (args: string[]) =>
    new Promise<{ ok: boolean; output: string; ms: number }>((resolve) => {
      const started = Date.now();
      execFile(pulumi, [...args, "--stack", "dev", "--non-interactive"], { cwd: workDir, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
        resolve({ ok: !error, output: `${stdout}${stderr}`, ms: Date.now() - started }),
      );
    });
  /** Runs a command that must succeed, and says why when it does not. */
  const must = async (args: string[]) => {
    const result = await cli(args);
    expect({ command: args.join(" "), ok: result.ok, output: result.ok ? "" : result.output }).toEqual({ command: args.join(" "), ok: true, output: "" });
    return result;
  };
  const state = async (): Promise<Deployment> => {
    const exported = await must(["stack", "export"]);
    return JSON.parse(exported.output.slice(exported.output.indexOf("{"))).deployment as Deployment;
  };
  /** `pulumi up` (with `extraArgs`) in a process group of its own, as a CI runner or a terminal starts it. */
  const startUp = (extraArgs: string[] = []) =>
    spawn(pulumi, ["up", "--yes", "--skip-preview", "--stack", "dev", "--non-interactive", ...extraArgs], {
      cwd: workDir,
      env,
      detached: true,
      stdio: "ignore",
    });

  const project = /^name:\s*(\S+)/m.exec(fs.readFileSync(path.join(workDir, "Pulumi.yaml"), "utf8"))![1];
  /** The creation marker of the entry `key` (creationMarker.ts: project/stack/resource name). */
  const markerOf = (key: string) => `${project}/dev/${key}`;
  /** The ids of the orgs made for the entries without orgId (one each, or expectWhole fails). */
  const createdIds = () =>
    emulator.store
      .listOrgs(fleet.instanceId)
      .filter((org) => newNames.includes(org.name))
      .map((org) => org.id);

  /** Every invariant of a recovered fleet. */
  const expectWhole = async () => {
    expect(fleetProblems(emulator, fleet, before)).toEqual([]);
    expect(createdProblems(emulator, fleet, markerOf)).toEqual([]);
    expect(emulator.requests.filter((r) => r.method === "DELETE")).toEqual([]);
    const deployment = await state();
    const orgIds = deployment.resources.filter((r) => r.type.endsWith("InstanceOrg"));
    expect(orgIds).toHaveLength(orgs + creates);
    expect(new Set(orgIds.map((r) => r.urn)).size).toBe(orgs + creates);
    expect(orgIds.map((r) => r.id!).sort()).toEqual([...fleet.orgIds, ...createdIds()].sort());
    expect(deployment.pending_operations ?? []).toEqual([]);
  };
  /**
   * After a first `up` with skipped checkpoints was killed: checks it left nothing in state but its
   * lock, then runs the documented recovery (delete empty `.attrs` files, `cancel`, a plain `up`) and
   * `preview --expect-no-changes`, and checks every invariant. Returns the recovery's requests.
   */
  const recoverKilledFirstUp = async () => {
    for (const file of emptyAttrsFiles(backendDir)) fs.rmSync(file);
    const killedState = await state();
    expect(killedState.pending_operations ?? []).toEqual([]);
    expect((killedState.resources ?? []).filter((r) => r.type.endsWith("InstanceOrg"))).toHaveLength(0);
    expect(lockFiles(backendDir)).toHaveLength(1);
    await must(["cancel", "--yes"]);
    const beforeUp = emulator.requests.length;
    const up = await must(["up", "--yes", "--skip-preview"]);
    const requests = emulator.requests.slice(beforeUp);
    const preview = await must(["preview", "--expect-no-changes"]);
    await expectWhole();
    return { upMs: up.ms, previewMs: preview.ms, requests };
  };
  return { emulator, workDir, backendDir, fleet, newNames, markerOf, cli, must, state, startUp, expectWhole, recoverKilledFirstUp };
}
