/**
 * Through the real Pulumi CLI against an emulator whose replies carry Losant's hypermedia fields
 * (`_type`, `_links`): after adopt, update and refresh, no `_`-prefixed field is in the state,
 * besides the `__provider` that Pulumi's dynamic providers keep there themselves.
 */
import fs from "fs";
import path from "path";
import fetch from "node-fetch";
import { Emulator } from "../../emulator/server";
import { prepareProgram } from "../../scripts/lib/workspace";
import { INSTANCE_ID, ORG_ID } from "../support/fixtures";
import { orgPath, TOKEN } from "../support/emulatorHarness";
import { describeWithPulumi, emulatorStack, exportWithSecrets, startConfigOnlyEmulator, tempDir } from "../support/e2eHarness";

jest.setTimeout(120_000);

/** Paths of every key at any depth that starts with "_", except Pulumi's own `__provider`. */
function underscoreKeys(value: unknown, at = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => underscoreKeys(item, `${at}[${i}]`));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => [
    ...(key.startsWith("_") && key !== "__provider" ? [`${at}.${key}`] : []),
    ...underscoreKeys(item, `${at}.${key}`),
  ]);
}

function instanceOrgState(workDir: string, backendDir: string): Array<{ inputs?: unknown; outputs?: unknown }> {
  const exported = JSON.parse(exportWithSecrets(workDir, backendDir)) as {
    deployment: { resources?: Array<{ type: string; inputs?: unknown; outputs?: unknown }> };
  };
  return (exported.deployment.resources ?? []).filter((r) => r.type.endsWith("InstanceOrg"));
}

describeWithPulumi("hypermedia replies never reach the state", () => {
  let emulator: Emulator;
  afterAll(() => emulator?.close());

  test("adopt, update and refresh leave no `_` field in any InstanceOrg's inputs or outputs", async () => {
    emulator = await startConfigOnlyEmulator({ hypermedia: true });
    // Not vacuous: the emulator does send hypermedia.
    const reply = (await (await fetch(`${emulator.url}${orgPath()}`, { headers: { Authorization: `Bearer ${TOKEN}` } })).json()) as Record<string, unknown>;
    expect(Object.keys(reply)).toEqual(expect.arrayContaining(["_type", "_links"]));

    const workDir = prepareProgram("root");
    for (const f of fs.readdirSync(workDir)) if (/^Pulumi\..+\.yaml$/.test(f)) fs.rmSync(path.join(workDir, f));
    const backendDir = tempDir("losant-hypermedia-");
    const stack = await emulatorStack(workDir, emulator, {
      backendDir,
      config: { instanceId: INSTANCE_ID, orgId: ORG_ID, name: "Acme", tags: JSON.stringify([{ key: "tier", value: "gold" }]) },
    });

    await stack.up();
    const afterAdopt = instanceOrgState(workDir, backendDir);
    await stack.setConfig("name", { value: "Acme 2" });
    await stack.up();
    const afterUpdate = instanceOrgState(workDir, backendDir);
    await stack.refresh({ expectNoChanges: true });
    const afterRefresh = instanceOrgState(workDir, backendDir);

    for (const state of [afterAdopt, afterUpdate, afterRefresh]) {
      expect(state).toHaveLength(1);
      expect(underscoreKeys(state)).toEqual([]);
    }
    expect((afterRefresh[0].outputs as { name: string }).name).toBe("Acme 2");
  });
});
