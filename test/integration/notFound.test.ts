/**
 * A 404 from Losant means "instance or organization not found". These tests show, over real HTTP
 * and in every emulator mode, that the provider drops an org from the state or counts it deleted
 * only when the org is proven gone, keeps it otherwise with an error that says why, and never spends
 * more than one extra request deciding.
 */
import { instanceOrgProvider as provider } from "../../provider";
import type { Emulator } from "../../emulator/server";
import { MODE_MATRIX } from "../../emulator/modes";
// The provider runs from dist/, so its errors are another copy's classes: check names, and the brand.
import { isLosantError } from "../../client/errors";
import { INSTANCE_ID, ORG_ID, UNKNOWN_INSTANCE_ID } from "../support/fixtures";
import { NO_LIST_TOKEN, OTHER_INSTANCE_TOKEN, orgPath, requestLines, startSeededEmulator, TOKEN } from "../support/emulatorHarness";

let emulator: Emulator;
const ids = { instanceId: INSTANCE_ID, orgId: ORG_ID };
const noConfig = { config: { get: () => undefined, require: () => "" } };
const listLine = (instanceId: string = INSTANCE_ID) =>
  `GET /instances/${instanceId}/orgs?query=${encodeURIComponent(JSON.stringify({ id: ORG_ID }))}&perPage=1`;

afterEach(() => emulator.close());

/** Adopts the org and forgets the requests that took: the state an `up` leaves. */
async function adopted(inputs: Record<string, unknown> = { ...ids, name: "Acme", limits: { device: 7 } }) {
  const created = await provider.create(inputs);
  emulator.resetRequests();
  return created.outs;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!("error" in outcome)) throw new Error(`expected a failure, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(Error);
  return outcome.error as Error;
}

describe.each(MODE_MATRIX)("emulator mode $name", ({ modes }) => {
  beforeEach(async () => {
    emulator = await startSeededEmulator(modes);
    await provider.configure!(noConfig);
  });

  describe("an unknown instance", () => {
    const elsewhere = async () => ({ ...(await adopted()), instanceId: UNKNOWN_INSTANCE_ID });

    test("refresh fails naming the instance and keeps the org: one GET, one list", async () => {
      const state = await elsewhere();
      const error = await failure(provider.read!(ORG_ID, state));
      expect(error.name).toBe("LosantInstanceNotFoundError");
      expect(isLosantError(error)).toBe(true);
      expect(error.message).toContain(`instance ${UNKNOWN_INSTANCE_ID} itself was not found or is not accessible with this API token`);
      expect(error.message).toContain("The org was kept in the state");
      expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath(ORG_ID, UNKNOWN_INSTANCE_ID)}`, listLine(UNKNOWN_INSTANCE_ID)]);
    });

    test("destroy fails and deletes nothing: one DELETE, one list", async () => {
      const state = await elsewhere();
      const error = await failure(provider.delete!(ORG_ID, state));
      expect(error.name).toBe("LosantInstanceNotFoundError");
      expect(error.message).toContain("it was not counted as deleted");
      expect(requestLines(emulator.requests)).toEqual([`DELETE ${orgPath(ORG_ID, UNKNOWN_INSTANCE_ID)}`, listLine(UNKNOWN_INSTANCE_ID)]);
      expect(emulator.store.getOrg(INSTANCE_ID, ORG_ID)).toBeDefined();
    });

    test("adopt fails saying nothing was adopted", async () => {
      const error = await failure(provider.create({ ...ids, instanceId: UNKNOWN_INSTANCE_ID, name: "Acme" }));
      expect(error.name).toBe("LosantInstanceNotFoundError");
      expect(error.message).toContain("Nothing was adopted");
      expect(emulator.requests).toHaveLength(2);
    });

    test("update fails and changes nothing: one PATCH, one list", async () => {
      const state = await elsewhere();
      const error = await failure(provider.update!(ORG_ID, state, { ...ids, instanceId: UNKNOWN_INSTANCE_ID, name: "Renamed", limits: { device: 7 } }));
      expect(error.name).toBe("LosantInstanceNotFoundError");
      expect(requestLines(emulator.requests)).toEqual([`PATCH ${orgPath(ORG_ID, UNKNOWN_INSTANCE_ID)}`, listLine(UNKNOWN_INSTANCE_ID)]);
      expect(emulator.store.getOrg(INSTANCE_ID, ORG_ID)!.name).toBe("Acme");
    });
  });

  describe("a token that reaches only another instance", () => {
    beforeEach(() => {
      process.env.LOSANT_API_TOKEN = OTHER_INSTANCE_TOKEN;
    });
    afterEach(() => {
      process.env.LOSANT_API_TOKEN = TOKEN;
    });

    test("refresh fails and keeps the org; destroy fails and the org stays in Losant", async () => {
      process.env.LOSANT_API_TOKEN = TOKEN;
      const state = await adopted();
      process.env.LOSANT_API_TOKEN = OTHER_INSTANCE_TOKEN;
      const read = await failure(provider.read!(ORG_ID, state));
      expect(read.name).toBe("LosantInstanceNotFoundError");
      expect(read.message).toContain(`instance ${INSTANCE_ID} itself was not found or is not accessible with this API token`);
      const destroy = await failure(provider.delete!(ORG_ID, state));
      expect(destroy.name).toBe("LosantInstanceNotFoundError");
      expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`, listLine(), `DELETE ${orgPath()}`, listLine()]);
      expect(emulator.store.getOrg(INSTANCE_ID, ORG_ID)).toBeDefined();
      for (const error of [read, destroy]) expect(JSON.stringify({ m: error.message, s: error.stack })).not.toContain(OTHER_INSTANCE_TOKEN);
    });

    test("adopt fails without adopting", async () => {
      const error = await failure(provider.create({ ...ids, name: "Acme" }));
      expect(error.name).toBe("LosantInstanceNotFoundError");
      expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`, listLine()]);
    });
  });

  describe("an org deleted outside Pulumi", () => {
    test("refresh drops it (empty id) after one GET and one list", async () => {
      const state = await adopted();
      emulator.store.deleteOrg(INSTANCE_ID, ORG_ID);
      await expect(provider.read!(ORG_ID, state)).resolves.toEqual({ id: "" });
      expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`, listLine()]);
    });

    test("destroy counts it as deleted after one DELETE and one list", async () => {
      const state = await adopted();
      emulator.store.deleteOrg(INSTANCE_ID, ORG_ID);
      await expect(provider.delete!(ORG_ID, state)).resolves.toBeUndefined();
      expect(requestLines(emulator.requests)).toEqual([`DELETE ${orgPath()}`, listLine()]);
    });

    test("update fails saying it was deleted outside Pulumi and to run refresh: one PATCH, one list", async () => {
      const state = await adopted();
      emulator.store.deleteOrg(INSTANCE_ID, ORG_ID);
      const error = await failure(provider.update!(ORG_ID, state, { ...ids, name: "Renamed", limits: { device: 7 } }));
      expect(error.name).toBe("LosantOrgNotFoundError");
      expect(error.message).toMatch(/deleted outside Pulumi.*pulumi refresh/);
      expect(requestLines(emulator.requests)).toEqual([`PATCH ${orgPath()}`, listLine()]);
    });

    test("an update that changes limits finds out at its GET: one GET, one list, no PATCH", async () => {
      const state = await adopted();
      emulator.store.deleteOrg(INSTANCE_ID, ORG_ID);
      const error = await failure(provider.update!(ORG_ID, state, { ...ids, name: "Acme", limits: { device: 8 } }));
      expect(error.name).toBe("LosantOrgNotFoundError");
      expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`, listLine()]);
    });

    test("adopting it fails with 'does not exist in instance': one GET, one list", async () => {
      emulator.store.deleteOrg(INSTANCE_ID, ORG_ID);
      const error = await failure(provider.create({ ...ids, name: "Acme" }));
      expect(error.name).toBe("LosantOrgNotFoundError");
      expect(error.message).toContain(`org ${ORG_ID} does not exist in instance ${INSTANCE_ID}`);
      expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`, listLine()]);
    });
  });

  describe("a check that is refused", () => {
    test("refresh and destroy keep the org and name the scope that would let the provider decide", async () => {
      const state = await adopted();
      emulator.store.deleteOrg(INSTANCE_ID, ORG_ID);
      process.env.LOSANT_API_TOKEN = NO_LIST_TOKEN;
      try {
        for (const attempt of [() => provider.read!(ORG_ID, state), () => provider.delete!(ORG_ID, state)]) {
          const error = await failure(attempt());
          expect(error.name).toBe("LosantUnconfirmedNotFoundError");
          expect(error).toMatchObject({ reason: "checkRefused", checkStatus: 403 });
          expect(isLosantError(error)).toBe(true);
          expect(error.message).toContain("instanceOrgs.get");
          expect(error.message).toContain("kept in the state");
        }
      } finally {
        process.env.LOSANT_API_TOKEN = TOKEN;
      }
      expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`, listLine(), `DELETE ${orgPath()}`, listLine()]);
    });
  });

  describe("a passing 404 (the instance still lists the org)", () => {
    const once404 = (method: string) => emulator.faults.configure({ rules: [{ kind: "status", status: 404, method, pathIncludes: orgPath(), times: 1 }] });

    test("refresh keeps the org, as the list shows it: the same outputs as a GET, with one request more", async () => {
      const state = await adopted({
        ...ids,
        name: "Acme",
        limits: { device: 7 },
        tags: [
          { key: "b", value: "2" },
          { key: "a", value: "1" },
        ],
      });
      const normal = await provider.read!(ORG_ID, state);
      emulator.resetRequests();
      once404("GET");
      const afterPassing404 = await provider.read!(ORG_ID, state);
      expect(afterPassing404).toEqual(normal);
      expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`, listLine()]);
    });

    test("destroy fails and the org stays; update fails and changes nothing", async () => {
      const state = await adopted();
      once404("DELETE");
      expect(await failure(provider.delete!(ORG_ID, state))).toMatchObject({ reason: "orgListed" });
      once404("PATCH");
      expect(await failure(provider.update!(ORG_ID, state, { ...ids, name: "Renamed", limits: { device: 7 } }))).toMatchObject({ reason: "orgListed" });
      expect(requestLines(emulator.requests)).toEqual([`DELETE ${orgPath()}`, listLine(), `PATCH ${orgPath()}`, listLine()]);
      expect(emulator.store.getOrg(INSTANCE_ID, ORG_ID)).toMatchObject({ name: "Acme" });
    });

    test("adopt goes on with the org as the list shows it", async () => {
      once404("GET");
      const created = await provider.create({ ...ids, name: "Renamed" });
      expect(created.outs).toMatchObject({ orgId: ORG_ID, name: "Renamed" });
      expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`, listLine(), `PATCH ${orgPath()}`]);
    });
  });
});
