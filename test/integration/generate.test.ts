import path from "path";
import { execFile } from "child_process";
import { instanceOrgProvider as provider } from "../../provider";
import { fleetMembers, parseFleet } from "../../provider/program/fleetSpec";
import { CREATION_MARKER_KEY } from "../../provider/shared/creationMarker";
import type { Emulator } from "../../emulator/server";
import { INSTANCE_ID } from "../support/fixtures";
import { startSeededEmulator, TOKEN } from "../support/emulatorHarness";

jest.setTimeout(120_000);

let emulator: Emulator;
const noConfig = { config: { get: () => undefined, require: () => "" } };
const CLI = path.resolve(__dirname, "../../dist/bin/cli.js");

beforeEach(async () => {
  emulator = await startSeededEmulator();
  await provider.configure!(noConfig);
});
afterEach(() => emulator.close());

function generate(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      [CLI, "generate", ...args],
      { env: { ...process.env, LOSANT_API_URL: emulator.url, LOSANT_API_TOKEN: TOKEN } },
      (error, stdout, stderr) => resolve({ stdout, stderr, code: error ? Number(error.code ?? 1) : 0 }),
    ),
  );
}

/** 250 orgs (the seeded Acme included) with the variety real instances have. */
function seedVariedOrgs(): void {
  for (let i = 1; i < 250; i++) {
    emulator.store.createOrg(INSTANCE_ID, {
      name: i % 50 === 0 ? "Same Name" : `Customer ${i}`,
      description: i % 3 === 0 ? `customer number ${i}` : "",
      auditLogEnabled: i % 2 === 0,
      mfaMode: (["notRequired", "adminRequired", "required"] as const)[i % 3],
      limits: i % 4 === 0 ? { device: 100 + i, member: 7 } : {},
      tags:
        i % 5 === 0
          ? [
              { key: "tier", value: "gold" },
              { key: "tier", value: "eu" },
            ]
          : i % 7 === 0
            ? [{ key: CREATION_MARKER_KEY, value: `p/s/n${i}` }]
            : [],
      whitelistedEmailDomains: i % 6 === 0 ? ["Example.com", "acme.io"] : [],
      ...(i % 11 === 0 ? { disabledAt: "2026-01-01T00:00:00.000Z" } : {}),
      ...(i % 13 === 0 ? { banner: { message: "hello", level: "warning" as const } } : {}),
      ...(i % 17 === 0 ? { isReadOnly: true, referralId: `ref-${i}` } : {}),
    });
  }
}

describe("generate", () => {
  test("250 orgs: 3 list requests; adopting the generated fleet takes 250 GETs, 0 PATCHes, and shows no change afterwards", async () => {
    seedVariedOrgs();
    emulator.resetRequests();
    const { stdout, stderr, code } = await generate(["--instance", INSTANCE_ID]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: `250 org(s) of instance ${INSTANCE_ID}\n` });
    expect(emulator.requests.map((r) => `${r.method} ${r.path} page=${r.query.page} perPage=${r.query.perPage}`)).toEqual(
      [0, 1, 2].map((page) => `GET /instances/${INSTANCE_ID}/orgs page=${page} perPage=100`),
    );
    const fleet = parseFleet(JSON.parse(stdout));
    expect(fleet.orgs).toHaveLength(250);
    expect(new Set(fleet.orgs.map((o) => o.key)).size).toBe(250);
    expect(fleet.orgs.filter((o) => o.name === "Same Name").map((o) => o.key)).toEqual(["same-name", "same-name-2", "same-name-3", "same-name-4"]);
    // The provider's own marker is never declared.
    expect(JSON.stringify(fleet)).not.toContain(CREATION_MARKER_KEY);
    // Limits only where they differ from what most orgs hold.
    expect(fleet.orgs.find((o) => o.name === "Customer 4")!.limits).toEqual({ device: 104, member: 7 });
    expect(fleet.orgs.find((o) => o.name === "Customer 1")!.limits).toBeUndefined();

    emulator.resetRequests();
    const adopted = [];
    for (const { inputs } of fleetMembers(fleet)) {
      const checked = await provider.check!({}, inputs);
      expect(checked.failures).toEqual([]);
      const result = await provider.create(checked.inputs);
      adopted.push({ id: result.id, outs: result.outs, inputs: checked.inputs });
    }
    expect(emulator.requests.filter((r) => r.method === "GET")).toHaveLength(250);
    expect(emulator.requests.filter((r) => r.method !== "GET")).toEqual([]);
    for (const { id, outs, inputs } of adopted) expect(await provider.diff!(id, outs, inputs)).toMatchObject({ changes: false, replaces: [] });
  });

  test("--filter pages through the matching orgs only; --format ts declares one InstanceOrg per org", async () => {
    seedVariedOrgs();
    emulator.resetRequests();
    const { stdout, code } = await generate(["--instance", INSTANCE_ID, "--filter", "customer 1*", "--format", "ts"]);
    expect(code).toBe(0);
    const declared = stdout.match(/new InstanceOrg\(/g) ?? [];
    const matching = emulator.store.listOrgs(INSTANCE_ID).filter((o) => /^customer 1/i.test(o.name));
    // Customer 1, 10-19 and 100-199 but for 100 and 150 (named "Same Name"): two pages.
    expect(matching).toHaveLength(109);
    expect(emulator.requests.map((r) => `${r.query.filterField} ${r.query.filter} ${r.query.page}`)).toEqual(["name customer 1* 0", "name customer 1* 1"]);
    expect(declared).toHaveLength(matching.length);
    expect(stdout).toContain('import { InstanceOrg } from "pulumi-losant-instance-org";');
  });

  test("bad arguments and settings fail with a message and no request", async () => {
    expect(await generate(["--instance", "nope"])).toMatchObject({ code: 2, stderr: expect.stringContaining("--instance must be") });
    expect(await generate(["--instance", INSTANCE_ID, "--format", "yaml"])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("--format must be json or ts"),
    });
    const noToken = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(
        process.execPath,
        [CLI, "generate", "--instance", INSTANCE_ID],
        { env: { ...process.env, LOSANT_API_URL: emulator.url, LOSANT_API_TOKEN: "" } },
        (error, _stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stderr }),
      ),
    );
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toMatch(/LOSANT_API_TOKEN/);
    expect(emulator.requests).toEqual([]);
  });
});
