import fs from "fs";
import path from "path";
import { execFileSync } from "child_process";
import type { Stack } from "@pulumi/pulumi/automation";
import type { Emulator } from "../../emulator/server";
import type { EmulatorModes } from "../../emulator/modes";
import { createStack, findPulumi, makeTempDir, pulumiEnv, removeTempDirs } from "../../scripts/lib/workspace";
import { startSeededEmulator, TOKEN } from "./emulatorHarness";

/**
 * The end-to-end suites need the real pulumi CLI. In CI a missing CLI is a failure; elsewhere the
 * suite is skipped with a loud message saying how to get it.
 */
export function describeWithPulumi(name: string, body: () => void): void {
  const pulumi = findPulumi();
  if (pulumi) {
    return describe(name, () => {
      afterAll(removeTempDirs);
      body();
    });
  }
  if (process.env.CI) {
    describe(name, () => {
      test("the pulumi CLI is installed", () => {
        throw new Error("pulumi CLI not found on PATH or in ~/.pulumi/bin; run scripts/install-pulumi.sh (CI must run it first)");
      });
    });
    return;
  }
  console.warn(`\n!!! SKIPPING ${name}: no pulumi CLI. Run \`bash scripts/install-pulumi.sh\` (needs Go) to build it.\n`);
  describe.skip(name, body);
}

export function tempDir(prefix: string): string {
  return makeTempDir(prefix);
}

/**
 * A seeded emulator that programs reach only through stack config: the LOSANT_API_TOKEN
 * startSeededEmulator puts in this process's environment would reach them too, so it goes again.
 */
export async function startConfigOnlyEmulator(modes: Partial<EmulatorModes> = {}): Promise<Emulator> {
  const emulator = await startSeededEmulator(modes);
  delete process.env.LOSANT_API_TOKEN;
  return emulator;
}

/** Timings printed under `title` after the file's tests; `timed` runs one step and records how long it took. */
export function timingLog(title: string): <T>(label: string, run: () => Promise<T>) => Promise<T> {
  const lines: string[] = [];
  afterAll(() => console.log(`${title}:\n${lines.join("\n")}`));
  return async (label, run) => {
    const started = Date.now();
    const result = await run();
    lines.push(`  ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return result;
  };
}

/**
 * A stack of the program in `workDir` on a file backend (a new one unless given), pointed at an
 * emulator by losant:apiUrl, with the seeded emulators' token (or `token`) in secret config.
 */
export function emulatorStack(
  workDir: string,
  emulator: Pick<Emulator, "url">,
  options: { config?: Record<string, string>; backendDir?: string; token?: string } = {},
): Promise<Stack> {
  return createStack({
    workDir,
    backendDir: options.backendDir ?? tempDir("losant-backend-"),
    config: { "losant:apiUrl": emulator.url, ...options.config },
    secrets: { "losant:apiToken": options.token ?? TOKEN },
  });
}

/** A preview after an up: every resource the same, and not one request reaches the emulator. */
export async function expectQuietPreview(stack: Stack, emulator: Emulator, same: number): Promise<void> {
  emulator.resetRequests();
  expect((await stack.preview()).changeSummary).toEqual({ same });
  expect(emulator.requests).toEqual([]);
}

/** `pulumi stack export --show-secrets`, run with the same backend as the stack. */
export function exportWithSecrets(workDir: string, backendDir: string, stackName = "dev"): string {
  return execFileSync("pulumi", ["stack", "export", "--show-secrets", "--stack", stackName], {
    cwd: workDir,
    env: { ...process.env, ...pulumiEnv(backendDir) },
    encoding: "utf8",
  });
}

/** Every file the file backend wrote, concatenated: what sits on disk. */
export function rawBackendFiles(backendDir: string): string {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(fs.readFileSync(full, "utf8"));
    }
  };
  walk(backendDir);
  return out.join("\n");
}

/** The `__provider` strings of every InstanceOrg in an exported deployment. */
export function serializedProviders(exported: string): string[] {
  const deployment = JSON.parse(exported) as { deployment: { resources?: Array<{ type: string; inputs?: Record<string, unknown> }> } };
  return (deployment.deployment.resources ?? []).filter((r) => r.type.endsWith("InstanceOrg")).map((r) => r.inputs?.__provider as string);
}

/** Runs a Pulumi command and returns its error text, or fails the test if it succeeded. */
export async function expectFailure(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    return String((error as Error).message ?? error);
  }
  throw new Error("expected the Pulumi command to fail, and it succeeded");
}

export async function instanceOrgCount(stack: Stack): Promise<number> {
  const exported = await stack.exportStack();
  return (exported.deployment.resources ?? []).filter((r: { type: string }) => r.type.endsWith("InstanceOrg")).length;
}

/** Types of the resources in an exported deployment whose JSON contains `text`; fails if anything outside resources does. */
export function resourcesContaining(exported: string, text: string): string[] {
  const parsed = JSON.parse(exported) as { deployment: { resources?: Array<{ type: string }> } & Record<string, unknown> };
  const { resources = [], ...rest } = parsed.deployment;
  if (JSON.stringify(rest).includes(text)) throw new Error("found outside the resources of the deployment");
  return resources.filter((r) => JSON.stringify(r).includes(text)).map((r) => r.type);
}
