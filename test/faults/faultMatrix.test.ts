/**
 * The fault matrix, through the real CLI: for each fault, `up` with the fault active (it may fail),
 * then `up` again without it, and check the invariants:
 * - the second `up` succeeds and `refresh --expect-no-changes` passes;
 * - every org holds the declared values, and every undeclared field is byte-for-byte as before;
 * - no state file and no line of Pulumi's output contains the token.
 */
import fs from "fs";
import path from "path";
import { execFile, spawn } from "child_process";
import type { Stack } from "@pulumi/pulumi/automation";
import { Emulator, EmulatorOptions, RecordedRequest, startEmulator } from "../../emulator/server";
import { FaultSettings } from "../../emulator/faults";
import { EmulatorModes, MODE_MATRIX } from "../../emulator/modes";
import { StoredOrg } from "../../emulator/store";
import { settingMatches } from "../../provider/server/plan";
import type { OrgSettings } from "../../losant/types";
import { addNewOrgs, Fleet, fleetStack, seedFleetFile } from "../../scripts/lib/fleet";
import { describeWithPulumi, expectFailure, exportWithSecrets, instanceOrgCount, rawBackendFiles, resourcesContaining, tempDir } from "../support/e2eHarness";
import { UNKNOWN_INSTANCE_ID } from "../support/fixtures";
import { seededRandom } from "../support/random";
import { decorateFleet as decorate } from "../support/fleetInvariants";
import { isList } from "../support/reads";
import { findPulumi, pulumiEnv } from "../../scripts/lib/workspace";

/** Every empty `.attrs` file the file backend left behind (README: "failed to load checkpoint: EOF"). */
function emptyAttrsFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const full = path.join(entry.parentPath, entry.name);
    if (entry.isFile() && entry.name.endsWith(".attrs") && fs.statSync(full).size === 0) found.push(full);
  }
  return found;
}

/** Processes whose working directory is `dir` (Linux /proc): the engine's plugins for one program. */
function processesIn(dir: string): Array<{ pid: number; cmdline: string }> {
  const found: Array<{ pid: number; cmdline: string }> = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readlinkSync(`/proc/${entry}/cwd`) !== dir) continue;
      found.push({ pid: Number(entry), cmdline: fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ") });
    } catch {
      // Ended while we looked, or not ours to read.
    }
  }
  return found;
}

jest.setTimeout(600_000);

const TOKEN = "fault-matrix-token-5be1";
const DECLARED = ["name", "auditLogEnabled", "mfaMode"] as const;
const DECLARED_LIMITS = ["device", "member"] as const;

interface FaultCase {
  name: string;
  orgs: number;
  faults?: Partial<FaultSettings>;
  /** Instead of faults: something done to the emulator while the first up runs. */
  during?: (control: EmulatorControl) => Promise<void>;
  /** Readings of what Losant leaves undocumented (emulator modes). */
  modes?: Partial<EmulatorModes>;
  /** Settings every org declares on top of the fleet's defaults (then no longer "undeclared"). */
  declares?: Pick<OrgSettings, "tags" | "whitelistedEmailDomains" | "banner">;
  /** The first up must succeed: the provider has to ride this out, not merely recover from it. */
  firstUpSucceeds?: boolean;
  /** After the first up, before the faults are lifted. */
  afterFirstUp?: (context: { control: EmulatorControl; stack: Stack; fleet: Fleet; output: string[] }) => Promise<void>;
  /** After the second up, a preview must show no change at all. */
  emptyPreview?: boolean;
  /** Entries without orgId, created by the first up: each must exist exactly once at the end. */
  creates?: number;
  /** Stack config on top of the matrix's own (a 1 s request timeout). */
  config?: Record<string, string>;
}

/**
 * With at most 2 requests in flight, the reads of the first up's adopts queue at the request gate
 * and go out as list requests of several ids, as they do under a rate limit (with the gate free,
 * each goes out at once, alone: see docs/behaviour.md).
 */
const QUEUED_READS = { "losant:maxConcurrency": "2" };

interface EmulatorControl {
  current(): Emulator;
  restart(): Promise<void>;
}

const CASES: FaultCase[] = [
  { name: "429 bursts", orgs: 20, faults: { rules: [{ kind: "status", status: 429, retryAfter: "1", times: 8 }], rateLimitPerSecond: 25 } },
  { name: "20% answered 500/502/503", orgs: 20, faults: { rules: [{ kind: "status", statuses: [500, 502, 503], probability: 0.2 }] } },
  { name: "10% connection resets", orgs: 20, faults: { rules: [{ kind: "reset", probability: 0.1 }] } },
  { name: "requests hanging past the timeout", orgs: 20, faults: { rules: [{ kind: "hang", probability: 0.1 }] } },
  { name: "PATCH applied, answer lost", orgs: 20, faults: { rules: [{ kind: "applyThenReset", method: "PATCH", probability: 0.3 }] } },
  // Losant documents windows of 1 s to 5 min elsewhere, and never mentions Retry-After.
  { name: "5 per 5 s window with Retry-After", orgs: 10, faults: { rateLimit: { requests: 5, windowMs: 5000, retryAfter: "seconds" } }, firstUpSucceeds: true },
  { name: "5 per 5 s window without Retry-After", orgs: 10, faults: { rateLimit: { requests: 5, windowMs: 5000, retryAfter: "none" } }, firstUpSucceeds: true },
  // Losant's own limiter library (Losant/redis-gcra): a burst, then a steady refill; a refused request costs nothing.
  {
    name: "GCRA bucket: burst 5, 2 per second",
    orgs: 10,
    faults: { rateLimit: { algorithm: "gcra", burst: 5, rate: 2, periodMs: 1000, retryAfter: "seconds" } },
    firstUpSucceeds: true,
  },
  {
    name: "unknown instance: refresh and destroy fail, state kept",
    orgs: 10,
    firstUpSucceeds: true,
    // The token is narrowed to another instance: every answer for the fleet's instance is Losant's one 404.
    afterFirstUp: async ({ control, stack, fleet }) => {
      const emulator = control.current();
      const grant = emulator.tokens.get(TOKEN)!;
      emulator.tokens.set(TOKEN, { ...grant, instances: [UNKNOWN_INSTANCE_ID] });
      try {
        expect(await expectFailure(() => stack.refresh())).toContain(`instance ${fleet.instanceId} itself was not found or is not accessible`);
        expect(await instanceOrgCount(stack)).toBe(fleet.orgIds.length);
        expect(await expectFailure(() => stack.destroy())).toContain("it was not counted as deleted");
        expect(await instanceOrgCount(stack)).toBe(fleet.orgIds.length);
        for (const orgId of fleet.orgIds) expect(emulator.store.getOrg(fleet.instanceId, orgId)).toBeDefined();
      } finally {
        emulator.tokens.set(TOKEN, grant);
      }
    },
  },
  {
    name: "normalising server (tags sorted, domains lowercased, banner and limits merged)",
    orgs: 10,
    modes: MODE_MATRIX.find((m) => m.name === "normalising")!.modes,
    declares: {
      tags: [
        { key: "tier", value: "gold" },
        { key: "region", value: "eu" },
        { key: "Cost-Center", value: "42" },
      ],
      whitelistedEmailDomains: ["Example.COM", "acme.io"],
      banner: { message: "Managed by Pulumi" },
    },
    firstUpSucceeds: true,
    emptyPreview: true,
  },
  // Batches: the adopt reads of the first up go out as list requests of up to 100 ids.
  {
    name: "429 on list requests (batches retried as batches)",
    orgs: 20,
    config: QUEUED_READS,
    faults: { rules: [{ kind: "status", status: 429, retryAfter: "1", pathEndsWith: "/orgs", times: 3 }] },
    firstUpSucceeds: true,
    afterFirstUp: async ({ control }) => expectListsRetried(control.current(), 429, 3),
  },
  {
    name: "503 on list requests",
    orgs: 20,
    config: QUEUED_READS,
    faults: { rules: [{ kind: "status", status: 503, pathEndsWith: "/orgs", times: 3 }] },
    firstUpSucceeds: true,
    afterFirstUp: async ({ control }) => expectListsRetried(control.current(), 503, 3),
  },
  {
    name: "connection reset mid-batch",
    orgs: 20,
    config: QUEUED_READS,
    faults: { rules: [{ kind: "reset", pathEndsWith: "/orgs", times: 2 }] },
    firstUpSucceeds: true,
    afterFirstUp: async ({ control }) => expectListsRetried(control.current(), undefined, 2),
  },
  {
    name: "list refused with 403: single GETs instead",
    orgs: 20,
    config: QUEUED_READS,
    faults: { rules: [{ kind: "status", status: 403, pathEndsWith: "/orgs" }] },
    firstUpSucceeds: true,
    afterFirstUp: async ({ control, fleet, output }) => {
      const requests = control.current().requests;
      // One refused list turns batching off for the provider process; every org is then read alone.
      expect(requests.filter(isList).map((r) => r.status)).toEqual([403]);
      const gets = requests.filter((r) => r.method === "GET" && !isList(r) && r.status === 200).map((r) => r.path.split("/").pop());
      expect(new Set(gets)).toEqual(new Set(fleet.orgIds));
      // Said once, as a diagnostic of the stack, never as an error.
      const diagnostics = output.join("").split("Diagnostics:")[1] ?? "";
      expect(diagnostics.split("is off for the rest of this run").length - 1).toBe(1);
      expect(diagnostics).toContain("instanceOrgs.get");
    },
  },
  // Creating orgs: a POST is not safe to repeat, so each of these must end with exactly one org per new entry.
  {
    name: "POST applied, answer lost",
    orgs: 5,
    creates: 5,
    faults: { rules: [{ kind: "applyThenReset", method: "POST" }] },
    firstUpSucceeds: true,
    emptyPreview: true,
  },
  {
    name: "POST timed out before being applied",
    orgs: 5,
    creates: 5,
    faults: { rules: [{ kind: "hang", method: "POST", times: 3 }] },
    firstUpSucceeds: true,
    emptyPreview: true,
  },
  // API 1.30 answers POST with 200 and the `org` resource, which has no instanceId, tags or auditLogEnabled.
  { name: "POST answered as API 1.30 does (200, org.json)", orgs: 5, creates: 5, modes: { postReply: "api1.30" }, firstUpSucceeds: true, emptyPreview: true },
  // A create gives up after 3 POSTs of unknown outcome with no org to show for them; the second up then creates it.
  {
    name: "POST answered 502/503/504 (not applied)",
    orgs: 5,
    creates: 5,
    faults: { rules: [{ kind: "status", statuses: [502, 503, 504], method: "POST", times: 4 }] },
  },
  {
    name: "emulator killed mid-up (50 orgs) and restarted",
    orgs: 50,
    faults: { latencyMs: 20 },
    during: async (control) => {
      while (control.current().requests.length < 30) await new Promise((r) => setTimeout(r, 20));
      await control.restart();
    },
  },
];

/** `faulted` list requests met the fault (status, or no answer for a reset) and were sent again with the same ids. */
function expectListsRetried(emulator: Emulator, status: number | undefined, faulted: number): void {
  const lists = emulator.requests.filter(isList);
  const failed = lists.filter((r) => r.status === status || (status === undefined && r.fault === "reset"));
  expect(failed).toHaveLength(faulted);
  const idsOf = (r: RecordedRequest) => r.query.query;
  for (const list of failed) expect(lists.some((r) => r.status === 200 && idsOf(r) === idsOf(list))).toBe(true);
}

function undeclared(org: StoredOrg, declares: FaultCase["declares"] = {}): unknown {
  const { lastUpdated: _lastUpdated, limits, ...rest } = org;
  const fields: Record<string, unknown> = { ...rest };
  for (const key of [...DECLARED, ...Object.keys(declares)]) delete fields[key];
  const otherLimits: Record<string, unknown> = { ...limits };
  for (const key of DECLARED_LIMITS) delete otherLimits[key];
  return { ...fields, limits: otherLimits };
}

const results: string[] = [];

describeWithPulumi("fault matrix through the real Pulumi CLI", () => {
  afterAll(() => {
    const header = ["case", "first up", "second up", "refresh clean", "invariants", "requests", "time"];
    const table = [header.join(" | "), header.map(() => "---").join(" | "), ...results].map((l) => `| ${l} |`).join("\n");
    console.log(`fault matrix:\n${table}`);
  });

  test.each(CASES.map((c) => [c.name, c] as [string, FaultCase]))("%s", async (_name, faultCase) => {
    const started = Date.now();
    const persistPath = path.join(tempDir("losant-faults-"), "emulator.json");
    const options: EmulatorOptions = { tokens: { [TOKEN]: ["all.Instance"] }, persistPath, random: seededRandom(20261129), modes: faultCase.modes };
    let emulator = await startEmulator(options);
    let requestCount = 0;
    const control: EmulatorControl = {
      current: () => emulator,
      restart: async () => {
        requestCount += emulator.requests.length;
        const port = emulator.port;
        await emulator.close();
        await new Promise((r) => setTimeout(r, 1500));
        emulator = await startEmulator({ ...options, port });
      },
    };
    try {
      const fleet = seedFleetFile(emulator, faultCase.orgs);
      const declares = faultCase.declares ?? {};
      const defaults = { ...fleet.file.defaults, ...declares };
      fleet.file.defaults = defaults;
      decorate(emulator, fleet);
      const newNames = addNewOrgs(fleet, faultCase.creates ?? 0);
      const before = new Map(fleet.orgIds.map((id) => [id, undeclared(emulator.store.getOrg(fleet.instanceId, id)!, declares)]));
      const output: string[] = [];
      const onOutput = (text: string) => output.push(text);
      const backendDir = tempDir("losant-faults-state-");
      const { stack, workDir } = await fleetStack("ours", emulator, fleet, TOKEN, {
        backendDir,
        config: { "losant:requestTimeoutMs": "1000", ...faultCase.config },
      });

      emulator.faults.configure(faultCase.faults ?? {});
      const first = await Promise.all([
        stack.up({ onOutput }).then(
          () => "succeeded",
          (e) => `failed (${String((e as Error).message).match(/(\d+) errored/)?.[1] ?? "some"} errored)`,
        ),
        faultCase.during?.(control),
      ]).then(([outcome]) => outcome);
      if (faultCase.firstUpSucceeds) expect(first).toBe("succeeded");
      await faultCase.afterFirstUp?.({ control, stack, fleet, output });
      emulator.faults.reset();

      const second = await stack.up({ onOutput });
      expect(second.summary.result).toBe("succeeded");
      if (faultCase.emptyPreview) {
        // The stack, the fleet component and every org.
        const resources = faultCase.orgs + newNames.length + 2;
        expect(second.summary.resourceChanges).toEqual({ same: resources });
        expect((await stack.preview({ onOutput })).changeSummary).toEqual({ same: resources });
      }
      const refresh = await stack.refresh({ expectNoChanges: true, onOutput });
      expect(refresh.summary.result).toBe("succeeded");

      for (const [i, orgId] of fleet.orgIds.entries()) {
        const org = emulator.store.getOrg(fleet.instanceId, orgId)!;
        expect(org).toMatchObject({ name: fleet.file.orgs[i].name, auditLogEnabled: true, mfaMode: "adminRequired" });
        expect(org.limits).toMatchObject({ device: fleet.file.defaults.limits.device, member: fleet.file.defaults.limits.member });
        for (const [field, value] of Object.entries(declares))
          expect(settingMatches(field as keyof typeof declares, value, org[field as keyof typeof declares])).toBe(true);
        expect(JSON.stringify(undeclared(org, declares))).toBe(JSON.stringify(before.get(orgId)));
      }
      for (const name of newNames) {
        const made = emulator.store.listOrgs(fleet.instanceId).filter((org) => org.name === name);
        expect({ name, orgs: made.length }).toEqual({ name, orgs: 1 });
        expect(made[0]).toMatchObject({ auditLogEnabled: true, mfaMode: "adminRequired" });
      }
      expect(await instanceOrgCount(stack)).toBe(faultCase.orgs + newNames.length);
      expect(output.join("")).not.toContain(TOKEN);
      expect(rawBackendFiles(backendDir)).not.toContain(TOKEN);
      expect(resourcesContaining(exportWithSecrets(workDir, backendDir), TOKEN)).toEqual(["pulumi:providers:pulumi-nodejs"]);

      requestCount += emulator.requests.length;
      results.push([faultCase.name, first, "succeeded", "yes", "hold", String(requestCount), `${((Date.now() - started) / 1000).toFixed(1)} s`].join(" | "));
    } catch (error) {
      results.push(
        [
          faultCase.name,
          "-",
          "-",
          "-",
          `FAILED: ${String((error as Error).message)
            .split("\n")[0]
            .slice(0, 80)}`,
          String(requestCount),
          `${((Date.now() - started) / 1000).toFixed(1)} s`,
        ].join(" | "),
      );
      throw error;
    } finally {
      await emulator.close();
    }
  });

  test("pipeline killed between the POST and the state write: the next up ends with exactly one org per new entry", async () => {
    const started = Date.now();
    const pulumi = findPulumi()!;
    const emulator = await startEmulator({ tokens: { [TOKEN]: ["all.Instance"] } });
    const leftovers: number[] = [];
    try {
      const fleet = seedFleetFile(emulator, 5);
      const newNames = addNewOrgs(fleet, 3);
      const backendDir = tempDir("losant-faults-state-");
      const { workDir } = await fleetStack("ours", emulator, fleet, TOKEN, { backendDir, config: { "losant:requestTimeoutMs": "120000" } });
      const env = { ...process.env, ...pulumiEnv(backendDir) };
      delete env.LOSANT_API_TOKEN;
      const cli = (args: string[]) =>
        new Promise<{ ok: boolean; output: string }>((resolve) =>
          execFile(pulumi, [...args, "--stack", "dev", "--non-interactive"], { cwd: workDir, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
            resolve({ ok: !error, output: `${stdout}${stderr}` }),
          ),
        );

      // Every POST is applied, and its answer withheld: the engine is killed while it waits for them.
      emulator.faults.configure({ rules: [{ kind: "applyThenHang", method: "POST" }] });
      const up = spawn(pulumi, ["up", "--yes", "--skip-preview", "--stack", "dev", "--non-interactive"], {
        cwd: workDir,
        env,
        detached: true,
        stdio: "ignore",
      });
      const made = () => emulator.store.listOrgs(fleet.instanceId).filter((org) => newNames.includes(org.name)).length;
      for (const deadline = Date.now() + 240_000; made() < newNames.length;) {
        if (Date.now() > deadline) throw new Error("the up never POSTed every new org");
        await new Promise((r) => setTimeout(r, 20));
      }
      const realWorkDir = fs.realpathSync(workDir);
      const provider = processesIn(realWorkDir).filter((p) => p.cmdline.includes("dynamic-provider"));
      leftovers.push(...processesIn(realWorkDir).map((p) => p.pid));
      // A runner's kill takes the whole job: the engine's process group, and the provider plugin with it.
      process.kill(-up.pid!, "SIGKILL");
      for (const p of provider) process.kill(p.pid, "SIGKILL");
      emulator.faults.reset();
      const postsBefore = emulator.requests.filter((r) => r.method === "POST").length;
      expect(postsBefore).toBe(newNames.length);

      // The README's recovery: delete an empty .attrs file a kill can leave, then release the lock.
      for (const file of emptyAttrsFiles(backendDir)) fs.rmSync(file);
      const cancel = await cli(["cancel", "--yes"]);
      expect({ ok: cancel.ok, output: cancel.ok ? "" : cancel.output }).toEqual({ ok: true, output: "" });
      const next = await cli(["up", "--yes", "--skip-preview"]);
      expect({ ok: next.ok, output: next.ok ? "" : next.output }).toEqual({ ok: true, output: "" });
      // The next up found the orgs by their creation marker: no POST, and one org per new entry.
      expect(emulator.requests.filter((r) => r.method === "POST")).toHaveLength(postsBefore);
      for (const name of newNames)
        expect({ name, orgs: emulator.store.listOrgs(fleet.instanceId).filter((org) => org.name === name).length }).toEqual({ name, orgs: 1 });
      const preview = await cli(["preview", "--expect-no-changes"]);
      expect({ ok: preview.ok, output: preview.ok ? "" : preview.output }).toEqual({ ok: true, output: "" });
      results.push(
        [
          "pipeline killed between POST and state write",
          "killed",
          "succeeded",
          "-",
          "hold (0 new POSTs)",
          String(emulator.requests.length),
          `${((Date.now() - started) / 1000).toFixed(1)} s`,
        ].join(" | "),
      );
    } finally {
      for (const pid of leftovers) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // Already gone.
        }
      }
      await emulator.close();
    }
  });
});
