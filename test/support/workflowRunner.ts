/**
 * Runs a GitHub Actions job of a workflow file here, as a new runner would: a fresh checkout of the
 * repository in a new directory, a fresh HOME and PULUMI_HOME, the job's environment with secrets and
 * variables mapped in, and each `run:` step verbatim under `bash --noprofile --norc -eo pipefail`
 * (what `shell: bash` runs). The `uses:` steps are setup, given here instead: the checkout is the
 * copy, Node is this process's, the Pulumi CLI is on PATH. `npm install` runs a stand-in `npm` first on
 * PATH that installs this checkout's package as the registry would (no network in tests).
 *
 * Only what the workflow uses is understood; anything else fails loudly instead of being skipped:
 * `${{ secrets.X }}`, `${{ vars.X }}` and `${{ matrix.X }}` in `env:`, no expression inside `run:`,
 * and a step `if:` of `${{ !cancelled() }}` (run after a failure too).
 */
import fs from "fs";
import path from "path";
import { ChildProcess, spawn } from "child_process";
import { parse } from "yaml";
import { installExampleModules, makeTempDir, pathWithPulumi, REPO_ROOT } from "../../scripts/lib/workspace";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
}

interface Job {
  env?: Record<string, string>;
  steps: Step[];
  strategy?: { matrix?: Record<string, unknown[]> };
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  if?: string;
}

export interface Workflow {
  env?: Record<string, string>;
  defaults?: { run?: { shell?: string } };
  jobs: Record<string, Job>;
}

export function readWorkflow(file: string): Workflow {
  return parse(fs.readFileSync(file, "utf8")) as Workflow;
}

export interface JobContext {
  secrets: Record<string, string>;
  vars: Record<string, string>;
  matrix: Record<string, string>;
}

/** `${{ secrets.X }}`, `${{ vars.X }}`, `${{ matrix.X }}`: a missing secret or variable is "", as on GitHub. */
export function evaluate(text: string, context: JobContext): string {
  return text.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_all, expression: string) => {
    const match = /^(secrets|vars|matrix)\.([A-Za-z_][A-Za-z0-9_-]*)$/.exec(expression);
    if (!match) throw new Error(`the workflow runner does not understand \${{ ${expression} }}`);
    const [, scope, name] = match as unknown as [string, keyof JobContext, string];
    const value = context[scope][name];
    if (scope === "matrix" && value === undefined) throw new Error(`no matrix value ${name}`);
    return value ?? "";
  });
}

export interface StepResult {
  name: string;
  run: string;
  /** Exit code, or undefined when the step did not run. */
  code: number | undefined;
  signal?: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

export interface JobResult {
  job: string;
  dir: string;
  steps: StepResult[];
  /** The first failed step's exit code (0 if none failed). */
  code: number;
  /** What the job wrote to $GITHUB_STEP_SUMMARY. */
  summary: string;
  seconds: number;
  step(name: string): StepResult;
}

export interface RunOptions {
  /** The repository to check out (its files are copied, node_modules excepted). */
  repoDir: string;
  context: JobContext;
  /** Called before a step starts; the test's way to act between two steps of one job. */
  beforeStep?: ((name: string) => Promise<void> | void) | undefined;
  /** Called once a step's process has started (its pid leads its own process group). */
  onStart?: ((name: string, child: ChildProcess) => void) | undefined;
}

/** The actions a job may use: setup, which the runner gives instead. Anything touching Losant or state is a run: step. */
const SETUP_ACTIONS = /^(actions\/checkout|actions\/setup-node|pulumi\/actions)@/;

const STAND_IN_NPM = `#!/bin/sh
# The pipeline tests' stand-in for npm: \`npm install\` installs this checkout's package into the
# program's node_modules as the registry would; anything else is not expected in a workflow step.
case "$1" in
  install|ci) exec node -e 'require(process.argv[1]).installExampleModules(process.cwd())' "$WORKSPACE_MODULE" ;;
  *) echo "stand-in npm: unexpected command: $*" >&2; exit 2 ;;
esac
`;

/** A new runner: the checkout, HOME, PULUMI_HOME, a bin dir for the stand-in npm, the step summary file. */
function newRunner(repoDir: string, job: string): { dir: string; work: string; env: Record<string, string>; summaryFile: string } {
  const dir = makeTempDir(`runner-${job}-`);
  const work = path.join(dir, "work");
  fs.cpSync(repoDir, work, { recursive: true, filter: (src) => path.basename(src) !== "node_modules" });
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, "npm"), STAND_IN_NPM, { mode: 0o755 });
  const home = path.join(dir, "home");
  fs.mkdirSync(home);
  const summaryFile = path.join(dir, "step_summary.md");
  fs.writeFileSync(summaryFile, "");
  return {
    dir,
    work,
    summaryFile,
    env: {
      PATH: [bin, path.dirname(process.execPath), pathWithPulumi()].join(path.delimiter),
      HOME: home,
      PULUMI_HOME: path.join(home, ".pulumi"),
      TMPDIR: path.join(dir, "tmp"),
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_WORKSPACE: work,
      CI: "true",
      GITHUB_ACTIONS: "true",
      WORKSPACE_MODULE: path.join(REPO_ROOT, "dist", "scripts", "lib", "workspace.js"),
    },
  };
}

function runStep(
  script: string,
  cwd: string,
  env: Record<string, string>,
  onStart: (child: ChildProcess) => void,
): Promise<Omit<StepResult, "name" | "run" | "seconds">> {
  return new Promise((resolve, reject) => {
    // Detached: the step leads its own process group, so a test can kill it whole, as a runner's timeout does.
    const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code: code ?? 128, signal, stdout, stderr }));
    onStart(child);
  });
}

/** Whether a step runs after an earlier one failed: only `${{ !cancelled() }}` (or `always()`) says so. */
function runsAfterFailure(step: Step): boolean {
  if (step.if === undefined) return false;
  const condition = step.if.replace(/^\$\{\{\s*|\s*\}\}$/g, "").trim();
  if (condition === "!cancelled()" || condition === "always()") return true;
  throw new Error(`the workflow runner does not understand the step condition ${step.if}`);
}

export async function runJob(workflow: Workflow, jobName: string, options: RunOptions): Promise<JobResult> {
  const job = workflow.jobs[jobName];
  if (!job) throw new Error(`no job ${jobName} in the workflow`);
  if (workflow.defaults?.run?.shell !== "bash") throw new Error("the workflow must set defaults.run.shell: bash (the runner runs bash -eo pipefail)");
  const started = Date.now();
  const runner = newRunner(options.repoDir, jobName);
  fs.mkdirSync(runner.env.TMPDIR, { recursive: true });
  const jobEnv: Record<string, string> = { ...runner.env };
  for (const [key, value] of Object.entries({ ...workflow.env, ...job.env })) jobEnv[key] = evaluate(String(value), options.context);
  const steps: StepResult[] = [];
  let failed = 0;
  for (const step of job.steps) {
    if (step.uses !== undefined && !SETUP_ACTIONS.test(step.uses))
      throw new Error(`step ${step.name ?? step.uses}: only setup may use an action, not ${step.uses}`);
    if (step.run === undefined) continue;
    const name = step.name ?? step.run;
    if (step.run.includes("${{")) throw new Error(`step ${name} has an expression inside run:; pass it through env: instead`);
    if (failed !== 0 && !runsAfterFailure(step)) {
      steps.push({ name, run: step.run, code: undefined, stdout: "", stderr: "", seconds: 0 });
      continue;
    }
    await options.beforeStep?.(name);
    const env = { ...jobEnv };
    for (const [key, value] of Object.entries(step.env ?? {})) env[key] = evaluate(String(value), options.context);
    const stepStarted = Date.now();
    const result = await runStep(step.run, runner.work, env, (child) => options.onStart?.(name, child));
    steps.push({ name, run: step.run, ...result, seconds: (Date.now() - stepStarted) / 1000 });
    if (result.code !== 0 && failed === 0) failed = result.code ?? 128;
  }
  return {
    job: jobName,
    dir: runner.work,
    steps,
    code: failed,
    summary: fs.readFileSync(runner.summaryFile, "utf8"),
    seconds: (Date.now() - started) / 1000,
    step(name: string) {
      const found = steps.find((s) => s.name === name);
      if (!found) throw new Error(`no step ${name} in job ${jobName}: ${steps.map((s) => s.name).join(", ")}`);
      return found;
    },
  };
}

/** One shell command outside a job (a person's bootstrap or recovery), under the same bash as a step. */
export function runShell(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number | undefined; stdout: string; stderr: string }> {
  return runStep(script, cwd, env, () => undefined);
}

/** A person's checkout of the repository, with its dependencies installed. */
export function checkout(repoDir: string): string {
  const dir = makeTempDir("checkout-");
  fs.cpSync(repoDir, dir, { recursive: true, filter: (src) => path.basename(src) !== "node_modules" });
  installExampleModules(dir);
  return dir;
}

/** A job's log, for a failing assertion's message. */
export function jobLog(result: JobResult): string {
  return result.steps.map((s) => `--- ${s.name} (exit ${s.code}, ${s.seconds.toFixed(1)} s)\n${s.stdout.slice(-3000)}\n${s.stderr.slice(-3000)}`).join("\n");
}
