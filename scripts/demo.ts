/**
 * `npm run demo`: the whole InstanceOrg lifecycle through the real Pulumi CLI against the local
 * emulator, with the emulator's request count at every step.
 */
import fs from "fs";
import path from "path";
import { execFile, spawnSync } from "child_process";
import type { Stack } from "@pulumi/pulumi/automation";
import { Emulator, RecordedRequest, startEmulator } from "../emulator/server";
import { seedFleet } from "../emulator/seed";
import { createStack, findPulumi, makeTempDir, prepareProgram, REPO_ROOT, removeTempDirs } from "./lib/workspace";

const TOKEN = "demo-token";
const cleanups: Array<() => Promise<void> | void> = [];

function say(text: string): void {
  process.stdout.write(`${text}\n`);
}

function describeRequests(requests: RecordedRequest[]): string {
  if (requests.length === 0) return "0 requests";
  const lines = requests.map((r) => `${r.method}${r.body ? ` ${JSON.stringify(r.body).slice(0, 120)}` : ""}`);
  return `${requests.length} request${requests.length === 1 ? "" : "s"}: ${lines.join(" | ")}`;
}

async function step(emulator: Emulator, title: string, run: () => Promise<string>): Promise<void> {
  say(`\n== ${title}`);
  emulator.resetRequests();
  const started = Date.now();
  const result = await run();
  say(`   ${result}`);
  say(`   emulator saw ${describeRequests(emulator.requests)}  (${((Date.now() - started) / 1000).toFixed(1)}s)`);
}

function changes(summary: Record<string, number> | undefined): string {
  return Object.entries(summary ?? {})
    .map(([op, n]) => `${op} ${n}`)
    .join(", ");
}

async function main(): Promise<void> {
  if (!findPulumi()) {
    say("No pulumi CLI found: building it from Go modules (a few minutes, once) ...");
    const built = spawnSync("bash", [path.join(REPO_ROOT, "scripts/install-pulumi.sh")], { stdio: "inherit" });
    if (built.status !== 0) throw new Error("could not install the Pulumi CLI (see above)");
  }
  const emulator = await startEmulator({ tokens: { [TOKEN]: ["all.Instance"] } });
  cleanups.push(() => emulator.close());
  const { instanceId, orgIds } = seedFleet(emulator, 1);
  const orgId = orgIds[0];
  say(`Local Losant emulator at ${emulator.url}; instance ${instanceId} with org ${orgId} ("customer-001").`);

  const workDir = prepareProgram("root");
  const backendDir = makeTempDir("losant-demo-state-");
  cleanups.push(removeTempDirs);
  say(`Pulumi program: a copy of this repository's root program in ${workDir}; file backend in ${backendDir}.`);

  const stack: Stack = await createStack({
    workDir,
    backendDir,
    stackName: "demo",
    config: {
      instanceId,
      orgId,
      name: "Acme Corporation",
      auditLogEnabled: "true",
      limits: JSON.stringify({ device: 500, member: 25 }),
      "losant:apiUrl": emulator.url,
    },
    secrets: { "losant:apiToken": TOKEN },
  });

  await step(emulator, "1. pulumi up: adopt the existing org (name, auditLogEnabled, limits.device, limits.member declared)", async () => {
    const up = await stack.up();
    return `${changes(up.summary.resourceChanges)}; org is now "${up.outputs.name.value}", device limit ${up.outputs.limits.value.device}`;
  });
  await step(emulator, "2. pulumi preview: nothing changed, so no changes and no request", async () => {
    const preview = await stack.preview();
    return `changes: ${changes(preview.changeSummary)}`;
  });
  await step(emulator, "3. pulumi config set name 'Acme Corp' && pulumi up: one PATCH with only the name", async () => {
    await stack.setConfig("name", { value: "Acme Corp" });
    const up = await stack.up();
    return `${changes(up.summary.resourceChanges)}; org is now "${emulator.store.getOrg(instanceId, orgId)!.name}"`;
  });
  say("\n== 4. someone renames the org and turns the audit log off in Losant, out of band");
  emulator.store.patchOrg(instanceId, orgId, { name: "Renamed in the Losant UI", auditLogEnabled: false });
  await step(emulator, "4a. pulumi refresh: finds the drift", async () => {
    const refresh = await stack.refresh();
    return `${changes(refresh.summary.resourceChanges)}: the state now records the name "${emulator.store.getOrg(instanceId, orgId)!.name}" and the audit log off`;
  });
  await step(emulator, "4b. pulumi up: puts the declared values back", async () => {
    const up = await stack.up();
    const org = emulator.store.getOrg(instanceId, orgId)!;
    return `${changes(up.summary.resourceChanges)}; org is "${org.name}", auditLogEnabled ${org.auditLogEnabled}`;
  });
  await step(emulator, "5. pulumi destroy: deletes the org in Losant (use protect or retainOnDelete to prevent that)", async () => {
    const destroy = await stack.destroy();
    return `${changes(destroy.summary.resourceChanges)}; org exists: ${emulator.store.getOrg(instanceId, orgId) !== undefined}`;
  });
  await onboarding(emulator, instanceId, backendDir);
  say("\nDemo complete.");
}

/** Onboarding with examples/fleet: a new customer is created next to an existing one that is adopted. */
async function onboarding(emulator: Emulator, instanceId: string, backendDir: string): Promise<void> {
  const existing = emulator.store.createOrg(instanceId, { name: "Globex (already in Losant)" });
  const workDir = prepareProgram("fleet");
  const fleetFile = {
    instanceId,
    defaults: { auditLogEnabled: true, limits: { device: 1000 } },
    orgs: [
      { key: "globex", orgId: existing.id, name: "Globex" },
      { key: "initrode", name: "Initrode" },
    ],
  };
  fs.writeFileSync(path.join(workDir, "orgs.json"), JSON.stringify(fleetFile, null, 2));
  const stack = await createStack({
    workDir,
    backendDir,
    stackName: "onboarding",
    config: { "losant:apiUrl": emulator.url },
    secrets: { "losant:apiToken": TOKEN },
  });
  say(`\nOnboarding: examples/fleet with orgs.json holding Globex (orgId ${existing.id}: adopt) and Initrode (no orgId: create).`);
  await step(emulator, "6. pulumi up: adopt Globex (GET, PATCH) and create Initrode (one list request for its creation marker, then one POST)", async () => {
    const up = await stack.up();
    const ids = up.outputs.orgIds.value as Record<string, string>;
    const created = emulator.store.getOrg(instanceId, ids.initrode)!;
    return `${changes(up.summary.resourceChanges)}; Initrode created as ${ids.initrode} with device limit ${created.limits.device}, its only member the token's user (${created.members?.[0]?.role})`;
  });
  await step(emulator, "7. pulumi preview: both are as declared", async () => `changes: ${changes((await stack.preview()).changeSummary)}`);
  await step(emulator, "8. npx pulumi-losant-instance-org generate --instance ...: a fleet file for every org of the instance", async () => {
    // Asynchronously: the emulator answering it runs in this process.
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [path.join(workDir, "node_modules", "pulumi-losant-instance-org", "dist", "bin", "cli.js"), "generate", "--instance", instanceId],
        { env: { ...process.env, LOSANT_API_URL: emulator.url, LOSANT_API_TOKEN: TOKEN } },
        (error, out) => (error ? reject(error) : resolve(out)),
      ),
    );
    const generated = JSON.parse(stdout) as { orgs: Array<{ key: string; orgId: string }> };
    return `${generated.orgs.length} entries: ${generated.orgs.map((o) => `${o.key} (${o.orgId})`).join(", ")}`;
  });
  await step(emulator, "9. pulumi destroy: deletes both orgs", async () => changes((await stack.destroy()).summary.resourceChanges));
}

async function cleanup(): Promise<void> {
  while (cleanups.length > 0) await cleanups.pop()!();
}

process.on("SIGINT", () => {
  say("\nInterrupted: stopping the emulator.");
  void cleanup().then(() => process.exit(130));
});

main()
  .then(cleanup)
  .catch(async (error) => {
    process.stderr.write(`\nDemo failed: ${(error as Error).message}\n`);
    await cleanup();
    process.exit(1);
  });
