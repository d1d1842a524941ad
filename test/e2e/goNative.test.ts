/**
 * The native plugin from a Go program (examples/go), through the real CLI against the emulator:
 * the Go SDK is generated from schema.json by the pinned generator (tools/sdkgen), the program's
 * go.mod points the SDK's module path at it, and one stack adopts, previews and destroys. The Go
 * language host is the one scripts/install-pulumi.sh builds from sdk/v3 v3.52.0.
 */
import fs from "fs";
import path from "path";
import { execFile } from "child_process";
import type { Stack } from "@pulumi/pulumi/automation";
import type { Emulator } from "../../emulator/server";
import { createStack, prepareProgram, REPO_ROOT } from "../../scripts/lib/workspace";
import { INSTANCE_ID, ORG_ID } from "../support/fixtures";
import { orgPath, TOKEN } from "../support/emulatorHarness";
import { describeWithPulumi, startConfigOnlyEmulator, tempDir, timingLog, expectQuietPreview } from "../support/e2eHarness";

jest.setTimeout(600_000);

const SDK_MODULE = "pulumi-losant-instance-org/sdk/go/losant";
/** The Go SDK the generated code is built against: the CLI's own version. */
const GO_SDK_VERSION = "v3.248.0";
const GO_ENV = { CGO_ENABLED: "0", GOFLAGS: "-mod=mod" };
const originalPath = process.env.PATH;

let emulator: Emulator;
let stack: Stack;

function run(file: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(file, args, { cwd, env: { ...process.env, ...GO_ENV }, encoding: "utf8" }, (error, stdout, stderr) =>
      error ? reject(new Error(`${file} ${args.join(" ")} failed: ${stdout}${stderr}`)) : resolve(stdout),
    ),
  );
}

/** The Go SDK generated from schema.json, as a module of its own; returns its directory. */
async function generatedSdk(): Promise<string> {
  const work = tempDir("losant-sdkgen-");
  const sdkgen = path.join(work, "sdkgen");
  await run("go", ["build", "-trimpath", "-o", sdkgen, "."], path.join(REPO_ROOT, "tools", "sdkgen"));
  await run(sdkgen, ["-schema", path.join(REPO_ROOT, "schema.json"), "-language", "go", "-out", path.join(work, "sdk")], work);
  const dir = path.join(work, "sdk", "losant");
  fs.writeFileSync(path.join(dir, "go.mod"), `module ${SDK_MODULE}\n\ngo 1.25\n\nrequire github.com/pulumi/pulumi/sdk/v3 ${GO_SDK_VERSION}\n`);
  await run("go", ["mod", "tidy"], dir);
  return dir;
}

describeWithPulumi("the native plugin from a Go program", () => {
  const timed = timingLog("goNative e2e step times");

  beforeAll(async () => {
    emulator = await startConfigOnlyEmulator();
    const sdk = await timed("generate the SDK", generatedSdk);
    const workDir = prepareProgram({ dir: "examples/go" });
    fs.writeFileSync(
      path.join(workDir, "go.mod"),
      `module losant-go\n\ngo 1.25\n\nrequire (\n\tgithub.com/pulumi/pulumi/sdk/v3 ${GO_SDK_VERSION}\n\t${SDK_MODULE} v0.0.0\n)\n\nreplace ${SDK_MODULE} => ${sdk}\n`,
    );
    // The first build resolves the program's dependencies (GOFLAGS=-mod=mod) and fills Go's build cache for the host's own build.
    await timed("first go build", () => run("go", ["build", "-o", path.join(tempDir("losant-go-"), "program"), "."], workDir));
    process.env.PATH = [path.join(workDir, "node_modules", ".bin"), originalPath].join(path.delimiter);
    stack = await createStack({
      workDir,
      backendDir: tempDir("losant-backend-"),
      config: { instanceId: INSTANCE_ID, orgId: ORG_ID, deviceLimit: "500", "losant:apiUrl": emulator.url },
      secrets: { "losant:apiToken": TOKEN },
      env: GO_ENV,
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
    expect(emulator.requests.filter((r) => r.method === "PATCH").map((r) => r.path)).toEqual([orgPath()]);
    expect(emulator.requests).toHaveLength(2);
    expect(result.outputs.deviceLimit?.value).toBe(500);
  });

  test("a preview after up sends no request", async () => {
    await timed("no-op preview", () => expectQuietPreview(stack, emulator, 2));
  });

  test("destroy deletes the org", async () => {
    emulator.resetRequests();
    await timed("destroy", () => stack.destroy());
    expect(emulator.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`DELETE ${orgPath()}`]);
  });
});
