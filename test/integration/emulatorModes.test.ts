/**
 * The emulator's modes (readings of what Losant leaves open), instance-scoped tokens and rate-limit
 * windows, over real HTTP on loopback.
 */
import fs from "fs";
import path from "path";
import { spawn } from "child_process";
import { DEFAULT_TOKEN, Emulator, NOT_FOUND_MESSAGE, startEmulator } from "../../emulator/server";
import { DEFAULT_MODES, EmulatorModes, MODE_MATRIX, MODE_VALUES } from "../../emulator/modes";
import { SlidingWindow } from "../../emulator/rateLimit";
import { cliOptions, modesFromFlags, rateLimitFromFlags } from "../../emulator/cliFlags";
import { DEFAULT_INSTANCE_LIMITS } from "../../emulator/store";
import { INSTANCE_ID, ORG_ID } from "../support/fixtures";

// Replies are read by path in assertions; their shapes are what the tests check.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type JsonObject = Record<string, any>;

const OTHER_INSTANCE = "5f1e2d3c4b5a69788796a5b5";
const OTHER_INSTANCE_ORG = "60a1b2c3d4e5f60718293a4f";
const MISSING_ID = "0123456789abcdef01234567";

let emulator: Emulator;
const headers = (token = DEFAULT_TOKEN) => ({ Authorization: `Bearer ${token}`, "Content-Type": "application/json" });
const orgUrl = (orgId = ORG_ID, instanceId = INSTANCE_ID) => `${emulator.url}/instances/${instanceId}/orgs/${orgId}`;

async function patch(body: unknown): Promise<JsonObject> {
  const res = await fetch(orgUrl(), { method: "PATCH", headers: headers(), body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return (await res.json()) as JsonObject;
}

async function start(modes: Partial<EmulatorModes> = {}): Promise<void> {
  emulator = await startEmulator({
    modes,
    tokens: {
      [DEFAULT_TOKEN]: ["all.Instance"],
      "bound-token": { scopes: ["all.Instance"], instances: [INSTANCE_ID] },
    },
  });
  emulator.store.addInstance(INSTANCE_ID);
  emulator.store.addInstance(OTHER_INSTANCE);
  emulator.store.createOrg(INSTANCE_ID, { name: "Acme", banner: { message: "hello", level: "info" } }, ORG_ID);
  emulator.store.createOrg(OTHER_INSTANCE, { name: "Elsewhere" }, OTHER_INSTANCE_ORG);
}

afterEach(() => emulator?.close());

describe("MODE_MATRIX", () => {
  test("takes every value of every mode, and its first entry is the defaults", () => {
    for (const [mode, values] of Object.entries(MODE_VALUES)) {
      const taken = new Set(MODE_MATRIX.map((entry) => entry.modes[mode as keyof EmulatorModes]));
      expect([mode, [...taken].sort()]).toEqual([mode, [...values].sort()]);
    }
    expect(MODE_MATRIX[0].modes).toEqual(DEFAULT_MODES);
    expect(new Set(MODE_MATRIX.map((e) => e.name)).size).toBe(MODE_MATRIX.length);
  });

  test("defaults: limits and banner replace, tags and domains as sent, hypermedia on, pages above 1000 refused, API 1.31, framework texts", () => {
    // Written out on purpose: the source takes each default from the order of MODE_VALUES, and
    // docs/emulator.md promises these, so a reordered value list must fail here.
    expect(DEFAULT_MODES).toEqual({
      limitsPatch: "replace",
      bannerPatch: "replace",
      tagOrder: "asSent",
      emailDomains: "asSent",
      hypermedia: true,
      pageSize: "refuseAbove1000",
      postReply: "api1.31",
      notFoundText: "perResource",
      acceptVersion: "enforced",
    });
  });
});

describe("PATCH under each mode", () => {
  const TAGS = [
    { key: "zone", value: "b" },
    { key: "alpha", value: "1" },
    { key: "mid", value: "x" },
  ];

  test.each([
    ["asSent", TAGS],
    ["sortedByKey", [TAGS[1], TAGS[2], TAGS[0]]],
    ["reversed", [TAGS[2], TAGS[1], TAGS[0]]],
  ] as const)("tagOrder %s", async (tagOrder, stored) => {
    await start({ tagOrder });
    expect((await patch({ tags: TAGS })).tags).toEqual(stored);
    expect(emulator.store.getOrg(INSTANCE_ID, ORG_ID)!.tags).toEqual(stored);
  });

  test.each([
    ["asSent", ["B.example", "a.example"]],
    ["lowercaseSorted", ["a.example", "b.example"]],
  ] as const)("emailDomains %s", async (emailDomains, stored) => {
    await start({ emailDomains });
    expect((await patch({ whitelistedEmailDomains: ["B.example", "a.example"] })).whitelistedEmailDomains).toEqual(stored);
  });

  test.each([
    ["replace", 100],
    ["merge", 7],
  ] as const)("limitsPatch %s: a limit left out of the second PATCH is %i", async (limitsPatch, flow) => {
    await start({ limitsPatch });
    await patch({ limits: { device: 1, flow: 7 } });
    const org = await patch({ limits: { device: 3 } });
    expect(org.limits).toEqual({ ...DEFAULT_INSTANCE_LIMITS, device: 3, flow });
  });

  test.each([
    ["replace", { level: "warning" }],
    ["merge", { message: "hello", level: "warning" }],
  ] as const)("bannerPatch %s", async (bannerPatch, banner) => {
    await start({ bannerPatch });
    expect((await patch({ banner: { level: "warning" } })).banner).toEqual(banner);
  });

  test("POST stores tags and domains under the modes too", async () => {
    await start({ tagOrder: "reversed", emailDomains: "lowercaseSorted" });
    const res = await fetch(`${emulator.url}/instances/${INSTANCE_ID}/orgs`, {
      method: "POST",
      headers: headers(),
      body: JSON.stringify({ name: "New", tags: TAGS, whitelistedEmailDomains: ["Z.example", "y.example"] }),
    });
    const org = (await res.json()) as JsonObject;
    expect(org.tags).toEqual([...TAGS].reverse());
    expect(org.whitelistedEmailDomains).toEqual(["y.example", "z.example"]);
  });
});

describe("hypermedia", () => {
  test("on by default: a single org carries _type and _links with hrefs relative to the API root", async () => {
    await start();
    const org = (await (await fetch(orgUrl(), { headers: headers() })).json()) as JsonObject;
    expect(org._type).toBe("instanceOrg");
    // Losant/bravado-core lib/extend-context.js: `self` plus the links the resource declares, and instanceOrg declares none.
    expect(org._links).toEqual({ self: { href: `/instances/${INSTANCE_ID}/orgs/${ORG_ID}` } });
    expect(org._etag).toEqual(expect.stringMatching(/^W\/"[0-9a-f]{16}"$/));
  });

  test("_etag changes when the org does, and only then", async () => {
    await start();
    const etag = async () => ((await (await fetch(orgUrl(), { headers: headers() })).json()) as JsonObject)._etag as string;
    const before = await etag();
    expect(await etag()).toBe(before);
    await new Promise((resolve) => setTimeout(resolve, 2));
    await patch({ description: "changed" });
    expect(await etag()).not.toBe(before);
  });

  test("off: no field starting with _", async () => {
    await start({ hypermedia: false });
    const org = (await (await fetch(orgUrl(), { headers: headers() })).json()) as Record<string, unknown>;
    expect(Object.keys(org).filter((k) => k.startsWith("_"))).toEqual([]);
    expect(org.name).toBe("Acme");
  });
});

describe("changing modes", () => {
  test("setModes and PUT /_emulator/modes change the modes in force and return them", async () => {
    await start();
    expect(emulator.setModes({ tagOrder: "reversed" }).tagOrder).toBe("reversed");
    const res = await fetch(`${emulator.url}/_emulator/modes`, { method: "PUT", body: JSON.stringify({ limitsPatch: "merge", hypermedia: false }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ...DEFAULT_MODES, tagOrder: "reversed", limitsPatch: "merge", hypermedia: false });
    expect(emulator.modes).toEqual({ ...DEFAULT_MODES, tagOrder: "reversed", limitsPatch: "merge", hypermedia: false });
    const org = (await (await fetch(orgUrl(), { headers: headers() })).json()) as object;
    expect(Object.keys(org).some((k) => k.startsWith("_"))).toBe(false);
  });

  test.each([
    ["an unknown mode", { tagorder: "reversed" }, /unknown mode "tagorder"/],
    ["an unknown value", { tagOrder: "random" }, /tagOrder must be one of/],
    ["a string for a boolean", { hypermedia: "false" }, /hypermedia must be one of true, false/],
  ])("PUT /_emulator/modes with %s: 400, modes unchanged", async (_what, body, message) => {
    await start();
    const res = await fetch(`${emulator.url}/_emulator/modes`, { method: "PUT", body: JSON.stringify(body) });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ type: "Validation", message: expect.stringMatching(message) });
    expect(emulator.modes).toEqual(DEFAULT_MODES);
  });

  test("startEmulator rejects a bad mode instead of running with the default", async () => {
    await expect(startEmulator({ modes: { limitsPatch: "merged" as "merge" } })).rejects.toThrow(/limitsPatch must be one of/);
  });

  test("modes is a copy: writing to it changes nothing", async () => {
    await start();
    (emulator.modes as EmulatorModes).tagOrder = "reversed";
    expect(emulator.modes.tagOrder).toBe("asSent");
  });
});

describe("tokens scoped to instances", () => {
  beforeEach(() => start());

  test("a bound token works on its own instance", async () => {
    expect((await fetch(orgUrl(), { headers: headers("bound-token") })).status).toBe(200);
  });

  test.each([
    ["GET", undefined],
    ["PATCH", JSON.stringify({ name: "x" })],
    ["DELETE", undefined],
  ])("%s on another instance answers exactly as a missing instance and a missing org do", async (method, body) => {
    const answer = async (url: string, token: string) => {
      const res = await fetch(url, { method, headers: headers(token), body: body ?? null });
      return { status: res.status, body: await res.text() };
    };
    for (const [notFoundText, instanceText, orgText] of [
      ["perResource", "Instance was not found", "Organization was not found"],
      ["single", NOT_FOUND_MESSAGE, NOT_FOUND_MESSAGE],
    ] as const) {
      emulator.setModes({ notFoundText });
      const otherInstance = await answer(orgUrl(OTHER_INSTANCE_ORG, OTHER_INSTANCE), "bound-token");
      const missingInstance = await answer(orgUrl(ORG_ID, MISSING_ID), DEFAULT_TOKEN);
      const missingOrg = await answer(orgUrl(MISSING_ID), DEFAULT_TOKEN);
      // Never more than "instance or not": a bound token cannot tell another instance from a missing one.
      expect(otherInstance).toEqual({ status: 404, body: JSON.stringify({ type: "NotFound", message: instanceText }) });
      expect(missingInstance).toEqual(otherInstance);
      expect(missingOrg).toEqual({ status: 404, body: JSON.stringify({ type: "NotFound", message: orgText }) });
    }
    expect(emulator.store.getOrg(OTHER_INSTANCE, OTHER_INSTANCE_ORG)?.name).toBe("Elsewhere");
  });

  test("the list and POST of another instance: the same 404", async () => {
    for (const method of ["GET", "POST"]) {
      const res = await fetch(`${emulator.url}/instances/${OTHER_INSTANCE}/orgs`, {
        method,
        headers: headers("bound-token"),
        body: method === "POST" ? JSON.stringify({ name: "n" }) : null,
      });
      expect([method, res.status, await res.json()]).toEqual([method, 404, { type: "NotFound", message: "Instance was not found" }]);
    }
    expect(emulator.store.listOrgs(OTHER_INSTANCE)).toHaveLength(1);
  });
});

describe("rate-limit windows", () => {
  test("SlidingWindow admits `requests` per window, counting from each admitted request", () => {
    const window = new SlidingWindow({ requests: 2, windowMs: 10_000, retryAfter: "none" });
    expect(window.admit(0)).toBeUndefined();
    expect(window.admit(4_000)).toBeUndefined();
    expect(window.admit(5_000)).toEqual({ retryAfterMs: 5_000 });
    expect(window.admit(9_999)).toEqual({ retryAfterMs: 1 });
    expect(window.admit(10_000)).toBeUndefined(); // the first left the window
    expect(window.admit(13_000)).toEqual({ retryAfterMs: 1_000 });
    expect(window.admit(14_000)).toBeUndefined();
  });

  async function burst(n: number): Promise<Array<[number, string | null]>> {
    return Promise.all(
      Array.from({ length: n }, () => fetch(orgUrl(), { headers: headers() }).then((r) => [r.status, r.headers.get("retry-after")] as [number, string | null])),
    );
  }

  test.each([
    ["seconds", ["9", "10"]],
    ["none", [null]],
  ] as const)("10 per 10 s, Retry-After %s", async (retryAfter, headerValues) => {
    await start();
    emulator.faults.configure({ rateLimit: { requests: 10, windowMs: 10_000, retryAfter } });
    const answers = await burst(14);
    expect(answers.filter(([s]) => s === 200)).toHaveLength(10);
    const refused = answers.filter(([s]) => s === 429);
    expect(refused).toHaveLength(4);
    // The window was opened well under a second ago, so a slot frees in 9 to 10 seconds.
    for (const [, value] of refused) expect(headerValues).toContain(value);
    const body = await (await fetch(orgUrl(), { headers: headers() })).json();
    expect(body).toEqual({ type: "TooManyRequests", message: expect.any(String) });
    expect(emulator.requests.filter((r) => r.status === 429).every((r) => r.fault === "rateLimit")).toBe(true);
  });

  test("rateLimitPerSecond stays shorthand for a one-second window with Retry-After", async () => {
    await start();
    emulator.faults.configure({ rateLimitPerSecond: 2 });
    expect(emulator.faults.settings.rateLimit).toEqual({ requests: 2, windowMs: 1000, retryAfter: "seconds" });
    expect((await burst(3)).filter(([s]) => s === 429)).toEqual([[429, "1"]]);
    emulator.faults.configure({ rateLimitPerSecond: 0 });
    expect(emulator.faults.settings.rateLimit).toBeUndefined();
  });

  test("PUT /_emulator/faults takes a window, and refuses a malformed one", async () => {
    await start();
    const ok = await fetch(`${emulator.url}/_emulator/faults`, {
      method: "PUT",
      body: JSON.stringify({ rateLimit: { requests: 1, windowMs: 60_000, retryAfter: "none" } }),
    });
    expect(((await ok.json()) as { rateLimit: unknown }).rateLimit).toEqual({ requests: 1, windowMs: 60_000, retryAfter: "none" });
    expect((await burst(2)).sort(([a], [b]) => a - b)).toEqual([
      [200, null],
      [429, null],
    ]);
    const bad = await fetch(`${emulator.url}/_emulator/faults`, { method: "PUT", body: JSON.stringify({ rateLimit: { requests: 0, windowMs: 1000 } }) });
    expect(bad.status).toBe(400);
  });
});

describe("command-line flags", () => {
  test("map onto modes and the rate limit", () => {
    expect(
      modesFromFlags({
        "limits-patch": "merge",
        "banner-patch": "merge",
        "tag-order": "sortedByKey",
        "email-domains": "lowercaseSorted",
        "no-hypermedia": true,
        "post-reply": "api1.30",
        "not-found-text": "single",
        "accept-version": "ignored",
      }),
    ).toEqual({
      limitsPatch: "merge",
      bannerPatch: "merge",
      tagOrder: "sortedByKey",
      emailDomains: "lowercaseSorted",
      hypermedia: false,
      postReply: "api1.30",
      notFoundText: "single",
      acceptVersion: "ignored",
    });
    expect(modesFromFlags({})).toEqual({});
    expect(() => modesFromFlags({ "tag-order": "shuffled" })).toThrow(/tagOrder must be one of/);
    expect(rateLimitFromFlags({ "rate-limit": "10", "rate-window-ms": "10000", "no-retry-after": true })).toEqual({
      requests: 10,
      windowMs: 10_000,
      retryAfter: "none",
    });
    expect(rateLimitFromFlags({ "rate-limit": "5" })).toEqual({ requests: 5, windowMs: 1000, retryAfter: "seconds" });
    expect(rateLimitFromFlags({ "rate-limit": "0" })).toBeUndefined();
    expect(() => rateLimitFromFlags({ "rate-limit": "ten" })).toThrow(/requests must be a whole number/);
    expect(() => rateLimitFromFlags({ "rate-limit": "5", "rate-window-ms": "soon" })).toThrow(/windowMs must be a positive number/);
    expect(rateLimitFromFlags({ "rate-limit": "20", "rate-algorithm": "gcra" })).toEqual({
      algorithm: "gcra",
      burst: 20,
      rate: 20,
      periodMs: 1000,
      retryAfter: "seconds",
    });
    expect(rateLimitFromFlags({ "rate-limit": "2", "rate-algorithm": "gcra", "rate-burst": "10", "rate-window-ms": "500", "no-retry-after": true })).toEqual({
      algorithm: "gcra",
      burst: 10,
      rate: 2,
      periodMs: 500,
      retryAfter: "none",
    });
    expect(() => rateLimitFromFlags({ "rate-limit": "5", "rate-algorithm": "leaky" })).toThrow(/--rate-algorithm must be/);
    expect(() => rateLimitFromFlags({ "rate-limit": "5", "rate-burst": "9" })).toThrow(/--rate-burst needs --rate-algorithm gcra/);
    expect(() => rateLimitFromFlags({ "rate-limit": "5", "rate-algorithm": "gcra", "rate-burst": "0" })).toThrow(/burst must be a whole number/);
  });

  test("the CLI applies them", async () => {
    const child = spawn(process.execPath, [
      path.resolve(__dirname, "../../dist/emulator/cli.js"),
      ...["--seed", "1", "--no-hypermedia", "--tag-order", "reversed", "--post-reply", "api1.30"],
      ...["--rate-limit", "1", "--rate-window-ms", "30000", "--rate-algorithm", "gcra", "--rate-burst", "1", "--no-retry-after"],
    ]);
    try {
      const line = await new Promise<string>((resolve, reject) => {
        child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString()));
        child.once("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
      });
      const { url, instanceId, orgIds } = JSON.parse(line) as { url: string; instanceId: string; orgIds: string[] };
      const modes = (await (await fetch(`${url}/_emulator/modes`)).json()) as EmulatorModes;
      expect(modes).toEqual({ ...DEFAULT_MODES, hypermedia: false, tagOrder: "reversed", postReply: "api1.30" });
      const faults = (await (await fetch(`${url}/_emulator/faults`, { method: "PUT", body: "{}" })).json()) as { rateLimit: unknown };
      expect(faults.rateLimit).toEqual({ algorithm: "gcra", burst: 1, rate: 1, periodMs: 30_000, retryAfter: "none" });
      const target = `${url}/instances/${instanceId}/orgs/${orgIds[0]}`;
      const first = await fetch(target, { headers: headers() });
      expect(Object.keys((await first.json()) as object).some((k) => k.startsWith("_"))).toBe(false);
      const second = await fetch(target, { headers: headers() });
      expect([second.status, second.headers.get("retry-after")]).toEqual([429, null]);
    } finally {
      child.kill();
    }
  });
});

describe("docs/emulator.md", () => {
  const doc = fs.readFileSync(path.resolve(__dirname, "../../docs/emulator.md"), "utf8");
  const rows = (heading: string) =>
    doc
      .split(heading)[1]
      .split("\n## ")[0]
      .split("\n")
      .filter((line) => line.startsWith("| `"));

  test("the flags table has a row for every CLI flag", () => {
    const documented = rows("## Running it").map((row) => /^\| `--([a-z-]+)/.exec(row)?.[1]);
    expect([...documented].sort()).toEqual(Object.keys(cliOptions).sort());
  });

  test("the modes table has a row for every mode, with its values, default first", () => {
    const table = rows("## Modes");
    for (const [mode, values] of Object.entries(MODE_VALUES)) {
      const row = table.find((line) => line.startsWith(`| \`${mode}\` |`));
      expect([mode, row?.split(" | ")[1]]).toEqual([mode, values.map((v) => `\`${String(v)}\``).join(", ")]);
    }
    expect(table).toHaveLength(Object.keys(MODE_VALUES).length);
  });
});

describe("fault rules", () => {
  test("delay with queryIncludes: a list by ids is answered delayMs later, a list by name and a single GET are not", async () => {
    await start();
    emulator.faults.configure({ rules: [{ kind: "delay", delayMs: 300, pathEndsWith: "/orgs", queryIncludes: "$in" }] });
    const timed = async (url: string) => {
      const started = Date.now();
      const res = await fetch(url, { headers: headers() });
      return { status: res.status, ms: Date.now() - started };
    };
    const list = (query: unknown) => `${emulator.url}/instances/${INSTANCE_ID}/orgs?query=${encodeURIComponent(JSON.stringify(query))}`;
    const byIds = await timed(list({ id: { $in: [ORG_ID] } }));
    const byName = await timed(list({ name: "Acme" }));
    const single = await timed(orgUrl());
    expect([byIds.status, byName.status, single.status]).toEqual([200, 200, 200]);
    expect(byIds.ms).toBeGreaterThanOrEqual(290);
    // Far under the delay: the bound only has to tell the two apart on a busy machine.
    expect(byName.ms).toBeLessThan(250);
    expect(single.ms).toBeLessThan(250);
    expect(emulator.requests.map((r) => r.fault)).toEqual(["delay", undefined, undefined]);
  });
});
