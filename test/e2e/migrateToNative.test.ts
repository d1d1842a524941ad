/**
 * Moving a dynamic-provider stack to the native type without touching the org (docs/native-plugin.md,
 * "Moving a dynamic-provider stack"): `pulumi state delete` forgets the dynamic resource without a
 * call to Losant, and the native program adopts the same org by its `orgId`. With the same values
 * declared, the org sees one read and no PATCH or DELETE.
 */
import fs from "fs";
import path from "path";
import { execFile } from "child_process";
import type { Stack } from "@pulumi/pulumi/automation";
import type { Emulator } from "../../emulator/server";
import { createStack, prepareProgram, pulumiEnv } from "../../scripts/lib/workspace";
import { INSTANCE_ID, ORG_ID } from "../support/fixtures";
import { TOKEN } from "../support/emulatorHarness";
import { describeWithPulumi, startConfigOnlyEmulator, tempDir, timingLog } from "../support/e2eHarness";

jest.setTimeout(240_000);

/** The native program that replaces the root program: same project, same org, the same values declared. */
const NATIVE_PROGRAM = `name: losant-instance-org
runtime: yaml
config:
  instanceId:
    type: string
  orgId:
    type: string
resources:
  org:
    type: losant:index:InstanceOrg
    properties:
      instanceId: \${instanceId}
      orgId: \${orgId}
      name: Migrated
      limits:
        device: 500
`;

let emulator: Emulator;
const originalPath = process.env.PATH;

function pulumi(workDir: string, env: Record<string, string>, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile("pulumi", args, { cwd: workDir, env: { ...process.env, ...env }, encoding: "utf8" }, (error, stdout, stderr) =>
      error ? reject(new Error(`pulumi ${args.join(" ")} failed: ${stdout}${stderr}`)) : resolve(stdout),
    ),
  );
}

describeWithPulumi("moving a dynamic-provider stack to the native plugin", () => {
  const timed = timingLog("migrateToNative e2e step times");

  beforeAll(async () => {
    emulator = await startConfigOnlyEmulator();
  });
  afterAll(async () => {
    process.env.PATH = originalPath;
    await emulator.close();
  });

  test("state delete, then the native program adopts the org by orgId: 0 PATCH, 0 DELETE, and a clean preview", async () => {
    const workDir = prepareProgram("root");
    const backendDir = tempDir("losant-backend-");
    // The native plugin, as an installed package puts it on PATH (the root program's copy of the checkout's node_modules has no .bin link to it).
    const binDir = tempDir("losant-bin-");
    const plugin = path.join(workDir, "dist", "bin", "pulumi-resource-losant.js");
    fs.chmodSync(plugin, 0o755);
    fs.symlinkSync(plugin, path.join(binDir, "pulumi-resource-losant"));
    process.env.PATH = [binDir, originalPath].join(path.delimiter);
    const env = pulumiEnv(backendDir);
    const stack: Stack = await createStack({
      workDir,
      backendDir,
      config: { instanceId: INSTANCE_ID, orgId: ORG_ID, name: "Migrated", limits: JSON.stringify({ device: 500 }), "losant:apiUrl": emulator.url },
      secrets: { "losant:apiToken": TOKEN },
    });
    await timed("dynamic up", () => stack.up());
    expect(emulator.store.getOrg(INSTANCE_ID, ORG_ID)).toMatchObject({ name: "Migrated", limits: expect.objectContaining({ device: 500 }) });

    const exported = await stack.exportStack();
    const dynamic = exported.deployment.resources.filter((r: { type: string }) => r.type === "pulumi-nodejs:dynamic/losant:InstanceOrg");
    expect(dynamic).toHaveLength(1);
    emulator.resetRequests();
    await timed("state delete", () => pulumi(workDir, env, ["state", "delete", dynamic[0].urn, "--yes", "--stack", "dev"]));
    fs.writeFileSync(path.join(workDir, "Pulumi.yaml"), NATIVE_PROGRAM);
    // The dynamic program's own config keys stay in Pulumi.dev.yaml; the YAML program declares what it reads.
    const up = await timed("native up (adopt)", () => stack.up());
    expect(up.summary.resourceChanges).toMatchObject({ create: 1 });
    const methods = emulator.requests.map((r) => r.method);
    expect(methods.filter((m) => m === "PATCH" || m === "DELETE" || m === "POST")).toEqual([]);
    expect(methods.length).toBeLessThanOrEqual(1);
    const after = await stack.exportStack();
    expect(after.deployment.resources.map((r: { type: string }) => r.type)).not.toContain("pulumi-nodejs:dynamic/losant:InstanceOrg");
    // The native resource's id is the import id (provider/server/plugin/importId.ts).
    expect(after.deployment.resources.find((r: { type: string }) => r.type === "losant:index:InstanceOrg")?.id).toBe(`${INSTANCE_ID}/${ORG_ID}`);

    emulator.resetRequests();
    expect(Object.keys((await stack.preview()).changeSummary)).toEqual(["same"]);
    expect(emulator.requests).toEqual([]);
  });
});
