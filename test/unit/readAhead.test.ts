/**
 * The walk's own rules against servers that behave in ways Losant does not document: pages out of
 * order (a sort or `$gt` ignored), a `perPage` of 1000 refused, a `totalCount` that ignores the query.
 */
import { ListingReadAhead, READ_AHEAD_MAX_AGE_MS } from "../../client/readAhead";
import { LosantApiError } from "../../client/errors";
import { nextEvent, processWrites } from "../../client/freshness";
import type { OrgPage, OrgPageRequest } from "../../client/losantClient";
import type { LosantInstanceOrg } from "../../losant/types";

const INSTANCE = "5f1e2d3c4b5a69788796a5b4";
const hex = (n: number) => n.toString(16).padStart(24, "0");
const API_URL = "http://127.0.0.1:1";
const orgs: LosantInstanceOrg[] = Array.from({ length: 250 }, (_, i) => ({ id: hex(i + 1), orgId: hex(i + 1), name: `o${i}` }) as LosantInstanceOrg);

/** A list endpoint over `orgs` that pages by keyset, with the quirks asked for. */
function server(quirks: { ignoreGt?: boolean; refuseAbove?: number; cap?: number; globalTotal?: boolean } = {}) {
  const asked: OrgPageRequest[] = [];
  const api = {
    apiUrl: API_URL,
    listOrgsPage: async (request: OrgPageRequest): Promise<OrgPage> => {
      asked.push(request);
      if (quirks.refuseAbove !== undefined && request.perPage > quirks.refuseAbove) {
        throw new LosantApiError({
          operation: "list",
          ref: { instanceId: INSTANCE, orgId: "" },
          status: 400,
          type: "Validation",
          losantMessage: "perPage",
          attempts: 1,
        });
      }
      const after = (request.query as { id?: { $gt?: string } } | undefined)?.id?.$gt;
      const matching = orgs.filter((o) => quirks.ignoreGt || after === undefined || String(o.id) > after);
      const size = Math.min(request.perPage, quirks.cap ?? Infinity);
      return { items: matching.slice(0, size), totalCount: quirks.globalTotal ? orgs.length : matching.length };
    },
  };
  return { api, asked };
}

const find = (readAhead: ListingReadAhead, api: ReturnType<typeof server>["api"], orgId: string, budget = 100, askedAt?: number) =>
  readAhead.find("g", api, INSTANCE, orgId, undefined, () => budget, askedAt);

test("a server that ignores `$gt` repeats page 1: the walk stops, holds page 1's orgs, and proves nothing about the rest", async () => {
  const { api, asked } = server({ ignoreGt: true, cap: 100 });
  const readAhead = new ListingReadAhead();
  expect(await find(readAhead, api, hex(250))).toBeUndefined();
  expect(await find(readAhead, api, hex(5))).toMatchObject({ kind: "org" });
  expect(asked).toHaveLength(2);
});

test("perPage 1000 refused with 400: the walk asks again with the documented default of 100 and finishes", async () => {
  const { api, asked } = server({ refuseAbove: 100 });
  const readAhead = new ListingReadAhead();
  const askedBefore = nextEvent();
  expect(await find(readAhead, api, hex(250))).toMatchObject({ kind: "org" });
  expect(asked.map((r) => r.perPage)).toEqual([1000, 100, 100, 100]);
  expect(await find(readAhead, api, hex(999), 100, askedBefore)).toEqual({ kind: "absent" });
});

test("a totalCount that counts the whole instance, with pages capped: the walk ends at the first empty page", async () => {
  const { api, asked } = server({ globalTotal: true, cap: 100 });
  const readAhead = new ListingReadAhead();
  const askedBefore = nextEvent();
  expect(await find(readAhead, api, hex(250))).toMatchObject({ kind: "org" });
  expect(asked).toHaveLength(4);
  expect(await find(readAhead, api, hex(999), 100, askedBefore)).toEqual({ kind: "absent" });
});

test("over budget the walk pauses after page 1: ids up to its last are answered (listed or absent), later ones are not", async () => {
  const { api, asked } = server({ cap: 100 });
  const readAhead = new ListingReadAhead();
  expect(await find(readAhead, api, hex(200), 1)).toBeUndefined();
  expect(await find(readAhead, api, hex(50), 1)).toMatchObject({ kind: "org" });
  expect(asked).toHaveLength(1);
  // As the budget grows (more id batches went out), the walk goes on from where it stopped.
  expect(await find(readAhead, api, hex(200), 3)).toMatchObject({ kind: "org" });
  expect(asked.map((r) => (r.query as { id: { $gt: string } } | undefined)?.id.$gt)).toEqual([undefined, hex(100), hex(200)]);
});

test("a listing older than its age limit is dropped by expire and walked afresh", async () => {
  const { api, asked } = server();
  let now = 1_000_000;
  jest.spyOn(Date, "now").mockImplementation(() => now);
  const readAhead = new ListingReadAhead();
  await find(readAhead, api, hex(1));
  now += READ_AHEAD_MAX_AGE_MS;
  expect(readAhead.expire("g")).toBe(false);
  now += 1;
  expect(readAhead.expire("g")).toBe(true);
  jest.restoreAllMocks();
  await find(readAhead, api, hex(1));
  expect(asked).toHaveLength(2);
});

test("a read is answered once its page is walked, while the walk goes on to later pages", async () => {
  const { api: paged, asked } = server({ cap: 100 });
  // Page 2 and later answer only when the test says so.
  let releaseLater!: () => void;
  const later = new Promise<void>((resolve) => (releaseLater = resolve));
  const api = {
    apiUrl: API_URL,
    listOrgsPage: async (request: OrgPageRequest) => {
      if (request.query !== undefined) await later;
      return paged.listOrgsPage(request);
    },
  };
  const readAhead = new ListingReadAhead();
  const onPageThree = find(readAhead, api, hex(250));
  const onPageOne = await find(readAhead, api, hex(5));
  expect(onPageOne).toMatchObject({ kind: "org", org: { id: hex(5) } });
  // Page 1 answered it while page 2 was still out; the walk was not cut short for that.
  expect(asked).toHaveLength(1);
  releaseLater();
  expect(await onPageThree).toMatchObject({ kind: "org", org: { id: hex(250) } });
  expect(asked).toHaveLength(3);
});

/**
 * Fresh proof of absence and read-your-writes: what a listing may answer, by when the read was asked,
 * when the page that covers the org was requested, and when this process last wrote the org.
 */
describe("what a walked listing may answer", () => {
  const NEW_ORG = hex(251);
  type Step = "walk" | "ask" | "write";
  const cases: Array<{ name: string; orgId: string; order: Step[]; expected: "org" | "absent" | undefined }> = [
    { name: "an org not listed, asked before the walk: absent", orgId: NEW_ORG, order: ["ask", "walk"], expected: "absent" },
    { name: "an org not listed, asked after the walk (created since): not answered", orgId: NEW_ORG, order: ["walk", "ask"], expected: undefined },
    { name: "a listed org, asked after the walk: answered", orgId: hex(7), order: ["walk", "ask"], expected: "org" },
    { name: "a listed org written (PATCH) after the walk: not answered", orgId: hex(7), order: ["ask", "walk", "write"], expected: undefined },
    { name: "a listed org written before the walk: answered", orgId: hex(7), order: ["write", "ask", "walk"], expected: "org" },
    {
      name: "an org not listed, written (DELETE) after the walk, asked before it: not answered",
      orgId: NEW_ORG,
      order: ["ask", "walk", "write"],
      expected: undefined,
    },
  ];

  test.each(cases)("$name", async ({ orgId, order, expected }) => {
    const { api, asked } = server();
    const readAhead = new ListingReadAhead();
    let askedAt = 0;
    for (const step of order) {
      if (step === "walk") await find(readAhead, api, hex(1));
      if (step === "ask") askedAt = nextEvent();
      if (step === "write") processWrites.record(API_URL, INSTANCE, orgId.toUpperCase());
    }
    const answer = await find(readAhead, api, orgId, 100, askedAt);
    expect(answer?.kind).toBe(expected);
    // Whatever it answers, the listing costs the one page it walked: nothing it cannot answer is walked again.
    expect(asked).toHaveLength(1);
  });

  test("a read asked while its page is in flight is not proven absent by that page", async () => {
    const { api: paged, asked } = server();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const api = { apiUrl: API_URL, listOrgsPage: async (request: OrgPageRequest) => (await held, paged.listOrgsPage(request)) };
    const readAhead = new ListingReadAhead();
    const walking = find(readAhead, api, hex(1));
    const askedDuring = find(readAhead, api, NEW_ORG, 100, nextEvent());
    release();
    expect(await walking).toMatchObject({ kind: "org" });
    expect(await askedDuring).toBeUndefined();
    expect(asked).toHaveLength(1);
  });
});
