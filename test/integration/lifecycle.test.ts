import fetch from "node-fetch";
import { instanceOrgProvider as provider } from "../../provider";
import type { Emulator } from "../../emulator/server";
import { MODE_MATRIX } from "../../emulator/modes";
import { DEFAULT_INSTANCE_LIMITS } from "../../emulator/store";
import { limitsFromState } from "../../provider/shared/storedLimits";
import { INSTANCE_ID, ORG_ID, OTHER_ORG_ID } from "../support/fixtures";
import { orgPath, requestLines, startSeededEmulator, TOKEN } from "../support/emulatorHarness";

let emulator: Emulator;
const ids = { instanceId: INSTANCE_ID, orgId: ORG_ID };
const noConfig = { config: { get: () => undefined, require: () => "" } };
const listLine = (orgId: string = ORG_ID) => `GET /instances/${INSTANCE_ID}/orgs?query=${encodeURIComponent(JSON.stringify({ id: orgId }))}&perPage=1`;

afterEach(async () => {
  await emulator.close();
  delete process.env.LOSANT_REQUEST_TIMEOUT_MS;
});

/** Adopts the org with `inputs` and forgets the requests that took. */
async function adopted(inputs: Record<string, unknown>) {
  const created = await provider.create(inputs);
  emulator.resetRequests();
  return created.outs;
}

/** Every key at any depth of `value` that starts with "_": hypermedia that must not reach outputs. */
function underscoreKeys(value: unknown, path = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => underscoreKeys(item, `${path}[${i}]`));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => [...(key.startsWith("_") ? [`${path}.${key}`] : []), ...underscoreKeys(item, `${path}.${key}`)]);
}

describe.each(MODE_MATRIX)("emulator mode $name", ({ modes }) => {
  beforeEach(async () => {
    emulator = await startSeededEmulator(modes);
    await provider.configure!(noConfig);
  });

  describe("create adopts an existing org", () => {
    test("one GET, then one PATCH carrying only the declared values that differ", async () => {
      const result = await provider.create({ ...ids, name: "Acme", auditLogEnabled: true, limits: { device: 5 } });
      expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`, `PATCH ${orgPath()}`]);
      expect(emulator.requests[1].body).toEqual({ auditLogEnabled: true, limits: { ...DEFAULT_INSTANCE_LIMITS, device: 5 } });
      expect(result.id).toBe(ORG_ID);
      expect(result.outs).toMatchObject({ orgId: ORG_ID, instanceId: INSTANCE_ID, name: "Acme", auditLogEnabled: true });
      // State holds the effective limits as one string (storedLimits.ts), every key.
      expect(typeof result.outs.limits).toBe("string");
      expect(limitsFromState(result.outs.limits)).toEqual({ ...DEFAULT_INSTANCE_LIMITS, device: 5 });
      expect(result.outs.managedFields).toEqual(["name", "limits.device", "auditLogEnabled"]);
      expect(result.outs.lastUpdated).toBe(emulator.store.getOrg(INSTANCE_ID, ORG_ID)!.lastUpdated);
    });

    test("no PATCH when the org already holds every declared value", async () => {
      const result = await provider.create({ ...ids, name: "Acme", limits: { device: 100 } });
      expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`]);
      expect(result.outs.name).toBe("Acme");
    });

    test("a missing org fails after one GET and one list that proves it absent, with a message that says what to do", async () => {
      await expect(provider.create({ ...ids, orgId: OTHER_ORG_ID, name: "X" })).rejects.toThrow(
        /org 60a1b2c3d4e5f60718293a4c does not exist in instance 5f1e2d3c4b5a69788796a5b4.*manages orgs that already exist/,
      );
      expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath(OTHER_ORG_ID)}`, listLine(OTHER_ORG_ID)]);
    });

    test("summaryInclude goes on the query of GET and PATCH", async () => {
      const result = await provider.create({ ...ids, name: "Renamed", summaryInclude: ["payloadCount", "deviceCount"] });
      expect(requestLines(emulator.requests)).toEqual([
        `GET ${orgPath()}?summaryInclude=payloadCount%2CdeviceCount`,
        `PATCH ${orgPath()}?summaryInclude=payloadCount%2CdeviceCount`,
      ]);
      expect(Object.keys(result.outs.summary).sort()).toEqual(["deviceCount", "payloadCount"]);
    });

    test("a PATCH that fails after the GET leaves the org recorded, so the next up retries it", async () => {
      emulator.faults.configure({ rules: [{ kind: "status", status: 400, method: "PATCH" }] });
      const error = await provider.create({ ...ids, name: "New" }).catch((e) => e);
      expect(error.message).toMatch(/PATCH of org .* failed: HTTP 400/);
      expect(error.id).toBe(ORG_ID);
      expect(error.properties).toMatchObject({ orgId: ORG_ID, name: "Acme" });
    });

    test("sends Losant's headers and a User-Agent naming this package", async () => {
      await provider.create({ ...ids, name: "Acme" });
      expect(emulator.requests[0].headers).toEqual({
        accept: "application/json",
        "content-type": "application/json",
        "accept-version": "^1.30.0",
        "user-agent": expect.stringMatching(/^pulumi-losant-instance-org\/\d+\.\d+\.\d+ /),
        authorization: "Bearer",
      });
    });
  });

  describe("update sends one PATCH of what changed", () => {
    test("a name change is one PATCH with only the name", async () => {
      const olds = await adopted({ ...ids, name: "Acme", auditLogEnabled: false });
      const result = await provider.update!(ORG_ID, olds, { ...ids, name: "Acme Corp", auditLogEnabled: false });
      expect(requestLines(emulator.requests)).toEqual([`PATCH ${orgPath()}`]);
      expect(emulator.requests[0].body).toEqual({ name: "Acme Corp" });
      expect(result.outs!.name).toBe("Acme Corp");
    });

    test("a limits change GETs first, then PATCHes limits merged with the server's current ones", async () => {
      const olds = await adopted({ ...ids, name: "Acme", limits: { device: 10 } });
      // Someone raises an undeclared limit out of band after the last up.
      emulator.store.patchOrg(INSTANCE_ID, ORG_ID, { limits: { ...emulator.store.getOrg(INSTANCE_ID, ORG_ID)!.limits, flow: 42 } });
      await provider.update!(ORG_ID, olds, { ...ids, name: "Acme", limits: { device: 20 } });
      expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`, `PATCH ${orgPath()}`]);
      expect(emulator.requests[1].body).toEqual({ limits: { ...DEFAULT_INSTANCE_LIMITS, device: 20, flow: 42 } });
      expect(emulator.store.getOrg(INSTANCE_ID, ORG_ID)!.limits).toEqual({ ...DEFAULT_INSTANCE_LIMITS, device: 20, flow: 42 });
    });

    test("a limit dropped from the program keeps its value and costs no request", async () => {
      const olds = await adopted({ ...ids, name: "Acme", limits: { device: 10, flow: 11 } });
      const result = await provider.update!(ORG_ID, olds, { ...ids, name: "Acme", limits: { device: 10 } });
      expect(emulator.requests).toEqual([]);
      expect(result.outs!.managedFields).toEqual(["name", "limits.device"]);
      expect(emulator.store.getOrg(INSTANCE_ID, ORG_ID)!.limits.flow).toBe(11);
    });

    test("an update with nothing to send keeps every output, billing included (regression)", async () => {
      const olds = { ...(await adopted({ ...ids, name: "Acme", limits: { device: 10 } })), billing: { planId: "enterprise", subscriptionStatus: "active" } };
      const result = await provider.update!(ORG_ID, olds, { ...ids, name: "Acme" });
      expect(emulator.requests).toEqual([]);
      expect(result.outs).toEqual({ ...olds, managedFields: ["name"] });
    });

    test("state holds the limits as one string, and state of earlier versions (an object) reads the same", async () => {
      const olds = await adopted({ ...ids, name: "Acme", limits: { device: 10 } });
      expect(typeof olds.limits).toBe("string");
      const earlier = { ...olds, limits: limitsFromState(olds.limits) };
      expect(earlier.limits).toEqual({ ...DEFAULT_INSTANCE_LIMITS, device: 10 });
      for (const state of [olds, earlier]) {
        expect((await provider.diff!(ORG_ID, state, { ...ids, name: "Acme", limits: { device: 10 } })).changes).toBe(false);
        expect((await provider.diff!(ORG_ID, state, { ...ids, name: "Acme", limits: { device: 11 } })).changes).toBe(true);
        const refreshed = await provider.read!(ORG_ID, state);
        expect(refreshed.props.limits).toBe(olds.limits);
        expect(refreshed.inputs!.limits).toEqual({ device: 10 });
      }
      emulator.resetRequests();
      const result = await provider.update!(ORG_ID, earlier, { ...ids, name: "Acme", limits: { device: 12 } });
      expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`, `PATCH ${orgPath()}`]);
      expect(limitsFromState(result.outs!.limits)).toEqual({ ...DEFAULT_INSTANCE_LIMITS, device: 12 });
    });

    test("changing name, a limit and auditLogEnabled together is one GET and one PATCH", async () => {
      const olds = await adopted({ ...ids, name: "Acme", limits: { device: 10 }, auditLogEnabled: false });
      await provider.update!(ORG_ID, olds, { ...ids, name: "B", limits: { device: 11 }, auditLogEnabled: true });
      expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`, `PATCH ${orgPath()}`]);
      expect(emulator.requests[1].body).toEqual({ name: "B", auditLogEnabled: true, limits: { ...DEFAULT_INSTANCE_LIMITS, device: 11 } });
    });
  });

  describe("read refreshes from Losant", () => {
    test("one GET; outputs and the declared inputs show out-of-band changes", async () => {
      const olds = await adopted({ ...ids, name: "Acme", limits: { device: 10 }, auditLogEnabled: true });
      emulator.store.patchOrg(INSTANCE_ID, ORG_ID, { name: "Changed by hand", description: "x" });
      const result = await provider.read!(ORG_ID, olds);
      expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`]);
      expect(result.id).toBe(ORG_ID);
      expect(result.props).toMatchObject({ name: "Changed by hand", description: "x", managedFields: olds.managedFields });
      expect(result.inputs).toEqual({ ...ids, name: "Changed by hand", limits: { device: 10 }, auditLogEnabled: true });
    });

    test("then diff reports the drift, so the next up restores it", async () => {
      const declared = { ...ids, name: "Acme", auditLogEnabled: true };
      const olds = await adopted(declared);
      emulator.store.patchOrg(INSTANCE_ID, ORG_ID, { auditLogEnabled: false });
      const refreshed = await provider.read!(ORG_ID, olds);
      const diff = await provider.diff!(ORG_ID, refreshed.props, declared);
      expect(diff.changes).toBe(true);
      await provider.update!(ORG_ID, refreshed.props, declared);
      expect(emulator.store.getOrg(INSTANCE_ID, ORG_ID)!.auditLogEnabled).toBe(true);
    });

    test("an org deleted out of band reads as gone (empty id) after one GET and one list without it", async () => {
      const olds = await adopted({ ...ids, name: "Acme" });
      emulator.store.deleteOrg(INSTANCE_ID, ORG_ID);
      const result = await provider.read!(ORG_ID, olds);
      expect(result.id).toBe("");
      expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`, listLine()]);
    });

    test("reading right after an up gives outputs identical to the state", async () => {
      const olds = await adopted({ ...ids, name: "Acme", limits: { device: 3 }, tags: [{ key: "a", value: "b" }] });
      const result = await provider.read!(ORG_ID, olds);
      expect(result.props).toEqual(olds);
      expect((await provider.diff!(ORG_ID, result.props, { ...ids, name: "Acme", limits: { device: 3 }, tags: [{ key: "a", value: "b" }] })).changes).toBe(
        false,
      );
    });
  });

  describe("delete", () => {
    test("one DELETE removes the org", async () => {
      const olds = await adopted({ ...ids, name: "Acme" });
      await provider.delete!(ORG_ID, olds);
      expect(requestLines(emulator.requests)).toEqual([`DELETE ${orgPath()}`]);
      expect(emulator.store.getOrg(INSTANCE_ID, ORG_ID)).toBeUndefined();
    });

    test("an org already gone counts as deleted, once the instance lists it no more", async () => {
      const olds = await adopted({ ...ids, name: "Acme" });
      emulator.store.deleteOrg(INSTANCE_ID, ORG_ID);
      await expect(provider.delete!(ORG_ID, olds)).resolves.toBeUndefined();
      expect(requestLines(emulator.requests)).toEqual([`DELETE ${orgPath()}`, listLine()]);
    });
  });

  test("after an up the next preview is empty, after a refresh too, whatever the server does with tags, domains and banner", async () => {
    emulator.store.patchOrg(INSTANCE_ID, ORG_ID, { banner: { message: "old", level: "warning" } });
    const declared = {
      ...ids,
      name: "Acme",
      tags: [
        { key: "zeta", value: "1" },
        { key: "alpha", value: "2" },
        { key: "Mid", value: "3" },
      ],
      whitelistedEmailDomains: ["Zeta.example", "alpha.EXAMPLE"],
      banner: { message: "Maintenance" },
    };
    const created = await provider.create(declared);
    // The PATCH carried the values as declared.
    expect(emulator.requests.at(-1)!.body).toEqual({ tags: declared.tags, whitelistedEmailDomains: declared.whitelistedEmailDomains, banner: declared.banner });
    expect((await provider.diff!(ORG_ID, created.outs, declared)).changes).toBe(false);
    const refreshed = await provider.read!(ORG_ID, created.outs);
    expect((await provider.diff!(ORG_ID, refreshed.props, declared)).changes).toBe(false);
    expect((await provider.diff!(ORG_ID, refreshed.props, { ...refreshed.inputs, ...declared })).changes).toBe(false);
  });

  test("outputs of adopt, update and refresh hold no hypermedia or other undocumented field", async () => {
    const created = await provider.create({ ...ids, name: "Acme", tags: [{ key: "a", value: "b" }], banner: { message: "hi" } });
    const updated = await provider.update!(ORG_ID, created.outs, { ...ids, name: "Acme 2", tags: [{ key: "a", value: "b" }], banner: { message: "hi" } });
    const read = await provider.read!(ORG_ID, updated.outs!);
    for (const outs of [created.outs, updated.outs, read.props, read.inputs]) expect(underscoreKeys(outs)).toEqual([]);
    // Not vacuous: in this mode the replies did carry hypermedia.
    const reply = await (await fetch(`${emulator.url}${orgPath()}`, { headers: { Authorization: `Bearer ${TOKEN}` } })).json();
    expect(underscoreKeys(reply).length > 0).toBe(modes.hypermedia);
  });
});

describe("transport (default mode)", () => {
  beforeEach(async () => {
    emulator = await startSeededEmulator();
    await provider.configure!(noConfig);
  });

  describe("credentials", () => {
    test("a missing token fails before any request and says how to set it", async () => {
      delete process.env.LOSANT_API_TOKEN;
      await expect(provider.create({ ...ids, name: "Acme" })).rejects.toThrow(/pulumi config set --secret losant:apiToken/);
      expect(emulator.requests).toEqual([]);
    });

    test("explicit config wins over env", async () => {
      process.env.LOSANT_API_TOKEN = "wrong-token";
      process.env.LOSANT_API_URL = "http://127.0.0.1:1";
      const config: Record<string, string> = { "losant:apiToken": TOKEN, "losant:apiUrl": emulator.url };
      await provider.configure!({ config: { get: (k: string) => config[k], require: (k: string) => config[k] } });
      await provider.create({ ...ids, name: "Acme" });
      expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`]);
    });

    test("plain http to a host other than loopback is refused before any request", async () => {
      process.env.LOSANT_API_URL = "http://api.example.com";
      await expect(provider.create({ ...ids, name: "Acme" })).rejects.toThrow(/plain http to api.example.com/);
      expect(emulator.requests).toEqual([]);
    });

    test.each([
      ["an unknown token", "not-a-token", 401, /HTTP 401 \(Unauthorized: Invalid access token\).*invalid or has expired/],
      ["an expired token", "expired-token", 401, /HTTP 401 \(Unauthorized: Access token has expired\).*invalid or has expired/],
      ["a token without the scope", "read-only-token", 403, /HTTP 403 \(Forbidden: .*\).*instanceOrg\.patch/],
    ] as Array<[string, string, number, RegExp]>)("%s: the error names status, message and scopes, never the token", async (_what, token, status, pattern) => {
      process.env.LOSANT_API_TOKEN = token;
      const error = await provider.create({ ...ids, name: "Renamed" }).catch((e) => e);
      expect(error.message).toMatch(pattern);
      expect(error.message).toMatch(/org 60a1b2c3d4e5f60718293a4b/);
      expect(JSON.stringify({ message: error.message, stack: error.stack, ...error })).not.toContain(token);
      expect(emulator.requests.at(-1)!.status).toBe(status);
    });

    test("no output and no error contains the token", async () => {
      const created = await provider.create({ ...ids, name: "Acme", limits: { device: 1 } });
      const read = await provider.read!(ORG_ID, created.outs);
      emulator.faults.configure({ rules: [{ kind: "status", status: 400, method: "PATCH" }] });
      const error = await provider.update!(ORG_ID, created.outs, { ...ids, name: "Other" }).catch((e) => e);
      for (const value of [created, read, error.message, error.stack]) expect(JSON.stringify(value)).not.toContain(TOKEN);
    });
  });

  describe("retries", () => {
    test("429 is retried after Retry-After", async () => {
      emulator.faults.configure({ rules: [{ kind: "status", status: 429, retryAfter: "1", times: 1 }] });
      const started = Date.now();
      await provider.create({ ...ids, name: "Acme" });
      expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`, `GET ${orgPath()}`]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    });

    test.each([
      ["502", { kind: "status", status: 502 }],
      ["503", { kind: "status", status: 503 }],
      ["504", { kind: "status", status: 504 }],
      ["a connection reset", { kind: "reset" }],
    ])("%s twice, then success: three GETs", async (_what, rule) => {
      emulator.faults.configure({ rules: [{ ...(rule as { kind: "status" }), times: 2 }] });
      await provider.create({ ...ids, name: "Acme" });
      expect(requestLines(emulator.requests)).toEqual(Array(3).fill(`GET ${orgPath()}`));
    });

    test("a request that hangs times out and is sent again", async () => {
      process.env.LOSANT_REQUEST_TIMEOUT_MS = "300";
      emulator.faults.configure({ rules: [{ kind: "hang", times: 1 }] });
      await provider.create({ ...ids, name: "Acme" });
      expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`, `GET ${orgPath()}`]);
    });

    test("a PATCH applied but whose answer was lost is sent again and converges", async () => {
      emulator.faults.configure({ rules: [{ kind: "applyThenReset", method: "PATCH", times: 1 }] });
      const result = await provider.create({ ...ids, name: "New name" });
      expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`, `PATCH ${orgPath()}`, `PATCH ${orgPath()}`]);
      expect(result.outs.name).toBe("New name");
    });

    test("500 and 400 are not retried; the error carries Losant's type and message", async () => {
      emulator.faults.configure({ rules: [{ kind: "status", status: 500, times: 1 }] });
      await expect(provider.create({ ...ids, name: "Acme" })).rejects.toThrow(
        "Losant GET of org 60a1b2c3d4e5f60718293a4b in instance 5f1e2d3c4b5a69788796a5b4 failed: HTTP 500 (ServerError: Injected fault: HTTP 500)",
      );
      expect(emulator.requests).toHaveLength(1);
    });

    test.each([
      ["an unknown token", "not-a-token", 401],
      ["an expired token", "expired-token", 401],
      ["a token without the scope", "read-only-token", 403],
    ] as Array<[string, string, number]>)("%s fails the operation at once: one request, no retry", async (_what, token, status) => {
      process.env.LOSANT_API_TOKEN = token;
      const error = await provider.create({ ...ids, name: "Renamed" }).catch((e) => e);
      expect(error.status).toBe(status);
      expect(emulator.requests.length).toBe(status === 401 ? 1 : 2);
      expect(emulator.requests.map((r) => r.method)).toEqual(status === 401 ? ["GET"] : ["GET", "PATCH"]);
    });

    test("a 429 without Retry-After is retried until losant:retryTimeoutSeconds runs out, then fails saying so", async () => {
      process.env.LOSANT_RETRY_TIMEOUT_SECONDS = "3";
      try {
        emulator.faults.configure({ rules: [{ kind: "status", status: 429 }] });
        const started = Date.now();
        const error = await provider.create({ ...ids, name: "Acme" }).catch((e) => e);
        const seconds = (Date.now() - started) / 1000;
        expect(error.message).toMatch(/HTTP 429 .* after \d+ attempts \(the rate-limit retry budget of 3 s ran out; raise losant:retryTimeoutSeconds/);
        expect(seconds).toBeGreaterThanOrEqual(2);
        expect(seconds).toBeLessThan(6);
        // Spaced out by the gate's probes, not hammered: a few a second at most.
        expect(emulator.requests.length).toBeLessThan(20);
      } finally {
        delete process.env.LOSANT_RETRY_TIMEOUT_SECONDS;
      }
    });

    test("retries stop after the attempt limit", async () => {
      emulator.faults.configure({ rules: [{ kind: "status", status: 503 }] });
      await expect(provider.create({ ...ids, name: "Acme" })).rejects.toThrow(/HTTP 503 .* after 6 attempts/);
      expect(emulator.requests).toHaveLength(6);
    });
  });
});
