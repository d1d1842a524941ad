/**
 * Interrupted deployments through the real CLI, recovered with the commands the README documents
 * ("Recovering an interrupted deployment"):
 * - a CI runner's timeout: `pulumi up` of a 50-org fleet SIGKILLed (its whole process group) in the
 *   middle; the orphaned dynamic-provider process must send no request after the engine died, and exit;
 * - Ctrl-C (SIGINT) and SIGTERM of the process group mid-up, after which a plain `up` recovers.
 * After recovery: every declared value is set, no undeclared value changed, nothing was deleted,
 * each org is in state once, no operation is pending, and the next preview is empty.
 */
import fs from "fs";
import path from "path";
import { ChildProcess } from "child_process";
import { describeWithPulumi } from "../support/e2eHarness";
import { alive, emptyAttrsFiles, fleetSetup, interruptedRunResources, lockFiles, processes, sleep, waitFor } from "../support/interruptHarness";
import { isWalkPage, orgsRead } from "../support/reads";

jest.setTimeout(600_000);

const ORGS = 50;
/** Latency and one request at a time make the up last long enough to be killed halfway. */
const LATENCY_MS = 150;
/** Time the provider gets to notice the engine is gone: a request that arrives later was started after it. */
const NOTICE_MARGIN_MS = 1000;

describeWithPulumi("interrupted deployments through the real CLI, and the documented recovery", () => {
  const { emulators, leftovers, notes: timings } = interruptedRunResources("interrupted deployment");

  test(`SIGKILL of the process group of \`pulumi up\` (${ORGS} orgs); cancel, refresh --clear-pending-creates, up: the fleet is whole`, async () => {
    const fleet = await fleetSetup(ORGS, emulators);
    const { emulator, workDir, backendDir } = fleet;

    // 1. The up, killed as a CI runner kills a job: SIGKILL to its whole process group.
    emulator.faults.configure({ latencyMs: LATENCY_MS });
    const upStarted = Date.now();
    const up: ChildProcess = fleet.startUp();
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

    // 3. What the kill left: a lock, pending creates, and maybe an empty .attrs file.
    expect(lockFiles(backendDir)).toHaveLength(1);
    const emptyAttrs = emptyAttrsFiles(backendDir);
    for (const file of emptyAttrs) fs.rmSync(file);
    const killedState = await fleet.state();

    // 4. The documented recovery.
    const cancel = await fleet.must(["cancel", "--yes"]);
    expect(lockFiles(backendDir)).toEqual([]);
    const requestsBeforeRefresh = emulator.requests.length;
    const refresh = await fleet.must(["refresh", "--clear-pending-creates", "--yes", "--skip-preview"]);
    const refreshRequests = emulator.requests.slice(requestsBeforeRefresh);
    const upAgain = await fleet.must(["up", "--yes"]);
    expect(upAgain.output).not.toMatch(/pending operations/);
    const preview = await fleet.must(["preview", "--expect-no-changes"]);

    // 5. The fleet is whole, and the state holds each org once, with nothing pending.
    await fleet.expectWhole();
    // Each org is read by id at most once (its own GET or a share of an id batch); the refresh
    // reads that keep coming are answered by at most one page of the instance's list (50 orgs).
    const readsById = orgsRead(refreshRequests.filter((r) => !isWalkPage(r)));
    expect(readsById.length).toBe(new Set(readsById).size);
    expect(refreshRequests.filter(isWalkPage).length).toBeLessThanOrEqual(1);

    timings.push(
      [
        `SIGKILL: up ran ${killedAt - upStarted} ms and sent ${requestsBeforeKill} requests before the kill`,
        `  orphaned provider exited ${providerExitMs} ms after the kill; requests arriving after the kill: ${afterKill} (after +${NOTICE_MARGIN_MS} ms: ${late.length})`,
        `  state after the kill: ${killedState.resources.filter((r) => r.type.endsWith("InstanceOrg")).length} orgs, ${(killedState.pending_operations ?? []).length} pending operations; empty .attrs files removed: ${emptyAttrs.length}`,
        `  cancel ${cancel.ms} ms; refresh --clear-pending-creates ${refresh.ms} ms (${refreshRequests.length} requests); up ${upAgain.ms} ms; preview ${preview.ms} ms`,
      ].join("\n"),
    );
  });

  test("an empty .attrs file (what a kill at the wrong moment can leave): every command fails with EOF until it is deleted", async () => {
    const fleet = await fleetSetup(2, emulators);
    await fleet.must(["up", "--yes", "--skip-preview"]);
    const attrs = path.join(fleet.backendDir, ".pulumi", "stacks", "losant-org-fleet", "dev.json.attrs");
    expect(fs.statSync(attrs).size).toBeGreaterThan(0);
    fs.writeFileSync(attrs, "");
    for (const command of [["preview"], ["cancel", "--yes"]]) {
      const failed = await fleet.cli(command);
      expect({ command, ok: failed.ok, eof: /failed to load checkpoint: EOF/.test(failed.output) }).toEqual({ command, ok: false, eof: true });
    }
    // The README's step: delete every empty .attrs file.
    expect(emptyAttrsFiles(fleet.backendDir)).toEqual([attrs]);
    for (const file of emptyAttrsFiles(fleet.backendDir)) fs.rmSync(file);
    await fleet.must(["preview", "--expect-no-changes"]);
    await fleet.expectWhole();
  });

  test.each(["SIGINT", "SIGTERM"] as const)("%s of the process group of `pulumi up` (20 orgs): a plain `pulumi up` recovers", async (signal) => {
    const fleet = await fleetSetup(20, emulators);
    const { emulator, backendDir } = fleet;
    emulator.faults.configure({ latencyMs: LATENCY_MS });
    const up = fleet.startUp();
    const exited = new Promise<number | null>((resolve) => up.on("exit", (code) => resolve(code)));
    await waitFor(() => emulator.requests.length >= 12, 240_000, "12 requests of the up");
    const signalledAt = Date.now();
    process.kill(-up.pid!, signal);
    const code = await exited;
    const stopMs = Date.now() - signalledAt;
    emulator.faults.configure({ latencyMs: 0 });

    // Pulumi let the operations in flight finish, saved the state and released the lock.
    expect(code).not.toBe(0);
    expect(lockFiles(backendDir)).toEqual([]);
    expect(emptyAttrsFiles(backendDir)).toEqual([]);
    const interrupted = await fleet.state();
    expect(interrupted.pending_operations ?? []).toEqual([]);

    const upAgain = await fleet.must(["up", "--yes"]);
    const preview = await fleet.must(["preview", "--expect-no-changes"]);
    await fleet.expectWhole();
    timings.push(
      `${signal}: up stopped ${stopMs} ms after the signal with ${interrupted.resources.filter((r) => r.type.endsWith("InstanceOrg")).length} of 20 orgs in state, nothing pending; up ${upAgain.ms} ms; preview ${preview.ms} ms`,
    );
  });
});
