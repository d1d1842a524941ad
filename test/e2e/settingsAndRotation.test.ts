/**
 * A platform team's mistakes with the provider settings, through the real CLI against the emulator:
 * - every bad setting fails `pulumi preview` with its message, and no request is sent;
 * - a rotated token and a moved losant:apiUrl work for refresh and destroy (with --run-program, or
 *   with the token given only as LOSANT_API_TOKEN), and a plain refresh's 401 names the cause;
 * - what -v=9, PULUMI_DEBUG_GRPC and --show-secrets reveal of a token in config, and that a token
 *   given only in the environment appears in none of them (README, "Security notes");
 * - ids in uppercase adopt the org, and the next preview is empty (no replace).
 */
import fs from "fs";
import path from "path";
import { execFile } from "child_process";
import type { Stack } from "@pulumi/pulumi/automation";
import { Emulator, startEmulator } from "../../emulator/server";
import { createStack, findPulumi, prepareProgram, pulumiEnv } from "../../scripts/lib/workspace";
import { INSTANCE_ID, ORG_ID } from "../support/fixtures";
import { orgPath, requestLines } from "../support/emulatorHarness";
import { describeWithPulumi, expectFailure, instanceOrgCount, rawBackendFiles, tempDir } from "../support/e2eHarness";

jest.setTimeout(300_000);

const OLD_TOKEN = "rotation-old-token-41f0";
const NEW_TOKEN = "rotation-new-token-8d2c";

let workDir: string;
let backendDir: string;
const emulators: Emulator[] = [];

async function seededEmulator(): Promise<Emulator> {
  const emulator = await startEmulator({ tokens: { [OLD_TOKEN]: ["all.Instance"], [NEW_TOKEN]: ["all.Instance"] } });
  emulator.store.addInstance(INSTANCE_ID);
  emulator.store.createOrg(INSTANCE_ID, { name: "Acme" }, ORG_ID);
  emulators.push(emulator);
  return emulator;
}

async function rootStack(config: Record<string, string>, secrets: Record<string, string>, env: Record<string, string> = {}): Promise<Stack> {
  return createStack({ workDir, backendDir, config: { instanceId: INSTANCE_ID, orgId: ORG_ID, name: "Acme Corp", ...config }, secrets, env });
}

/** A stack deployed with OLD_TOKEN in secret config, then rotated as a platform team does: OLD_TOKEN revoked, NEW_TOKEN put in config. */
async function upThenRotateToken(): Promise<{ emulator: Emulator; stack: Stack }> {
  const emulator = await seededEmulator();
  const stack = await rootStack({ "losant:apiUrl": emulator.url }, { "losant:apiToken": OLD_TOKEN });
  await stack.up();
  emulator.tokens.delete(OLD_TOKEN);
  await stack.setConfig("losant:apiToken", { value: NEW_TOKEN, secret: true });
  emulator.resetRequests();
  return { emulator, stack };
}

/** The pulumi CLI itself, for flags the Automation API does not pass (-v, --logtostderr) and env it does not set. */
function cli(args: string[], env: Record<string, string> = {}): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    const fullEnv: NodeJS.ProcessEnv = { ...process.env, ...pulumiEnv(backendDir), ...env };
    if (env.LOSANT_API_TOKEN === undefined) delete fullEnv.LOSANT_API_TOKEN;
    execFile(
      findPulumi()!,
      [...args, "--stack", "dev", "--non-interactive"],
      { cwd: workDir, env: fullEnv, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ ok: !error, output: `${stdout}${stderr}` }),
    );
  });
}

describeWithPulumi("provider settings, token rotation and secrets through the real Pulumi CLI", () => {
  beforeAll(() => {
    workDir = prepareProgram("root");
  });

  beforeEach(() => {
    delete process.env.LOSANT_API_TOKEN;
    delete process.env.LOSANT_API_URL;
    backendDir = tempDir("losant-settings-state-");
    for (const f of fs.readdirSync(workDir)) if (/^Pulumi\..+\.yaml$/.test(f)) fs.rmSync(path.join(workDir, f));
  });

  afterEach(async () => {
    while (emulators.length > 0) await emulators.pop()!.close();
  });

  describe("each bad setting fails `pulumi preview` with its message, and no request is sent", () => {
    const cases: Array<[string, (url: string) => Record<string, string>, Record<string, string>, RegExp]> = [
      ["apiUrl with a query", (url) => ({ "losant:apiUrl": `${url}/?x=1` }), {}, /losant:apiUrl \(or LOSANT_API_URL\) must not have a query string/],
      ["apiUrl with a fragment", (url) => ({ "losant:apiUrl": `${url}/#x` }), {}, /must not have a fragment/],
      ["apiUrl with credentials", (url) => ({ "losant:apiUrl": url.replace("http://", "http://me:pw@") }), {}, /must not contain credentials/],
      ["apiUrl plain http to a remote host", () => ({ "losant:apiUrl": "http://example.com" }), {}, /plain http to example.com/],
      ["apiUrl with a path on Losant's host", () => ({ "losant:apiUrl": "https://api.losant.com/api/" }), {}, /serves the API at its root/],
      ["maxConcurrency 0", () => ({ "losant:maxConcurrency": "0" }), {}, /losant:maxConcurrency .* from 1 to 100 requests in flight, got "0"/],
      ["requestTimeoutMs -5", () => ({ "losant:requestTimeoutMs": "-5" }), {}, /from 100 to 300000 milliseconds \(5 minutes\), got "-5"/],
      ["requestTimeoutMs 3000000000", () => ({ "losant:requestTimeoutMs": "3000000000" }), {}, /from 100 to 300000 milliseconds/],
      ["retryTimeoutSeconds 99999", () => ({ "losant:retryTimeoutSeconds": "99999" }), {}, /from 0 to 3600 seconds/],
      [
        "a bad setting from the environment",
        () => ({}),
        { LOSANT_REQUEST_TIMEOUT_MS: "0" },
        /losant:requestTimeoutMs \(or LOSANT_REQUEST_TIMEOUT_MS\) must be/,
      ],
      ["no token at all", () => ({}), { NO_TOKEN: "1" }, /No Losant API token/],
    ];

    test.each(cases)("%s", async (_what, config, env, message) => {
      const emulator = await seededEmulator();
      const { NO_TOKEN: noToken, ...extraEnv } = env;
      const secrets: Record<string, string> = noToken ? {} : { "losant:apiToken": OLD_TOKEN };
      const stack = await rootStack({ "losant:apiUrl": emulator.url, ...config(emulator.url) }, secrets, extraEnv);
      const failure = await expectFailure(() => stack.preview());
      expect(failure).toMatch(message);
      expect(failure).toContain("has a problem");
      expect(emulator.requests).toEqual([]);
    });
  });

  test("a rotated token: plain refresh fails naming the cause; refresh and destroy with --run-program use the new token", async () => {
    const { emulator, stack } = await upThenRotateToken();

    const message = await expectFailure(() => stack.refresh());
    expect(message).toContain("HTTP 401");
    expect(message).toContain("If you rotated the token or changed losant:apiUrl since the last `pulumi up`");
    expect(message).toContain("--run-program");
    expect(emulator.requests.map((r) => r.status)).toEqual([401]);
    expect(await instanceOrgCount(stack)).toBe(1);
    emulator.resetRequests();

    const refresh = await stack.refresh({ runProgram: true });
    expect(refresh.summary.result).toBe("succeeded");
    expect(emulator.requests.map((r) => `${r.method} ${r.status}`)).toEqual(["GET 200"]);
    emulator.resetRequests();

    const destroy = await stack.destroy({ runProgram: true });
    expect(destroy.summary.result).toBe("succeeded");
    expect(requestLines(emulator.requests)).toEqual([`DELETE ${orgPath()}`]);
    expect(emulator.requests[0].status).toBe(200);
    expect(emulator.store.getOrg(INSTANCE_ID, ORG_ID)).toBeUndefined();
  });

  test("a rotated token, then `pulumi up` first: plain refresh and destroy work (the up records the new settings)", async () => {
    const { emulator, stack } = await upThenRotateToken();

    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(emulator.requests).toEqual([]);
    expect((await stack.refresh()).summary.result).toBe("succeeded");
    expect((await stack.destroy()).summary.result).toBe("succeeded");
    expect(emulator.requests.map((r) => `${r.method} ${r.status}`)).toEqual(["GET 200", "DELETE 200"]);
  });

  test("a token given only as LOSANT_API_TOKEN: after rotation plain refresh and destroy just work", async () => {
    const emulator = await seededEmulator();
    const stack = await rootStack({ "losant:apiUrl": emulator.url }, {}, { LOSANT_API_TOKEN: OLD_TOKEN });
    await stack.up();
    emulator.tokens.delete(OLD_TOKEN);
    stack.workspace.envVars.LOSANT_API_TOKEN = NEW_TOKEN;
    emulator.resetRequests();

    expect((await stack.refresh()).summary.result).toBe("succeeded");
    expect((await stack.destroy()).summary.result).toBe("succeeded");
    expect(emulator.requests.map((r) => `${r.method} ${r.status}`)).toEqual(["GET 200", "DELETE 200"]);
  });

  test("a moved apiUrl: a plain refresh still goes to the old URL; refresh and destroy with PULUMI_RUN_PROGRAM=true go to the new one", async () => {
    const before = await seededEmulator();
    const after = await seededEmulator();
    const stack = await rootStack({ "losant:apiUrl": before.url }, { "losant:apiToken": OLD_TOKEN });
    await stack.up();
    await stack.setConfig("losant:apiUrl", { value: after.url });
    before.resetRequests();

    // What the engine does: refresh without the program configures the provider from state.
    expect((await stack.refresh()).summary.result).toBe("succeeded");
    expect([before.requests.length, after.requests.length]).toEqual([1, 0]);
    before.resetRequests();

    stack.workspace.envVars.PULUMI_RUN_PROGRAM = "true";
    expect((await stack.refresh()).summary.result).toBe("succeeded");
    expect((await stack.destroy()).summary.result).toBe("succeeded");
    expect(before.requests).toEqual([]);
    expect(requestLines(after.requests)).toEqual([`GET ${orgPath()}`, `DELETE ${orgPath()}`]);
    expect(after.store.getOrg(INSTANCE_ID, ORG_ID)).toBeUndefined();
    expect(before.store.getOrg(INSTANCE_ID, ORG_ID)).toBeDefined();
  });

  test("with the token in secret config, -v=9 logs, PULUMI_DEBUG_GRPC files and `stack export --show-secrets` contain it; with LOSANT_API_TOKEN only, none does", async () => {
    const emulator = await seededEmulator();
    const grpcLog = path.join(tempDir("losant-grpc-"), "grpc.log");
    await rootStack({ "losant:apiUrl": emulator.url }, { "losant:apiToken": OLD_TOKEN });
    expect((await cli(["up", "--yes", "--skip-preview"])).ok).toBe(true);
    const inConfig = {
      verbose: (await cli(["preview", "-v=9", "--logtostderr"])).output,
      grpc: ((await cli(["preview"], { PULUMI_DEBUG_GRPC: grpcLog })).ok && fs.readFileSync(grpcLog, "utf8")) || "",
      showSecrets: (await cli(["preview", "--show-secrets"])).output,
      exportShowSecrets: (await cli(["stack", "export", "--show-secrets"])).output,
    };
    expect(inConfig.verbose).toContain(OLD_TOKEN);
    expect(inConfig.grpc).toContain(OLD_TOKEN);
    expect(inConfig.showSecrets).not.toContain(OLD_TOKEN);
    expect(inConfig.exportShowSecrets).toContain(OLD_TOKEN);

    // The same stack with the token moved to the environment: one up drops the recorded copy.
    await cli(["config", "rm", "losant:apiToken"]);
    const env = { LOSANT_API_TOKEN: OLD_TOKEN };
    expect((await cli(["up", "--yes", "--skip-preview"], env)).ok).toBe(true);
    fs.rmSync(grpcLog, { force: true });
    const inEnv = {
      verbose: (await cli(["preview", "-v=9", "--logtostderr"], env)).output,
      grpc: ((await cli(["preview"], { ...env, PULUMI_DEBUG_GRPC: grpcLog })).ok && fs.readFileSync(grpcLog, "utf8")) || "missing",
      showSecrets: (await cli(["preview", "--show-secrets"], env)).output,
      exportShowSecrets: (await cli(["stack", "export", "--show-secrets"], env)).output,
      backend: rawBackendFiles(backendDir),
    };
    expect(inEnv.grpc.length).toBeGreaterThan(1000);
    for (const [where, text] of Object.entries(inEnv)) expect({ where, leaks: text.includes(OLD_TOKEN) }).toEqual({ where, leaks: false });
  });

  test("ids in uppercase: the org is adopted, requests use Losant's lowercase, and the next preview is empty", async () => {
    const emulator = await seededEmulator();
    const stack = await rootStack(
      { "losant:apiUrl": emulator.url, orgId: ORG_ID.toUpperCase(), instanceId: INSTANCE_ID.toUpperCase() },
      { "losant:apiToken": OLD_TOKEN },
    );
    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`, `PATCH ${orgPath()}`]);
    emulator.resetRequests();
    const preview = await stack.preview();
    expect(preview.changeSummary).toEqual({ same: 2 });
    expect(emulator.requests).toEqual([]);
  });
});
