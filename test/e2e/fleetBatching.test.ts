/**
 * Batched reads through the real CLI: a 150-org fleet refreshed with `pulumi refresh` (default
 * --parallel) takes at most 2 list requests, and `pulumi preview --refresh --expect-no-changes`
 * passes with as few.
 *
 * The engine has only about --parallel reads outstanding at once (8 by default on this 2-core
 * machine; about 10 even with --parallel 1000, measured with Pulumi 3.248), so id batches alone
 * hold about 8 orgs each: 22-23 list requests for 150 orgs, measured before the read-ahead. With
 * it, the first batch goes by id and the refresh reads that keep coming are answered from one page
 * of the instance's list (client/readAhead.ts).
 */
import { Emulator, RecordedRequest, startEmulator } from "../../emulator/server";
import { fleetStack, seedFleetFile } from "../../scripts/lib/fleet";
import { describeWithPulumi, tempDir } from "../support/e2eHarness";
import { isIdBatch, isList, isWalkPage, listedIds, orgsRead } from "../support/reads";

jest.setTimeout(300_000);

const TOKEN = "fleet-batching-token-41c2";
const ORGS = 150;
/** Issue 10's bound: one id batch and one page of the walk. */
const MAX_LIST_REQUESTS = 2;

const describeRequests = (requests: RecordedRequest[]) =>
  requests.map((r) => (isWalkPage(r) ? `walk(${r.replyIds?.length ?? 0})` : isIdBatch(r) ? `ids(${listedIds(r).length})` : "get")).join(" ");

describeWithPulumi(`${ORGS}-org fleet: reads batched through the real CLI`, () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ tokens: { [TOKEN]: ["all.Instance"] } });
  });
  afterAll(() => emulator.close());

  test(`refresh reads every org with at most ${MAX_LIST_REQUESTS} list requests; preview --refresh --expect-no-changes passes with as few`, async () => {
    const fleet = seedFleetFile(emulator, ORGS);
    const { stack } = await fleetStack("ours", emulator, fleet, TOKEN, { backendDir: tempDir("losant-batching-") });
    await stack.up();

    emulator.resetRequests();
    const started = Date.now();
    const refresh = await stack.refresh({ expectNoChanges: true });
    const seconds = (Date.now() - started) / 1000;
    expect(refresh.summary.result).toBe("succeeded");
    const requests = emulator.requests;
    console.log(`refresh of ${ORGS} orgs in ${seconds.toFixed(1)} s: ${requests.length} requests: ${describeRequests(requests)}`);
    expect(requests.every((r) => r.method === "GET" && r.status === 200)).toBe(true);
    expect(new Set(orgsRead(requests))).toEqual(new Set(fleet.orgIds));
    expect(requests.every(isList)).toBe(true);
    expect(requests.length).toBeLessThanOrEqual(MAX_LIST_REQUESTS);

    emulator.resetRequests();
    const preview = await stack.preview({ refresh: true, expectNoChanges: true });
    // The orgs, the InstanceOrgFleet component that holds them, and the stack.
    expect(preview.changeSummary).toEqual({ same: ORGS + 2 });
    expect(emulator.requests.every((r) => r.method === "GET")).toBe(true);
    expect(emulator.requests.length).toBeLessThanOrEqual(MAX_LIST_REQUESTS);
    console.log(`preview --refresh of ${ORGS} orgs: ${emulator.requests.length} requests: ${describeRequests(emulator.requests)}`);

    // The walk's page meets a 503, then a connection reset: it is asked again, the same page, and the refresh changes nothing.
    emulator.resetRequests();
    emulator.faults.configure({
      rules: [
        { kind: "status", status: 503, pathEndsWith: "/orgs", skip: 1, times: 1 },
        { kind: "reset", pathEndsWith: "/orgs", skip: 1, times: 1 },
      ],
    });
    const faulted = await stack.refresh({ expectNoChanges: true });
    emulator.faults.configure({ rules: [] });
    expect(faulted.summary.result).toBe("succeeded");
    const pages = emulator.requests.filter(isWalkPage);
    expect(pages.map((r) => r.status ?? r.fault)).toEqual([503, "reset", 200]);
    expect(new Set(pages.map((r) => JSON.stringify(r.query))).size).toBe(1);
    expect(new Set(orgsRead(emulator.requests))).toEqual(new Set(fleet.orgIds));
    console.log(`refresh with a 503 and a reset on the walk page: ${emulator.requests.length} requests: ${describeRequests(emulator.requests)}`);
  });
});
