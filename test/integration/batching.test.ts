/**
 * Request economy at fleet scale, over real HTTP against the emulator: the reads of 250 orgs
 * handled concurrently in one process go out as list requests of up to 100 ids, and every
 * other guarantee (proof before dropping an org, merge-safe limits, documented fields only)
 * holds as it does for a single GET.
 */
import { instanceOrgProvider as provider } from "../../provider";
import type { Emulator, RecordedRequest } from "../../emulator/server";
import { MODE_MATRIX } from "../../emulator/modes";
import { seedFleet } from "../../emulator/seed";
import type { LosantApiError } from "../../client/errors";
import type { InstanceOrgOutputs } from "../../provider/shared/resourceTypes";
import { INSTANCE_ID, ORG_ID, UNKNOWN_INSTANCE_ID } from "../support/fixtures";
import { isList, listedIds } from "../support/reads";
import { NO_LIST_TOKEN, orgPath, requestLines, startSeededEmulator } from "../support/emulatorHarness";

const FLEET = 250;
const HAND_SET = { key: "flow", value: 42 } as const;
const noConfig = { config: { get: () => undefined, require: () => "" } };

let emulator: Emulator;

afterEach(async () => {
  await emulator.close();
  jest.restoreAllMocks();
});

async function fleetOf(size: number, instanceId = INSTANCE_ID): Promise<string[]> {
  return seedFleet(emulator, size, instanceId).orgIds;
}

function nameOf(orgId: string): string {
  return emulator.store.getOrg(INSTANCE_ID, orgId)!.name;
}

/** Adopts every org with its current name (nothing to PATCH) and forgets the requests that took. */
async function adoptAll(orgIds: string[], extra: Record<string, unknown> = {}): Promise<Map<string, InstanceOrgOutputs>> {
  const created = await Promise.all(orgIds.map((orgId) => provider.create({ instanceId: INSTANCE_ID, orgId, name: nameOf(orgId), ...extra })));
  emulator.resetRequests();
  return new Map(created.map((c) => [c.id, c.outs as InstanceOrgOutputs]));
}

/** Every key at any depth that starts with "_": hypermedia that must not reach outputs. */
function underscoreKeys(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(underscoreKeys);
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => [...(key.startsWith("_") ? [key] : []), ...underscoreKeys(item)]);
}

/** The list requests made cover `orgIds` exactly once each, in batches of at most 100. */
function expectBatchesCover(requests: RecordedRequest[], orgIds: string[]): void {
  const lists = requests.filter(isList);
  for (const list of lists) {
    expect(listedIds(list).length).toBeLessThanOrEqual(100);
    expect(list.query.perPage).toBe("100");
  }
  expect(lists.flatMap(listedIds).sort()).toEqual([...orgIds].sort());
}

describe.each(MODE_MATRIX)(`${FLEET} orgs at once, emulator mode $name`, ({ modes }) => {
  let orgIds: string[];
  beforeEach(async () => {
    emulator = await startSeededEmulator(modes);
    await provider.configure!(noConfig);
    orgIds = await fleetOf(FLEET);
  });

  test("adopt of orgs that already match: 3 list requests of 100, 100 and 50 ids, nothing else", async () => {
    const created = await Promise.all(orgIds.map((orgId) => provider.create({ instanceId: INSTANCE_ID, orgId, name: nameOf(orgId) })));
    expect(emulator.requests).toHaveLength(3);
    expect(emulator.requests.every(isList)).toBe(true);
    expect(emulator.requests.map((r) => listedIds(r).length).sort()).toEqual([100, 100, 50]);
    expectBatchesCover(emulator.requests, orgIds);
    expect(created.map((c) => c.id).sort()).toEqual([...orgIds].sort());
  });

  test("refresh: 3 list requests; every org read as its own GET reads it; no hypermedia in outputs", async () => {
    const adopted = await adoptAll(orgIds);
    const read = await Promise.all(orgIds.map((id) => provider.read!(id, adopted.get(id)!)));
    expect(emulator.requests).toHaveLength(3);
    expectBatchesCover(emulator.requests, orgIds);
    expect(read.map((r) => r.id)).toEqual(orgIds);
    expect(underscoreKeys(read.map((r) => r.props))).toEqual([]);

    // The same org read alone (one plain GET, in a process that has read nothing else) gives exactly the same outputs and inputs.
    await provider.configure!(noConfig);
    emulator.resetRequests();
    const alone = await provider.read!(orgIds[7], adopted.get(orgIds[7])!);
    expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath(orgIds[7])}`]);
    expect(read[7]).toEqual(alone);
  });

  test("one limit changed on every org: 250 PATCHes + 3 list requests; a hand-set undeclared limit is kept", async () => {
    const adopted = await adoptAll(orgIds, { limits: { device: 100 } });
    // Set out of band, after the last read: only the read before each PATCH can know it.
    for (const orgId of orgIds) {
      const org = emulator.store.getOrg(INSTANCE_ID, orgId)!;
      emulator.store.patchOrg(INSTANCE_ID, orgId, { limits: { ...org.limits, [HAND_SET.key]: HAND_SET.value } });
    }
    await Promise.all(
      orgIds.map((id) => provider.update!(id, adopted.get(id)!, { instanceId: INSTANCE_ID, orgId: id, name: nameOf(id), limits: { device: 7 } })),
    );
    const patches = emulator.requests.filter((r) => r.method === "PATCH");
    const others = emulator.requests.filter((r) => r.method !== "PATCH");
    expect(patches).toHaveLength(FLEET);
    expect(others).toHaveLength(3);
    expectBatchesCover(others, orgIds);
    for (const orgId of orgIds) {
      const limits = emulator.store.getOrg(INSTANCE_ID, orgId)!.limits;
      expect(limits.device).toBe(7);
      expect(limits[HAND_SET.key]).toBe(HAND_SET.value);
    }
  });
});

describe("batches and proof", () => {
  beforeEach(async () => {
    emulator = await startSeededEmulator();
    await provider.configure!(noConfig);
  });

  test("a single org alone: exactly one plain GET, as before batching", async () => {
    const [created] = [await provider.create({ instanceId: INSTANCE_ID, orgId: ORG_ID, name: "Acme" })];
    expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`]);
    emulator.resetRequests();
    await provider.read!(ORG_ID, created.outs);
    expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`]);
  });

  test("an org missing from the list reply is proven gone by that reply: dropped with no extra request", async () => {
    const orgIds = await fleetOf(3);
    const adopted = await adoptAll(orgIds);
    emulator.store.deleteOrg(INSTANCE_ID, orgIds[1]);
    const read = await Promise.all(orgIds.map((id) => provider.read!(id, adopted.get(id)!)));
    expect(emulator.requests).toHaveLength(1);
    expect(read.map((r) => r.id)).toEqual([orgIds[0], "", orgIds[2]]);
  });

  test("adopting orgs of which one does not exist: that one fails as a proven-absent org, the others are adopted", async () => {
    const orgIds = await fleetOf(2);
    const missing = "60a1b2c3d4e5f60718293aff";
    const results = await Promise.allSettled([...orgIds, missing].map((orgId) => provider.create({ instanceId: INSTANCE_ID, orgId, name: "x" })));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected"]);
    expect(String((results[2] as PromiseRejectedResult).reason)).toMatch(/does not exist in instance/);
    expect(emulator.requests.filter(isList)).toHaveLength(1);
  });

  test("the instance answering 404 to the batch: every read fails as an unreachable instance, none is dropped, 1 request", async () => {
    const orgIds = await fleetOf(3);
    const adopted = await adoptAll(orgIds);
    const results = await Promise.allSettled(orgIds.map((id) => provider.read!(id, { ...adopted.get(id)!, instanceId: UNKNOWN_INSTANCE_ID })));
    expect(emulator.requests).toHaveLength(1);
    for (const result of results) {
      expect(result.status).toBe("rejected");
      // The provider runs the built client (dist/), so compare class names, not classes.
      expect(((result as PromiseRejectedResult).reason as Error).name).toBe("LosantInstanceNotFoundError");
    }
  });

  test("reads with different summaryInclude sets go in separate batches, each asking for its own set", async () => {
    const orgIds = await fleetOf(4);
    const adopted = await adoptAll(orgIds);
    const sets = [undefined, ["deviceCount"], undefined, ["deviceCount"]];
    await Promise.all(orgIds.map((id, i) => provider.read!(id, { ...adopted.get(id)!, summaryInclude: sets[i] })));
    const lists = emulator.requests.filter(isList);
    expect(lists).toHaveLength(2);
    expect(lists.map((r) => r.query.summaryInclude).sort()).toEqual(["deviceCount", undefined]);
    expect(emulator.requests).toHaveLength(2);
  });

  test.each([
    ["a 503", { kind: "status" as const, status: 503 }],
    ["a 429 with Retry-After", { kind: "status" as const, status: 429, retryAfter: "0" }],
    ["a connection reset", { kind: "reset" as const }],
  ])("a batch that meets %s is retried as the same batch", async (_name, rule) => {
    const orgIds = await fleetOf(5);
    const adopted = await adoptAll(orgIds);
    emulator.faults.configure({ rules: [{ ...rule, pathEndsWith: "/orgs", times: 1 }] });
    const read = await Promise.all(orgIds.map((id) => provider.read!(id, adopted.get(id)!)));
    expect(read.map((r) => r.id)).toEqual(orgIds);
    expect(emulator.requests).toHaveLength(2);
    expect(emulator.requests.every(isList)).toBe(true);
    expect(listedIds(emulator.requests[1])).toEqual(listedIds(emulator.requests[0]));
  });

  test("a batch that keeps failing fails each read with an error naming its own org; nothing is dropped", async () => {
    const orgIds = await fleetOf(2);
    const adopted = await adoptAll(orgIds);
    emulator.faults.configure({ rules: [{ kind: "status", status: 500, pathEndsWith: "/orgs" }] });
    const results = await Promise.allSettled(orgIds.map((id) => provider.read!(id, adopted.get(id)!)));
    results.forEach((result, i) => {
      expect(result.status).toBe("rejected");
      const reason = (result as PromiseRejectedResult).reason as LosantApiError;
      expect(reason.name).toBe("LosantApiError");
      expect(reason.status).toBe(500);
      expect(reason.message).toContain(`looking for org ${orgIds[i]}`);
    });
  });
});

// Last: these turn batching off for their emulator's URL for the rest of the process.
describe("fallback to single GETs", () => {
  beforeEach(async () => {
    emulator = await startSeededEmulator();
    await provider.configure!(noConfig);
  });

  test.each([
    ["403: the token may not list orgs", () => void (process.env.LOSANT_API_TOKEN = NO_LIST_TOKEN), 403],
    ["400: the API refuses the query form", () => emulator.faults.configure({ rules: [{ kind: "status", status: 400, pathEndsWith: "/orgs" }] }), 400],
  ])(
    "%s: one refused list, then single GETs for the rest of the process, said once on stderr, never an error",
    async (_name, refuse, status) => {
      // 150 orgs: two batches form at once, and only the first may be sent before the refusal is known.
      const orgIds = await fleetOf(150);
      refuse();
      const lines: string[] = [];
      jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => lines.push(String(chunk)) > 0);

      const created = await Promise.all(orgIds.map((orgId) => provider.create({ instanceId: INSTANCE_ID, orgId, name: nameOf(orgId) })));
      expect(created.map((c) => c.id)).toEqual(orgIds);
      expect(emulator.requests.filter(isList).map((r) => r.status)).toEqual([status]);
      expect(requestLines(emulator.requests.filter((r) => !isList(r))).sort()).toEqual(orgIds.map((id) => `GET ${orgPath(id)}`).sort());

      emulator.resetRequests();
      const read = await Promise.all(created.map((c) => provider.read!(c.id, c.outs)));
      expect(read.map((r) => r.id)).toEqual(orgIds);
      expect(requestLines(emulator.requests).sort()).toEqual(orgIds.map((id) => `GET ${orgPath(id)}`).sort());

      const said = lines.filter((line) => line.includes("batches"));
      expect(said).toHaveLength(1);
      expect(said[0]).toContain(`HTTP ${status}`);
      expect(said[0]).not.toContain(NO_LIST_TOKEN);
      // The provider's one request gate keeps the rate it learned from the 429 test above for the rest of this file's
      // process, so these 300 requests go at that pace: 37 s each in a run of the whole file on 2026-12-04 (6 s after the
      // 429 test alone), which passed the 30 s default only narrowly before.
    },
    90_000,
  );
});
