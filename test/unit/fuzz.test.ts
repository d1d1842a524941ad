/** Property-based tests (fast-check) for check and diff. */
import fs from "fs";
import path from "path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import fc from "fast-check";
import { checkInputs } from "../../provider/shared/check";
import { diffInstanceOrg, managedFieldsOf, planPatch } from "../../provider/server/plan";
import { toOutputs } from "../../provider/server/outputs";
import { OrgStore, StoredOrg, toApiOrg } from "../../emulator/store";
import { DEFAULT_MODES, EmulatorModes, MODE_VALUES } from "../../emulator/modes";
import { orgHypermedia, withHypermedia } from "../../emulator/hypermedia";
import { PATCHABLE_FIELDS } from "../../losant/instanceOrgSchema";
import type { OrgSettings } from "../../losant/types";
import type { InstanceOrgInputs } from "../../provider/shared/resourceTypes";
import { orgSettingsArb, validOrgSettingsArb } from "../support/arbitraries";
import { INSTANCE_ID, ORG_ID } from "../support/fixtures";

const RUNS = { numRuns: 500, seed: 4242 };
const ids = { instanceId: INSTANCE_ID, orgId: ORG_ID };

const inputKeys = new Set([...PATCHABLE_FIELDS, "instanceId", "orgId", "summaryInclude"]);

describe("check", () => {
  test("never throws, whatever the input, and every failure names a property path", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...inputKeys, "extra"), fc.anything()), (inputs) => {
        const failures = checkInputs(inputs);
        for (const failure of failures) {
          // The path starts with the input's name; deeper segments are whatever keys the input used.
          expect(failure.property).toMatch(/^[A-Za-z_]\w*($|[.[])/);
          expect(failure.reason.length).toBeGreaterThan(5);
        }
      }),
      RUNS,
    );
  });

  test("accepts every input that is valid by the published rules", () => {
    fc.assert(
      fc.property(validOrgSettingsArb, (settings) => expect(checkInputs({ ...ids, ...settings })).toEqual([])),
      RUNS,
    );
  });

  const schemaFile = path.resolve(__dirname, "../../../shared/losant-api/instanceOrgPatch.json");
  const shared = fs.existsSync(schemaFile);
  if (!shared) console.warn(`SKIPPED: check against Losant's schema, ${schemaFile} is absent`);
  (shared ? test : test.skip)("rejects exactly what Losant's schema rejects, plus its two own rules, always naming a property", () => {
    const ajv = new Ajv({ strict: false });
    addFormats(ajv);
    const { $schema: _ignored, ...schema } = JSON.parse(fs.readFileSync(schemaFile, "utf8"));
    const published = ajv.compile(schema);
    fc.assert(
      fc.property(orgSettingsArb, (body) => {
        const inputs = { ...ids, ...(body as object) };
        const failures = checkInputs(inputs);
        // A null input means "not declared": it is never sent, so Losant never judges it.
        const sent = Object.fromEntries(Object.entries(body as object).filter(([k, v]) => !(v === null && PATCHABLE_FIELDS.includes(k as never))));
        // check's own rules beyond the schema (README, Inputs): whole numbers past 2^53-1, and the same tag twice.
        expect(failures.length === 0).toBe(published(sent) && !hasUnsafeInteger(sent) && !hasRepeatedTag(sent));
        // Each failure names a property the input actually has.
        for (const failure of failures) expect(Object.keys(inputs)).toContain(failure.property.split(/[.[]/)[0]);
      }),
      { numRuns: 1000, seed: 99 },
    );
  });
});

function hasUnsafeInteger(value: unknown): boolean {
  if (typeof value === "number") return Number.isInteger(value) && !Number.isSafeInteger(value);
  if (typeof value === "object" && value !== null) return Object.values(value).some(hasUnsafeInteger);
  return false;
}

function hasRepeatedTag(body: Record<string, unknown>): boolean {
  if (!Array.isArray(body.tags)) return false;
  const pairs = body.tags.filter((t) => typeof t?.key === "string" && typeof t?.value === "string").map((t) => JSON.stringify([t.key, t.value]));
  return new Set(pairs).size !== pairs.length;
}

/** The state an `up` leaves: the org after the provider's PATCH, as the provider records it. */
function stateAfterApply(settings: OrgSettings, modes: EmulatorModes = DEFAULT_MODES, before: OrgSettings = {}): Record<string, unknown> {
  const store = new OrgStore();
  store.modes = { ...modes };
  store.addInstance(INSTANCE_ID);
  const seeded = store.createOrg(INSTANCE_ID, { ...before, name: "seeded" }, ORG_ID);
  const plan = planPatch(settings, reply(seeded, modes));
  const org = Object.keys(plan.body).length > 0 ? store.patchOrg(INSTANCE_ID, ORG_ID, plan.body)! : seeded;
  return toOutputs(reply(org, modes), { ...ids, ...settings } as InstanceOrgInputs) as unknown as Record<string, unknown>;
}

/** What the emulator's GET answers for a stored org, hypermedia included where the mode says so. */
function reply(org: StoredOrg, modes: EmulatorModes) {
  return withHypermedia(toApiOrg(org, undefined), modes.hypermedia, () => orgHypermedia(INSTANCE_ID, org.id, org.lastUpdated));
}

describe("diff", () => {
  test("diff(x, x) never reports a change", () => {
    fc.assert(
      fc.property(validOrgSettingsArb, (settings) => {
        const olds = { ...ids, ...settings, managedFields: managedFieldsOf(settings) };
        expect(diffInstanceOrg(olds, { ...ids, ...settings }).changes).toBe(false);
      }),
      RUNS,
    );
  });

  test("no perpetual diff: after the PATCH is applied, the next diff is empty", () => {
    fc.assert(
      fc.property(validOrgSettingsArb, (settings) => expect(diffInstanceOrg(stateAfterApply(settings), { ...ids, ...settings }).changed).toEqual([])),
      RUNS,
    );
  });

  const modesArb: fc.Arbitrary<EmulatorModes> = fc.record({
    limitsPatch: fc.constantFrom(...MODE_VALUES.limitsPatch),
    bannerPatch: fc.constantFrom(...MODE_VALUES.bannerPatch),
    tagOrder: fc.constantFrom(...MODE_VALUES.tagOrder),
    emailDomains: fc.constantFrom(...MODE_VALUES.emailDomains),
    hypermedia: fc.constantFrom(...MODE_VALUES.hypermedia),
    pageSize: fc.constantFrom(...MODE_VALUES.pageSize),
    postReply: fc.constantFrom(...MODE_VALUES.postReply),
    notFoundText: fc.constantFrom(...MODE_VALUES.notFoundText),
    acceptVersion: fc.constantFrom(...MODE_VALUES.acceptVersion),
  });

  test("whatever the server reorders, merges or normalises, apply then diff is empty, and a second apply sends nothing", () => {
    fc.assert(
      fc.property(validOrgSettingsArb, validOrgSettingsArb, modesArb, (settings, before, modes) => {
        const declared = { ...ids, ...settings };
        const state = stateAfterApply(settings, modes, before);
        expect(diffInstanceOrg(state, declared).changed).toEqual([]);
        expect(planPatch(settings, state as OrgSettings).body).toEqual({});
        // Hypermedia never reaches the state.
        expect(Object.keys(state).filter((key) => key.startsWith("_"))).toEqual([]);
      }),
      { numRuns: 1000, seed: 7 },
    );
  });

  test("the PATCH carries tags, domains and banner as declared, whatever the server does with them", () => {
    fc.assert(
      fc.property(validOrgSettingsArb, (settings) => {
        const body = planPatch(settings, {
          name: "seeded",
          tags: [{ key: "zz", value: "old" }],
          whitelistedEmailDomains: ["old.example"],
          banner: { message: "old" },
        }).body;
        for (const field of ["tags", "whitelistedEmailDomains", "banner"] as const) {
          if (body[field] !== undefined) expect(body[field]).toBe(settings[field]);
        }
      }),
      RUNS,
    );
  });

  test("never reports a change for a field the program does not declare", () => {
    fc.assert(
      fc.property(validOrgSettingsArb, validOrgSettingsArb, (declared, other) => {
        const state = stateAfterApply(declared);
        // Change every value the program does not declare, limits included.
        const drifted: Record<string, unknown> = { ...state };
        for (const field of PATCHABLE_FIELDS) {
          if (field === "limits") continue;
          if ((declared as Record<string, unknown>)[field] === undefined) drifted[field] = (other as Record<string, unknown>)[field];
        }
        const limits = { ...(state.limits as Record<string, number>) };
        for (const [key, value] of Object.entries(other.limits ?? {}))
          if (declared.limits?.[key as keyof typeof declared.limits] === undefined) limits[key] = value + 1;
        drifted.limits = limits;
        expect(diffInstanceOrg(drifted, { ...ids, ...declared }).changed).toEqual([]);
      }),
      RUNS,
    );
  });
});
