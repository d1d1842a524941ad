/**
 * The `import` resource option from a Pulumi YAML program, through the real CLI and the native plugin
 * against the emulator. An org declared with the values it has in Losant is imported with one read and
 * no write, and the next preview is empty without a request. A declared value that differs from the
 * org's does not fail the import with CLI 3.248: its engine imports, then updates the resource like any
 * other (pkg/v3 v3.248.0 resource/deploy/step_generator.go continueStepsFromImport; "inputs to import do
 * not match the existing resource" is gone from its ImportStep). The preview shows that update before
 * anything is written, and the update PATCHes only the differing value (docs/native-plugin.md, Import).
 * After either, with the `import` option still in the program, a preview is empty: the resource's id is
 * the import id, so the engine does not import the org again (with the bare orgId as id it did, as a
 * replacement whose "delete original" DELETEd the org).
 */
import fs from "fs";
import path from "path";
import type { Stack } from "@pulumi/pulumi/automation";
import { Emulator } from "../../emulator/server";
import { prepareProgram } from "../../scripts/lib/workspace";
import { INSTANCE_ID } from "../support/fixtures";
import { orgPath } from "../support/emulatorHarness";
import { describeWithPulumi, emulatorStack, startConfigOnlyEmulator, tempDir, timingLog } from "../support/e2eHarness";

jest.setTimeout(240_000);

let emulator: Emulator;
const originalPath = process.env.PATH;
const seen = () => emulator.requests.map((r) => `${r.method} ${r.path}`);

/**
 * A new copy of the program and a stack of it, on its own backend, declaring the org `orgId` with the
 * name `orgName` and importing it. Pulumi YAML takes `import` only as a literal string ("import must be
 * a string" for `${instanceId}/${orgId}`), so the id is written into the program.
 */
async function importStack(orgId: string, orgName: string): Promise<Stack> {
  const workDir = prepareProgram({ dir: "test/e2e/programs/yaml-import" });
  const project = path.join(workDir, "Pulumi.yaml");
  fs.writeFileSync(project, fs.readFileSync(project, "utf8").replace("import: <instanceId>/<orgId>", `import: ${INSTANCE_ID}/${orgId}`));
  // The plugin is found as an installed package puts it: node_modules/.bin first on PATH (pulumiEnv reads PATH from here).
  process.env.PATH = [path.join(workDir, "node_modules", ".bin"), originalPath].join(path.delimiter);
  return emulatorStack(workDir, emulator, { backendDir: tempDir("losant-backend-"), config: { instanceId: INSTANCE_ID, orgId, orgName } });
}

/** An org holding what the program declares (mfaMode adminRequired, 250 devices), and more it does not declare. */
function seedOrg(name: string): string {
  const org = emulator.store.createOrg(INSTANCE_ID, { name, mfaMode: "adminRequired", description: "made in the UI" });
  emulator.store.patchOrg(INSTANCE_ID, org.id, { limits: { ...org.limits, device: 250 } });
  return org.id;
}

describeWithPulumi("the import resource option from a YAML program", () => {
  const timed = timingLog("yamlImportOption e2e step times");

  beforeAll(async () => {
    emulator = await startConfigOnlyEmulator();
  });

  afterAll(async () => {
    process.env.PATH = originalPath;
    await emulator?.close();
  });

  test("matching declared values: up imports with one read and no write; the next preview is empty and sends nothing", async () => {
    const orgId = seedOrg("Gamma");
    const before = emulator.store.getOrg(INSTANCE_ID, orgId);
    const stack = await importStack(orgId, "Gamma");
    emulator.resetRequests();
    const result = await timed("up importing", () => stack.up());
    // The read gives every value the org holds as inputs (as `pulumi import` needs); the program declares
    // three, so the engine's follow-up diff narrows the managed fields in state: an update without a request.
    expect(result.summary.resourceChanges).toEqual({ create: 1, import: 1, update: 1 });
    expect(seen()).toEqual([`GET ${orgPath(orgId)}`]);
    expect(emulator.store.getOrg(INSTANCE_ID, orgId)).toEqual(before);
    const { deployment } = await stack.exportStack();
    const imported = deployment.resources.find((r: { type: string }) => r.type === "losant:index:InstanceOrg");
    expect(imported.id).toBe(`${INSTANCE_ID}/${orgId}`);
    expect(imported.outputs.managedFields).toEqual(["name", "limits.device", "mfaMode"]);
    expect(imported.outputs.description).toBe("made in the UI");
    emulator.resetRequests();
    expect((await timed("preview after the import", () => stack.preview())).changeSummary).toEqual({ same: 2 });
    expect(seen()).toEqual([]);
  });

  test("a declared value that differs from the org's: the preview shows import then update, and up PATCHes that value alone", async () => {
    const orgId = seedOrg("Delta");
    const stack = await importStack(orgId, "Not Delta");
    emulator.resetRequests();
    const preview = await timed("preview with a mismatch", () => stack.preview());
    expect(preview.changeSummary).toEqual({ create: 1, import: 1, update: 1 });
    expect(emulator.requests.filter((r) => r.method !== "GET")).toEqual([]);
    emulator.resetRequests();
    const result = await timed("up with a mismatch", () => stack.up());
    expect(result.summary.resourceChanges).toEqual({ create: 1, import: 1, update: 1 });
    expect(seen()).toEqual([`GET ${orgPath(orgId)}`, `PATCH ${orgPath(orgId)}`]);
    expect(emulator.requests[1].body).toEqual({ name: "Not Delta" });
    expect(emulator.store.getOrg(INSTANCE_ID, orgId)).toMatchObject({ name: "Not Delta", description: "made in the UI" });
    // The `import` option still in the program: the id in state is the import id, so nothing is imported again.
    emulator.resetRequests();
    expect((await timed("preview after the import and update", () => stack.preview())).changeSummary).toEqual({ same: 2 });
    expect(seen()).toEqual([]);
  });
});
