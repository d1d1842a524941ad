/**
 * A 200-org fleet adopted through the real CLI while the emulator allows 20 requests per second
 * (429 with Retry-After above that), once per limiter: a sliding window and a GCRA bucket: no resource may fail, and the `up` from its first request to
 * the engine's summary must take at most twice what the limit allows for the requests it needs.
 * The engine's start-up before the first request is not the provider's doing and swings from 4 s
 * to 18 s on a busy 2-core machine, so it is logged but not bounded.
 */
import { Emulator, startEmulator } from "../../emulator/server";
import type { RateLimitSettings } from "../../emulator/rateLimit";
import { fleetStack, seedFleetFile } from "../../scripts/lib/fleet";
import { describeWithPulumi, tempDir } from "../support/e2eHarness";
import { orgsRead } from "../support/reads";

jest.setTimeout(300_000);

const TOKEN = "rate-limit-test-token";
const ORGS = 200;
const PER_SECOND = 20;

describeWithPulumi("fleet scale under Losant's rate limit", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ tokens: { [TOKEN]: ["all.Instance"] } });
  });
  afterAll(() => emulator.close());

  // The sliding window, and Losant's own limiter (Losant/redis-gcra): a GCRA bucket refilled at the same rate.
  // The gate paces a GCRA bucket worse than a window: 1.71-1.88x its floor in 5 runs on a 2-core machine (N is
  // learned from the first burst and kept: open work in the gate); its bound is 3x so the test catches a collapse.
  test.each([
    ["a sliding 1 s window", { requests: PER_SECOND, windowMs: 1000, retryAfter: "seconds" }, 2],
    ["a GCRA bucket of 10", { algorithm: "gcra", burst: 10, rate: PER_SECOND, periodMs: 1000, retryAfter: "seconds" }, 3],
  ] as Array<[string, RateLimitSettings, number]>)(
    `up of ${ORGS} orgs at ${PER_SECOND} requests/s (%s): no failure, within %ix of the limit's minimum time`,
    async (limiter, rateLimit, bound) => {
      emulator.faults.reset();
      const fleet = seedFleetFile(emulator, ORGS);
      const { stack } = await fleetStack("ours", emulator, fleet, TOKEN, { backendDir: tempDir("losant-rate-") });
      emulator.faults.configure({ rateLimit });
      emulator.resetRequests();

      // `up` is done when the engine reports its summary; after that the Automation API runs two more
      // CLI commands (stack outputs, history) for its result object, which are not part of the update.
      const started = Date.now();
      let engineDoneAt = 0;
      const up = await stack.up({ onEvent: (event) => void (event.summaryEvent && (engineDoneAt = Date.now())) });
      const withHarness = (Date.now() - started) / 1000;
      const seconds = (engineDoneAt - started) / 1000;

      expect(up.summary.result).toBe("succeeded");
      // The orgs, the InstanceOrgFleet component that holds them, and the stack.
      expect(up.summary.resourceChanges).toEqual({ create: ORGS + 2 });
      const served = emulator.requests.filter((r) => r.status === 200);
      const limited = emulator.requests.filter((r) => r.status === 429);
      // Each org needs one read (a single GET or a share of a list request) and one PATCH (its declared
      // values differ from the seeded ones).
      expect(orgsRead(served)).toEqual([...fleet.orgIds].sort());
      expect(served.filter((r) => r.method === "PATCH")).toHaveLength(ORGS);
      expect(served.filter((r) => r.method !== "GET" && r.method !== "PATCH")).toEqual([]);
      const floorSeconds = served.length / PER_SECOND;
      const firstAt = (emulator.requests[0].at - started) / 1000;
      console.log(
        `rate-limited up (${limiter}): ${ORGS} orgs, ${served.length} requests served, ${limited.length} answered 429, ${seconds.toFixed(1)}s ` +
          `(first request after ${firstAt.toFixed(1)}s of engine start-up; ${withHarness.toFixed(1)}s with the Automation API's own follow-up commands); ` +
          `the limit allows ${floorSeconds}s; ratio from the first request ${((seconds - firstAt) / floorSeconds).toFixed(2)}`,
      );
      for (const orgId of fleet.orgIds) {
        expect(emulator.store.getOrg(fleet.instanceId, orgId)).toMatchObject({ auditLogEnabled: true, mfaMode: "adminRequired" });
      }
      expect(engineDoneAt).toBeGreaterThan(0);
      expect(seconds - firstAt).toBeLessThanOrEqual(bound * floorSeconds);
    },
  );
});
