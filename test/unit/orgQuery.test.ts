/**
 * The emulator's own reading of Losant's advanced org query: the validator cross-checked against
 * the published schema (../shared/losant-api/advancedInstanceOrgQuery.json) with ajv, and the
 * evaluator's readings of what the schema leaves open.
 */
import fs from "fs";
import path from "path";
import Ajv from "ajv";
import fc from "fast-check";
import { checkOrgQuery, Json, parseOrgQuery, QUERY_FIELDS } from "../../emulator/orgQuery";
import { matchesOrgQuery, QueryableOrg } from "../../emulator/orgQueryMatch";

const SHARED = path.resolve(__dirname, "../../../shared/losant-api");
const SCHEMA_FILE = path.join(SHARED, "advancedInstanceOrgQuery.json");
const present = fs.existsSync(SCHEMA_FILE);
if (!present) console.warn(`SKIPPED: org query cross-check against Losant's schema, ${SCHEMA_FILE} is absent`);
const describeIfShared = present ? describe : describe.skip;

const ID = "0123456789abcdef01234567";
const id = fc.constantFrom(ID, ID.toUpperCase(), "0123456789abcdef0123456", "zz23456789abcdef01234567");
const scalar = fc.oneof(fc.constantFrom("", "a", "x".repeat(256), "2026-01-01T00:00:00Z", ID), fc.integer(), fc.boolean(), fc.constant<Json>(null), id);
const list = (item: fc.Arbitrary<Json>) =>
  fc.oneof(
    { weight: 5, arbitrary: fc.array(item, { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.constantFrom(100, 101).chain((n) => fc.array(item, { minLength: n, maxLength: n })) },
  );
const operatorName = fc.constantFrom("$eq", "$ne", "$gt", "$lt", "$gte", "$lte", "$in", "$nin", "$startsWith", "$endsWith", "$contains", "$ci", "$regex");
const operand: fc.Arbitrary<Json> = fc.oneof(scalar, list(scalar), fc.constant<Json>({}));
const operators = fc.dictionary(operatorName, operand, { maxKeys: 3 });
const tagMatcher: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom("gold", "", "y".repeat(256), null, 5),
  fc.record({ $in: list(fc.constantFrom("gold", "z".repeat(256), null)) }),
  fc.record({ $nin: list(fc.constantFrom("gold", "silver")) }),
  fc.constant<Json>({ $in: ["a"], $nin: ["b"] }),
  fc.constant<Json>({}),
);
const tagFilter: fc.Arbitrary<Json> = fc.oneof(
  fc.constant<Json>(null),
  fc.dictionary(fc.constantFrom("$tagKey", "$tagValue", "tier", "a.b", "", "-x", "$other", "é"), tagMatcher, { maxKeys: 3 }),
);
const tagsCondition: fc.Arbitrary<Json> = fc.oneof(
  tagFilter,
  fc.record({ $eq: tagFilter }),
  fc.record({ $ne: tagFilter }),
  fc.record({ $eq: tagFilter, $ne: tagFilter }),
  fc.constant<Json>({}),
  fc.constant<Json>([]),
);

const { query } = fc.letrec<{ query: Json; condition: [string, Json] }>((tie) => ({
  condition: fc.oneof(
    fc.tuple(fc.constantFrom("id", "memberId"), fc.oneof(id, fc.constant<Json>(null), operators, fc.record({ $in: list(id) }))),
    fc.tuple(
      fc.constantFrom("name", "creationDate", "lastUpdated", "mfaMode", "isReadOnly", "auditLogEnabled", "disabledAt", "referralId"),
      fc.oneof(scalar, operators, list(scalar)),
    ),
    fc.tuple(fc.constant("tags"), tagsCondition),
    fc.tuple(fc.constantFrom("$and", "$or", "$nor"), fc.oneof({ depthSize: "small" }, fc.array(tie("query"), { maxLength: 3 }), tie("query"))),
    fc.tuple(fc.constantFrom("description", "$where"), scalar),
  ),
  query: fc.oneof(
    { weight: 10, arbitrary: fc.array(tie("condition"), { maxLength: 3 }).map((entries) => Object.fromEntries(entries) as Json) },
    { weight: 1, arbitrary: fc.oneof(fc.constant<Json>(null), fc.constant<Json>([]), fc.constant<Json>("name")) },
  ),
}));

describeIfShared("the query validator accepts exactly what Losant's schema accepts", () => {
  // Read when the tests run: a skipped describe still runs its body, where the file may be absent.
  let schema: { properties: Record<string, unknown> };
  let published: (value: unknown) => boolean;
  beforeAll(() => {
    schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8"));
    delete (schema as { $schema?: string }).$schema;
    // The file refers to itself as #/definitions/advancedInstanceOrgQuery.
    const validate = new Ajv({ strict: false, allErrors: false }).compile({ ...schema, definitions: { advancedInstanceOrgQuery: schema } });
    published = (value) => validate(value) === true;
  });

  test("the fields a query can name are the schema's", () => {
    expect([...QUERY_FIELDS].sort()).toEqual(Object.keys(schema.properties).sort());
  });

  test("3000 generated queries", () => {
    let accepted = 0;
    fc.assert(
      fc.property(query, (q) => {
        const ours = checkOrgQuery(q).length === 0;
        if (ours) accepted++;
        expect({ q, ours }).toEqual({ q, ours: published(q) });
      }),
      { numRuns: 3000, seed: 20261130 },
    );
    // Both outcomes must be well represented, or the agreement proves little.
    expect(accepted).toBeGreaterThan(300);
    expect(accepted).toBeLessThan(2700);
  });

  test.each([
    [{ tags: {} }, true],
    [{ tags: { $eq: {} } }, true],
    [{ tags: { "a.b": "x" } }, true],
    [{ tags: { $tagKey: "tier", gold: "x" } }, false],
    [{ id: {} }, false],
    [{ name: {} }, true],
    [{ name: { $in: [null] } }, false],
  ])("edge case %j: valid %s", (q, valid) => {
    expect(published(q)).toBe(valid);
    expect(checkOrgQuery(q).length === 0).toBe(valid);
  });
});

describe("matchesOrgQuery", () => {
  const org: QueryableOrg = {
    id: ID,
    name: "Acme Corp",
    creationDate: "2026-03-01T12:00:00.000Z",
    lastUpdated: "2026-03-02T12:00:00.000Z",
    mfaMode: "required",
    isReadOnly: false,
    auditLogEnabled: true,
    disabledAt: false,
    tags: [
      { key: "tier", value: "gold" },
      { key: "region", value: "eu" },
    ],
    members: [],
  };
  const matches = (q: object) => matchesOrgQuery(org, parseOrgQuery(JSON.stringify(q)));

  test.each([
    [{}, true],
    [{ creationDate: { $gt: "2026-03-01T11:59:59Z" } }, true],
    [{ creationDate: { $gt: Date.parse("2026-03-01T12:00:00Z") } }, false],
    [{ creationDate: { $gte: Date.parse("2026-03-01T12:00:00Z"), $lt: "2026-03-02" } }, true],
    [{ lastUpdated: "2026-03-02T12:00:00Z" }, true], // same instant, other spelling
    [{ disabledAt: false }, true],
    [{ disabledAt: { $ne: false } }, false],
    [{ isReadOnly: { $gt: 0 } }, false], // different types never compare
    [{ name: { $gt: "Acme" } }, true],
    [{ name: { $eq: "acme corp", $ci: true } }, true],
    [{ name: { $in: ["ACME CORP"], $ci: true } }, true],
    [{ name: "acme corp" }, false],
    [{ referralId: null }, true], // missing matches null
    [{ referralId: { $ne: "x" } }, true],
    [{ referralId: { $gt: "" } }, false],
    [{ id: { $gte: "0123456789abcdef01234567" } }, true],
    [{ tags: { tier: "gold", region: "eu" } }, true],
    [{ tags: { tier: "gold", region: "us" } }, false],
    [{ tags: { $tagKey: "region", $tagValue: { $nin: ["us"] } } }, true],
    [{ tags: { $tagValue: "eu" } }, true],
    [{ tags: { $eq: { tier: { $in: ["silver"] } } } }, false],
    [{ memberId: null }, true],
    [{ $or: [{ name: "x" }, { $nor: [{ mfaMode: "notRequired" }] }] }, true],
    [{ $and: [{ auditLogEnabled: true }, { isReadOnly: true }] }, false],
  ])("%j: %s", (q, expected) => {
    expect(matches(q)).toBe(expected);
  });

  test("parseOrgQuery names what is wrong", () => {
    expect(() => parseOrgQuery("{")).toThrow(/not valid JSON/);
    expect(() => parseOrgQuery(JSON.stringify({ nam: "x" }))).toThrow(/query.nam is not a field a query can name/);
    expect(() => parseOrgQuery(JSON.stringify({ $or: [{ id: "x" }] }))).toThrow(/query.\$or\[0\].id must be a 24-character hex id/);
  });
});
