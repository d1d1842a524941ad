/**
 * The emulator's behaviour taken from Losant's framework source, over real HTTP on loopback: the
 * order of checks and the texts of Losant/bravado-core, `Accept-Version` as bravado-server routes
 * it, and the GCRA limiter of Losant/redis-gcra. docs/emulator.md ("From Losant's source") cites
 * the file behind each.
 */
import { ACCEPT_VERSION } from "../../client/losantClient";
import { EmulatorModes } from "../../emulator/modes";
import { Gcra } from "../../emulator/rateLimit";
import { DEFAULT_TOKEN, Emulator, startEmulator } from "../../emulator/server";
import { satisfies, SERVED_VERSIONS } from "../../emulator/version";
import { INSTANCE_ID, ORG_ID } from "../support/fixtures";

let emulator: Emulator;
const MISSING_ID = "0123456789abcdef01234567";

async function start(modes: Partial<EmulatorModes> = {}): Promise<void> {
  emulator = await startEmulator({ modes, tokens: { [DEFAULT_TOKEN]: ["all.Instance"], reader: ["instanceOrg.get"] } });
  emulator.store.addInstance(INSTANCE_ID);
  emulator.store.createOrg(INSTANCE_ID, { name: "Acme" }, ORG_ID);
}
afterEach(() => emulator?.close());

async function call(method: string, path: string, options: { token?: string | undefined; body?: unknown; version?: string } = {}) {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
  if (options.version !== undefined) headers["Accept-Version"] = options.version;
  const res = await fetch(`${emulator.url}${path}`, { method, headers, body: options.body === undefined ? null : JSON.stringify(options.body) });
  return { status: res.status, body: (await res.json()) as unknown };
}

const ORG = `/instances/${INSTANCE_ID}/orgs/${ORG_ID}`;
const ORGS = `/instances/${INSTANCE_ID}/orgs`;

describe("parameters are checked before the token (bravado-core lib/index.js), worded '{field} {validationMessage}' (lib/errors.js)", () => {
  beforeEach(() => start());

  test.each([
    ["a malformed instance id", "GET", `/instances/nope/orgs/${ORG_ID}`, undefined, "instanceId pattern mismatch"],
    ["a malformed org id", "DELETE", `/instances/${INSTANCE_ID}/orgs/xyz`, undefined, "orgId pattern mismatch"],
    ["a sortField outside the enum", "GET", `${ORGS}?sortField=size`, undefined, "sortField must be an enum value"],
    ["a query that is not JSON", "GET", `${ORGS}?query=%7Bnope`, undefined, "query is the wrong type"],
    [
      "a query the schema refuses",
      "GET",
      `${ORGS}?query=${encodeURIComponent(JSON.stringify({ id: "x" }))}`,
      undefined,
      /^query\.id must be a 24-character hex id/,
    ],
    ["a PATCH body with an unknown field", "PATCH", ORG, { nickname: "x" }, /^organization\.nickname /],
    ["a POST body without a name", "POST", ORGS, { description: "d" }, /^orgConfig\.name /],
  ])("%s: 400 Validation with no token, a bad token, and a good one", async (_what, method, path, body, message) => {
    const expected = { status: 400, body: { type: "Validation", message: typeof message === "string" ? message : expect.stringMatching(message) } };
    for (const token of [undefined, "not-a-token", DEFAULT_TOKEN]) {
      expect([token, await call(method, path, { token, body })]).toEqual([token, expected]);
    }
    expect(emulator.store.listOrgs(INSTANCE_ID).map((org) => org.name)).toEqual(["Acme"]);
  });

  test.each([
    ["page", "page=-1", /^page /],
    ["perPage", "perPage=5000", /^perPage /],
    ["summaryInclude", "summaryInclude=nope", /^summaryInclude /],
  ])("%s is the handler's check, after the token: 403 without one, 400 with one", async (_what, queryText, message) => {
    expect(await call("GET", `${ORGS}?${queryText}`)).toEqual({ status: 403, body: { type: "Forbidden", message: "Access is forbidden" } });
    expect(await call("GET", `${ORGS}?${queryText}`, { token: DEFAULT_TOKEN })).toEqual({
      status: 400,
      body: { type: "Validation", message: expect.stringMatching(message) },
    });
  });

  test("the token comes before the instance and the org: no token on a missing org is 403, not 404", async () => {
    expect((await call("GET", `/instances/${INSTANCE_ID}/orgs/${MISSING_ID}`)).status).toBe(403);
    expect((await call("GET", `/instances/${MISSING_ID}/orgs`, { token: "not-a-token" })).status).toBe(401);
  });

  test("`JWT <token>` is read like `Bearer <token>` (bravado-core lib/prepare-params.js)", async () => {
    const res = await fetch(`${emulator.url}${ORG}`, { headers: { Authorization: `JWT ${DEFAULT_TOKEN}` } });
    expect(res.status).toBe(200);
  });
});

describe("Accept-Version (bravado-server lib/index.js, restify 4 lib/router.js)", () => {
  test.each([
    ["1.31.0", "^1.30.0", true],
    ["1.30.0", "^1.30.0", true],
    ["1.31.0", "^1.31.0", true],
    ["1.30.0", "^1.31.0", false],
    ["1.31.0", "1.30.0", false],
    ["1.31.0", "1.31.x", true],
    ["1.31.0", "~1.30.0", false],
    ["1.30.0", "~1.30", true],
    ["1.31.0", "1", true],
    ["1.31.0", "2.x", false],
    ["1.31.0", "*", true],
    ["1.31.0", ">=1.29.0 <1.31.0", false],
    ["1.31.0", ">=1.29.0 <1.32.0", true],
    ["1.31.0", "1.29.0 - 1.31.0", true],
    ["1.31.0", "^2.0.0 || ^1.31.0", true],
    ["1.31.0", "^0.1.0", false],
    ["1.31.0", "latest", false],
    ["1.31.0", "1.31.0-beta.1", false],
  ])("version %s satisfies %s: %s", (version, range, expected) => {
    expect(satisfies(version, range)).toBe(expected);
  });

  test.each(Object.entries(SERVED_VERSIONS))("the client's %s range is served under postReply %s", (postReply, version) => {
    expect([postReply, satisfies(version, ACCEPT_VERSION)]).toEqual([postReply, true]);
  });

  test.each([
    ["api1.31", "^1.31.0", 200],
    ["api1.31", ACCEPT_VERSION, 200],
    ["api1.31", undefined, 200],
    ["api1.31", "^2.0.0", 400],
    ["api1.31", "1.30.0", 400],
    ["api1.31", "not a version", 400],
    ["api1.30", ACCEPT_VERSION, 200],
    ["api1.30", "^1.31.0", 400],
  ] as const)("postReply %s, Accept-Version %s: %i", async (postReply, version, status) => {
    await start({ postReply });
    const answer = await call("GET", ORG, { token: DEFAULT_TOKEN, ...(version === undefined ? {} : { version }) });
    expect(answer.status).toBe(status);
    if (status === 400) {
      expect(answer.body).toEqual({ type: "VersionNotAllowed", message: `${version} is not supported by GET ${ORG}` });
    }
  });

  test("a refused version is refused before parameters and token, on every route; mode `ignored` serves it", async () => {
    await start();
    for (const [method, path] of [
      ["GET", ORG],
      ["PATCH", `/instances/nope/orgs/${ORG_ID}`],
      ["DELETE", ORG],
      ["GET", ORGS],
      ["POST", ORGS],
    ]) {
      const body = method === "GET" || method === "DELETE" ? undefined : {};
      expect([method, path, (await call(method, path, { version: "^9.0.0", body })).body]).toEqual([
        method,
        path,
        { type: "VersionNotAllowed", message: `^9.0.0 is not supported by ${method} ${path}` },
      ]);
    }
    emulator.setModes({ acceptVersion: "ignored" });
    expect((await call("GET", ORG, { token: DEFAULT_TOKEN, version: "^9.0.0" })).status).toBe(200);
  });
});

describe("GCRA rate limit (Losant/redis-gcra lib/gcra.lua)", () => {
  // burst 3, 2 per second: one token every 500 ms.
  const settings = { algorithm: "gcra", burst: 3, rate: 2, periodMs: 1000, retryAfter: "seconds" } as const;

  test.each([
    ["a full bucket admits the burst at once, then refuses", [0, 0, 0, 0], [undefined, undefined, undefined, 500]],
    ["one token comes back per emission interval", [0, 0, 0, 499, 500, 500], [undefined, undefined, undefined, 1, undefined, 500]],
    [
      "refusals consume nothing: knocking does not delay the next token",
      [0, 0, 0, 100, 200, 300, 400, 500],
      [undefined, undefined, undefined, 400, 300, 200, 100, undefined],
    ],
    [
      "a quiet spell refills the bucket to the burst, no more",
      [0, 0, 0, 10_000, 10_000, 10_000, 10_000],
      [undefined, undefined, undefined, undefined, undefined, undefined, 500],
    ],
  ])("%s", (_what, times, retryAfter) => {
    const gcra = new Gcra(settings);
    expect(times.map((t) => gcra.admit(t)?.retryAfterMs)).toEqual(retryAfter);
  });

  test("over HTTP: 429 with Retry-After in whole seconds, then served again after a token comes back", async () => {
    await start();
    emulator.faults.configure({ rateLimit: { algorithm: "gcra", burst: 2, rate: 10, periodMs: 1000, retryAfter: "seconds" } });
    const statuses = async (n: number) =>
      Promise.all(Array.from({ length: n }, () => fetch(`${emulator.url}${ORG}`, { headers: { Authorization: `Bearer ${DEFAULT_TOKEN}` } }))).then((answers) =>
        answers.map((r) => [r.status, r.headers.get("retry-after")]),
      );
    const first = await statuses(4);
    expect(first.filter(([s]) => s === 200)).toHaveLength(2);
    expect(first.filter(([s]) => s === 429)).toEqual([
      [429, "1"],
      [429, "1"],
    ]);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect((await statuses(1))[0][0]).toBe(200);
    expect(emulator.requests.filter((r) => r.status === 429).every((r) => r.fault === "rateLimit")).toBe(true);
  });

  test.each([
    ["burst 0", { algorithm: "gcra", burst: 0, rate: 1 }, /burst must be a whole number/],
    ["rate 0.5", { algorithm: "gcra", burst: 1, rate: 0.5 }, /rate must be a whole number/],
    ["period 0", { algorithm: "gcra", burst: 1, rate: 1, periodMs: 0 }, /periodMs must be a number, at least 1/],
    ["an unknown algorithm", { algorithm: "leaky", requests: 1, windowMs: 1 }, /algorithm must be/],
  ])("configure refuses %s", async (_what, rateLimit, message) => {
    await start();
    expect(() => emulator.faults.configure({ rateLimit: rateLimit as never })).toThrow(message);
  });
});
