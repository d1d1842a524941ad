/**
 * Puts a Pulumi program of this repository in a directory of its own, with a local file backend,
 * so the demo, the end-to-end tests and the benchmark drive the real CLI without touching the
 * checkout. The program gets its own node_modules (hard links to this checkout's) and, for the
 * examples, an installed copy of `pulumi-losant-instance-org`, as `npm install` would provide.
 */
import fs from "fs";
import os from "os";
import path from "path";
import { execFileSync } from "child_process";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";

/** The checkout: the nearest directory above this file holding both our package.json and Pulumi.yaml. */
function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "Pulumi.yaml")) && fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no checkout of pulumi-losant-instance-org above ${start}`);
  }
}

export const REPO_ROOT = findRepoRoot(__dirname);

export type ProgramName = "root" | "basic" | "fleet";

const ROOT_PROGRAM_FILES = ["Pulumi.yaml", "index.ts", "tsconfig.json", "package.json", "provider", "client", "losant", "dist"];

export function pulumiBinDir(): string {
  return path.join(process.env.PULUMI_HOME ?? path.join(os.homedir(), ".pulumi"), "bin");
}

const tempDirs: string[] = [];

/** A new directory under the system temp dir, removed by removeTempDirs(). */
export function makeTempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Removes every directory makeTempDir() made in this process (programs, backends). */
export function removeTempDirs(): void {
  while (tempDirs.length > 0) fs.rmSync(tempDirs.pop()!, { recursive: true, force: true });
}

/** PATH with ~/.pulumi/bin in front, where install-pulumi.sh (like Pulumi's installer) puts the CLI and plugins. */
export function pathWithPulumi(): string {
  return [pulumiBinDir(), ...(process.env.PATH ?? "").split(path.delimiter)].join(path.delimiter);
}

/** The pulumi CLI in ~/.pulumi/bin or on PATH, or undefined. */
export function findPulumi(): string | undefined {
  try {
    const found = execFileSync("sh", ["-c", "command -v pulumi"], { encoding: "utf8", env: { ...process.env, PATH: pathWithPulumi() } }).trim();
    return found || undefined;
  } catch {
    return undefined;
  }
}

/** Environment every Pulumi run here gets: no update checks, no plugin downloads, a local passphrase. */
export function pulumiEnv(backendDir: string): Record<string, string> {
  return {
    PATH: pathWithPulumi(),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_CONFIG_PASSPHRASE: "local-demo-passphrase",
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
  };
}

/** The files `npm pack` would ship (package.json's `files`): what an installed copy of this package holds. */
const MANIFEST = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { files: string[]; bin: Record<string, string> };
const PACKAGE_FILES: string[] = ["package.json", ...MANIFEST.files];
/** The package's executables (package.json `bin`), by name. */
const PACKAGE_BIN: Record<string, string> = MANIFEST.bin;

/**
 * Gives the program its own node_modules. Hard links make that nearly free on one filesystem; they
 * also keep the checkout's path out of the program's view (a symlink would resolve back into it
 * and end up in the source positions Pulumi records).
 */
function installNodeModules(dest: string, withPackage: boolean): void {
  const modules = path.join(dest, "node_modules");
  try {
    execFileSync("cp", ["-al", path.join(REPO_ROOT, "node_modules"), modules]);
  } catch {
    fs.rmSync(modules, { recursive: true, force: true });
    fs.cpSync(path.join(REPO_ROOT, "node_modules"), modules, { recursive: true });
  }
  if (withPackage) {
    const installed = path.join(modules, "pulumi-losant-instance-org");
    for (const item of PACKAGE_FILES) fs.cpSync(path.join(REPO_ROOT, item), path.join(installed, item), { recursive: true });
    // As npm links a package's `bin`: `npx pulumi-losant-instance-org` and the native plugin `pulumi-resource-losant` run the installed copy.
    for (const [name, target] of Object.entries(PACKAGE_BIN)) {
      const bin = path.join(modules, ".bin", name);
      fs.rmSync(bin, { force: true });
      fs.symlinkSync(path.join("..", "pulumi-losant-instance-org", target), bin);
      fs.chmodSync(path.join(installed, target), 0o755);
    }
  }
}

/**
 * Installs a program's dependencies in place, as `npm install` in an example's directory would (this
 * package installed, not linked): the pipeline tests' stand-in for the workflow's `npm install`.
 */
export function installExampleModules(dest: string): void {
  installNodeModules(dest, true);
}

/**
 * Copies a program into `dest` (a new temp dir by default) and installs its dependencies: the root
 * program, an example by name, or any other program directory of this repository by path.
 */
export function prepareProgram(program: ProgramName | { dir: string }, dest?: string): string {
  const label = typeof program === "string" ? program : path.basename(program.dir);
  dest ??= makeTempDir(`losant-${label}-`);
  fs.mkdirSync(dest, { recursive: true });
  if (program === "root") {
    for (const item of ROOT_PROGRAM_FILES) fs.cpSync(path.join(REPO_ROOT, item), path.join(dest, item), { recursive: true });
    installNodeModules(dest, false);
  } else {
    const source = typeof program === "string" ? path.join(REPO_ROOT, "examples", program) : path.resolve(REPO_ROOT, program.dir);
    for (const item of fs.readdirSync(source)) {
      if (item !== "node_modules") fs.cpSync(path.join(source, item), path.join(dest, item), { recursive: true });
    }
    installNodeModules(dest, true);
  }
  return dest;
}

export interface StackSetup {
  workDir: string;
  backendDir: string;
  stackName?: string | undefined;
  /** Plain config values (`key` for the project, `losant:key` for the provider). */
  config?: Record<string, string> | undefined;
  /** Config values stored encrypted. */
  secrets?: Record<string, string> | undefined;
  /** Extra environment for the Pulumi process (and so the dynamic provider). */
  env?: Record<string, string> | undefined;
}

export async function createStack(setup: StackSetup): Promise<Stack> {
  fs.mkdirSync(setup.backendDir, { recursive: true });
  const pulumi = findPulumi();
  if (!pulumi) throw new Error("pulumi CLI not found; run scripts/install-pulumi.sh");
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: setup.stackName ?? "dev", workDir: setup.workDir },
    {
      envVars: { ...pulumiEnv(setup.backendDir), ...(setup.env ?? {}) },
      pulumiCommand: await PulumiCommand.get({ root: path.dirname(path.dirname(pulumi)) }),
    },
  );
  const config: Record<string, { value: string; secret?: boolean }> = {};
  for (const [key, value] of Object.entries(setup.config ?? {})) config[key] = { value };
  for (const [key, value] of Object.entries(setup.secrets ?? {})) config[key] = { value, secret: true };
  if (Object.keys(config).length > 0) await stack.setAllConfig(config);
  return stack;
}
