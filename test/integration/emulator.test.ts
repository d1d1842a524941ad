import fs from "fs";
import os from "os";
import path from "path";
import { DEFAULT_TOKEN, Emulator, startEmulator } from "../../emulator/server";
import { INSTANCE_ID, ORG_ID } from "../support/fixtures";

let emulator: Emulator;
const auth = (token = DEFAULT_TOKEN) => ({ Authorization: `Bearer ${token}`, "Content-Type": "application/json" });
const orgUrl = (orgId = ORG_ID, instanceId = INSTANCE_ID) => `${emulator.url}/instances/${instanceId}/orgs/${orgId}`;

beforeEach(async () => {
  emulator = await startEmulator({
    tokens: {
      [DEFAULT_TOKEN]: ["all.Instance"],
      reader: ["instanceOrg.get"],
      bounded: ["all.Instance.bounded"],
      expired: { scopes: ["all.Instance"], expired: true },
    },
  });
  emulator.store.addInstance(INSTANCE_ID);
  emulator.store.createOrg(INSTANCE_ID, { name: "Acme" }, ORG_ID);
});
afterEach(() => emulator.close());

// Losant/bravado-core: lib/authenticate.js (401 for a token it cannot verify), lib/authorize.js (403 without the scope, or without a token).
test.each([
  ["no token", {}, 403, "Forbidden", "Access is forbidden"],
  ["an unknown token", auth("nope"), 401, "Unauthorized", "Invalid access token"],
  ["an expired token", auth("expired"), 401, "Unauthorized", "Access token has expired"],
  ["a token without the PATCH scope", auth("reader"), 403, "Forbidden", "Access is forbidden"],
] as Array<[string, Record<string, string>, number, string, string]>)("PATCH with %s: %i %s", async (_what, headers, status, type, message) => {
  const res = await fetch(orgUrl(), { method: "PATCH", headers, body: "{}" });
  expect(res.status).toBe(status);
  expect(await res.json()).toEqual({ type, message });
});

test("the .bounded variant of all.Instance is accepted", async () => {
  expect((await fetch(orgUrl(), { headers: auth("bounded") })).status).toBe(200);
});

test.each([
  ["an unknown property", { nickname: "x" }, /nickname is not a known property/],
  ["a bad limit", { limits: { dataTTL: 1 } }, /limits.dataTTL must be at least 86400/],
  ["malformed JSON", "{", /not valid JSON/],
] as Array<[string, unknown, RegExp]>)("PATCH with %s: 400 Validation", async (_what, body, message) => {
  const res = await fetch(orgUrl(), { method: "PATCH", headers: auth(), body: typeof body === "string" ? body : JSON.stringify(body) });
  expect(res.status).toBe(400);
  expect(await res.json()).toEqual({ type: "Validation", message: expect.stringMatching(message) });
});

test.each([
  ["unknown org", () => orgUrl("0123456789abcdef01234567")],
  ["unknown instance", () => orgUrl(ORG_ID, "0123456789abcdef01234567")],
])("404 for an %s", async (_what, url) => {
  const res = await fetch(url(), { headers: auth() });
  expect(res.status).toBe(404);
});

test("PATCH replaces limits wholesale: a limit left out returns to the instance default", async () => {
  await fetch(orgUrl(), { method: "PATCH", headers: auth(), body: JSON.stringify({ limits: { device: 1, flow: 2 } }) });
  const res = await fetch(orgUrl(), { method: "PATCH", headers: auth(), body: JSON.stringify({ limits: { device: 3 } }) });
  const org = (await res.json()) as { limits: Record<string, number> };
  expect(org.limits.device).toBe(3);
  expect(org.limits.flow).toBe(100);
});

test("summaryInclude picks the summary fields", async () => {
  const org = (await (await fetch(`${orgUrl()}?summaryInclude=deviceCount,payloadCount`, { headers: auth() })).json()) as { summary: object };
  expect(Object.keys(org.summary).sort()).toEqual(["deviceCount", "payloadCount"]);
  expect((await fetch(`${orgUrl()}?summaryInclude=nope`, { headers: auth() })).status).toBe(400);
});

test("records every API request, with the Authorization scheme but not the token", async () => {
  await fetch(`${orgUrl()}?summaryInclude=deviceCount`, { headers: auth() });
  await fetch(orgUrl(), { method: "PATCH", headers: auth(), body: JSON.stringify({ name: "B" }) });
  await fetch(`${emulator.url}/_emulator/health`);
  expect(emulator.requests.map((r) => [r.method, r.path, r.query, r.body, r.status, r.headers.authorization])).toEqual([
    ["GET", `/instances/${INSTANCE_ID}/orgs/${ORG_ID}`, { summaryInclude: "deviceCount" }, undefined, 200, "Bearer"],
    ["PATCH", `/instances/${INSTANCE_ID}/orgs/${ORG_ID}`, {}, { name: "B" }, 200, "Bearer"],
  ]);
  expect(JSON.stringify(emulator.requests)).not.toContain(DEFAULT_TOKEN);
});

test("rate limit: requests over the per-second budget get 429 with Retry-After", async () => {
  emulator.faults.configure({ rateLimitPerSecond: 3 });
  const statuses = await Promise.all(
    Array.from({ length: 5 }, () => fetch(orgUrl(), { headers: auth() }).then((r) => [r.status, r.headers.get("retry-after")])),
  );
  expect(statuses.filter(([s]) => s === 200)).toHaveLength(3);
  expect(statuses.filter(([s]) => s === 429)).toEqual([
    [429, "1"],
    [429, "1"],
  ]);
});

test("control endpoints set faults and read the request log", async () => {
  await fetch(`${emulator.url}/_emulator/faults`, { method: "PUT", body: JSON.stringify({ rules: [{ kind: "status", status: 503, times: 1 }] }) });
  expect((await fetch(orgUrl(), { headers: auth() })).status).toBe(503);
  expect((await fetch(orgUrl(), { headers: auth() })).status).toBe(200);
  const log = (await (await fetch(`${emulator.url}/_emulator/requests`)).json()) as Array<{ status: number; fault?: string }>;
  expect(log.map((r) => [r.status, r.fault])).toEqual([
    [503, "status 503"],
    [200, undefined],
  ]);
});

test("state persists to a JSON file across restarts", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "emu-"));
  const file = path.join(dir, "state.json");
  const first = await startEmulator({ persistPath: file });
  first.store.addInstance(INSTANCE_ID);
  first.store.createOrg(INSTANCE_ID, { name: "Kept" }, ORG_ID);
  await first.close();
  const second = await startEmulator({ persistPath: file });
  expect(second.store.getOrg(INSTANCE_ID, ORG_ID)?.name).toBe("Kept");
  await second.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test("`npm run emulator` (the CLI) is ready in under a second and prints its URL and seeded ids", async () => {
  const { spawn } = await import("child_process");
  const started = Date.now();
  const child = spawn(process.execPath, [path.resolve(__dirname, "../../dist/emulator/cli.js"), "--port", "0", "--seed", "2"]);
  try {
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString()));
      child.once("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
    });
    const elapsed = Date.now() - started;
    const printed = JSON.parse(line) as { url: string; instanceId: string; orgIds: string[] };
    expect(printed.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(printed.orgIds).toHaveLength(2);
    const res = await fetch(`${printed.url}/instances/${printed.instanceId}/orgs/${printed.orgIds[0]}`, { headers: auth() });
    expect(res.status).toBe(200);
    expect(elapsed).toBeLessThan(1000);
  } finally {
    child.kill();
  }
});
