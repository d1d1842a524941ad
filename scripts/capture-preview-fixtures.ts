/**
 * Captures the `pulumi preview --json --show-sames` outputs that test/unit/previewSummary.test.ts reads
 * (test/fixtures/preview/*.json): the pipeline example's program adopting three orgs of the emulator,
 * then one change at a time (rename, limits, create, delete, instanceId), and a one-org program with a
 * secret input. Run it again after a change to what previews contain:
 *   npm run build && npx ts-node --transpile-only scripts/capture-preview-fixtures.ts
 */
import fs from "fs";
import path from "path";
import { spawn } from "child_process";
import { startEmulator } from "../emulator/server";
import { makeTempDir, prepareProgram, pulumiEnv, REPO_ROOT, removeTempDirs } from "./lib/workspace";

const OUT = path.join(REPO_ROOT, "test/fixtures/preview");
const INSTANCE = "5f1e2d3c4b5a69788796a5b4";
const OTHER_INSTANCE = "5f1e2d3c4b5a69788796a5b5";
const ORGS = ["60a1b2c3d4e5f60718293a4b", "60a1b2c3d4e5f60718293a4c", "60a1b2c3d4e5f60718293a4d"];
const TOKEN = "capture-token";

/** Runs pulumi without blocking this process, which serves the emulator. */
function pulumi(args: string[], cwd: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", args, { cwd, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("close", (code) => (code === 0 ? resolve(stdout) : reject(new Error(`pulumi ${args.join(" ")}: ${code}\n${stdout}\n${stderr}`))));
  });
}

async function main(): Promise<void> {
  const emulator = await startEmulator({ tokens: { [TOKEN]: ["all.Instance"] } });
  try {
    emulator.store.addInstance(INSTANCE);
    emulator.store.addInstance(OTHER_INSTANCE);
    ORGS.forEach((id, i) => emulator.store.createOrg(INSTANCE, { name: `Customer ${i + 1}` }, id));
    const env = { ...pulumiEnv(makeTempDir("capture-backend-")), LOSANT_API_URL: emulator.url, LOSANT_API_TOKEN: TOKEN };
    fs.mkdirSync(OUT, { recursive: true });

    const dir = prepareProgram({ dir: "examples/pipeline" });
    const fleetFile = path.join(dir, "orgs/shard-1.json");
    const base = {
      instanceId: INSTANCE,
      defaults: { auditLogEnabled: true, limits: { device: 1000, member: 50 } },
      orgs: ORGS.map((orgId, i): { key: string; orgId?: string; name: string; limits?: Record<string, number> } => ({
        key: `customer-${i + 1}`,
        orgId,
        name: `Customer ${i + 1}`,
      })),
    };
    const write = (fleet: typeof base) => fs.writeFileSync(fleetFile, JSON.stringify(fleet, null, 2));
    write(base);
    await pulumi(["stack", "init", "shard-1"], dir, env);
    await pulumi(["up", "--yes", "--skip-preview"], dir, env);
    const cases: Record<string, (fleet: typeof base) => typeof base> = {
      rename: (f) => ({ ...f, orgs: f.orgs.map((o, i) => (i === 1 ? { ...o, name: "Customer Two | Ltd" } : o)) }),
      limits: (f) => ({ ...f, defaults: { ...f.defaults, limits: { device: 2000, member: 60 } } }),
      create: (f) => ({ ...f, orgs: [...f.orgs, { key: "newco", name: "NewCo", limits: { device: 300 } }] }),
      delete: (f) => ({ ...f, orgs: f.orgs.slice(0, 2) }),
      replace: (f) => ({ ...f, instanceId: OTHER_INSTANCE, orgs: f.orgs.slice(0, 1) }),
    };
    for (const [name, change] of Object.entries(cases)) {
      write(change(base));
      fs.writeFileSync(path.join(OUT, `${name}.json`), await pulumi(["preview", "--json", "--show-sames"], dir, env));
    }

    // A secret input: the preview shows it as [secret] on both sides.
    const secretDir = prepareProgram({ dir: "examples/pipeline" });
    fs.writeFileSync(
      path.join(secretDir, "index.ts"),
      `import * as pulumi from "@pulumi/pulumi";
import { InstanceOrg } from "pulumi-losant-instance-org";
const config = new pulumi.Config();
new InstanceOrg("customer-1", { instanceId: "${INSTANCE}", orgId: "${ORGS[0]}", name: config.require("name"), description: pulumi.secret(config.require("description")) });
`,
    );
    await pulumi(["stack", "init", "secret"], secretDir, env);
    await pulumi(["config", "set", "name", "Customer 1"], secretDir, env);
    await pulumi(["config", "set", "description", "first"], secretDir, env);
    await pulumi(["up", "--yes", "--skip-preview"], secretDir, env);
    await pulumi(["config", "set", "description", "second"], secretDir, env);
    fs.writeFileSync(path.join(OUT, "secret.json"), await pulumi(["preview", "--json", "--show-sames"], secretDir, env));
  } finally {
    await emulator.close();
    removeTempDirs();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
