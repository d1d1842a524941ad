/**
 * The fault matrix, through the real CLI: for each fault, `up` with the fault active (it may fail),
 * then `up` again without it, and check the invariants:
 * - the second `up` succeeds and `refresh --expect-no-changes` passes;
 * - every org holds the declared values, and every undeclared field is byte-for-byte as before;
 * - no state file and no line of Pulumi's output contains the token.
 */
import path from "path";
import type { Stack } from "@pulumi/pulumi/automation";
import { Emulator, EmulatorOptions, RecordedRequest, startEmulator } from "../../emulator/server";
import { FaultSettings } from "../../emulator/faults";
import { EmulatorModes, MODE_MATRIX } from "../../emulator/modes";
import { StoredOrg } from "../../emulator/store";
import { settingMatches } from "../../provider/plan";
import type { OrgSettings } from "../../losant/types";
import { Fleet, fleetStack, seedFleetFile } from "../../scripts/lib/fleet";
import { describeWithPulumi, expectFailure, exportWithSecrets, instanceOrgCount, rawBackendFiles, resourcesContaining, tempDir } from "../support/e2eHarness";
import { UNKNOWN_INSTANCE_ID } from "../support/fixtures";
import { seededRandom } from "../support/random";
import { decorateFleet as decorate } from "../support/fleetInvariants";
import { isList } from "../support/reads";

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
}

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
      tags: [{ key: "tier", value: "gold" }, { key: "region", value: "eu" }, { key: "Cost-Center", value: "42" }],
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
    faults: { rules: [{ kind: "status", status: 429, retryAfter: "1", pathEndsWith: "/orgs", times: 3 }] },
    firstUpSucceeds: true,
    afterFirstUp: async ({ control }) => expectListsRetried(control.current(), 429, 3),
  },
  {
    name: "503 on list requests",
    orgs: 20,
    faults: { rules: [{ kind: "status", status: 503, pathEndsWith: "/orgs", times: 3 }] },
    firstUpSucceeds: true,
    afterFirstUp: async ({ control }) => expectListsRetried(control.current(), 503, 3),
  },
  {
    name: "connection reset mid-batch",
    orgs: 20,
    faults: { rules: [{ kind: "reset", pathEndsWith: "/orgs", times: 2 }] },
    firstUpSucceeds: true,
    afterFirstUp: async ({ control }) => expectListsRetried(control.current(), undefined, 2),
  },
  {
    name: "list refused with 403: single GETs instead",
    orgs: 20,
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
      const before = new Map(fleet.orgIds.map((id) => [id, undeclared(emulator.store.getOrg(fleet.instanceId, id)!, declares)]));
      const output: string[] = [];
      const onOutput = (text: string) => output.push(text);
      const backendDir = tempDir("losant-faults-state-");
      const { stack, workDir } = await fleetStack("ours", emulator, fleet, TOKEN, { backendDir, config: { "losant:requestTimeoutMs": "1000" } });

      emulator.faults.configure(faultCase.faults ?? {});
      const first = await Promise.all([
        stack.up({ onOutput }).then(() => "succeeded", (e) => `failed (${String((e as Error).message).match(/(\d+) errored/)?.[1] ?? "some"} errored)`),
        faultCase.during?.(control),
      ]).then(([outcome]) => outcome);
      if (faultCase.firstUpSucceeds) expect(first).toBe("succeeded");
      await faultCase.afterFirstUp?.({ control, stack, fleet, output });
      emulator.faults.reset();

      const second = await stack.up({ onOutput });
      expect(second.summary.result).toBe("succeeded");
      if (faultCase.emptyPreview) {
        expect(second.summary.resourceChanges).toEqual({ same: faultCase.orgs + 1 });
        expect((await stack.preview({ onOutput })).changeSummary).toEqual({ same: faultCase.orgs + 1 });
      }
      const refresh = await stack.refresh({ expectNoChanges: true, onOutput });
      expect(refresh.summary.result).toBe("succeeded");

      for (const [i, orgId] of fleet.orgIds.entries()) {
        const org = emulator.store.getOrg(fleet.instanceId, orgId)!;
        expect(org).toMatchObject({ name: fleet.file.orgs[i].name, auditLogEnabled: true, mfaMode: "adminRequired" });
        expect(org.limits).toMatchObject({ device: fleet.file.defaults.limits.device, member: fleet.file.defaults.limits.member });
        for (const [field, value] of Object.entries(declares)) expect(settingMatches(field as keyof typeof declares, value, org[field as keyof typeof declares])).toBe(true);
        expect(JSON.stringify(undeclared(org, declares))).toBe(JSON.stringify(before.get(orgId)));
      }
      expect(output.join("")).not.toContain(TOKEN);
      expect(rawBackendFiles(backendDir)).not.toContain(TOKEN);
      expect(resourcesContaining(exportWithSecrets(workDir, backendDir), TOKEN)).toEqual(["pulumi:providers:pulumi-nodejs"]);

      requestCount += emulator.requests.length;
      results.push([faultCase.name, first, "succeeded", "yes", "hold", String(requestCount), `${((Date.now() - started) / 1000).toFixed(1)} s`].join(" | "));
    } catch (error) {
      results.push([faultCase.name, "-", "-", "-", `FAILED: ${String((error as Error).message).split("\n")[0].slice(0, 80)}`, String(requestCount), `${((Date.now() - started) / 1000).toFixed(1)} s`].join(" | "));
      throw error;
    } finally {
      await emulator.close();
    }
  });
});
