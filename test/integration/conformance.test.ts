/**
 * Our own rules and the emulator's answers, checked against the JSON Schemas Losant publishes
 * (../shared/losant-api). Where that folder is absent the suite says so and is skipped, except in CI
 * (`CI` set, as .ci/run's environment has it), where a missing folder fails: a check that silently
 * stopped running would pass every later drift from Losant's contract.
 */
import fs from "fs";
import path from "path";
import Ajv from "ajv";
import type { ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import fc from "fast-check";
import { LIMIT_BOUNDS, ORG_PATCH_SCHEMA, ORG_POST_SCHEMA } from "../../losant/instanceOrgSchema";
import { validate } from "../../losant/validate";
import { DEFAULT_TOKEN, Emulator, startEmulator } from "../../emulator/server";
import { hugeLimitsArb, orgSettingsArb, unicodeOrgSettingsArb } from "../support/arbitraries";
import { INSTANCE_ID, ORG_ID } from "../support/fixtures";

const SHARED = path.resolve(__dirname, "../../../shared/losant-api");
const present = fs.existsSync(path.join(SHARED, "instanceOrgPatch.json"));
const inCi = Boolean(process.env.CI);
if (!present && !inCi) console.warn(`SKIPPED: Losant schema conformance, ${SHARED} is absent`);
const describeIfShared = present ? describe : describe.skip;

if (!present && inCi) {
  test("Losant's published schemas are present (required in CI)", () => {
    throw new Error(`${SHARED} is absent: CI must check the rules against Losant's published schemas (instanceOrgPatch.json and the others)`);
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- published JSON Schemas are walked by property name below
function loadSchema(name: string): Record<string, any> {
  const schema = JSON.parse(fs.readFileSync(path.join(SHARED, name), "utf8"));
  delete schema.$schema;
  return schema;
}

describeIfShared("conformance with Losant's published schemas", () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);

  test("the limit keys and bounds are Losant's", () => {
    const published = loadSchema("instanceOrgPatch.json").properties.limits.properties as Record<string, { minimum: number; maximum?: number }>;
    expect(Object.keys(LIMIT_BOUNDS).sort()).toEqual(Object.keys(published).sort());
    for (const [key, rule] of Object.entries(published)) {
      expect([key, LIMIT_BOUNDS[key]]).toEqual([key, { minimum: rule.minimum, ...(rule.maximum !== undefined ? { maximum: rule.maximum } : {}) }]);
    }
    expect(Object.keys(LIMIT_BOUNDS)).toHaveLength(34);
  });

  test("the PATCH fields are Losant's", () => {
    expect(Object.keys(ORG_PATCH_SCHEMA.properties).sort()).toEqual(Object.keys(loadSchema("instanceOrgPatch.json").properties).sort());
  });

  test("the POST fields are Losant's, less the initial members", () => {
    const published = Object.keys(loadSchema("instanceOrgPost.json").properties).filter((k) => k !== "members");
    expect(Object.keys(ORG_POST_SCHEMA.properties).sort()).toEqual(published.sort());
  });

  test("our validator accepts exactly what Losant's PATCH schema accepts (2000 generated bodies)", () => {
    const published = ajv.compile(loadSchema("instanceOrgPatch.json"));
    let accepted = 0;
    fc.assert(
      fc.property(orgSettingsArb, (body) => {
        const ours = validate(ORG_PATCH_SCHEMA, body).length === 0;
        if (ours) accepted++;
        expect({ body, ours }).toEqual({ body, ours: published(body) });
      }),
      { numRuns: 2000, seed: 20261129 },
    );
    // Both outcomes must be well represented, or the comparison proves little.
    expect(accepted).toBeGreaterThan(50);
    expect(accepted).toBeLessThan(1950);
  });

  describe("the emulator answers in Losant's shapes", () => {
    let emulator: Emulator;
    const auth = { Authorization: `Bearer ${DEFAULT_TOKEN}`, "Content-Type": "application/json" };
    const orgUrl = () => `${emulator.url}/instances/${INSTANCE_ID}/orgs/${ORG_ID}`;

    beforeAll(async () => {
      emulator = await startEmulator();
      emulator.store.addInstance(INSTANCE_ID);
      emulator.store.createOrg(INSTANCE_ID, { name: "Acme", tags: [{ key: "a", value: "b" }], banner: { message: "m", level: "info" } }, ORG_ID);
    });
    afterAll(() => emulator.close());

    // Losant's replies carry `_type`, `_links` (and `_etag`) beside the properties its schemas describe
    // (the schemas forbid extra properties), so the published shape is checked without them.
    const documented = (body: unknown): unknown => {
      if (Array.isArray(body)) return body.map(documented);
      if (body === null || typeof body !== "object") return body;
      return Object.fromEntries(
        Object.entries(body)
          .filter(([key]) => key !== "_type" && key !== "_links" && key !== "_etag")
          .map(([k, v]) => [k, documented(v)]),
      );
    };
    const check = (schemaFile: string, body: unknown) => {
      const valid = ajv.validate(loadSchema(schemaFile), documented(body));
      expect(ajv.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    };

    test("GET and PATCH return an Instance Organization", async () => {
      check(
        "instanceOrg.json",
        await (await fetch(`${orgUrl()}?summaryInclude=payloadCount,storageStats,notebookStats,deviceCount`, { headers: auth })).json(),
      );
      check("instanceOrg.json", await (await fetch(orgUrl(), { headers: auth })).json());
      const patched = await fetch(orgUrl(), { method: "PATCH", headers: auth, body: JSON.stringify({ disabledAt: true, limits: { device: 1 } }) });
      check("instanceOrg.json", await patched.json());
    });

    test("the org list is a page of orgs", async () => {
      check("instanceOrgs.json", await (await fetch(`${emulator.url}/instances/${INSTANCE_ID}/orgs`, { headers: auth })).json());
    });

    test("errors are {type, message}", async () => {
      const bad = await fetch(orgUrl(), { method: "PATCH", headers: auth, body: JSON.stringify({ name: "" }) });
      expect(bad.status).toBe(400);
      check("error.json", await bad.json());
      const missing = await fetch(`${emulator.url}/instances/${INSTANCE_ID}/orgs/${"0".repeat(24)}`, { headers: auth });
      expect(missing.status).toBe(404);
      check("error.json", await missing.json());
    });

    // API 1.31 answers 201 with an Instance Organization; 1.30 answered 200 with an Organization
    // (org.json), which has no property for what only an instance org has (instanceId, tags, ...).
    test.each([
      ["api1.31", 201, "instanceOrg.json"],
      ["api1.30", 200, "org.json"],
    ] as const)("POST under %s answers %i with %s, and DELETE answers {success: true}", async (postReply, status, schemaFile) => {
      emulator.setModes({ postReply });
      const created = await fetch(`${emulator.url}/instances/${INSTANCE_ID}/orgs`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ name: "Temp", tags: [{ key: "k", value: "v" }], auditLogEnabled: true, referralId: "r" }),
      });
      emulator.setModes({ postReply: "api1.31" });
      expect(created.status).toBe(status);
      const org = (await created.json()) as { id: string };
      check(schemaFile, org);
      // org.json does not forbid extra properties, so "no more than the schema holds" is checked apart.
      const properties = Object.keys(loadSchema(schemaFile).properties);
      expect(Object.keys(documented(org) as object).filter((key) => !properties.includes(key))).toEqual([]);
      if (postReply === "api1.30") {
        const onlyInstanceOrg = Object.keys(loadSchema("instanceOrg.json").properties).filter((key) => !properties.includes(key));
        expect(onlyInstanceOrg).toEqual(expect.arrayContaining(["instanceId", "tags", "auditLogEnabled", "referralId"]));
        for (const key of onlyInstanceOrg) expect([key, key in org]).toEqual([key, false]);
      }
      const { id } = org;
      const deleted = await fetch(`${emulator.url}/instances/${INSTANCE_ID}/orgs/${id}`, { method: "DELETE", headers: auth });
      check("success.json", await deleted.json());
    });
  });
});

describeIfShared("conformance on random Unicode and on numbers beyond 2^53", () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  // Compiled before the tests, not while jest collects them: a skipped suite's body still runs.
  let published: ValidateFunction;
  beforeAll(() => {
    published = ajv.compile(loadSchema("instanceOrgPatch.json"));
  });

  test("our validator and ajv on Losant's schema agree on random Unicode strings at every length edge (1000 bodies)", () => {
    let accepted = 0;
    let astral = 0;
    fc.assert(
      fc.property(unicodeOrgSettingsArb, (body) => {
        const ours = validate(ORG_PATCH_SCHEMA, body).length === 0;
        if (ours) accepted++;
        if (/[\ud800-\udbff][\udc00-\udfff]/.test(JSON.stringify(body))) astral++;
        expect({ body, ours }).toEqual({ body, ours: published(body) });
      }),
      { numRuns: 1000, seed: 8 },
    );
    // Both verdicts, and characters of two UTF-16 units, must be well represented.
    expect(accepted).toBeGreaterThan(50);
    expect(accepted).toBeLessThan(950);
    expect(astral).toBeGreaterThan(500);
  });

  test("whole numbers beyond 2^53-1: Losant's schema accepts them; the provider's check refuses exactly those", () => {
    let unsafe = 0;
    fc.assert(
      fc.property(hugeLimitsArb, (body) => {
        const values = Object.values(body.limits);
        const allSafe = values.every((v) => Number.isSafeInteger(v) || !Number.isInteger(v));
        if (!allSafe) unsafe++;
        expect(validate(ORG_PATCH_SCHEMA, body).length === 0).toBe(published(body));
        expect(validate(ORG_PATCH_SCHEMA, body, "", { safeIntegers: true }).length === 0).toBe(published(body) && allSafe);
      }),
      { numRuns: 1000, seed: 53 },
    );
    expect(unsafe).toBeGreaterThan(100);
  });
});
