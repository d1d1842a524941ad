/**
 * The refresh read-ahead over real HTTP: refresh reads that arrive the way the engine sends them (a
 * few outstanding at a time) are answered from one walk of the instance's list once a first batch
 * went out. Request counts are exact; every org reads as its own GET reads it; an org the walk does
 * not hold is never dropped without proof.
 */
import { instanceOrgProvider as provider } from "../../provider";
import type { Emulator } from "../../emulator/server";
import { MODE_MATRIX } from "../../emulator/modes";
import { seedFleet } from "../../emulator/seed";
import type { InstanceOrgOutputs } from "../../provider/shared/resourceTypes";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { INSTANCE_ID } from "../support/fixtures";
import { isIdBatch, isList, isWalkPage, orgsRead } from "../support/reads";
import { NO_LIST_TOKEN, startSeededEmulator } from "../support/emulatorHarness";

const noConfig = { config: { get: () => undefined, require: () => "" } };
/** About what Pulumi 3.248 keeps outstanding during a refresh at its default --parallel. */
const ENGINE_PARALLEL = 8;

let emulator: Emulator;

afterEach(async () => {
  await emulator.close();
  jest.restoreAllMocks();
});

/** Adopts the orgs (nothing to PATCH), then starts afresh as a new provider process would. */
async function adopted(orgIds: string[]): Promise<Map<string, InstanceOrgOutputs>> {
  const created = await Promise.all(
    orgIds.map((orgId) => provider.create({ instanceId: INSTANCE_ID, orgId, name: emulator.store.getOrg(INSTANCE_ID, orgId)!.name })),
  );
  await provider.configure!(noConfig);
  emulator.resetRequests();
  return new Map(created.map((c) => [c.id, c.outs as InstanceOrgOutputs]));
}

/** Refreshes the orgs as the engine does: at most `parallel` reads outstanding, the next one sent as one finishes. */
async function engineRefresh(state: Map<string, InstanceOrgOutputs>, parallel = ENGINE_PARALLEL): Promise<Map<string, dynamic.ReadResult>> {
  const queue = [...state.keys()];
  const results = new Map<string, dynamic.ReadResult>();
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) results.set(id, await provider.read!(id, state.get(id)!));
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return results;
}

/** The same reads, each made alone by a fresh process with a single GET: what the walk must match. */
async function readAlone(state: Map<string, InstanceOrgOutputs>, ids: string[]): Promise<Array<dynamic.ReadResult>> {
  const results: dynamic.ReadResult[] = [];
  for (const id of ids) {
    await provider.configure!(noConfig);
    results.push(await provider.read!(id, state.get(id)!));
  }
  return results;
}

describe.each(MODE_MATRIX)("refresh read-ahead, emulator mode $name", ({ modes }) => {
  const capped = modes.pageSize === "capAt100";

  beforeEach(async () => {
    emulator = await startSeededEmulator(modes);
    await provider.configure!(noConfig);
  });

  test(`150 orgs read ${ENGINE_PARALLEL} at a time: ${capped ? "2 walk pages of 100, once 2 id batches went out" : "one id batch, then one walk page of 1000"}; outputs as single GETs give`, async () => {
    const state = await adopted(seedFleet(emulator, 149, INSTANCE_ID).orgIds);
    const read = await engineRefresh(state);
    const requests = emulator.requests;
    expect(requests.every(isList)).toBe(true);
    // The walk goes on only while it costs no more than the id batches so far (readAhead.ts).
    if (capped) expect(requests.filter(isIdBatch).length).toBeLessThanOrEqual(3);
    else expect(requests.filter(isIdBatch)).toHaveLength(1);
    const first = { page: "0", perPage: "1000", sortField: "id", sortDirection: "asc" };
    const after = { ...first, query: expect.stringMatching(/^\{"id":\{"\$gt":"[0-9a-f]{24}"\}\}$/) };
    expect(requests.filter(isWalkPage).map((r) => r.query)).toEqual(capped ? [first, after] : [first]);
    // Every org of the stack was read (the instance's seeded org "Acme" comes with the walk too).
    expect(new Set(orgsRead(requests))).toEqual(new Set([...state.keys(), ...emulator.store.listOrgs(INSTANCE_ID).map((o) => o.id)]));
    const sample = [...state.keys()].filter((_, i) => i % 37 === 0);
    expect(sample.map((id) => read.get(id))).toEqual(await readAlone(state, sample));
  });

  test(`a fleet of 2,500 orgs: the walk (${capped ? "25 pages of 100" : "3 pages of 1000"}) once as many id batches went out; all read`, async () => {
    const state = await adopted(seedFleet(emulator, 2499, INSTANCE_ID).orgIds);
    const read = await engineRefresh(state);
    const pages = emulator.requests.filter(isWalkPage);
    const batches = emulator.requests.filter(isIdBatch);
    expect(pages).toHaveLength(capped ? 25 : 3);
    expect(batches.length).toBeLessThanOrEqual(pages.length + 1);
    expect(emulator.requests).toHaveLength(pages.length + batches.length);
    expect([...read.values()].every((r) => r.id !== "")).toBe(true);
    expect(read.size).toBe(2499);
  });
});

/**
 * After a refresh burst walked the instance's list, within the same process: an org created since,
 * one this process PATCHed, and one it DELETEd are each read with one request, and read right.
 */
describe.each(MODE_MATRIX)("refresh read-ahead, read your writes and fresh absence, emulator mode $name", ({ modes }) => {
  beforeEach(async () => {
    emulator = await startSeededEmulator(modes);
    await provider.configure!(noConfig);
  });

  async function burst(): Promise<Map<string, InstanceOrgOutputs>> {
    const state = await adopted(seedFleet(emulator, 20, INSTANCE_ID).orgIds);
    // Twice, so that the second burst is answered from a walk of the list.
    await engineRefresh(state);
    await engineRefresh(state);
    expect(emulator.requests.filter(isWalkPage).length).toBeGreaterThanOrEqual(1);
    emulator.resetRequests();
    return state;
  }

  test("an org created out of band after the walk: found, with one request", async () => {
    await burst();
    const late = emulator.store.createOrg(INSTANCE_ID, { name: "late" });
    const read = await provider.read!(late.id, { instanceId: INSTANCE_ID, orgId: late.id, name: "late" });
    expect(read.id).toBe(late.id);
    expect(read.props).toMatchObject({ name: "late" });
    expect(emulator.requests).toHaveLength(1);
  });

  test("an org PATCHed by this process after the walk: the read shows the new value, with one request", async () => {
    const state = await burst();
    const [id, olds] = [...state.entries()][3];
    await provider.update!(id, olds, { instanceId: INSTANCE_ID, orgId: id, name: "renamed" });
    emulator.resetRequests();
    const read = await provider.read!(id, { ...olds, name: "renamed" });
    expect(read.props).toMatchObject({ name: "renamed" });
    expect(emulator.requests).toHaveLength(1);
  });

  test("an org DELETEd by this process after the walk: the read finds it gone", async () => {
    const state = await burst();
    const [id, olds] = [...state.entries()][5];
    await provider.delete!(id, olds);
    emulator.resetRequests();
    expect(await provider.read!(id, olds)).toEqual({ id: "" });
    // One list request by id: its reply without the org is the proof.
    expect(emulator.requests).toHaveLength(1);
    expect(emulator.requests.every(isIdBatch)).toBe(true);
  });

  test("an org the listing holds and nobody wrote since: read from the listing, with no request", async () => {
    const state = await burst();
    const [id, olds] = [...state.entries()][7];
    // A lone read of an org the listing holds costs nothing more.
    const read = await provider.read!(id, olds);
    expect(read.id).toBe(id);
    expect(emulator.requests).toHaveLength(0);
  });
});

describe("refresh read-ahead: what it may and may not conclude", () => {
  beforeEach(async () => {
    emulator = await startSeededEmulator();
    await provider.configure!(noConfig);
  });

  test("a single org, and two read in a row, keep plain GETs: no walk", async () => {
    const state = await adopted(seedFleet(emulator, 2, INSTANCE_ID).orgIds);
    await engineRefresh(state, 1);
    expect(emulator.requests.map((r) => r.method + (isList(r) ? " list" : " org"))).toEqual(["GET org", "GET org"]);
  });

  test("20 orgs of an instance of 5,000: the walk stops after one page (it would cost more than it saves); the rest go by id", async () => {
    const fleet = seedFleet(emulator, 4980, INSTANCE_ID);
    const state = await adopted(fleet.orgIds.filter((_, i) => i % 249 === 0));
    expect(state.size).toBe(20);
    const read = await engineRefresh(state);
    expect(emulator.requests.filter(isWalkPage)).toHaveLength(1);
    expect([...read.values()].every((r) => r.id !== "")).toBe(true);
    // Each org the page did not hold is read by id, at most once.
    const byId = orgsRead(emulator.requests.filter((r) => !isWalkPage(r)));
    expect(new Set(byId).size).toBe(byId.length);
  });

  test("an org deleted before the refresh: the complete walk is the instance's answer without it, so it is dropped; nothing else is", async () => {
    const orgIds = seedFleet(emulator, 30, INSTANCE_ID).orgIds;
    const state = await adopted(orgIds);
    const gone = orgIds[20];
    emulator.store.deleteOrg(INSTANCE_ID, gone);
    const read = await engineRefresh(state);
    expect(read.get(gone)).toEqual({ id: "" });
    expect([...read.entries()].filter(([id, r]) => id !== gone && r.id === "")).toEqual([]);
    expect(emulator.requests.every(isList)).toBe(true);
    expect(emulator.requests.filter(isWalkPage)).toHaveLength(1);
  });

  test("a walk cut short proves nothing: an org it did not reach is read by id, and its 404 gets the usual proof", async () => {
    const fleet = seedFleet(emulator, 4980, INSTANCE_ID);
    const orgIds = fleet.orgIds.filter((_, i) => i % 249 === 0);
    const state = await adopted(orgIds);
    const sorted = [...orgIds].sort();
    const gone = sorted[sorted.length - 1];
    emulator.store.deleteOrg(INSTANCE_ID, gone);
    const read = await engineRefresh(state);
    expect(read.get(gone)).toEqual({ id: "" });
    // Not in the one page walked (ids sort after it), so the id batch's reply without it is the proof.
    const asked = emulator.requests.filter((r) => !isWalkPage(r)).flatMap((r) => orgsRead([{ ...r, status: 200 }]));
    expect(asked).toContain(gone);
  });

  test("a walk page that fails with 503 once is asked again as the same page", async () => {
    const state = await adopted(seedFleet(emulator, 40, INSTANCE_ID).orgIds);
    // The first list is the id batch; the second, the walk's page.
    emulator.faults.configure({ rules: [{ kind: "status", status: 503, pathEndsWith: "/orgs", skip: 1, times: 1 }] });
    await engineRefresh(state);
    const pages = emulator.requests.filter(isWalkPage);
    expect(pages.map((r) => r.status)).toEqual([503, 200]);
    expect(pages[1].query).toEqual(pages[0].query);
  });

  test("a token that may not list: no walk, one refused list, then single GETs; every org read, never an error", async () => {
    const state = await adopted(seedFleet(emulator, 30, INSTANCE_ID).orgIds);
    process.env.LOSANT_API_TOKEN = NO_LIST_TOKEN;
    const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    const read = await engineRefresh(state);
    expect([...read.values()].every((r) => r.id !== "")).toBe(true);
    const refused = emulator.requests.filter((r) => isList(r));
    expect(refused.every((r) => r.status === 403)).toBe(true);
    expect(refused.length).toBeLessThanOrEqual(2);
    expect(emulator.requests.filter((r) => !isList(r))).toHaveLength(30);
    expect(stderr.mock.calls.filter(([line]) => String(line).includes("is off for the rest of this run"))).toHaveLength(1);
  });
});
