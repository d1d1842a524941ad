/**
 * How long a read whose value goes into a PATCH (adopt, update) waits for others to batch with,
 * over real HTTP: while the request gate would send it at once, only while other reads keep coming
 * (it holds one of the engine's --parallel slots, and the PATCH waits on it), and never longer than
 * the longest wait; while requests queue at the gate, until the turn of the place in the queue its
 * batch took when its first read came. Refresh reads keep the window either way.
 */
import { LosantClient } from "../../client/losantClient";
import { OrgReadBatcher, DEFAULT_BATCH_WINDOW_MS, PATCH_READ_MAX_WAIT_MS, PATCH_READ_QUIET_MS, PATCH_READ_QUIET_SLOTS_FREE_MS } from "../../client/orgBatcher";
import { RequestGate } from "../../client/requestGate";
import type { Emulator } from "../../emulator/server";
import { seedFleet } from "../../emulator/seed";
import { INSTANCE_ID } from "../support/fixtures";
import { isList, listedIds } from "../support/reads";
import { TOKEN, startSeededEmulator } from "../support/emulatorHarness";

let emulator: Emulator;
let orgIds: string[];

beforeEach(async () => {
  emulator = await startSeededEmulator();
  orgIds = seedFleet(emulator, 6, INSTANCE_ID).orgIds;
  emulator.resetRequests();
});

afterEach(() => emulator.close());

function clientWith(maxConcurrency: number): LosantClient {
  return new LosantClient({ apiUrl: emulator.url, apiToken: TOKEN, userAgent: "patch-reads-test", timeoutMs: 10_000, gate: new RequestGate(maxConcurrency) });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts a read of each org, `gapMs` apart (as the engine starts operations), and waits for all. */
async function readSpaced(batcher: OrgReadBatcher, api: LosantClient, ids: string[], gapMs: number, fromListing: boolean): Promise<void> {
  const reads: Promise<unknown>[] = [];
  for (const orgId of ids) {
    reads.push(batcher.read(api, { instanceId: INSTANCE_ID, orgId }, undefined, { fromListing }));
    await pause(gapMs);
  }
  const found = await Promise.all(reads);
  expect(found.every((read) => (read as { kind: string }).kind === "org")).toBe(true);
}

test("with the gate free, reads for a PATCH started 5 ms apart wait while they keep coming, then go out as one list request", async () => {
  const api = clientWith(10);
  await readSpaced(new OrgReadBatcher(), api, orgIds.slice(0, 5), 5, false);
  expect(emulator.requests).toHaveLength(1);
  expect(listedIds(emulator.requests[0]).sort()).toEqual(orgIds.slice(0, 5).sort());
});

test("with the gate free, reads for a PATCH started further apart than the quiet spell each go alone, as their own GET", async () => {
  const api = clientWith(10);
  await readSpaced(new OrgReadBatcher(), api, orgIds.slice(0, 3), 3 * PATCH_READ_QUIET_MS, false);
  expect(emulator.requests.map((r) => `${r.method} ${r.path}`)).toEqual(orgIds.slice(0, 3).map((id) => `GET /instances/${INSTANCE_ID}/orgs/${id}`));
});

test("reads for a PATCH that keep coming wait no longer than the longest wait: the batch goes while they still come", async () => {
  // 10 ms apart, well within the quiet spell, for longer than the longest wait: without that bound they would all wait for the last.
  orgIds = [...orgIds, ...seedFleet(emulator, 2 * Math.ceil(PATCH_READ_MAX_WAIT_MS / 10), INSTANCE_ID).orgIds];
  const api = clientWith(10);
  const started = Date.now();
  const first = new OrgReadBatcher();
  const firstAnswered = first.read(api, { instanceId: INSTANCE_ID, orgId: orgIds[0] }).then(() => Date.now() - started);
  await readSpaced(first, api, orgIds.slice(1), 10, false);
  const lists = emulator.requests.filter(isList);
  expect(lists.length).toBeGreaterThanOrEqual(2);
  // The first batch went at the longest wait, with at most the reads that came by then (pauses only ever run long).
  expect(listedIds(lists[0]).length).toBeLessThanOrEqual(PATCH_READ_MAX_WAIT_MS / 10 + 1);
  expect(await firstAnswered).toBeLessThan(2 * PATCH_READ_MAX_WAIT_MS);
}, 20_000);

test("reads for a PATCH started in the same tick still go out together", async () => {
  const api = clientWith(10);
  const batcher = new OrgReadBatcher();
  await Promise.all(orgIds.map((orgId) => batcher.read(api, { instanceId: INSTANCE_ID, orgId })));
  expect(emulator.requests).toHaveLength(1);
  expect(listedIds(emulator.requests[0]).sort()).toEqual([...orgIds].sort());
});

test("refresh reads started 5 ms apart wait the batch window and share list requests", async () => {
  const api = clientWith(10);
  await readSpaced(new OrgReadBatcher(), api, orgIds.slice(0, 4), 5, true);
  expect(emulator.requests.length).toBeLessThan(4);
  expect(emulator.requests.some((r) => isList(r) && listedIds(r).length >= 2)).toBe(true);
});

test("while requests queue at the gate, reads for a PATCH wait for their batch's turn and share one list request", async () => {
  // The first read is out 160 ms from its quiet spell's end, so the last read (65 ms after that) meets its batch with room
  // to spare on a loaded machine (with 80 ms it came after the batch's turn once, in a CI run with both cores busy).
  emulator.faults.configure({ latencyMs: 8 * DEFAULT_BATCH_WINDOW_MS });
  const api = clientWith(1);
  const batcher = new OrgReadBatcher();
  // The first read takes the gate's only slot; the ones started while it is out find the gate busy.
  const first = batcher.read(api, { instanceId: INSTANCE_ID, orgId: orgIds[0] });
  // Past its quiet spell, so it has gone out alone and holds the slot.
  await pause(PATCH_READ_QUIET_MS + 10);
  // 30 ms apart, longer than the batch window: they meet because the batch is waiting for its turn.
  await readSpaced(batcher, api, orgIds.slice(1, 4), 30, false);
  await first;
  expect(emulator.requests.map((r) => (isList(r) ? listedIds(r).sort().join(",") : r.path.split("/").pop()))).toEqual([
    orgIds[0],
    orgIds.slice(1, 4).sort().join(","),
  ]);
});

test("a batch for a PATCH that gathered with the gate free queues where its first read came: before a request asked for after that read", async () => {
  emulator.faults.configure({ latencyMs: 100 });
  const api = clientWith(1);
  const batcher = new OrgReadBatcher();
  const ref = (orgId: string) => ({ instanceId: INSTANCE_ID, orgId });
  const batched = batcher.read(api, ref(orgIds[0]));
  await pause(5);
  // Takes the gate's only slot while the batch still gathers; the next is asked for before the batch is done gathering.
  const holder = api.getOrg(ref(orgIds[1]));
  await pause(5);
  const askedLater = api.getOrg(ref(orgIds[2]));
  await Promise.all([batched, holder, askedLater]);
  expect(emulator.requests.map((r) => r.path.split("/").pop())).toEqual([orgIds[1], orgIds[0], orgIds[2]]);
});

test("batches waiting for the first list request hold no slot: its retries after a 503 still get one", async () => {
  // Found by the fault matrix: with losant:maxConcurrency 2, two batches whose places came up while
  // the first list request was out held both slots waiting for it, and its retry waited for them.
  orgIds = [...orgIds, ...seedFleet(emulator, 14, INSTANCE_ID).orgIds];
  emulator.faults.configure({ latencyMs: 40, rules: [{ kind: "status", status: 503, pathEndsWith: "/orgs", times: 2 }] });
  const api = clientWith(2);
  const batcher = new OrgReadBatcher();
  await readSpaced(batcher, api, orgIds, 3, false);
  const lists = emulator.requests.filter(isList);
  expect(lists.slice(0, 2).map((r) => r.status)).toEqual([503, 503]);
  const read = new Set([
    ...emulator.requests.filter((r) => !isList(r) && r.status === 200).map((r) => r.path.split("/").pop()),
    ...lists.filter((r) => r.status === 200).flatMap(listedIds),
  ]);
  expect(read).toEqual(new Set(orgIds));
}, 20_000);

test("with fewer operations under way than the caller has shown it runs, reads for a PATCH 100 ms apart still share one list request", async () => {
  // As with a checkpoint per step at --parallel 64: the engine's other slots are writing checkpoints, and their reads
  // come some tens of milliseconds apart. A caller running as many as it has shown gets the short quiet spell instead.
  const api = clientWith(10);
  const batcher = new OrgReadBatcher();
  const ref = (orgId: string) => ({ instanceId: INSTANCE_ID, orgId });
  // Four operations at once: the caller runs at least four.
  await Promise.all(orgIds.slice(0, 4).map((orgId) => batcher.holdingASlot(() => batcher.read(api, ref(orgId)))));
  expect(emulator.requests).toHaveLength(1);
  const gapMs = 100;
  expect(gapMs).toBeGreaterThan(3 * PATCH_READ_QUIET_MS);
  expect(gapMs).toBeLessThan(PATCH_READ_QUIET_SLOTS_FREE_MS / 2);
  const later: Promise<unknown>[] = [];
  for (const orgId of orgIds.slice(4, 6)) {
    later.push(batcher.holdingASlot(() => batcher.read(api, ref(orgId))));
    await pause(gapMs);
  }
  await Promise.all(later);
  expect(emulator.requests).toHaveLength(2);
  expect(listedIds(emulator.requests[1]).sort()).toEqual(orgIds.slice(4, 6).sort());
});

test("the first operations of a run, started 10 ms apart, share one batch: while they ramp up, the most under way is the batch itself", async () => {
  const api = clientWith(10);
  const batcher = new OrgReadBatcher();
  const ops: Promise<unknown>[] = [];
  for (const orgId of orgIds) {
    ops.push(batcher.holdingASlot(() => batcher.read(api, { instanceId: INSTANCE_ID, orgId })));
    await pause(10);
  }
  await Promise.all(ops);
  expect(emulator.requests).toHaveLength(1);
  expect(listedIds(emulator.requests[0]).sort()).toEqual([...orgIds].sort());
});

test("a batch that fills to the most operations seen at once only slowly does not go at once: reads still coming join it", async () => {
  // With a checkpoint per step the engine sends reads tens of milliseconds apart: reaching that count then says less
  // about a caller with every slot taken than the same count reached within one short quiet spell does.
  const api = clientWith(10);
  const batcher = new OrgReadBatcher();
  const op = (orgId: string) => batcher.holdingASlot(() => batcher.read(api, { instanceId: INSTANCE_ID, orgId }));
  await Promise.all(orgIds.slice(0, 2).map(op));
  expect(emulator.requests).toHaveLength(1);
  const later = [op(orgIds[2])];
  await pause(2 * PATCH_READ_QUIET_MS);
  later.push(op(orgIds[3]));
  await pause(5);
  later.push(op(orgIds[4]));
  await Promise.all(later);
  expect(emulator.requests).toHaveLength(2);
  expect(listedIds(emulator.requests[1]).sort()).toEqual(orgIds.slice(2, 5).sort());
});
