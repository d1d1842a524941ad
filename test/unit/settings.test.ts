/** Provider settings: each mistake a platform team could make is refused with the range or the reason, before any request. */
import { LosantApiError } from "../../client/errors";
import { LosantConfigError } from "../../provider/shared/settings";
import { normalizeApiUrl, resolveSettings, resolveToken, settingsProblem, SETTING_SOURCES, tokenSource } from "../../provider/shared/settings";
import { ROTATION_HINT, withRotationHint } from "../../provider/server/rotationHint";
import { check, configure } from "../../provider/lifecycle";
import { validInputs } from "../support/fixtures";

const TOKEN = "settings-test-token-1a2b";

// [what is wrong, raw settings (config), what the message must say]
const mistakes: Array<[string, Record<string, string>, RegExp]> = [
  ["apiUrl with a query", { apiUrl: "http://127.0.0.1:8080?x=1" }, /must not have a query string/],
  ["apiUrl with an empty query", { apiUrl: "https://api.example.com/?" }, /must not have a query string/],
  ["apiUrl with a fragment", { apiUrl: "https://api.example.com/#top" }, /must not have a fragment/],
  ["apiUrl with credentials", { apiUrl: "https://user:pass@api.example.com" }, /must not contain credentials/],
  ["apiUrl with a user only", { apiUrl: "https://user@api.example.com" }, /must not contain credentials/],
  ["apiUrl plain http to another host", { apiUrl: "http://example.com" }, /plain http to example.com/],
  ["apiUrl not a URL", { apiUrl: "api.losant.com" }, /is not a URL/],
  ["apiUrl ftp", { apiUrl: "ftp://api.example.com" }, /must use https/],
  ["apiUrl with a path on Losant's host", { apiUrl: "https://api.losant.com/api/" }, /serves the API at its root: use https:\/\/api.losant.com/],
  [
    "maxConcurrency 0",
    { maxConcurrency: "0" },
    /losant:maxConcurrency \(or LOSANT_MAX_CONCURRENCY\) must be a positive whole number from 1 to 100 requests in flight, got "0"/,
  ],
  ["maxConcurrency 101", { maxConcurrency: "101" }, /from 1 to 100/],
  ["maxConcurrency 2.5", { maxConcurrency: "2.5" }, /from 1 to 100/],
  ["maxConcurrency hex", { maxConcurrency: "0x10" }, /from 1 to 100/],
  ["requestTimeoutMs -5", { requestTimeoutMs: "-5" }, /requestTimeoutMs.*from 100 to 300000 milliseconds \(5 minutes\), got "-5"/],
  ["requestTimeoutMs 3000000000 (past Node's timer limit)", { requestTimeoutMs: "3000000000" }, /from 100 to 300000/],
  ["requestTimeoutMs 1e4 written as an exponent", { requestTimeoutMs: "1e4" }, /from 100 to 300000/],
  ["requestTimeoutMs 99", { requestTimeoutMs: "99" }, /from 100 to 300000/],
  [
    "retryTimeoutSeconds -1",
    { retryTimeoutSeconds: "-1" },
    /losant:retryTimeoutSeconds \(or LOSANT_RETRY_TIMEOUT_SECONDS\) must be a whole number from 0 to 3600 seconds/,
  ],
  ["retryTimeoutSeconds 3601", { retryTimeoutSeconds: "3601" }, /from 0 to 3600/],
  ["retryTimeoutSeconds soon", { retryTimeoutSeconds: "soon" }, /from 0 to 3600/],
];

describe("each bad setting is refused, saying the range or the reason", () => {
  test.each(mistakes)("%s", (_what, raw, message) => {
    const problem = settingsProblem({ apiToken: TOKEN, ...raw }, {});
    expect(problem).toBeInstanceOf(LosantConfigError);
    expect(problem!.message).toMatch(message);
  });

  test.each(mistakes)("the same from the environment: %s", (_what, raw, message) => {
    const env = Object.fromEntries(Object.entries(raw).map(([k, v]) => [SETTING_SOURCES[k as keyof typeof SETTING_SOURCES].env, v]));
    expect(settingsProblem({}, { LOSANT_API_TOKEN: TOKEN, ...env })!.message).toMatch(message);
  });

  test("messages never echo a query or credentials, where a secret may sit", () => {
    for (const url of [
      "https://api.example.com/?token=s3cr3t",
      "https://me:s3cr3t@api.example.com",
      "https://api.example.com/#s3cr3t",
      "not a url?token=s3cr3t",
    ]) {
      expect(settingsProblem({ apiToken: TOKEN, apiUrl: url }, {})!.message).not.toContain("s3cr3t");
    }
  });

  test.each([
    ["missing", {}],
    ["empty in env", { LOSANT_API_TOKEN: "" }],
    ["only spaces", { LOSANT_API_TOKEN: "   " }],
  ] as Array<[string, Record<string, string>]>)("a token that is %s is refused", (_what, env) => {
    expect(settingsProblem({}, env)!.message).toMatch(/No Losant API token/);
  });

  test("a token with a pasted newline is refused without showing it", () => {
    const message = settingsProblem({ apiToken: `${TOKEN}\n` }, {})!.message;
    expect(message).toMatch(/losant:apiToken contains whitespace/);
    expect(message).not.toContain(TOKEN);
  });

  test("good settings pass, at both ends of each range", () => {
    expect(settingsProblem({ apiToken: TOKEN, maxConcurrency: "1", requestTimeoutMs: "100", retryTimeoutSeconds: "0" }, {})).toBeUndefined();
    expect(settingsProblem({ apiToken: TOKEN, maxConcurrency: "100", requestTimeoutMs: "300000", retryTimeoutSeconds: "3600" }, {})).toBeUndefined();
    expect(resolveSettings({}, {})).toEqual({ apiUrl: "https://api.losant.com", maxConcurrency: 10, requestTimeoutMs: 30000, retryTimeoutSeconds: 300 });
  });
});

describe("apiUrl is normalised", () => {
  test.each([
    ["https://api.losant.com/", "https://api.losant.com"],
    ["https://API.Losant.com", "https://api.losant.com"],
    ["http://127.0.0.1:8080//", "http://127.0.0.1:8080"],
    ["https://losant.internal.example/api/", "https://losant.internal.example/api"],
    ["https://losant.internal.example/api///", "https://losant.internal.example/api"],
    ["https://api.losant.com:443", "https://api.losant.com"],
  ])("%s -> %s", (given, normal) => expect(normalizeApiUrl(given)).toBe(normal));
});

test("the token's source: config when set there, else the environment", () => {
  expect(tokenSource({ apiToken: TOKEN })).toBe("config");
  expect(tokenSource({})).toBe("env");
  expect(resolveToken({}, { LOSANT_API_TOKEN: TOKEN })).toBe(TOKEN);
});

describe("check refuses bad settings at preview", () => {
  const config = (values: Record<string, string>) => ({ config: { get: (key: string) => values[key], require: (key: string) => values[key] } });
  afterEach(() => configure(config({ "losant:apiToken": TOKEN })));

  test.each(mistakes)("%s", async (_what, raw, message) => {
    const values = Object.fromEntries(
      Object.entries({ apiToken: TOKEN, ...raw }).map(([k, v]) => [SETTING_SOURCES[k as keyof typeof SETTING_SOURCES].config, v]),
    );
    await configure(config(values));
    const result = await check({}, validInputs());
    expect(result.failures).toEqual([{ property: "", reason: expect.stringMatching(message) }]);
  });

  test("good settings: check passes the inputs, with ids in Losant's lowercase", async () => {
    await configure(config({ "losant:apiToken": TOKEN, "losant:apiUrl": "http://127.0.0.1:1" }));
    const result = await check({}, validInputs({ orgId: "60A1B2C3D4E5F60718293A4B", instanceId: "5F1E2D3C4B5A69788796A5B4" }));
    expect(result.failures).toEqual([]);
    expect(result.inputs).toMatchObject({ orgId: "60a1b2c3d4e5f60718293a4b", instanceId: "5f1e2d3c4b5a69788796a5b4" });
  });
});

describe("a 401 on refresh or destroy names token rotation when the token came from config", () => {
  const rejected = () =>
    new LosantApiError({
      operation: "get",
      ref: { instanceId: "a".repeat(24), orgId: "b".repeat(24) },
      status: 401,
      type: "Unauthorized",
      losantMessage: "Authorization failed",
    });

  test("token from config: the hint says what Pulumi does and what to run", () => {
    const error = withRotationHint(rejected(), "config") as Error;
    expect(error.message).toContain("The API token was not accepted");
    expect(error.message).toMatch(/[^.]\. If you rotated the token/);
    expect(error.message).toContain("use the settings recorded at that `up`");
    expect(error.message).toContain("--run-program");
    expect(error.message).toContain("LOSANT_API_TOKEN");
  });

  test("token from the environment, or another status: no hint", () => {
    expect((withRotationHint(rejected(), "env") as Error).message).not.toContain(ROTATION_HINT);
    const forbidden = new LosantApiError({ operation: "delete", ref: { instanceId: "a".repeat(24), orgId: "b".repeat(24) }, status: 403 });
    expect((withRotationHint(forbidden, "config") as Error).message).not.toContain(ROTATION_HINT);
  });
});
