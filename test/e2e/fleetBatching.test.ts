/**
 * Batched reads through the real CLI: a 150-org fleet refreshed with `pulumi refresh` (default
 * --parallel) reads its orgs mostly through list requests, well under one request per org, and
 * `pulumi preview --refresh --expect-no-changes` passes.
 *
 * How many ids a batch holds depends on how many reads the engine has outstanding at once, and
 * that is at most its --parallel (8 by default on this 2-core machine: 4 per core) and, measured
 * with Pulumi 3.248, about 10 even with --parallel 1000. So 150 orgs cannot be read in 2 list
 * requests by coalescing alone: at the default --parallel the floor is 150 / 8 = 19, and measured
 * are 22-23 (16 at --parallel 1000; batches of 8 but for a few, a read that found no other in its window staying a plain
 * GET). The bound here is that every org is read exactly once, by GETs only, with at most twice
 * the requests measured.
 */
import { Emulator, RecordedRequest, startEmulator } from "../../emulator/server";
import { fleetStack, seedFleetFile } from "../../scripts/lib/fleet";
import { describeWithPulumi, tempDir } from "../support/e2eHarness";
import { isList, listedIds, orgsRead } from "../support/reads";

jest.setTimeout(300_000);

const TOKEN = "fleet-batching-token-41c2";
const ORGS = 150;
/** Measured 23; twice that leaves room for a busy CI machine, and is still under a third of one per org. */
const MAX_REFRESH_REQUESTS = 46;

const batchSizes = (requests: RecordedRequest[]) => requests.map((r) => (isList(r) ? listedIds(r).length : 1));

describeWithPulumi(`${ORGS}-org fleet: reads batched through the real CLI`, () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ tokens: { [TOKEN]: ["all.Instance"] } });
  });
  afterAll(() => emulator.close());

  test("refresh reads every org once, in batches as full as the engine allows (at most 0.31 requests per org); preview --refresh --expect-no-changes passes", async () => {
    const fleet = seedFleetFile(emulator, ORGS);
    const { stack } = await fleetStack("ours", emulator, fleet, TOKEN, { backendDir: tempDir("losant-batching-") });
    await stack.up();

    emulator.resetRequests();
    const started = Date.now();
    const refresh = await stack.refresh({ expectNoChanges: true });
    const seconds = (Date.now() - started) / 1000;
    expect(refresh.summary.result).toBe("succeeded");
    const requests = emulator.requests;
    const sizes = batchSizes(requests);
    console.log(
      `refresh of ${ORGS} orgs in ${seconds.toFixed(1)} s: ${requests.length} requests (${requests.filter(isList).length} lists, ${requests.filter((r) => !isList(r)).length} single GETs), ` +
        `${(requests.length / ORGS).toFixed(2)} per org; ids per request: ${sizes.join(" ")}`,
    );
    expect(requests.every((r) => r.method === "GET" && r.status === 200)).toBe(true);
    expect(orgsRead(requests)).toEqual([...fleet.orgIds].sort());
    expect(requests.length).toBeLessThanOrEqual(MAX_REFRESH_REQUESTS);

    emulator.resetRequests();
    const preview = await stack.preview({ refresh: true, expectNoChanges: true });
    // The orgs, the InstanceOrgFleet component that holds them, and the stack.
    expect(preview.changeSummary).toEqual({ same: ORGS + 2 });
    expect(emulator.requests.every((r) => r.method === "GET")).toBe(true);
    console.log(`preview --refresh of ${ORGS} orgs: ${emulator.requests.length} requests (${emulator.requests.filter(isList).length} lists)`);
  });
});
