/**
 * The native plugin (`pulumi-resource-losant`) from a Pulumi YAML program, through the real CLI
 * against two emulators: one stack goes through adopt, a 0-request preview, a 1-PATCH rename,
 * refresh finding drift, up restoring it, `pulumi import` whose generated code previews empty, and
 * destroy. Two explicit providers reach two instances, each with its own token; the org's name is a
 * secret in config and stays one in state. The plugin is found as an installed package puts it: on
 * PATH, from node_modules/.bin (README: "Other languages").
 */
import fs from "fs";
import path from "path";
import { execFile } from "child_process";
import type { Stack } from "@pulumi/pulumi/automation";
import { Emulator, startEmulator } from "../../emulator/server";
import { prepareProgram, pulumiEnv } from "../../scripts/lib/workspace";
import { INSTANCE_ID, ORG_ID } from "../support/fixtures";
import { orgPath, TOKEN } from "../support/emulatorHarness";
import { describeWithPulumi, emulatorStack, rawBackendFiles, startConfigOnlyEmulator, tempDir, timingLog } from "../support/e2eHarness";

jest.setTimeout(300_000);

const WEST_TOKEN = "west-instance-token-51b7";
const ROTATED_WEST_TOKEN = "west-instance-token-rotated-8e20";
const SECRET_NAME = "Acme (secret name)";
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";

let east: Emulator;
let west: Emulator;
let workDir: string;
let backendDir: string;
let stack: Stack;
let env: Record<string, string>;
const originalPath = process.env.PATH;

/** `METHOD path` of every request an emulator saw since its last reset. */
const seen = (emulator: Emulator) => emulator.requests.map((r) => `${r.method} ${r.path}`);
const methods = (emulator: Emulator, method: string) => emulator.requests.filter((r) => r.method === method).length;
const reset = () => [east, west].forEach((emulator) => emulator.resetRequests());

/**
 * Runs the pulumi CLI in the program's directory, as a user would; returns stdout and stderr
 * together. Asynchronously: the emulators answer from this process's event loop.
 */
function pulumi(args: string[]): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    execFile("pulumi", args, { cwd: workDir, env: { ...process.env, ...env }, encoding: "utf8" }, (error, stdout, stderr) =>
      resolve({ ok: error === null, output: `${stdout}${stderr}` }),
    );
  });
}

describeWithPulumi("the native plugin from a YAML program", () => {
  const timed = timingLog("yamlNative e2e step times");

  beforeAll(async () => {
    east = await startConfigOnlyEmulator();
    // The west instance answers only its own token: an org reaching it through the east provider would fail.
    west = await startEmulator({ tokens: { [WEST_TOKEN]: ["all.Instance"] } });
    west.store.addInstance(INSTANCE_ID);
    west.store.createOrg(INSTANCE_ID, { name: "West Acme" }, ORG_ID);
    workDir = prepareProgram({ dir: "test/e2e/programs/yaml-native" });
    backendDir = tempDir("losant-backend-");
    expect(fs.existsSync(path.join(workDir, "node_modules", ".bin", "pulumi-resource-losant"))).toBe(true);
    // Every Pulumi command of the stack (pulumiEnv takes PATH from here) finds the plugin first on PATH.
    process.env.PATH = [path.join(workDir, "node_modules", ".bin"), originalPath].join(path.delimiter);
    env = pulumiEnv(backendDir);
    stack = await emulatorStack(workDir, east, {
      backendDir,
      config: { instanceId: INSTANCE_ID, orgId: ORG_ID, eastUrl: east.url, westUrl: west.url },
    });
    await stack.setAllConfig({
      orgName: { value: SECRET_NAME, secret: true },
      eastToken: { value: TOKEN, secret: true },
      westToken: { value: WEST_TOKEN, secret: true },
    });
  });

  afterAll(async () => {
    process.env.PATH = originalPath;
    await Promise.all([east?.close(), west?.close()]);
  });

  test("up adopts each org through its own provider: one read and one PATCH per instance", async () => {
    reset();
    const result = await timed("adopt (up)", () => stack.up());
    expect(result.summary.resourceChanges).toEqual({ create: 5 });
    for (const emulator of [east, west]) {
      expect(methods(emulator, "PATCH")).toBe(1);
      expect(emulator.requests).toHaveLength(2);
    }
    expect(east.store.getOrg(INSTANCE_ID, ORG_ID)).toMatchObject({ name: SECRET_NAME, limits: expect.objectContaining({ device: 500 }) });
    expect(west.store.getOrg(INSTANCE_ID, ORG_ID)).toMatchObject({ name: "Beta", mfaMode: "adminRequired" });
    expect(result.outputs.acmeName).toEqual({ value: SECRET_NAME, secret: true });
    expect(result.outputs.acmeDevices).toEqual({ value: 500, secret: false });
  });

  test("a preview after up sends no request", async () => {
    reset();
    const preview = await timed("no-op preview", () => stack.preview());
    expect(preview.changeSummary).toEqual({ same: 5 });
    expect([...seen(east), ...seen(west)]).toEqual([]);
  });

  test("a rename is one PATCH, to the instance of the org's provider only", async () => {
    await stack.setConfig("orgName", { value: `${SECRET_NAME} 2`, secret: true });
    reset();
    const result = await timed("rename (up)", () => stack.up());
    expect(result.summary.resourceChanges).toEqual({ same: 4, update: 1 });
    expect(seen(east)).toEqual([`PATCH ${orgPath()}`]);
    expect(seen(west)).toEqual([]);
  });

  test("refresh finds drift and up restores the declared value with one PATCH", async () => {
    east.store.patchOrg(INSTANCE_ID, ORG_ID, { name: "Changed in the Losant UI" });
    const refreshed = await timed("refresh", () => stack.refresh());
    expect(refreshed.summary.resourceChanges).toMatchObject({ update: 1 });
    expect((await stack.preview()).changeSummary).toEqual({ same: 4, update: 1 });
    reset();
    await timed("restore (up)", () => stack.up());
    expect(seen(east)).toEqual([`PATCH ${orgPath()}`]);
    expect(east.store.getOrg(INSTANCE_ID, ORG_ID)?.name).toBe(`${SECRET_NAME} 2`);
  });

  test("a rotated token updates its provider and replaces nothing", async () => {
    west.tokens.set(ROTATED_WEST_TOKEN, west.tokens.get(WEST_TOKEN)!);
    await stack.setConfig("westToken", { value: ROTATED_WEST_TOKEN, secret: true });
    reset();
    const result = await timed("token rotation (up)", () => stack.up());
    expect(result.summary.resourceChanges).toEqual({ same: 4, update: 1 });
    expect([...seen(east), ...seen(west)]).toEqual([]);
    west.tokens.delete(WEST_TOKEN);
    reset();
    await stack.refresh();
    expect(seen(west)).toHaveLength(1);
  });

  test("a secret input stays secret in state, and no token is in state in plain text", async () => {
    const exported = await stack.exportStack();
    const acme = exported.deployment.resources.find((r: { urn: string }) => r.urn.endsWith("::acme"));
    expect(acme.inputs.name[SECRET_SIG_KEY]).toBeDefined();
    expect(acme.outputs.name[SECRET_SIG_KEY]).toBeDefined();
    // The native state keeps limits as the schema's typed object.
    expect(acme.outputs.limits).toMatchObject({ device: 500 });
    const providers = exported.deployment.resources.filter((r: { type: string }) => r.type === "pulumi:providers:losant");
    expect(providers).toHaveLength(2);
    for (const provider of providers) expect(provider.inputs.apiToken[SECRET_SIG_KEY]).toBeDefined();
    const onDisk = rawBackendFiles(backendDir);
    for (const plain of [SECRET_NAME, TOKEN, WEST_TOKEN, ROTATED_WEST_TOKEN]) expect(onDisk).not.toContain(plain);
  });

  test("pulumi import <instanceId>/<orgId> generates code that previews empty; a malformed id names the expected form", async () => {
    const org = east.store.createOrg(INSTANCE_ID, { name: "Gamma", description: "made in the UI", tags: [{ key: "team", value: "ops" }] });
    await stack.setAllConfig({ "losant:apiUrl": { value: east.url }, "losant:apiToken": { value: TOKEN, secret: true } });
    const malformed = await pulumi(["import", "losant:index:InstanceOrg", "bad", org.id, "--yes", "--stack", "dev"]);
    expect(malformed.ok).toBe(false);
    expect(malformed.output).toContain("the import id must be <instanceId>/<orgId>");
    const generated = path.join(workDir, "imported.yaml");
    const imported = await timed("pulumi import", () =>
      pulumi(["import", "losant:index:InstanceOrg", "gamma", `${INSTANCE_ID}/${org.id}`, "--yes", "--protect=false", "--out", generated, "--stack", "dev"]),
    );
    expect(imported).toMatchObject({ ok: true });
    const code = fs.readFileSync(generated, "utf8");
    expect(code).toContain("description: made in the UI");
    // The generated resources join the program's.
    const program = fs.readFileSync(path.join(workDir, "Pulumi.yaml"), "utf8");
    fs.writeFileSync(path.join(workDir, "Pulumi.yaml"), program.replace("resources:\n", `resources:\n${code.split("resources:\n")[1]}`));
    reset();
    expect((await stack.preview()).changeSummary).toEqual({ same: 6 });
    expect(seen(east)).toEqual([]);
  });

  test("destroy deletes each org through its own provider", async () => {
    reset();
    await timed("destroy", () => stack.destroy());
    expect(seen(east).sort()).toEqual(expect.arrayContaining([`DELETE ${orgPath()}`]));
    expect(methods(east, "DELETE")).toBe(2);
    expect(seen(west)).toEqual([`DELETE ${orgPath()}`]);
    expect(east.store.orgsOf(INSTANCE_ID)).toHaveLength(0);
  });

  test("examples/yaml adopts its org with one PATCH and previews clean", async () => {
    const exampleOrg = east.store.createOrg(INSTANCE_ID, { name: "Example" }).id;
    const exampleDir = prepareProgram({ dir: "examples/yaml" });
    const example = await emulatorStack(exampleDir, east, { backendDir: tempDir("losant-backend-"), config: { instanceId: INSTANCE_ID, orgId: exampleOrg } });
    reset();
    expect((await timed("examples/yaml up", () => example.up())).outputs.deviceLimit?.value).toBe(500);
    expect(methods(east, "PATCH")).toBe(1);
    reset();
    expect((await example.preview()).changeSummary).toEqual({ same: 2 });
    expect(seen(east)).toEqual([]);
  });
});
