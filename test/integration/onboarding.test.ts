import fs from "fs";
import path from "path";
import { execFileSync } from "child_process";
import { createOutcomeUnknown } from "../../client/retryPolicy";
import { LosantApiError, LosantNetworkError } from "../../client/errors";
import { creationMarkerFor, CREATION_MARKER_KEY } from "../../provider/shared/creationMarker";
import { postBody, recoveryQuery, DEFAULT_CREATE_OPTIONS } from "../../provider/server/createOrg";
import { fleetMembers, fleetProblems, mergeDefaults } from "../../provider/program/fleetSpec";
import { commonLimits, entryFor, fleetFor, keyFor, renderTypeScript } from "../../bin/generate";
import { diffInstanceOrg } from "../../provider/server/plan";
import { INSTANCE_ID, ORG_ID, OTHER_ORG_ID } from "../support/fixtures";

const ref = { instanceId: INSTANCE_ID, orgId: "" };

describe("which failed POSTs may have made the org", () => {
  test.each([
    ["timeout", new LosantNetworkError({ operation: "post", ref, reason: "no response", code: "REQUEST_TIMEOUT" }), true],
    ["reset after sending", new LosantNetworkError({ operation: "post", ref, reason: "reset", code: "ECONNRESET" }), true],
    ["no code at all", new LosantNetworkError({ operation: "post", ref, reason: "?" }), true],
    ["connection refused", new LosantNetworkError({ operation: "post", ref, reason: "refused", code: "ECONNREFUSED" }), false],
    ["DNS not ready", new LosantNetworkError({ operation: "post", ref, reason: "dns", code: "EAI_AGAIN" }), false],
    ["502", new LosantApiError({ operation: "post", ref, status: 502 }), true],
    ["503", new LosantApiError({ operation: "post", ref, status: 503 }), true],
    ["504", new LosantApiError({ operation: "post", ref, status: 504 }), true],
    ["400", new LosantApiError({ operation: "post", ref, status: 400 }), false],
    ["500", new LosantApiError({ operation: "post", ref, status: 500 }), false],
    ["429", new LosantApiError({ operation: "post", ref, status: 429 }), false],
    ["another error", new Error("x"), false],
  ])("%s", (_label, error, unknown) => expect(createOutcomeUnknown(error)).toBe(unknown));
});

describe("creation marker", () => {
  test("project/stack/name, or its sha256 when longer than a tag value may be", () => {
    expect(creationMarkerFor("p", "dev", "acme")).toBe("p/dev/acme");
    const long = creationMarkerFor("p", "dev", "x".repeat(300));
    expect(long).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(creationMarkerFor("p", "dev", "x".repeat(300))).toBe(long);
  });

  test("the POST body carries the declared tags plus the marker; the recovery query names, dates and marks", () => {
    const body = postBody({ instanceId: INSTANCE_ID, name: "N", tags: [{ key: "a", value: "b" }], creationMarker: "m" });
    expect(body).toEqual({
      name: "N",
      tags: [
        { key: "a", value: "b" },
        { key: CREATION_MARKER_KEY, value: "m" },
      ],
    });
    const started = Date.parse("2026-11-29T12:00:00Z");
    expect(recoveryQuery("N", started, DEFAULT_CREATE_OPTIONS, "m")).toEqual({
      $and: [{ name: "N" }, { creationDate: { $gte: "2026-11-29T11:55:00.000Z" } }, { tags: { [CREATION_MARKER_KEY]: "m" } }],
    });
  });

  test("a created org's marker tag never shows as a change of declared tags", () => {
    const olds = {
      instanceId: INSTANCE_ID,
      orgId: ORG_ID,
      tags: [
        { key: "a", value: "b" },
        { key: CREATION_MARKER_KEY, value: "m" },
      ],
      managedFields: ["tags"],
    };
    expect(diffInstanceOrg(olds, { instanceId: INSTANCE_ID, tags: [{ key: "a", value: "b" }] }).changes).toBe(false);
    expect(diffInstanceOrg(olds, { instanceId: INSTANCE_ID, tags: [{ key: "a", value: "c" }] }).changed).toEqual(["tags"]);
  });

  test("orgId: absent or equal to the created id is no replace; another id is", () => {
    const olds = { instanceId: INSTANCE_ID, orgId: ORG_ID, managedFields: [] };
    expect(diffInstanceOrg(olds, { instanceId: INSTANCE_ID }).replaces).toEqual([]);
    expect(diffInstanceOrg(olds, { instanceId: INSTANCE_ID, orgId: ORG_ID }).replaces).toEqual([]);
    expect(diffInstanceOrg(olds, { instanceId: INSTANCE_ID, orgId: OTHER_ORG_ID }).replaces).toEqual(["orgId"]);
  });
});

describe("fleet spec", () => {
  test("defaults merge per key for limits and banner; an entry's own values win", () => {
    expect(
      mergeDefaults(
        { auditLogEnabled: true, limits: { device: 1, member: 2 }, banner: { level: "info" } },
        { auditLogEnabled: false, limits: { device: 5 }, banner: { message: "m" } },
      ),
    ).toEqual({
      auditLogEnabled: false,
      limits: { device: 5, member: 2 },
      banner: { level: "info", message: "m" },
    });
  });

  test("every problem is reported at once, each naming its entry and property path", () => {
    const problems = fleetProblems({
      instanceId: INSTANCE_ID,
      extra: 1,
      defaults: { limits: { device: -1 } },
      orgs: [
        { key: "a", orgId: ORG_ID, name: "A" },
        { key: "a", name: "" },
        { key: "b", orgId: ORG_ID.toUpperCase() },
        { name: "no key" },
        { key: "c" },
        { key: "d", name: "D", limits: { dataTTL: 5 }, tags: [{ key: CREATION_MARKER_KEY, value: "x" }] },
      ],
    });
    expect(problems).toEqual([
      "extra: is not a fleet property; expected instanceId, defaults, orgs",
      'orgs[0] (key "a").limits.device: must be at least 0 (got -1)',
      'orgs[1] (key "a").key: repeats the key of orgs[0]; keys name the resources and must be unique',
      'orgs[1] (key "a").name: must not be empty',
      'orgs[1] (key "a").limits.device: must be at least 0 (got -1)',
      'orgs[2] (key "b").orgId: the same org as orgs[0]; one org can be managed once',
      'orgs[2] (key "b").limits.device: must be at least 0 (got -1)',
      expect.stringMatching(/^orgs\[3\]\.key: is required/),
      "orgs[3].limits.device: must be at least 0 (got -1)",
      expect.stringMatching(/^orgs\[4\] \(key "c"\)\.name: is required when creating/),
      'orgs[4] (key "c").limits.device: must be at least 0 (got -1)',
      // The merged limits hold the default's key first.
      'orgs[5] (key "d").limits.device: must be at least 0 (got -1)',
      'orgs[5] (key "d").limits.dataTTL: must be at least 86400 (got 5)',
      expect.stringMatching(/^orgs\[5\] \(key "d"\)\.tags\[0\]\.key: .* is reserved/),
    ]);
  });

  test("a bad instanceId is reported once; a valid spec has no problem and yields one member per entry", () => {
    expect(fleetProblems({ instanceId: "nope", orgs: [{ key: "a", name: "A" }] })).toEqual([
      expect.stringMatching(/^instanceId: must be a 24-character hex id/),
    ]);
    const spec = {
      instanceId: INSTANCE_ID,
      defaults: { mfaMode: "required" as const },
      orgs: [
        { key: "a", name: "A" },
        { key: "b", orgId: ORG_ID },
      ],
    };
    expect(fleetProblems(spec)).toEqual([]);
    expect(fleetMembers(spec)).toEqual([
      { key: "a", inputs: { instanceId: INSTANCE_ID, mfaMode: "required", name: "A" } },
      { key: "b", inputs: { instanceId: INSTANCE_ID, mfaMode: "required", orgId: ORG_ID } },
    ]);
  });
});

describe("generate", () => {
  const org = (id: string, name: string, device: number, extra: object = {}) => ({
    id,
    name,
    limits: { device, member: 10 },
    auditLogEnabled: false,
    mfaMode: "notRequired" as const,
    tags: [],
    whitelistedEmailDomains: [],
    description: "",
    ...extra,
  });

  test("limits are declared only where they differ from what most orgs hold", () => {
    const orgs = [org("a".repeat(24), "A", 100), org("b".repeat(24), "B", 100), org("c".repeat(24), "C", 7)];
    expect(commonLimits(orgs)).toEqual({ device: 100, member: 10 });
    expect(entryFor(orgs[2], "c", commonLimits(orgs))).toEqual({
      key: "c",
      orgId: "c".repeat(24),
      name: "C",
      auditLogEnabled: false,
      mfaMode: "notRequired",
      limits: { device: 7 },
    });
  });

  test("keys: lowercase with dashes, unique, with a fallback for names without letters or digits", () => {
    const taken = new Set<string>();
    expect([keyFor("Acme, Inc.", taken, "x"), keyFor("ACME inc", taken, "x"), keyFor("!!!", taken, "org-1")]).toEqual(["acme-inc", "acme-inc-2", "org-1"]);
  });

  test("the marker tag is left out; TypeScript output declares one InstanceOrg per org, property by property", () => {
    const orgs = [
      org("a".repeat(24), "A", 1, {
        tags: [
          { key: CREATION_MARKER_KEY, value: "m" },
          { key: "t", value: "v" },
        ],
      }),
    ];
    const fleet = fleetFor(INSTANCE_ID, orgs);
    expect(fleet.orgs[0].tags).toEqual([{ key: "t", value: "v" }]);
    const ts = renderTypeScript(fleet);
    expect(ts).toContain(
      `"a": new InstanceOrg("a", { instanceId, orgId: "${"a".repeat(24)}", name: "A", auditLogEnabled: false, mfaMode: "notRequired", tags: [{"key":"t","value":"v"}] }).orgId,`,
    );
  });
});

describe("packaging", () => {
  test("the package entry loads no emulator module; ./emulator and the bin are separate entry points in the files shipped", () => {
    const root = path.resolve(__dirname, "../..");
    const script =
      "require('./dist/provider/index.js'); process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((f) => f.includes('/dist/emulator/'))))";
    const loaded = execFileSync(process.execPath, ["-e", script], { cwd: root, encoding: "utf8" });
    expect(JSON.parse(loaded)).toEqual([]);
    const manifest = JSON.parse(fs.readFileSync(`${root}/package.json`, "utf8"));
    expect(manifest.exports["./emulator"]).toEqual({ types: "./dist/emulator/index.d.ts", default: "./dist/emulator/index.js" });
    expect(manifest.bin).toEqual({ "pulumi-losant-instance-org": "dist/bin/cli.js", "pulumi-resource-losant": "dist/bin/pulumi-resource-losant.js" });
    expect(manifest.files).toEqual(expect.arrayContaining(["dist/provider", "dist/client", "dist/losant", "dist/emulator", "dist/bin", "docs/emulator.md"]));
  });
});
