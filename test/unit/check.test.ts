import { checkInputs, normalizeInputs } from "../../provider/shared/check";
import { UNKNOWN } from "../../provider/shared/unknown";
import { validInputs } from "../support/fixtures";

const long = (n: number, c = "a") => c.repeat(n);

// [what is wrong, the inputs, the property path check must name]
const badInputs: Array<[string, Record<string, unknown>, string]> = [
  ["missing instanceId", validInputs({ instanceId: undefined }), "instanceId"],
  ["empty instanceId", validInputs({ instanceId: "" }), "instanceId"],
  ["instanceId too short", validInputs({ instanceId: "abc123" }), "instanceId"],
  ["instanceId not hex", validInputs({ instanceId: "zzzzzzzzzzzzzzzzzzzzzzzz" }), "instanceId"],
  ["instanceId a number", validInputs({ instanceId: 12 }), "instanceId"],
  // Without orgId the org is created, which needs a name (issue 11: orgId became optional).
  ["missing orgId and name", validInputs({ orgId: undefined, name: undefined }), "name"],
  ["empty orgId", validInputs({ orgId: "" }), "orgId"],
  ["orgId of 10 characters", validInputs({ orgId: "0123456789" }), "orgId"],
  ["orgId of 25 characters", validInputs({ orgId: long(25, "b") }), "orgId"],
  ["orgId with a dash", validInputs({ orgId: "60a1b2c3-4e5f60718293a4b" }), "orgId"],
  ["empty name", validInputs({ name: "" }), "name"],
  ["name of 256 characters", validInputs({ name: long(256) }), "name"],
  ["name a number", validInputs({ name: 42 }), "name"],
  ["description too long", validInputs({ description: long(32768) }), "description"],
  ["description an object", validInputs({ description: { text: "x" } }), "description"],
  ["iconColor too long", validInputs({ iconColor: long(65) }), "iconColor"],
  ["limits a number", validInputs({ limits: 5 }), "limits"],
  ["limits a list", validInputs({ limits: [1, 2] }), "limits"],
  ["negative limit", validInputs({ limits: { device: -1 } }), "limits.device"],
  ["fractional limit", validInputs({ limits: { flow: 1.5 } }), "limits.flow"],
  ["limit as a string", validInputs({ limits: { member: "10" } }), "limits.member"],
  ["unknown limit key", validInputs({ limits: { devices: 10 } }), "limits.devices"],
  ["dataTTL under a day", validInputs({ limits: { dataTTL: 86399 } }), "limits.dataTTL"],
  ["systemInterval under 5", validInputs({ limits: { systemInterval: 4 } }), "limits.systemInterval"],
  ["systemInterval over 3600", validInputs({ limits: { systemInterval: 3601 } }), "limits.systemInterval"],
  ["limit null", validInputs({ limits: { webhook: null } }), "limits.webhook"],
  ["auditLogEnabled a string", validInputs({ auditLogEnabled: "true" }), "auditLogEnabled"],
  ["isReadOnly a number", validInputs({ isReadOnly: 1 }), "isReadOnly"],
  ["whitelistedEmailDomains a string", validInputs({ whitelistedEmailDomains: "acme.com" }), "whitelistedEmailDomains"],
  ["email domain too short", validInputs({ whitelistedEmailDomains: ["acme.com", "ab"] }), "whitelistedEmailDomains[1]"],
  ["email domain too long", validInputs({ whitelistedEmailDomains: [long(46)] }), "whitelistedEmailDomains[0]"],
  ["email domain a number", validInputs({ whitelistedEmailDomains: ["acme.com", "b.io", 7] }), "whitelistedEmailDomains[2]"],
  ["tags an object", validInputs({ tags: { key: "a", value: "b" } }), "tags"],
  ["more than 100 tags", validInputs({ tags: Array.from({ length: 101 }, (_, i) => ({ key: `k${i}`, value: "v" })) }), "tags"],
  [
    "tag key with a space",
    validInputs({
      tags: [
        { key: "a", value: "b" },
        { key: "c", value: "d" },
        { key: "e", value: "f" },
        { key: "bad key", value: "x" },
      ],
    }),
    "tags[3].key",
  ],
  ["tag key empty", validInputs({ tags: [{ key: "", value: "x" }] }), "tags[0].key"],
  ["tag key too long", validInputs({ tags: [{ key: long(256), value: "x" }] }), "tags[0].key"],
  ["tag value empty", validInputs({ tags: [{ key: "env", value: "" }] }), "tags[0].value"],
  ["tag value too long", validInputs({ tags: [{ key: "env", value: long(256) }] }), "tags[0].value"],
  ["tag without value", validInputs({ tags: [{ key: "env" }] }), "tags[0].value"],
  ["tag with extra property", validInputs({ tags: [{ key: "env", value: "x", color: "red" }] }), "tags[0].color"],
  ["mfaMode unknown", validInputs({ mfaMode: "always" }), "mfaMode"],
  ["banner a string", validInputs({ banner: "hello" }), "banner"],
  ["banner message too long", validInputs({ banner: { message: long(2049) } }), "banner.message"],
  ["banner level unknown", validInputs({ banner: { message: "m", level: "error" } }), "banner.level"],
  ["banner extra property", validInputs({ banner: { message: "m", color: "red" } }), "banner.color"],
  ["disabledAt a number", validInputs({ disabledAt: 1700000000 }), "disabledAt"],
  ["disabledAt not a date", validInputs({ disabledAt: "next tuesday" }), "disabledAt"],
  ["disabledAt date without time zone", validInputs({ disabledAt: "2026-01-01T00:00:00" }), "disabledAt"],
  ["referralId too long", validInputs({ referralId: long(1025) }), "referralId"],
  ["summaryInclude a string", validInputs({ summaryInclude: "payloadCount" }), "summaryInclude"],
  ["summaryInclude unknown field", validInputs({ summaryInclude: ["deviceCount", "bananaCount"] }), "summaryInclude[1]"],
  ["unknown top-level input", validInputs({ planId: "enterprise" }), "planId"],
  ["misspelled input", validInputs({ auditLogEnable: true }), "auditLogEnable"],
];

describe("check rejects bad input, naming the property", () => {
  test("the table has at least 40 cases", () => expect(badInputs.length).toBeGreaterThanOrEqual(40));

  test.each(badInputs)("%s", (_what, inputs, path) => {
    const failures = checkInputs(inputs);
    expect(failures.map((f) => f.property)).toEqual([path]);
    expect(failures[0].reason.length).toBeGreaterThan(8);
  });
});

describe("check accepts good input", () => {
  const good: Array<[string, Record<string, unknown>]> = [
    ["identity only", { instanceId: "5f1e2d3c4b5a69788796a5b4", orgId: "60A1B2C3D4E5F60718293A4B" }],
    [
      "every field",
      validInputs({
        description: "",
        iconColor: "#ff0000",
        limits: { device: 0, dataTTL: 86400, systemInterval: 3600 },
        auditLogEnabled: true,
        isReadOnly: false,
        whitelistedEmailDomains: ["acme.com"],
        tags: [{ key: "tier_1-a", value: "gold" }],
        mfaMode: "adminRequired",
        banner: { message: "hi", level: "info" },
        disabledAt: false,
        referralId: "r",
        summaryInclude: ["payloadCount", "deviceCount"],
      }),
    ],
    ["disabledAt as a date-time", validInputs({ disabledAt: "2026-03-01T10:00:00.000Z" })],
    ["disabledAt with offset", validInputs({ disabledAt: "2026-03-01T10:00:00+02:00" })],
    ["100 tags", validInputs({ tags: Array.from({ length: 100 }, (_, i) => ({ key: `k${i}`, value: "v" })) })],
    ["null means not declared", validInputs({ description: null, limits: null })],
    ["unknown values during preview", validInputs({ name: UNKNOWN, orgId: UNKNOWN, limits: { device: UNKNOWN }, tags: [UNKNOWN], summaryInclude: UNKNOWN })],
    ["the host's __provider", validInputs({ __provider: "exports.handler = ..." })],
  ];
  test.each(good)("%s", (_what, inputs) => expect(checkInputs(inputs)).toEqual([]));
});

test("several bad properties give one failure each", () => {
  const failures = checkInputs(validInputs({ orgId: "short", name: "", limits: { device: -1, dataTTL: 5 } }));
  expect(failures.map((f) => f.property).sort()).toEqual(["limits.dataTTL", "limits.device", "name", "orgId"]);
});

test("reasons are readable", () => {
  const [failure] = checkInputs(validInputs({ limits: { dataTTL: 3600 } }));
  expect(failure).toEqual({ property: "limits.dataTTL", reason: "must be at least 86400 (got 3600)" });
});

describe("input rules exactly as Losant's", () => {
  const emoji = "\u{1F600}"; // one character, two UTF-16 units

  test("lengths count characters (code points) as JSON Schema does: 255 emoji are a valid name", () => {
    expect(emoji.length).toBe(2);
    expect(checkInputs(validInputs({ name: emoji.repeat(255) }))).toEqual([]);
    expect(checkInputs(validInputs({ tags: [{ key: "k", value: emoji.repeat(255) }], banner: { message: emoji.repeat(2048) } }))).toEqual([]);
  });

  test("256 emoji are refused as 256 characters, not 512", () => {
    expect(checkInputs(validInputs({ name: emoji.repeat(256) }))).toEqual([{ property: "name", reason: "must be at most 255 characters long (got 256)" }]);
  });

  test("a minimum counts characters too: one emoji is 1 character, too short for a 3-character domain with one more", () => {
    expect(checkInputs(validInputs({ whitelistedEmailDomains: [`${emoji}a`] })).map((f) => f.reason)).toEqual(["must be at least 3 characters long (got 2)"]);
    expect(checkInputs(validInputs({ whitelistedEmailDomains: [`${emoji}ab`] }))).toEqual([]);
  });

  test.each([
    ["2^53", 2 ** 53, "9007199254740992"],
    // eslint-disable-next-line no-loss-of-precision -- a literal a program may write; JavaScript rounds it, which is the point
    ["9007199254740993, already rounded by JavaScript", 9007199254740993, "9007199254740992"],
    ["1e308", 1e308, "1e+308"],
  ])("a limit of %s is refused with the reason", (_what, value, shown) => {
    const failures = checkInputs(validInputs({ limits: { device: value } }));
    expect(failures.map((f) => f.property)).toEqual(["limits.device"]);
    expect(failures[0].reason).toContain("must be at most 9007199254740991 (2^53-1)");
    expect(failures[0].reason).toContain(`so ${shown} may not be the number written in the program`);
  });

  test("2^53-1 itself is a valid limit", () => {
    expect(checkInputs(validInputs({ limits: { device: Number.MAX_SAFE_INTEGER } }))).toEqual([]);
  });

  test("ids in uppercase hex are accepted (Losant's pattern allows either case); check returns them in lowercase", () => {
    expect(checkInputs(validInputs({ orgId: "60A1B2C3D4E5F60718293A4B", instanceId: "5F1E2D3C4B5A69788796A5B4" }))).toEqual([]);
    expect(normalizeInputs(validInputs({ orgId: "60A1B2C3D4E5F60718293A4B", instanceId: "5F1e2D3c4B5A69788796A5B4" }))).toEqual(
      validInputs({ orgId: "60a1b2c3d4e5f60718293a4b", instanceId: "5f1e2d3c4b5a69788796a5b4" }),
    );
  });

  test("normalising leaves bad or unknown ids alone (check reports the bad ones)", () => {
    expect(normalizeInputs({ orgId: UNKNOWN, instanceId: "NOT-AN-ID" })).toEqual({ orgId: UNKNOWN, instanceId: "NOT-AN-ID" });
  });

  test("the same tag twice (key and value) is refused at preview, naming both entries", () => {
    const failures = checkInputs(
      validInputs({
        tags: [
          { key: "env", value: "prod" },
          { key: "tier", value: "1" },
          { key: "env", value: "prod" },
        ],
      }),
    );
    expect(failures).toEqual([{ property: "tags[2]", reason: expect.stringContaining("repeats tags[0]") }]);
  });

  test.each([
    [
      "the same key with different values (Losant tags are a multimap)",
      [
        { key: "region", value: "eu" },
        { key: "region", value: "us" },
      ],
    ],
    [
      "tags that differ only by case (they are different tags)",
      [
        { key: "env", value: "prod" },
        { key: "Env", value: "prod" },
        { key: "env", value: "Prod" },
      ],
    ],
    [
      "a repeated tag with a value not known yet (not judged during preview)",
      [
        { key: "env", value: UNKNOWN },
        { key: "env", value: UNKNOWN },
      ],
    ],
  ])("allowed: %s", (_what, tags) => {
    expect(checkInputs(validInputs({ tags }))).toEqual([]);
  });
});
