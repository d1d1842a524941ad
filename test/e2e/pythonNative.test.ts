/**
 * The native plugin from a Python program (examples/python), through the real CLI against the
 * emulator: the `pulumi_losant` SDK is generated from schema.json by the pinned generator
 * (tools/sdkgen, built here from its go.mod), then one stack adopts, previews, updates and
 * destroys. scripts/install-pulumi.sh provides the Python language host and the venv with the
 * pulumi Python SDK; the v3.68.0 host ignores `runtime.options.virtualenv`, so the venv's bin goes
 * first on PATH.
 */
import fs from "fs";
import path from "path";
import { execFile } from "child_process";
import type { Stack } from "@pulumi/pulumi/automation";
import type { Emulator } from "../../emulator/server";
import { createStack, prepareProgram, pulumiBinDir, REPO_ROOT } from "../../scripts/lib/workspace";
import { INSTANCE_ID, ORG_ID } from "../support/fixtures";
import { orgPath, TOKEN } from "../support/emulatorHarness";
import { describeWithPulumi, startConfigOnlyEmulator, tempDir, timingLog, expectQuietPreview } from "../support/e2eHarness";

jest.setTimeout(300_000);

const VENV = process.env.PULUMI_PYTHON_VENV ?? path.join(path.dirname(pulumiBinDir()), "python-venv");
const originalPath = process.env.PATH;

let emulator: Emulator;
let stack: Stack;

function run(file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(file, args, { ...options, encoding: "utf8" }, (error, stdout, stderr) =>
      error ? reject(new Error(`${file} ${args.join(" ")} failed: ${stdout}${stderr}`)) : resolve(stdout),
    ),
  );
}

/** The SDK generated from schema.json, installed (without dependencies, offline) into a directory for PYTHONPATH. */
async function generatedSdk(): Promise<string> {
  const work = tempDir("losant-sdkgen-");
  const sdkgen = path.join(work, "sdkgen");
  await run("go", ["build", "-trimpath", "-o", sdkgen, "."], {
    cwd: path.join(REPO_ROOT, "tools", "sdkgen"),
    env: { ...process.env, CGO_ENABLED: "0", GOFLAGS: "-mod=mod" },
  });
  await run(sdkgen, ["-schema", path.join(REPO_ROOT, "schema.json"), "-language", "python", "-out", path.join(work, "sdk")]);
  const site = path.join(work, "site");
  await run(path.join(VENV, "bin", "pip"), [
    "install",
    "--quiet",
    "--disable-pip-version-check",
    "--no-deps",
    "--no-build-isolation",
    "--no-index",
    "--target",
    site,
    path.join(work, "sdk"),
  ]);
  return site;
}

describeWithPulumi("the native plugin from a Python program", () => {
  const timed = timingLog("pythonNative e2e step times");

  beforeAll(async () => {
    if (!fs.existsSync(path.join(VENV, "bin", "python"))) throw new Error(`no Python venv at ${VENV}; run scripts/install-pulumi.sh`);
    emulator = await startConfigOnlyEmulator();
    const site = await timed("generate and install the SDK", generatedSdk);
    const workDir = prepareProgram({ dir: "examples/python" });
    process.env.PATH = [path.join(VENV, "bin"), path.join(workDir, "node_modules", ".bin"), originalPath].join(path.delimiter);
    stack = await createStack({
      workDir,
      backendDir: tempDir("losant-backend-"),
      config: { instanceId: INSTANCE_ID, orgId: ORG_ID, "losant:apiUrl": emulator.url },
      secrets: { "losant:apiToken": TOKEN },
      env: { PYTHONPATH: site },
    });
  });

  afterAll(async () => {
    process.env.PATH = originalPath;
    await emulator?.close();
  });

  test("up adopts the org: one read and one PATCH of the declared limit", async () => {
    emulator.resetRequests();
    const result = await timed("adopt (up)", () => stack.up());
    expect(result.summary.resourceChanges).toEqual({ create: 2 });
    expect(emulator.requests.filter((r) => r.method === "PATCH")).toHaveLength(1);
    expect(emulator.requests).toHaveLength(2);
    expect(result.outputs.deviceLimit?.value).toBe(500);
  });

  test("a preview after up sends no request", async () => {
    await timed("no-op preview", () => expectQuietPreview(stack, emulator, 2));
  });

  test("a changed limit is one PATCH (after the read that keeps undeclared limits)", async () => {
    await stack.setConfig("deviceLimit", { value: "600" });
    emulator.resetRequests();
    const result = await timed("update (up)", () => stack.up());
    expect(result.summary.resourceChanges).toEqual({ same: 1, update: 1 });
    expect(emulator.requests.filter((r) => r.method === "PATCH").map((r) => r.path)).toEqual([orgPath()]);
    expect(emulator.requests.length).toBeLessThanOrEqual(2);
    expect(emulator.store.getOrg(INSTANCE_ID, ORG_ID)?.limits).toMatchObject({ device: 600 });
  });

  test("destroy deletes the org", async () => {
    emulator.resetRequests();
    await timed("destroy", () => stack.destroy());
    expect(emulator.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`DELETE ${orgPath()}`]);
  });
});
