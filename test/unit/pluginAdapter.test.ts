/** The native plugin's protocol adapter below the gRPC layer: secrets, import ids, provider config and the schema. */
import fs from "fs";
import path from "path";
import { concealProperties, reveal, revealProperties, secret, SECRET_SIG, SECRET_SIG_KEY } from "../../provider/server/plugin/secrets";
import { orgIdOf, parseImportId, resourceIdOf } from "../../provider/server/plugin/importId";
import { changedSettings, checkSettings, configGetter, settingsFromProperties, settingsFromVariables } from "../../provider/server/plugin/providerConfig";
import { INSTANCE_ORG_TOKEN, pluginSchema } from "../../provider/server/plugin/schema";
import { INSTANCE_ORG_PROPERTIES } from "../../provider/shared/resourceFields";
import { PATCHABLE_FIELDS } from "../../losant/instanceOrgSchema";
import { LIMIT_KEYS } from "../../losant/orgRules";
import { SETTING_SOURCES } from "../../provider/shared/settings";
import { UNKNOWN } from "../../provider/shared/unknown";
import { REPO_ROOT } from "../../scripts/lib/workspace";

const INSTANCE = "5f1e2d3c4b5a69788796a5b4";
const ORG = "60a1b2c3d4e5f60718293a4b";

describe("secrets", () => {
  test.each([
    ["a plain value", "Acme", "Acme", false],
    ["a secret string", secret("Acme"), "Acme", true],
    ["a secret inside a list", [{ key: "k", value: secret("v") }], [{ key: "k", value: "v" }], true],
    ["a secret object", secret({ device: 5 }), { device: 5 }, true],
    ["a nested secret in a secret", secret([secret("x")]), ["x"], true],
    ["an object without secrets", { device: 5 }, { device: 5 }, false],
  ])("reveal: %s", (_label, value, plain, isSecret) => {
    expect(reveal(value)).toEqual({ plain, secret: isSecret });
  });

  test("revealProperties names the top-level properties holding a secret; concealProperties wraps those again", () => {
    const { plain, secretKeys } = revealProperties({ name: secret("Acme"), tags: [{ key: "k", value: secret("v") }], orgId: ORG });
    expect(plain).toEqual({ name: "Acme", tags: [{ key: "k", value: "v" }], orgId: ORG });
    expect([...secretKeys].sort()).toEqual(["name", "tags"]);
    const outputs = concealProperties({ name: "Acme 2", tags: [], orgId: ORG, lastUpdated: "now" }, secretKeys);
    expect(outputs).toEqual({
      name: { [SECRET_SIG_KEY]: SECRET_SIG, value: "Acme 2" },
      tags: { [SECRET_SIG_KEY]: SECRET_SIG, value: [] },
      orgId: ORG,
      lastUpdated: "now",
    });
  });
});

describe("import ids", () => {
  test("<instanceId>/<orgId>, in either case, names the org in lowercase", () => {
    expect(parseImportId(`${INSTANCE.toUpperCase()}/${ORG}`)).toEqual({ instanceId: INSTANCE, orgId: ORG });
  });

  test.each([ORG, `${INSTANCE}/`, `/${ORG}`, `${INSTANCE}/${ORG}/x`, `${INSTANCE}:${ORG}`, `${INSTANCE}/not-an-id`, ""])(
    "%p is refused, naming the expected form",
    (id) => {
      expect(() => parseImportId(id)).toThrow(/the import id must be <instanceId>\/<orgId>/);
    },
  );

  // The engine imports again when a program's `import` id differs from the id in state: they must be the same string.
  test("the resource's id is the import id, and gives back the org's id", () => {
    const id = resourceIdOf({ instanceId: INSTANCE, orgId: ORG });
    expect(id).toBe(`${INSTANCE}/${ORG}`);
    expect(resourceIdOf(parseImportId(id))).toBe(id);
    expect(orgIdOf(id)).toBe(ORG);
  });

  test("a bare orgId, as state written before the ids had the import form holds, is the org's id", () => {
    expect(orgIdOf(ORG)).toBe(ORG);
  });
});

describe("provider config", () => {
  test.each([
    [
      "the properties of an explicit provider (numbers as YAML gives them)",
      { apiUrl: "http://127.0.0.1:1", maxConcurrency: 4, version: "0.1.0" },
      { apiUrl: "http://127.0.0.1:1", maxConcurrency: "4" },
    ],
    ["empty and unknown values count as unset", { apiUrl: "", apiToken: UNKNOWN, requestTimeoutMs: null }, {}],
  ])("settingsFromProperties: %s", (_label, props, raw) => {
    expect(settingsFromProperties(props)).toEqual(raw);
  });

  test.each([
    ["losant:config:<name> (Configure's variables)", [["losant:config:apiUrl", "http://127.0.0.1:1"]]],
    ["losant:<name>", [["losant:apiUrl", "http://127.0.0.1:1"]]],
  ] as Array<[string, Array<[string, string]>]>)("settingsFromVariables reads %s", (_label, variables) => {
    const raw = settingsFromVariables(variables);
    expect(raw).toEqual({ apiUrl: "http://127.0.0.1:1" });
    expect(configGetter(raw)(SETTING_SOURCES.apiUrl.config)).toBe("http://127.0.0.1:1");
  });

  test.each([
    ["valid settings", { apiUrl: "https://api.losant.com", maxConcurrency: "10", apiToken: "t" }, []],
    ["no token (it may come from LOSANT_API_TOKEN)", {}, []],
    ["a plain-http remote URL", { apiUrl: "http://example.com" }, ["apiUrl"]],
    ["too many requests in flight", { maxConcurrency: "1000" }, ["maxConcurrency"]],
    ["a token with a newline", { apiToken: "abc\n" }, ["apiToken"]],
    ["two bad settings", { requestTimeoutMs: "5", retryTimeoutSeconds: "-1" }, ["requestTimeoutMs", "retryTimeoutSeconds"]],
  ])("CheckConfig: %s", (_label, raw, failing) => {
    const failures = checkSettings(raw);
    expect(failures.map((f) => f.property)).toEqual(failing);
    for (const failure of failures) expect(failure.reason).not.toContain("abc");
  });

  test("DiffConfig lists the changed settings, an unknown one included", () => {
    expect(changedSettings({ apiUrl: "http://127.0.0.1:1", maxConcurrency: "4" }, { apiUrl: "http://127.0.0.1:1", maxConcurrency: 4 })).toEqual([]);
    expect(changedSettings({ apiToken: "a" }, { apiToken: "b", apiUrl: UNKNOWN })).toEqual(["apiToken", "apiUrl"]);
  });
});

describe("schema", () => {
  const schema = pluginSchema() as {
    config: { variables: Record<string, { secret?: boolean }> };
    provider: { inputProperties: Record<string, { secret?: boolean }> };
    resources: Record<string, { properties: Record<string, { replaceOnChanges?: boolean }>; inputProperties: Record<string, { replaceOnChanges?: boolean }> }>;
    types: Record<string, { properties?: Record<string, unknown>; enum?: Array<{ value: string }> }>;
    functions: Record<string, unknown>;
    language: { python: { respectSchemaVersion: boolean } };
  };
  const org = schema.resources[INSTANCE_ORG_TOKEN]!;

  test("InstanceOrg has every registered property as an output and every patchable field as an input", () => {
    expect(Object.keys(org.properties).sort()).toEqual([...INSTANCE_ORG_PROPERTIES].sort());
    expect(Object.keys(org.inputProperties)).toEqual(expect.arrayContaining([...PATCHABLE_FIELDS, "instanceId", "orgId", "summaryInclude"]));
    for (const identity of ["instanceId", "orgId"]) expect(org.inputProperties[identity]?.replaceOnChanges).toBe(true);
  });

  test("typed objects for limits, tags, banner and billing; enums for mfaMode and banner level", () => {
    expect(Object.keys(schema.types["losant:index:OrgLimits"]?.properties ?? {})).toEqual([...LIMIT_KEYS]);
    for (const type of ["OrgTag", "OrgBanner", "OrgBilling"]) expect(schema.types[`losant:index:${type}`]?.properties).toBeDefined();
    expect(schema.types["losant:index:MfaMode"]?.enum?.map((e) => e.value)).toEqual(["notRequired", "adminRequired", "required"]);
    expect(schema.types["losant:index:BannerLevel"]?.enum?.map((e) => e.value)).toEqual(["info", "warning", "critical"]);
  });

  test("config has every setting, apiToken secret; getInstanceOrgs is a function; SDKs respect the schema's version", () => {
    expect(Object.keys(schema.config.variables)).toEqual(Object.keys(SETTING_SOURCES));
    expect(schema.config.variables.apiToken?.secret).toBe(true);
    expect(schema.provider.inputProperties.apiToken?.secret).toBe(true);
    expect(Object.keys(schema.functions)).toEqual(["losant:index:getInstanceOrgs"]);
    expect(schema.language.python.respectSchemaVersion).toBe(true);
  });

  test("schema.json is what the plugin serves (npm run docs writes it)", () => {
    expect(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "schema.json"), "utf8"))).toEqual(schema);
  });
});
