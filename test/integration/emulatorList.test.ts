/**
 * `GET /instances/{id}/orgs` and `POST /instances/{id}/orgs` on the emulator, over real HTTP:
 * paging, sort, name glob, advanced query, scopes, hypermedia.
 */
import { DEFAULT_TOKEN, Emulator, startEmulator } from "../../emulator/server";
import { parseListParams, selectPage } from "../../emulator/listing";
import { INSTANCE_ID } from "../support/fixtures";

// Replies are read by path in assertions; their shapes are what the tests check.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type JsonObject = Record<string, any>;

const T0 = Date.parse("2026-01-01T00:00:00.000Z");
let now = T0;
let emulator: Emulator;
const ids: string[] = [];

const hex = (n: number) => n.toString(16).padStart(24, "0");
const auth = (token = DEFAULT_TOKEN) => ({ Authorization: `Bearer ${token}`, "Content-Type": "application/json" });

interface Page {
  items: Array<JsonObject>;
  count: number;
  totalCount: number;
  perPage: number;
  page: number;
  sortField: string;
  sortDirection: string;
  instanceId: string;
  filter?: string;
  filterField?: string;
  _type?: string;
  _links?: Record<string, { href: string }>;
}

async function list(params: Record<string, string> = {}, token = DEFAULT_TOKEN): Promise<{ status: number; body: JsonObject }> {
  const search = new URLSearchParams(params).toString();
  const res = await fetch(`${emulator.url}/instances/${INSTANCE_ID}/orgs${search ? `?${search}` : ""}`, { headers: auth(token) });
  return { status: res.status, body: (await res.json()) as JsonObject };
}

async function page(params: Record<string, string> = {}): Promise<Page> {
  const { status, body } = await list(params);
  expect([status, body]).toEqual([200, expect.anything()]);
  return body as Page;
}

const names = (p: Page) => p.items.map((o) => o.name as string);
const query = (q: unknown, extra: Record<string, string> = {}) => page({ query: JSON.stringify(q), perPage: "1000", ...extra });

beforeAll(async () => {
  emulator = await startEmulator({
    clock: () => new Date(now),
    tokens: {
      [DEFAULT_TOKEN]: ["all.Instance"],
      "org-only": ["instanceOrg.get", "instanceOrg.patch"],
      "list-only": ["instanceOrgs.get"],
      "read-only": ["all.Instance.read"],
      "user-bounded": ["all.User.bounded"],
      creator: { scopes: ["instanceOrgs.post", "instanceOrgs.get"], userId: hex(0xabc) },
    },
  });
  emulator.store.addInstance(INSTANCE_ID);
  // 250 orgs, created one second apart, with names whose order differs from creation order.
  for (let i = 0; i < 250; i++) {
    now = T0 + i * 1000;
    const name = `customer-${String((i * 7) % 250).padStart(3, "0")}`;
    const tags = i % 10 === 0 ? [{ key: "tier", value: i % 20 === 0 ? "gold" : "silver" }] : [];
    ids.push(emulator.store.createOrg(INSTANCE_ID, { name, tags, mfaMode: i % 3 === 0 ? "required" : "notRequired" }, hex(1000 + i)).id);
  }
  now = T0 + 1_000_000;
});
afterAll(() => emulator.close());

describe("paging", () => {
  test("defaults: page 0, 100 per page, sorted by name ascending; the reply is shaped like instanceOrgs.json", async () => {
    const first = await page();
    expect(first).toMatchObject({ count: 100, totalCount: 250, perPage: 100, page: 0, sortField: "name", sortDirection: "asc", instanceId: INSTANCE_ID });
    expect(names(first).slice(0, 3)).toEqual(["customer-000", "customer-001", "customer-002"]);
  });

  test("pages cover every org once, and the last page is short", async () => {
    const pages = await Promise.all([0, 1, 2, 3].map((n) => page({ page: String(n), perPage: "70" })));
    expect(pages.map((p) => p.count)).toEqual([70, 70, 70, 40]);
    const seen = pages.flatMap((p) => p.items.map((o) => o.id));
    expect(new Set(seen).size).toBe(250);
    expect((await page({ page: "9" })).items).toEqual([]);
  });

  test.each([
    ["perPage", "0"],
    ["perPage", "1001"],
    ["perPage", "ten"],
    ["page", "-1"],
    ["page", "1.5"],
    ["sortField", "description"],
    ["sortDirection", "up"],
    ["filterField", "description"],
    ["summaryInclude", "nope"],
  ])("%s=%s: 400 Validation", async (param, value) => {
    const { status, body } = await list({ [param]: value });
    expect(status).toBe(400);
    expect(body).toEqual({ type: "Validation", message: expect.stringContaining(param) });
  });

  test("perPage 1000 is allowed", async () => {
    expect((await page({ perPage: "1000" })).count).toBe(250);
  });

  test('mode pageSize "capAt100": any perPage is served as at most 100, the reply saying so; 1001 is no 400', async () => {
    emulator.setModes({ pageSize: "capAt100" });
    try {
      for (const perPage of ["1000", "1001", "100000"]) {
        expect(await page({ perPage, sortField: "id" })).toMatchObject({ count: 100, perPage: 100, totalCount: 250 });
      }
      expect((await page({ perPage: "30" })).count).toBe(30);
      expect((await page({ perPage: "1000", page: "2" })).count).toBe(50);
    } finally {
      emulator.setModes({ pageSize: "refuseAbove1000" });
    }
  });
});

describe("sort", () => {
  test.each([
    ["name", "asc"],
    ["name", "desc"],
    ["id", "asc"],
    ["id", "desc"],
    ["creationDate", "asc"],
    ["creationDate", "desc"],
    ["lastUpdated", "desc"],
  ])("by %s %s", async (sortField, sortDirection) => {
    const p = await page({ sortField, sortDirection, perPage: "1000" });
    const values = p.items.map((o) => o[sortField] as string);
    const sorted = [...values].sort();
    expect(values).toEqual(sortDirection === "asc" ? sorted : sorted.reverse());
    expect([p.sortField, p.sortDirection]).toEqual([sortField, sortDirection]);
  });

  // Losant/bravado-core lib/validate-params.js checks each query parameter against the table's enum, exactly.
  test.each([
    ["sortDirection", "DESC"],
    ["sortField", "Name"],
    ["filterField", "description"],
  ])("%s=%s is refused: 400 '{field} must be an enum value'", async (field, value) => {
    expect(await list({ [field]: value })).toEqual({ status: 400, body: { type: "Validation", message: `${field} must be an enum value` } });
  });
});

describe("name filter", () => {
  test("* globs, the whole name must match, case is ignored; the reply echoes filter and filterField", async () => {
    const p = await page({ filterField: "name", filter: "CUSTOMER-00*" });
    expect(names(p)).toEqual(Array.from({ length: 10 }, (_, i) => `customer-00${i}`));
    expect([p.filter, p.filterField, p.totalCount]).toEqual(["CUSTOMER-00*", "name", 10]);
    expect((await page({ filterField: "name", filter: "*-12*" })).totalCount).toBe(10);
    expect((await page({ filterField: "name", filter: "customer-1" })).totalCount).toBe(0);
    expect((await page({ filterField: "name", filter: "customer-1.." })).totalCount).toBe(0); // not a regular expression
  });

  test("a filter without filterField, or a blank one, filters nothing", async () => {
    expect((await page({ filter: "customer-00*" })).totalCount).toBe(250);
    expect((await page({ filterField: "name", filter: "" })).totalCount).toBe(250);
  });
});

describe("advanced query", () => {
  test("plain equality on name", async () => {
    expect(names(await query({ name: "customer-007" }))).toEqual(["customer-007"]);
  });

  test("name and creationDate together, as a client finds the org its POST created", async () => {
    const since = new Date(T0 + 240_000).toISOString();
    const p = await query({ name: { $startsWith: "customer-" }, creationDate: { $gte: since } });
    expect(p.totalCount).toBe(10);
    expect(p.items.every((o) => Date.parse(o.creationDate) >= T0 + 240_000)).toBe(true);
    // Milliseconds since the epoch work as well as ISO dates.
    expect((await query({ creationDate: { $gte: T0 + 240_000 } })).totalCount).toBe(10);
    expect((await query({ creationDate: { $lt: T0 + 2_000 } })).totalCount).toBe(2);
  });

  test("id $in takes up to 100 ids; 101 is a 400", async () => {
    const hundred = ids.slice(0, 100);
    const p = await query({ id: { $in: hundred } });
    expect(p.items.map((o) => o.id).sort()).toEqual([...hundred].sort());
    const { status, body } = await list({ query: JSON.stringify({ id: { $in: ids.slice(0, 101) } }) });
    expect([status, body.type]).toEqual([400, "Validation"]);
  });

  test("id equality ignores case; a plain id matches one org", async () => {
    expect((await query({ id: ids[5].toUpperCase() })).items.map((o) => o.id)).toEqual([ids[5]]);
  });

  test("$or, $and, $nor, $ne, $nin", async () => {
    expect((await query({ $or: [{ name: "customer-001" }, { name: "customer-002" }] })).totalCount).toBe(2);
    expect((await query({ $and: [{ mfaMode: "required" }, { name: { $in: ["customer-000", "customer-001", "customer-021"] } }] })).totalCount).toBe(2);
    expect((await query({ $nor: [{ mfaMode: "required" }] })).totalCount).toBe(166);
    expect((await query({ mfaMode: { $ne: "required" } })).totalCount).toBe(166);
    expect((await query({ mfaMode: { $nin: ["required", "adminRequired"] } })).totalCount).toBe(166);
  });

  test("text operators and $ci", async () => {
    expect((await query({ name: { $endsWith: "-249" } })).totalCount).toBe(1);
    expect((await query({ name: { $contains: "MER-24" } })).totalCount).toBe(0);
    expect((await query({ name: { $contains: "MER-24", $ci: true } })).totalCount).toBe(10);
  });

  test("tags: by key and value, $tagKey/$tagValue, $ne, null", async () => {
    expect((await query({ tags: { tier: "gold" } })).totalCount).toBe(13);
    expect((await query({ tags: { tier: null } })).totalCount).toBe(25);
    expect((await query({ tags: { $tagKey: "tier", $tagValue: { $in: ["gold", "silver"] } } })).totalCount).toBe(25);
    expect((await query({ tags: { $ne: { tier: "gold" } } })).totalCount).toBe(237);
    expect((await query({ tags: null })).totalCount).toBe(225);
  });

  test("query overrides filter and filterField; the page still sorts and pages", async () => {
    const p = await query({ name: { $startsWith: "customer-1" } }, { filterField: "name", filter: "customer-00*", perPage: "5", sortDirection: "desc" });
    expect([p.totalCount, p.count, p.items[0].name]).toEqual([100, 5, "customer-199"]);
    expect(p.filter).toBeUndefined();
  });

  test.each([
    ["not JSON", "{name:"],
    ["an unknown field", JSON.stringify({ description: "x" })],
    ["an unknown operator", JSON.stringify({ name: { $regex: "x" } })],
    ["a malformed id", JSON.stringify({ id: "abc" })],
    ["two operators on id", JSON.stringify({ id: { $gt: hex(1), $lt: hex(2) } })],
    ["an array", JSON.stringify([{ name: "x" }])],
    ["an empty $startsWith", JSON.stringify({ name: { $startsWith: "" } })],
    ["$and that is not a list", JSON.stringify({ $and: { name: "x" } })],
  ])("a query with %s: 400 Validation", async (_what, text) => {
    const { status, body } = await list({ query: text });
    expect(status).toBe(400);
    expect(body).toEqual({ type: "Validation", message: expect.stringMatching(/query/) });
  });
});

describe("scopes", () => {
  test("a token without a list scope gets 403 Forbidden, as bravado-core lib/authorize.js answers", async () => {
    expect(await list({}, "org-only")).toEqual({ status: 403, body: { type: "Forbidden", message: "Access is forbidden" } });
  });

  test.each(["list-only", "read-only", "user-bounded"])("%s may list", async (token) => {
    expect((await list({}, token)).status).toBe(200);
  });

  test("a token without a POST scope gets 403", async () => {
    const res = await fetch(`${emulator.url}/instances/${INSTANCE_ID}/orgs`, {
      method: "POST",
      headers: auth("list-only"),
      body: JSON.stringify({ name: "x" }),
    });
    expect(res.status).toBe(403);
  });
});

describe("hypermedia on the collection", () => {
  test("the page and each item carry _type and _links with self only; each item an _etag", async () => {
    const p = await page({ perPage: "2" });
    expect(p._type).toBe("instanceOrgs");
    expect(p._links).toEqual({ self: { href: `/instances/${INSTANCE_ID}/orgs` } });
    expect("_etag" in p).toBe(false);
    for (const item of p.items) {
      expect(item._type).toBe("instanceOrg");
      expect(item._links).toEqual({ self: { href: `/instances/${INSTANCE_ID}/orgs/${item.id}` } });
      expect(item._etag).toEqual(expect.any(String));
    }
  });

  test("hypermedia off: no _ field anywhere", async () => {
    emulator.setModes({ hypermedia: false });
    try {
      const text = JSON.stringify(await page({ perPage: "3" }));
      expect(text).not.toMatch(/"_/);
    } finally {
      emulator.setModes({ hypermedia: true });
    }
  });

  test("summaryInclude applies to every item", async () => {
    const p = await page({ perPage: "3", summaryInclude: "deviceCount" });
    expect(p.items.map((o) => Object.keys(o.summary))).toEqual([["deviceCount"], ["deviceCount"], ["deviceCount"]]);
  });
});

describe("POST", () => {
  const API_1_31 = { status: 201, shape: { instanceId: INSTANCE_ID, tags: [], auditLogEnabled: false, _type: "instanceOrg" }, absent: ["members"] };
  const API_1_30 = {
    status: 200,
    shape: { members: [{ userId: hex(0xabc), role: "admin" }], _type: "org" },
    absent: ["instanceId", "tags", "auditLogEnabled", "referralId"],
  };
  test.each([
    ["api1.31", API_1_31],
    ["api1.30", API_1_30],
  ] as const)("postReply %s: the new org in that API's shape, and a query finds it", async (postReply, expected) => {
    emulator.setModes({ postReply });
    now = T0 + 5_000_000;
    const before = new Date(now).toISOString();
    const res = await fetch(`${emulator.url}/instances/${INSTANCE_ID}/orgs`, {
      method: "POST",
      headers: auth("creator"),
      body: JSON.stringify({ name: "posted org", limits: { device: 7 } }),
    });
    emulator.setModes({ postReply: "api1.31" });
    expect(res.status).toBe(expected.status);
    const org = (await res.json()) as JsonObject;
    expect(org).toMatchObject({ name: "posted org", orgId: org.id, ...expected.shape });
    for (const field of expected.absent) expect([field, org[field]]).toEqual([field, undefined]);
    expect(org.limits.device).toBe(7);
    expect(org.limits.flow).toBe(100); // the instance's default for what the POST left out
    const found = await query({ name: "posted org", creationDate: { $gte: before } });
    expect(found.items.map((o) => o.id)).toEqual([org.id]);
    expect(found.items[0].members).toBeUndefined(); // not part of an Instance Organization
    expect((await query({ memberId: hex(0xabc) })).items.map((o) => o.id)).toEqual([org.id]);
    expect((await query({ memberId: { $ne: hex(0xabc) } })).totalCount).toBe(250);
    const remove = await fetch(`${emulator.url}/instances/${INSTANCE_ID}/orgs/${org.id}`, { method: "DELETE", headers: auth() });
    expect(remove.status).toBe(200);
  });

  test("a malformed POST body is a 400 and creates nothing", async () => {
    const before = emulator.store.listOrgs(INSTANCE_ID).length;
    const res = await fetch(`${emulator.url}/instances/${INSTANCE_ID}/orgs`, {
      method: "POST",
      headers: auth(),
      body: JSON.stringify({ description: "no name" }),
    });
    expect(res.status).toBe(400);
    expect(emulator.store.listOrgs(INSTANCE_ID)).toHaveLength(before);
  });
});

describe("pipeline", () => {
  test("list and POST are recorded with the query parsed, and subject to fault rules", async () => {
    emulator.resetRequests();
    emulator.faults.configure({ rules: [{ kind: "status", status: 503, pathIncludes: "/orgs", method: "GET", times: 1 }] });
    expect((await list({ perPage: "1" })).status).toBe(503);
    expect((await list({ perPage: "1" })).status).toBe(200);
    emulator.faults.reset();
    expect(emulator.requests.map((r) => [r.method, r.query, r.status, r.fault])).toEqual([
      ["GET", { perPage: "1" }, 503, "status 503"],
      ["GET", { perPage: "1" }, 200, undefined],
    ]);
  });
});

describe("selectPage works on the stored orgs without copying them", () => {
  test("a listed org is a copy: changing it changes nothing stored", async () => {
    const page = selectPage(emulator.store.orgsOf(INSTANCE_ID), parseListParams({ sortField: "id", perPage: "1" }));
    const before = emulator.store.getOrg(INSTANCE_ID, page.items[0].id)!;
    page.items[0].name = "changed by a caller";
    page.items[0].limits.device = -1;
    expect(emulator.store.getOrg(INSTANCE_ID, page.items[0].id)).toEqual(before);
  });

  test("an $in list matches by set lookup the same way as by comparison: ids ignore case, names only under $ci", () => {
    const stored = emulator.store.orgsOf(INSTANCE_ID);
    const wanted = [stored[0].id.toUpperCase(), stored[1].id, "f".repeat(24)];
    const byQuery = (query: object) =>
      selectPage(stored, parseListParams({ query: JSON.stringify(query), perPage: "1000" }))
        .items.map((o) => o.id)
        .sort();
    expect(byQuery({ id: { $in: wanted } })).toEqual([stored[0].id, stored[1].id].sort());
    expect(byQuery({ name: { $in: [stored[0].name, "no such org"] } })).toEqual([stored[0].id]);
    expect(byQuery({ name: { $in: [stored[0].name.toUpperCase()] } })).toEqual([]);
    expect(byQuery({ name: { $in: [stored[0].name.toUpperCase()], $ci: true } })).toEqual([stored[0].id]);
    expect(byQuery({ $or: [{ id: { $in: wanted } }, { id: stored[2].id }] })).toEqual([stored[0].id, stored[1].id, stored[2].id].sort());
  });
});
