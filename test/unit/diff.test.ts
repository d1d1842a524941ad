import { diffInstanceOrg, planPatch } from "../../provider/server/plan";
import { UNKNOWN } from "../../provider/shared/unknown";
import { INSTANCE_ID, ORG_ID, OTHER_ORG_ID } from "../support/fixtures";

/** State outputs as the provider records them after an up. */
const state = {
  instanceId: INSTANCE_ID,
  orgId: ORG_ID,
  name: "Acme",
  description: "",
  limits: { device: 100, flow: 100, dataTTL: 2592000, member: 100 },
  auditLogEnabled: false,
  whitelistedEmailDomains: ["acme.com", "acme.io"],
  tags: [
    { key: "tier", value: "gold" },
    { key: "region", value: "eu" },
  ],
  mfaMode: "notRequired" as const,
  banner: { message: "Maintenance", level: "info" as const },
  disabledAt: false,
  isReadOnly: false,
  summary: { deviceCount: 3 },
  lastUpdated: "2026-01-01T00:00:00.000Z",
  managedFields: ["limits.device", "name"],
};

const ids = { instanceId: INSTANCE_ID, orgId: ORG_ID };

// [case, declared inputs, expected changed paths, expected replaces]
const cases: Array<[string, Record<string, unknown>, string[], string[]]> = [
  ["same declared values", { ...ids, name: "Acme", limits: { device: 100 } }, [], []],
  ["name changed", { ...ids, name: "Acme Corp", limits: { device: 100 } }, ["name"], []],
  ["one limit changed", { ...ids, name: "Acme", limits: { device: 250 } }, ["limits.device"], []],
  ["two limits changed", { ...ids, name: "Acme", limits: { device: 250, flow: 5 } }, ["limits.device", "limits.flow"], []],
  ["limit dropped from program is not reset", { ...ids, name: "Acme" }, ["managedFields"], []],
  ["undeclared field differing is ignored", { ...ids, name: "Acme", limits: { device: 100 } }, [], []],
  ["audit log switched on", { ...ids, name: "Acme", limits: { device: 100 }, auditLogEnabled: true }, ["auditLogEnabled"], []],
  ["declaring a value it already has", { ...ids, name: "Acme", limits: { device: 100 }, auditLogEnabled: false }, ["managedFields"], []],
  ["same array", { ...ids, name: "Acme", limits: { device: 100 }, whitelistedEmailDomains: ["acme.com", "acme.io"] }, ["managedFields"], []],
  [
    "domains reordered: the same domains",
    { ...ids, name: "Acme", limits: { device: 100 }, whitelistedEmailDomains: ["acme.io", "acme.com"] },
    ["managedFields"],
    [],
  ],
  [
    "domains in other case: the same domains",
    { ...ids, name: "Acme", limits: { device: 100 }, whitelistedEmailDomains: ["ACME.io", "Acme.com"] },
    ["managedFields"],
    [],
  ],
  ["a domain replaced", { ...ids, name: "Acme", limits: { device: 100 }, whitelistedEmailDomains: ["acme.com", "acme.org"] }, ["whitelistedEmailDomains"], []],
  ["a domain dropped", { ...ids, name: "Acme", limits: { device: 100 }, whitelistedEmailDomains: ["acme.com"] }, ["whitelistedEmailDomains"], []],
  [
    "tags reordered: the same pairs",
    {
      ...ids,
      name: "Acme",
      limits: { device: 100 },
      tags: [
        { key: "region", value: "eu" },
        { key: "tier", value: "gold" },
      ],
    },
    ["managedFields"],
    [],
  ],
  [
    "a tag's key and value swapped between tags",
    {
      ...ids,
      name: "Acme",
      limits: { device: 100 },
      tags: [
        { key: "tier", value: "eu" },
        { key: "region", value: "gold" },
      ],
    },
    ["tags"],
    [],
  ],
  [
    "a tag added",
    {
      ...ids,
      name: "Acme",
      limits: { device: 100 },
      tags: [
        { key: "tier", value: "gold" },
        { key: "region", value: "eu" },
        { key: "x", value: "y" },
      ],
    },
    ["tags"],
    [],
  ],
  [
    "banner: declared keys hold their values, others ignored",
    { ...ids, name: "Acme", limits: { device: 100 }, banner: { message: "Maintenance" } },
    ["managedFields"],
    [],
  ],
  ["banner: a declared key differs", { ...ids, name: "Acme", limits: { device: 100 }, banner: { message: "Other" } }, ["banner"], []],
  [
    "tag value changed",
    {
      ...ids,
      name: "Acme",
      limits: { device: 100 },
      tags: [
        { key: "tier", value: "silver" },
        { key: "region", value: "eu" },
      ],
    },
    ["tags"],
    [],
  ],
  ["same nested object", { ...ids, name: "Acme", limits: { device: 100 }, banner: { level: "info", message: "Maintenance" } }, ["managedFields"], []],
  ["nested object changed", { ...ids, name: "Acme", limits: { device: 100 }, banner: { message: "Maintenance", level: "critical" } }, ["banner"], []],
  ["orgId changed", { ...ids, orgId: OTHER_ORG_ID, name: "Acme", limits: { device: 100 } }, ["orgId"], ["orgId"]],
  ["instanceId changed", { ...ids, instanceId: OTHER_ORG_ID, name: "Acme", limits: { device: 100 } }, ["instanceId"], ["instanceId"]],
  ["unknown name", { ...ids, name: UNKNOWN, limits: { device: 100 } }, ["name"], []],
  ["unknown limit", { ...ids, name: "Acme", limits: { device: UNKNOWN } }, ["limits.device"], []],
  ["unknown limits object", { ...ids, name: "Acme", limits: UNKNOWN }, ["limits"], []],
  ["unknown orgId", { ...ids, orgId: UNKNOWN, name: "Acme", limits: { device: 100 } }, ["orgId"], ["orgId"]],
  ["summaryInclude added", { ...ids, name: "Acme", limits: { device: 100 }, summaryInclude: ["payloadCount"] }, ["summaryInclude"], []],
  ["disabledAt true while disabled", { ...ids, name: "Acme", limits: { device: 100 }, disabledAt: true }, ["disabledAt"], []],
];

describe("diff compares only declared values against the last known state", () => {
  test.each(cases)("%s", (_what, news, changed, replaces) => {
    const outcome = diffInstanceOrg(state, news);
    expect(outcome.changed).toEqual(changed);
    expect(outcome.replaces).toEqual(replaces);
    expect(outcome.changes).toBe(changed.length > 0);
  });
});

describe("disabledAt compares by meaning", () => {
  const disabledState = { ...state, disabledAt: "2026-02-03T04:05:06.000Z", managedFields: ["disabledAt", "limits.device", "name"] };
  const base = { ...ids, name: "Acme", limits: { device: 100 } };
  test.each([
    ["true while disabled", true, false],
    ["false while disabled", false, true],
    ["same instant, other format", "2026-02-03T05:05:06+01:00", false],
    ["other instant", "2026-02-04T04:05:06Z", true],
  ] as Array<[string, unknown, boolean]>)("%s", (_what, disabledAt, changes) => {
    expect(diffInstanceOrg(disabledState, { ...base, disabledAt }).changes).toBe(changes);
  });
});

describe("planPatch sends only what differs", () => {
  const current = { ...state, limits: { device: 100, flow: 100, dataTTL: 2592000, member: 100 } };
  test.each([
    ["nothing differs", { name: "Acme", limits: { device: 100 } }, {}],
    ["name only", { name: "New", limits: { device: 100 } }, { name: "New" }],
    ["one limit: whole limits object, undeclared kept", { limits: { device: 7 } }, { limits: { device: 7, flow: 100, dataTTL: 2592000, member: 100 } }],
    [
      "mixed",
      { name: "Acme", auditLogEnabled: true, limits: { flow: 1 }, tags: [] },
      { auditLogEnabled: true, limits: { device: 100, flow: 1, dataTTL: 2592000, member: 100 }, tags: [] },
    ],
    [
      "tags, domains and banner are sent as declared",
      {
        tags: [
          { key: "b", value: "1" },
          { key: "a", value: "2" },
        ],
        whitelistedEmailDomains: ["X.com"],
        banner: { level: "critical" },
      },
      {
        tags: [
          { key: "b", value: "1" },
          { key: "a", value: "2" },
        ],
        whitelistedEmailDomains: ["X.com"],
        banner: { level: "critical" },
      },
    ],
  ] as Array<[string, Record<string, unknown>, Record<string, unknown>]>)("%s", (_what, declared, body) => {
    expect(planPatch(declared, current).body).toEqual(body);
  });
});
