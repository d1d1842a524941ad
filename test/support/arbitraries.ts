import fc from "fast-check";
import { LIMIT_BOUNDS, ORG_PATCH_SCHEMA, PATCHABLE_FIELDS, type PatchableField } from "../../losant/instanceOrgSchema";
import { isoDate, validValueOf } from "./schemaArbitrary";

/** Mostly values inside the rules, near their edges; now and then one outside. */
const mostly = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>) =>
  fc.oneof({ weight: 6, arbitrary: valid as fc.Arbitrary<T | U> }, { weight: 1, arbitrary: invalid as fc.Arbitrary<T | U> });

/** A string whose length is within [min, max], close to one of the two. */
const stringWithin = (min: number, max: number) =>
  fc.oneof(fc.string({ minLength: min, maxLength: Math.min(max, min + 3) }), fc.string({ minLength: Math.max(min, max - 2), maxLength: max }));
/** A string just outside [min, max]. */
const stringOutside = (min: number, max: number) =>
  min > 0
    ? fc.oneof(fc.string({ maxLength: min - 1 }), fc.string({ minLength: max + 1, maxLength: max + 2 }))
    : fc.string({ minLength: max + 1, maxLength: max + 2 });

const anyJson = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.string({ maxLength: 4 }), fc.constant([]), fc.constant({}), fc.constant(1.5));

const limitsArb = fc
  .array(
    fc.constantFrom(...Object.entries(LIMIT_BOUNDS)).chain(([key, bounds]) =>
      mostly(
        fc.integer({ min: bounds.minimum, max: bounds.maximum ?? bounds.minimum + 5 }).map((v) => [key, v] as const),
        fc.oneof(
          fc.constant([key, bounds.minimum - 1] as const),
          fc.constant([key, (bounds.maximum ?? 2 ** 31) + 1] as const),
          anyJson.map((v) => [key, v] as const),
          fc.constant(["devices", 1] as const),
        ),
      ),
    ),
    { maxLength: 4 },
  )
  .map((entries) => Object.fromEntries(entries));

const tagArb = mostly(
  fc.record({ key: fc.stringMatching(/^[0-9a-zA-Z_-]{1,12}$/), value: stringWithin(1, 255) }),
  fc.oneof(
    fc.record({ key: fc.constantFrom("", "bad key", "é", "a".repeat(256)), value: fc.constant("v") }),
    fc.record({ key: fc.constant("k"), value: stringOutside(1, 255) }),
    fc.record({ key: fc.constant("k") }),
    fc.record({ key: fc.constant("k"), value: fc.constant("v"), extra: fc.constant(1) }),
  ),
);

type FieldArbitraries = Partial<Record<PatchableField, fc.Arbitrary<unknown>>>;

/**
 * A record over every patchable field of the field list: the hand-tuned arbitrary where there is
 * one, else `fallback` built from the field's rule.
 */
function overFields(tuned: FieldArbitraries, fallback: (rule: NonNullable<(typeof ORG_PATCH_SCHEMA.properties)[string]>) => fc.Arbitrary<unknown>) {
  const arbitraries: Record<string, fc.Arbitrary<unknown>> = {};
  for (const field of PATCHABLE_FIELDS) {
    const rule = ORG_PATCH_SCHEMA.properties[field];
    arbitraries[field] = tuned[field] ?? (rule === undefined ? fc.constant(undefined) : fallback(rule));
  }
  return fc.record(arbitraries, { requiredKeys: [] });
}

/** PATCH-body-shaped objects near the rules' edges, some plainly wrong: for comparing validators. */
export const orgSettingsArb = overFields(
  {
    name: mostly(stringWithin(1, 255), fc.oneof(stringOutside(1, 255), anyJson)),
    description: mostly(fc.string({ maxLength: 10 }), fc.oneof(fc.constant("d".repeat(32768)), anyJson)),
    iconColor: mostly(stringWithin(0, 64), stringOutside(0, 64)),
    limits: mostly(limitsArb, anyJson),
    whitelistedEmailDomains: mostly(
      fc.array(stringWithin(3, 45), { maxLength: 3 }),
      fc.oneof(fc.array(stringOutside(3, 45), { minLength: 1, maxLength: 2 }), anyJson),
    ),
    auditLogEnabled: mostly(fc.boolean(), anyJson),
    disabledAt: mostly(
      fc.oneof(fc.boolean(), isoDate, fc.constant("2026-01-01T00:00:00+02:00")),
      fc.oneof(fc.constantFrom("2026-01-01", "yesterday", "2026-01-01T00:00:00", "2026-13-01T00:00:00Z"), anyJson),
    ),
    isReadOnly: mostly(fc.boolean(), anyJson),
    tags: mostly(fc.array(tagArb, { maxLength: 3 }), fc.oneof(anyJson, fc.constant(Array.from({ length: 101 }, (_, i) => ({ key: `k${i}`, value: "v" }))))),
    referralId: mostly(stringWithin(0, 1024), stringOutside(0, 1024)),
    mfaMode: mostly(fc.constantFrom("notRequired", "adminRequired", "required"), fc.oneof(fc.constant("sometimes"), anyJson)),
    banner: mostly(
      fc.record({ message: stringWithin(0, 2048), level: fc.constantFrom("info", "warning", "critical") }, { requiredKeys: [] }),
      fc.oneof(fc.record({ level: fc.constant("error") }), fc.record({ message: stringOutside(0, 2048) }), fc.record({ color: fc.constant("red") }), anyJson),
    ),
  },
  (rule) => mostly(validValueOf(rule), anyJson),
).chain((body) => fc.oneof({ weight: 9, arbitrary: fc.constant(body) }, { weight: 1, arbitrary: anyJson.map((v) => ({ ...body, unexpected: v })) }));

const validLimitKey = fc.constantFrom(...Object.keys(LIMIT_BOUNDS));

/** Only valid settings: what a correct program may declare. */
export const validOrgSettingsArb = overFields(
  {
    name: fc.string({ minLength: 1, maxLength: 40 }),
    description: fc.string({ maxLength: 40 }),
    iconColor: fc.string({ maxLength: 64 }),
    limits: fc.dictionary(validLimitKey, fc.nat(1000)).map((limits) => {
      const fixed: Record<string, number> = { ...limits };
      if (fixed.dataTTL !== undefined) fixed.dataTTL += 86400;
      if (fixed.systemInterval !== undefined) fixed.systemInterval = 5 + (fixed.systemInterval % 3596);
      return fixed;
    }),
    whitelistedEmailDomains: fc.array(fc.string({ minLength: 3, maxLength: 45 }), { maxLength: 3 }),
    auditLogEnabled: fc.boolean(),
    isReadOnly: fc.boolean(),
    tags: fc.array(fc.record({ key: fc.stringMatching(/^[0-9a-zA-Z_-]{1,20}$/), value: fc.string({ minLength: 1, maxLength: 20 }) }), { maxLength: 4 }),
    referralId: fc.string({ maxLength: 20 }),
    mfaMode: fc.constantFrom("notRequired", "adminRequired", "required"),
    banner: fc.record({ message: fc.string({ maxLength: 30 }), level: fc.constantFrom("info", "warning", "critical") }, { requiredKeys: [] }),
    disabledAt: fc.oneof(fc.boolean(), isoDate),
  },
  validValueOf,
);

/**
 * One character of many kinds: ASCII, accented and CJK (one UTF-16 unit each), emoji and other astral
 * characters (two units, one character), combining marks, and lone surrogates (one unit that a
 * JSON Schema validator counts as one character).
 */
const unicodeCharacter = fc.oneof(
  fc.constantFrom("a", "Z", "7", "-", "_", " "),
  fc.constantFrom("é", "ß", "中", "\u0301", "\u200d", "\ufeff"),
  fc.constantFrom("\u{1F600}", "\u{1D11E}", "\u{10FFFF}", "\u{1F1FA}"),
  fc.integer({ min: 0x20, max: 0xffff }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
  fc.constantFrom("\ud800", "\udfff", "\udbff"),
);

const unicodeOfLength = (minLength: number, maxLength: number) => fc.array(unicodeCharacter, { minLength, maxLength }).map((chars) => chars.join(""));

/**
 * A string of random Unicode whose length in characters is at an edge of [min, max]: mostly just
 * inside, sometimes just outside (by one or two characters).
 */
export const unicodeNear = (min: number, max: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.oneof(unicodeOfLength(min, Math.min(max, min + 2)), unicodeOfLength(Math.max(min, max - 2), max)) },
    {
      weight: 1,
      arbitrary: min > 0 ? fc.oneof(unicodeOfLength(Math.max(0, min - 2), min - 1), unicodeOfLength(max + 1, max + 2)) : unicodeOfLength(max + 1, max + 2),
    },
  );

/** PATCH bodies whose strings are random Unicode at the edges of their length rules. */
export const unicodeOrgSettingsArb = fc.record(
  {
    name: unicodeNear(1, 255),
    // The long edge of description is costly to build, so it comes up less often.
    description: fc.oneof({ weight: 9, arbitrary: unicodeOfLength(0, 8) }, { weight: 1, arbitrary: unicodeNear(32767, 32767) }),
    iconColor: unicodeNear(0, 64),
    referralId: unicodeNear(0, 1024),
    whitelistedEmailDomains: fc.array(unicodeNear(3, 45), { maxLength: 2 }),
    tags: fc.array(
      fc.record({
        key: fc.oneof({ weight: 4, arbitrary: fc.stringMatching(/^[0-9a-zA-Z_-]{1,8}$/) }, { weight: 1, arbitrary: unicodeNear(1, 8) }),
        value: unicodeNear(1, 255),
      }),
      { maxLength: 2 },
    ),
    banner: fc.record({ message: unicodeNear(0, 2048) }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

/** Limits whose values straddle 2^53 and reach 1e308, besides ordinary ones. */
export const hugeLimitsArb = fc
  .dictionary(
    fc.constantFrom("device", "member", "payload", "dataTTL"),
    fc.oneof(
      fc.integer({ min: 0, max: 1000 }),
      // eslint-disable-next-line no-loss-of-precision -- a literal a program may write; JavaScript rounds it, which is the point
      fc.constantFrom(2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, 9007199254740993, 1e21, 1e308, -(2 ** 53)),
      fc.double({ min: 2 ** 52, max: 1e308, noNaN: true }),
    ),
    { maxKeys: 3 },
  )
  .map((limits) => ({ limits }));
