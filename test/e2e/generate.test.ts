/**
 * The package's command line, as a user runs it: `npx pulumi-losant-instance-org generate` in a
 * program's directory, its TypeScript type-checked and run by `pulumi up`, its fleet file run by
 * examples/fleet; and the emulator, started with `npx ... emulator` and imported from
 * `pulumi-losant-instance-org/emulator`.
 */
import fs from "fs";
import path from "path";
import { execFile, spawn } from "child_process";
import { Emulator } from "../../emulator/server";
import { prepareProgram } from "../../scripts/lib/workspace";
import { INSTANCE_ID } from "../support/fixtures";
import { TOKEN } from "../support/emulatorHarness";
import { describeWithPulumi, emulatorStack, expectQuietPreview, startConfigOnlyEmulator, timingLog } from "../support/e2eHarness";
import { orgsRead } from "../support/reads";

jest.setTimeout(300_000);

let emulator: Emulator;
beforeEach(async () => void (emulator = await startConfigOnlyEmulator()));
afterEach(() => emulator.close());

const timed = timingLog("generate e2e");

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(command, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

/** `npx pulumi-losant-instance-org ...` in `cwd`: the bin npm links into node_modules/.bin. */
const npx = (cwd: string, args: string[], env: Record<string, string>) => run("npx", ["--no-install", "pulumi-losant-instance-org", ...args], cwd, env);

function seedOrgs(count: number): void {
  for (let i = 1; i <= count; i++) {
    emulator.store.createOrg(INSTANCE_ID, {
      name: `Customer ${i}`,
      auditLogEnabled: i % 2 === 0,
      mfaMode: i % 3 === 0 ? "required" : "notRequired",
      limits: i % 4 === 0 ? { device: 100 + i } : {},
      tags: i % 5 === 0 ? [{ key: "tier", value: "gold" }] : [],
      whitelistedEmailDomains: i % 6 === 0 ? ["example.com"] : [],
      ...(i % 7 === 0 ? { banner: { message: "maintenance", level: "info" as const } } : {}),
    });
  }
}

describeWithPulumi("the package's command line through the real Pulumi CLI", () => {
  test("generate --format ts: the program type-checks, its up adopts every org with 0 PATCHes, and the next preview is empty", async () => {
    seedOrgs(29);
    const workDir = prepareProgram({ dir: "test/e2e/programs/generated" });
    const generated = await npx(workDir, ["generate", "--instance", INSTANCE_ID, "--format", "ts"], { LOSANT_API_URL: emulator.url, LOSANT_API_TOKEN: TOKEN });
    expect({ code: generated.code, stderr: generated.stderr }).toEqual({ code: 0, stderr: `30 org(s) of instance ${INSTANCE_ID}\n` });
    fs.writeFileSync(path.join(workDir, "index.ts"), generated.stdout);
    // `pulumi up` only transpiles here (PULUMI_NODEJS_TRANSPILE_ONLY): type-check as a user's editor and CI would.
    const tsc = await run(process.execPath, [path.join(workDir, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], workDir);
    expect({ code: tsc.code, output: tsc.stdout + tsc.stderr }).toEqual({ code: 0, output: "" });

    const stack = await emulatorStack(workDir, emulator);
    emulator.resetRequests();
    const up = await timed("up of the generated TypeScript (30 orgs)", () => stack.up());
    expect(up.summary.resourceChanges).toEqual({ create: 31 });
    // Every org read exactly once: a single GET or a share of a batched list request.
    const reads = orgsRead(emulator.requests);
    expect(reads).toHaveLength(30);
    expect(new Set(reads).size).toBe(30);
    expect(emulator.requests.filter((r) => r.method !== "GET")).toEqual([]);
    expect(Object.keys(up.outputs.orgs.value as object)).toHaveLength(30);
    await expectQuietPreview(stack, emulator, 31);
  });

  test("generate (fleet file) run by examples/fleet: 0 PATCHes, then an empty preview", async () => {
    seedOrgs(19);
    const workDir = prepareProgram("fleet");
    const generated = await npx(workDir, ["generate", "--instance", INSTANCE_ID], { LOSANT_API_URL: emulator.url, LOSANT_API_TOKEN: TOKEN });
    expect(generated.code).toBe(0);
    fs.writeFileSync(path.join(workDir, "orgs.json"), generated.stdout);
    const stack = await emulatorStack(workDir, emulator);
    emulator.resetRequests();
    const up = await stack.up();
    expect(up.summary.resourceChanges).toEqual({ create: 22 });
    expect(emulator.requests.filter((r) => r.method !== "GET")).toEqual([]);
    await expectQuietPreview(stack, emulator, 22);
  });

  test("the emulator for users: `npx pulumi-losant-instance-org emulator` serves a program's up; `pulumi-losant-instance-org/emulator` starts one in a test", async () => {
    const workDir = prepareProgram("fleet");
    const child = spawn("npx", ["--no-install", "pulumi-losant-instance-org", "emulator", "--seed", "2", "--token", "user-ci-token"], {
      cwd: workDir,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    // npx runs the bin as a child of its own: end the whole group this test started.
    const stop = () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.on("exit", () => resolve());
        process.kill(-child.pid!, "SIGTERM");
      });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes("\n")) resolve(out.split("\n")[0]);
        });
        child.on("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
      });
      const started = JSON.parse(line) as { url: string; instanceId: string; orgIds: string[] };
      fs.writeFileSync(
        path.join(workDir, "orgs.json"),
        JSON.stringify({
          instanceId: started.instanceId,
          orgs: [
            { key: "seeded", orgId: started.orgIds[0], name: "Seeded" },
            { key: "new", name: "Brand New" },
          ],
        }),
      );
      const stack = await emulatorStack(workDir, started, { token: "user-ci-token" });
      const up = await stack.up();
      expect(up.summary.resourceChanges).toEqual({ create: 4 });
      expect((await stack.preview()).changeSummary).toEqual({ same: 4 });
    } finally {
      await stop();
    }

    const script = [
      'const { startEmulator, seedFleet } = require("pulumi-losant-instance-org/emulator");',
      "(async () => {",
      "  const emulator = await startEmulator({ tokens: { t: ['all.Instance'] } });",
      "  const { instanceId } = seedFleet(emulator, 3);",
      "  const res = await fetch(`${emulator.url}/instances/${instanceId}/orgs`, { headers: { Authorization: 'Bearer t' } });",
      "  console.log(JSON.stringify({ status: res.status, count: (await res.json()).count }));",
      "  await emulator.close();",
      "})();",
    ].join("\n");
    const imported = await run(process.execPath, ["-e", script], workDir);
    expect({ code: imported.code, stdout: imported.stdout.trim(), stderr: imported.stderr }).toEqual({
      code: 0,
      stdout: '{"status":200,"count":3}',
      stderr: "",
    });
  });
});
