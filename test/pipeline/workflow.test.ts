/**
 * The example pipeline (examples/pipeline/.github/workflows/losant-orgs.yml), run job by job as GitHub
 * would run it: each job on a new "runner" (a fresh checkout, HOME and PULUMI_HOME), its `run:` steps
 * verbatim, against the Losant emulator and a local S3 server (moto) holding the state. The tests run in
 * order and share the emulator, the bucket and the "repository" (a copy of examples/pipeline that the
 * tests change as pull requests would). docs/pipeline.md describes what each proof shows.
 */
import fs from "fs";
import path from "path";
import { ChildProcess } from "child_process";
import { Emulator, startEmulator } from "../../emulator/server";
import { makeTempDir, pathWithPulumi, REPO_ROOT } from "../../scripts/lib/workspace";
import { describeWithPulumi } from "../support/e2eHarness";
import { findMotoServer, S3Server, startS3Server } from "../support/s3Server";
import { checkout, jobLog, JobContext, JobResult, readWorkflow, runJob, runShell } from "../support/workflowRunner";

jest.setTimeout(300_000);

const WORKFLOW = readWorkflow(path.join(REPO_ROOT, "examples/pipeline/.github/workflows/losant-orgs.yml"));
const WRITE_TOKEN = "pipeline-write-token";
const READ_TOKEN = "pipeline-read-token";
const INSTANCE_ID = "5f1e2d3c4b5a69788796a5b4";
const ORGS = { acme: "60a1b2c3d4e5f60718293a4b", globex: "60a1b2c3d4e5f60718293a4c", initech: "60a1b2c3d4e5f60718293a4d" };
const WRITES = new Set(["PATCH", "POST", "DELETE", "PUT"]);

let emulator: Emulator;
let s3: S3Server;
let repoDir: string;
const timings: string[] = [];

function context(stack: string, secrets: Record<string, string> = {}): JobContext {
  return {
    secrets: {
      LOSANT_READ_TOKEN: READ_TOKEN,
      LOSANT_WRITE_TOKEN: WRITE_TOKEN,
      PULUMI_CONFIG_PASSPHRASE: "pipeline-test-passphrase",
      AWS_ACCESS_KEY_ID: s3.env.AWS_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: s3.env.AWS_SECRET_ACCESS_KEY,
      ...secrets,
    },
    vars: { PULUMI_BACKEND_URL: s3.backendUrl, LOSANT_API_URL: emulator.url, AWS_REGION: s3.env.AWS_REGION },
    matrix: { stack },
  };
}

async function job(
  name: "preview" | "up" | "drift",
  stack: string,
  options: { secrets?: Record<string, string>; beforeStep?: (step: string) => void; onStart?: (step: string, child: ChildProcess) => void } = {},
): Promise<JobResult> {
  const result = await runJob(WORKFLOW, name, { repoDir, context: context(stack, options.secrets), beforeStep: options.beforeStep, onStart: options.onStart });
  timings.push(
    `${name} ${stack}: exit ${result.code}, ${result.seconds.toFixed(1)} s (${result.steps.map((s) => `${s.name} ${s.seconds.toFixed(1)}`).join(", ")})`,
  );
  return result;
}

function expectSuccess(result: JobResult): void {
  if (result.code !== 0) throw new Error(`job ${result.job} failed:\n${jobLog(result)}`);
}

/** Rewrites a fleet file of the repository, as a merged pull request would. */
function editFleet(stack: string, edit: (fleet: { orgs: Array<Record<string, unknown>> }) => void): void {
  const file = path.join(repoDir, "orgs", `${stack}.json`);
  const fleet = JSON.parse(fs.readFileSync(file, "utf8")) as { orgs: Array<Record<string, unknown>> };
  edit(fleet);
  fs.writeFileSync(file, JSON.stringify(fleet, null, 2));
}

function entry(fleet: { orgs: Array<Record<string, unknown>> }, key: string): Record<string, unknown> {
  const found = fleet.orgs.find((o) => o.key === key);
  if (!found) throw new Error(`no org ${key}`);
  return found;
}

const org = (orgId: string) => emulator.store.getOrg(INSTANCE_ID, orgId)!;
const writes = () => emulator.requests.filter((r) => WRITES.has(r.method));

/** The table rows of a summary: `org | action | changes` without the id column. */
function rows(summary: string): string[] {
  return summary
    .split("\n")
    .filter((line) => line.startsWith("| ") && !line.startsWith("| org |") && !line.startsWith("| ---"))
    .map((line) => {
      const [name, , action, changes] = line.slice(2, -2).split(" | ");
      return `${name} | ${action} | ${changes}`;
    });
}

/** The environment of a runner's step, for commands a person runs by hand (bootstrap, recovery). */
function operatorEnv(stack: string): Record<string, string> {
  const home = makeTempDir("operator-home-");
  const ctx = context(stack);
  return {
    PATH: [path.dirname(process.execPath), pathWithPulumi()].join(path.delimiter),
    HOME: home,
    PULUMI_HOME: path.join(home, ".pulumi"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_BACKEND_URL: s3.backendUrl,
    PULUMI_CONFIG_PASSPHRASE: ctx.secrets.PULUMI_CONFIG_PASSPHRASE,
    LOSANT_API_URL: emulator.url,
    LOSANT_API_TOKEN: WRITE_TOKEN,
    STACK: stack,
    ...s3.env,
  };
}

/** The stack's state, exported by a person: each org once, no operation left pending. */
async function expectIntactState(stack: string, orgIds: string[]): Promise<void> {
  const exported = await runShell('pulumi stack export --stack "$STACK"', repoDir, operatorEnv(stack));
  expect(exported.code).toBe(0);
  const { deployment } = JSON.parse(exported.stdout) as { deployment: { resources: Array<{ type: string; id?: string }>; pending_operations?: unknown[] } };
  const ids = deployment.resources.filter((r) => r.type.endsWith("InstanceOrg")).map((r) => r.id);
  expect(ids.sort()).toEqual([...orgIds].sort());
  expect(deployment.pending_operations ?? []).toEqual([]);
}

/** The commands docs/recovery.md gives for a killed update, in order, without the file-backend-only step. */
function recoverySteps(): string[] {
  const doc = fs.readFileSync(path.join(REPO_ROOT, "docs/recovery.md"), "utf8");
  const block = /\*\*After a CI timeout\*\*[\s\S]*?```sh\n([\s\S]*?)```/.exec(doc);
  if (!block) throw new Error("docs/recovery.md has no sh block after **After a CI timeout**");
  return block[1]
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#") && !line.includes("$BACKEND"));
}

describe("the workflow file", () => {
  const stacks = (job: string) => WORKFLOW.jobs[job].strategy?.matrix?.stack;

  test("every job runs once per stack, and the stacks are the example's", () => {
    for (const job of ["preview", "up", "drift"]) expect(stacks(job)).toEqual(["shard-1", "shard-2"]);
    for (const stack of stacks("up")!) expect(fs.existsSync(path.join(REPO_ROOT, "examples/pipeline", `Pulumi.${stack}.yaml`))).toBe(true);
  });

  test("up: one job per stack at a time, never cancelled in progress, with the write token", () => {
    expect(WORKFLOW.jobs.up.concurrency).toEqual({ group: "losant-orgs-${{ matrix.stack }}", "cancel-in-progress": false });
    expect(WORKFLOW.jobs.up.env?.LOSANT_API_TOKEN).toBe("${{ secrets.LOSANT_WRITE_TOKEN }}");
  });

  test("preview and drift hold the read token; preview skips pull requests from forks, which get no secrets", () => {
    for (const job of ["preview", "drift"]) expect(WORKFLOW.jobs[job].env?.LOSANT_API_TOKEN).toBe("${{ secrets.LOSANT_READ_TOKEN }}");
    expect(WORKFLOW.jobs.preview.if).toContain("github.event.pull_request.head.repo.full_name == github.repository");
  });

  test("state and Losant settings come from the secret store and variables, never from the file", () => {
    expect(WORKFLOW.env).toMatchObject({
      PULUMI_BACKEND_URL: "${{ vars.PULUMI_BACKEND_URL }}",
      PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
      LOSANT_API_URL: "${{ vars.LOSANT_API_URL }}",
    });
  });
});

const haveMoto = findMotoServer() !== undefined;
if (!haveMoto && process.env.CI) {
  test("moto_server is installed", () => {
    throw new Error("moto_server not found; .ci/run installs it with pip install 'moto[server]'");
  });
} else if (!haveMoto) {
  console.warn("\n!!! SKIPPING the pipeline tests: no moto_server (the local S3 server). Run `pip install 'moto[server]'`.\n");
}

(haveMoto ? describeWithPulumi : describe.skip)("the example pipeline, run job by job against the emulator and an S3 backend", () => {
  beforeAll(async () => {
    s3 = await startS3Server();
    emulator = await startEmulator({ tokens: { [WRITE_TOKEN]: ["all.Instance"], [READ_TOKEN]: ["instanceOrg.get", "instanceOrgs.get"] } });
    emulator.store.addInstance(INSTANCE_ID);
    for (const [key, id] of Object.entries(ORGS)) emulator.store.createOrg(INSTANCE_ID, { name: `${key} (before adoption)` }, id);
    repoDir = makeTempDir("pipeline-repo-");
    fs.cpSync(path.join(REPO_ROOT, "examples/pipeline"), repoDir, { recursive: true, filter: (src) => path.basename(src) !== "node_modules" });
    // Once, by a person: create each stack; its Pulumi.<stack>.yaml (now with the passphrase's salt) is committed.
    for (const stack of WORKFLOW.jobs.up.strategy?.matrix?.stack as string[]) {
      const init = await runShell('pulumi stack init "$STACK" --secrets-provider passphrase', repoDir, operatorEnv(stack));
      expect(init.code).toBe(0);
    }
  });

  afterAll(async () => {
    console.log(`pipeline jobs:\n  ${timings.join("\n  ")}`);
    await emulator?.close();
    await s3?.stop();
  });

  test("the main job applies each stack of the matrix; the next runner finds the state in S3", async () => {
    // As GitHub runs a matrix: the stacks' jobs side by side.
    for (const result of await Promise.all(["shard-1", "shard-2"].map((stack) => job("up", stack)))) expectSuccess(result);
    expect(org(ORGS.acme)).toMatchObject({ name: "Acme", auditLogEnabled: true, mfaMode: "adminRequired" });
    expect(org(ORGS.acme).limits).toMatchObject({ device: 1000, member: 50 });
    expect(org(ORGS.globex).limits).toMatchObject({ device: 5000, member: 50 });
    expect(org(ORGS.initech).name).toBe("Initech");
    const hooli = emulator.store.listOrgs(INSTANCE_ID).filter((o) => o.name === "Hooli");
    expect(hooli).toHaveLength(1);
    expect(emulator.requests.filter((r) => r.method === "POST")).toHaveLength(1);
    const keys = await s3.keys(".pulumi/");
    expect(keys).toEqual(expect.arrayContaining([".pulumi/stacks/losant-orgs/shard-1.json", ".pulumi/stacks/losant-orgs/shard-2.json"]));
    expect(keys.some((k) => k.startsWith(".pulumi/history/losant-orgs/shard-1/"))).toBe(true);
    expect(keys.some((k) => k.startsWith(".pulumi/locks/"))).toBe(false);

    // A new runner, nothing on its disk: the preview finds every org in the state it reads from S3.
    emulator.resetRequests();
    const preview = await job("preview", "shard-2");
    expectSuccess(preview);
    expect(preview.summary).toContain("0 org(s) change; 2 unchanged.");
    expect(writes()).toEqual([]);
  });

  test("the pull request job, with read scopes only, writes nothing and its summary lists exactly the orgs that change", async () => {
    editFleet("shard-1", (fleet) => {
      entry(fleet, "globex").name = "Globex Corporation";
      entry(fleet, "acme").limits = { device: 1200 };
    });
    emulator.resetRequests();
    const stateBefore = await s3.objects();
    const preview = await job("preview", "shard-1");
    expectSuccess(preview);
    expect(writes()).toEqual([]);
    expect(await s3.objects()).toEqual(stateBefore); // nor to the state
    expect(emulator.requests.length).toBeGreaterThan(0); // --refresh read the orgs, with the read token
    expect(preview.summary).toContain("2 org(s) change (2 to update); 0 unchanged.");
    expect(rows(preview.summary)).toEqual([
      "Acme | update | limits.device: 1000 → 1200",
      'Globex Corporation | update | name: "Globex" → "Globex Corporation"',
    ]);
    expect(org(ORGS.acme).limits.device).toBe(1000);
  });

  test("the main job applies the change; the drift job fails after a change made in Losant's UI, and passes after the next up", async () => {
    const up = await job("up", "shard-1");
    expectSuccess(up);
    expect(rows(up.summary)).toEqual(["Acme | update | limits.device: 1000 → 1200", 'Globex Corporation | update | name: "Globex" → "Globex Corporation"']);
    expect(org(ORGS.acme).limits).toMatchObject({ device: 1200, member: 50 });
    expect(org(ORGS.globex).name).toBe("Globex Corporation");

    emulator.store.patchOrg(INSTANCE_ID, ORGS.acme, { name: "Acme (edited in the UI)" });
    emulator.resetRequests();
    const stateBefore = await s3.objects();
    const drift = await job("drift", "shard-1");
    expect(drift.code).toBe(7);
    expect(drift.step("Drift check").code).toBe(7);
    expect(drift.step("Per-org summary").code).toBe(0);
    expect(rows(drift.summary)).toEqual(['Acme | update | name: "Acme (edited in the UI)" → "Acme"']);
    expect(writes()).toEqual([]);
    expect(await s3.objects()).toEqual(stateBefore);

    expectSuccess(await job("up", "shard-1"));
    expect(org(ORGS.acme).name).toBe("Acme");
    expectSuccess(await job("drift", "shard-1"));
  });

  test("the up applies only its plan: a change in Losant between the plan and the up fails the up, and that org is left alone", async () => {
    editFleet("shard-1", (fleet) => void (entry(fleet, "acme").limits = { device: 1300 }));
    emulator.resetRequests();
    const up = await job("up", "shard-1", {
      beforeStep: (step) => void (step === "Up" && emulator.store.patchOrg(INSTANCE_ID, ORGS.globex, { name: "Globex (edited meanwhile)" })),
    });
    expect(up.step("Up").code).not.toBe(0);
    expect(`${up.step("Up").stdout}${up.step("Up").stderr}`).toMatch(/violates plan/);
    expect(writes().filter((r) => r.path.endsWith(ORGS.globex))).toEqual([]);
    expect(org(ORGS.globex).name).toBe("Globex (edited meanwhile)");

    // The next run plans both and applies both.
    expectSuccess(await job("up", "shard-1"));
    expect(org(ORGS.globex).name).toBe("Globex Corporation");
    expect(org(ORGS.acme).limits.device).toBe(1300);
  });

  test("the up job with a get-only token fails at the first write, naming the missing scope, and changes nothing", async () => {
    editFleet("shard-1", (fleet) => void (entry(fleet, "acme").limits = { device: 1400 }));
    emulator.resetRequests();
    const up = await job("up", "shard-1", { secrets: { LOSANT_WRITE_TOKEN: READ_TOKEN } });
    expect(up.step("Up").code).not.toBe(0);
    const output = `${up.step("Up").stdout}${up.step("Up").stderr}`;
    expect(output).toMatch(/HTTP 403/);
    expect(output).toMatch(/instanceOrg\.patch/);
    expect(output).not.toContain(READ_TOKEN);
    expect(writes().map((r) => `${r.method} ${r.status}`)).toEqual(["PATCH 403"]);
    expect(org(ORGS.acme).limits.device).toBe(1300);
  });

  test("two main jobs at once: at most one applies, a refused one fails on the lock with a clear message; nothing is lost", async () => {
    // The change of the previous test (device 1400) is still to apply.
    const [first, second] = await Promise.all([job("up", "shard-1"), job("up", "shard-1")]);
    const outcomes = [first, second].map((r) => (r.code === 0 ? "applied" : `${r.step("Up").stdout}${r.step("Up").stderr}`));
    // At most one applies. Both may be refused: on S3 each can see the other's lock file (seen in CI).
    expect(outcomes.filter((o) => o === "applied").length).toBeLessThanOrEqual(1);
    for (const outcome of outcomes) if (outcome !== "applied") expect(outcome).toMatch(/the stack is currently locked by 1 lock\(s\)|violates plan/);
    // Refused jobs change nothing; the next main job applies what is left.
    if (!outcomes.includes("applied")) expectSuccess(await job("up", "shard-1"));
    expect(org(ORGS.acme).limits.device).toBe(1400);
    // Intact: the next runner's drift job finds every org as declared and nothing to do.
    expectSuccess(await job("drift", "shard-1"));
    await expectIntactState("shard-1", [ORGS.acme, ORGS.globex]);
    timings.push(`concurrent ups: ${outcomes.map((o) => (o === "applied" ? "applied" : o.match(/locked|violates plan/)?.[0])).join(", ")}`);
  });

  test("a main job killed mid-up is recovered by the steps of docs/recovery.md, against S3", async () => {
    editFleet("shard-1", (fleet) => {
      entry(fleet, "acme").limits = { device: 1500 };
      entry(fleet, "globex").limits = { device: 5500 };
    });
    emulator.faults.configure({ latencyMs: 300 });
    emulator.resetRequests();
    let killed = false;
    const up = await job("up", "shard-1", {
      onStart: (step, child) => {
        if (step !== "Up") return;
        const timer = setInterval(() => {
          if (!emulator.requests.some((r) => r.method === "PATCH")) return;
          clearInterval(timer);
          killed = true;
          process.kill(-child.pid!, "SIGKILL");
        }, 20);
        child.on("close", () => clearInterval(timer));
      },
    });
    emulator.faults.configure({ latencyMs: 0 });
    expect(killed).toBe(true);
    expect(up.step("Up").signal).toBe("SIGKILL");
    expect((await s3.keys(".pulumi/locks/")).length).toBe(1);
    const left = await runShell('pulumi stack export --stack "$STACK"', repoDir, operatorEnv("shard-1"));
    const pending = (JSON.parse(left.stdout) as { deployment: { pending_operations?: unknown[] } }).deployment.pending_operations ?? [];
    timings.push(`killed up left 1 lock and ${pending.length} pending operation(s), after ${writes().length} PATCH(es)`);

    // 1. The killed update is gone (its process group was killed). 2. is for the file backend. 3-5:
    const env = operatorEnv("shard-1");
    const dir = checkout(repoDir);
    const select = await runShell('pulumi stack select "$STACK"', dir, env);
    expect(select.code).toBe(0);
    const steps = recoverySteps();
    expect(steps).toEqual([
      "pulumi cancel --yes",
      "pulumi refresh --clear-pending-creates --yes --skip-preview",
      "pulumi up --yes",
      "pulumi preview --expect-no-changes",
    ]);
    for (const command of steps) {
      const result = await runShell(command, dir, env);
      if (result.code !== 0) throw new Error(`${command} failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
    }
    expect(await s3.keys(".pulumi/locks/")).toEqual([]);
    expect(org(ORGS.acme).limits.device).toBe(1500);
    expect(org(ORGS.globex).limits.device).toBe(5500);
    // (The last recovery step, preview --expect-no-changes, already showed that nothing is left to do.)
    await expectIntactState("shard-1", [ORGS.acme, ORGS.globex]);
  });
});
