/**
 * The whole InstanceOrg lifecycle through the real Pulumi CLI (Automation API, file backend in a
 * temp dir) against the emulator, asserting the HTTP requests the emulator saw at each step.
 */
import fs from "fs";
import path from "path";
import type { Stack } from "@pulumi/pulumi/automation";
import { Emulator } from "../../emulator/server";
import { DEFAULT_INSTANCE_LIMITS } from "../../emulator/store";
import { limitsFromState } from "../../provider/shared/storedLimits";
import { INSTANCE_ORG_TYPE } from "../../provider/program/resourceType";
import { createStack, prepareProgram, REPO_ROOT } from "../../scripts/lib/workspace";
import { INSTANCE_ID, ORG_ID, OTHER_ORG_ID } from "../support/fixtures";
import { orgPath, requestLines, startSeededEmulator, TOKEN } from "../support/emulatorHarness";
import {
  describeWithPulumi,
  exportWithSecrets,
  expectFailure,
  instanceOrgCount,
  rawBackendFiles,
  resourcesContaining,
  serializedProviders,
  tempDir,
} from "../support/e2eHarness";

jest.setTimeout(120_000);

let emulator: Emulator;
let backendDir: string;
let workDir: string;

async function rootStack(config: Record<string, string> = {}, options: { secretToken?: boolean; env?: Record<string, string> } = {}): Promise<Stack> {
  return createStack({
    workDir,
    backendDir,
    config: { instanceId: INSTANCE_ID, orgId: ORG_ID, "losant:apiUrl": emulator.url, ...config },
    secrets: options.secretToken === false ? {} : { "losant:apiToken": TOKEN },
    env: options.env,
  });
}

const limitsConfig = (limits: Record<string, number>) => JSON.stringify(limits);
const listLine = () => `GET /instances/${INSTANCE_ID}/orgs?query=${encodeURIComponent(JSON.stringify({ id: ORG_ID }))}&perPage=1`;

describeWithPulumi("InstanceOrg through the real Pulumi CLI", () => {
  beforeAll(() => {
    workDir = prepareProgram("root");
  });

  beforeEach(async () => {
    emulator = await startSeededEmulator();
    // The token reaches the provider only through stack config (or the env a test passes).
    delete process.env.LOSANT_API_TOKEN;
    delete process.env.LOSANT_API_URL;
    backendDir = tempDir("losant-backend-");
    for (const f of fs.readdirSync(workDir)) if (/^Pulumi\..+\.yaml$/.test(f)) fs.rmSync(path.join(workDir, f));
  });
  afterEach(() => emulator.close());

  test("1-2. up adopts with one GET and one PATCH of the declared values; then preview and refresh are clean", async () => {
    const stack = await rootStack({ name: "Acme Corp", auditLogEnabled: "true", limits: limitsConfig({ device: 500 }) });
    const up = await stack.up();
    expect(up.summary.resourceChanges).toEqual({ create: 2 });
    expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`, `PATCH ${orgPath()}`]);
    expect(emulator.requests[1].body).toEqual({ name: "Acme Corp", auditLogEnabled: true, limits: { ...DEFAULT_INSTANCE_LIMITS, device: 500 } });
    expect(up.outputs.name.value).toBe("Acme Corp");
    expect(up.outputs.limits.value).toEqual({ ...DEFAULT_INSTANCE_LIMITS, device: 500 });
    // State keeps the limits as one string (storedLimits.ts); the program above read them as the object.
    const { deployment } = await stack.exportStack();
    const entry = (deployment.resources as Array<{ type: string; outputs: Record<string, unknown> }>).find((r) => r.type === INSTANCE_ORG_TYPE)!;
    expect(typeof entry.outputs.limits).toBe("string");
    expect(limitsFromState(entry.outputs.limits)).toEqual(up.outputs.limits.value);

    emulator.resetRequests();
    const preview = await stack.preview();
    expect(preview.changeSummary).toEqual({ same: 2 });
    expect(emulator.requests).toEqual([]);

    const refresh = await stack.refresh({ expectNoChanges: true });
    expect(refresh.summary.result).toBe("succeeded");
    expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`]);
  });

  test("3. changing name, a limit and auditLogEnabled is one up with the exact PATCH; undeclared limits untouched", async () => {
    const stack = await rootStack({ name: "Acme", auditLogEnabled: "false", limits: limitsConfig({ device: 100 }) });
    await stack.up();
    // An undeclared limit someone set by hand must survive the update.
    const limitsBefore = { ...emulator.store.getOrg(INSTANCE_ID, ORG_ID)!.limits, flow: 77 };
    emulator.store.patchOrg(INSTANCE_ID, ORG_ID, { limits: limitsBefore });
    emulator.resetRequests();

    await stack.setAllConfig({ name: { value: "Acme 2" }, auditLogEnabled: { value: "true" }, limits: { value: limitsConfig({ device: 250 }) } });
    const up = await stack.up();
    expect(up.summary.resourceChanges).toEqual({ same: 1, update: 1 });
    expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`, `PATCH ${orgPath()}`]);
    expect(emulator.requests[1].body).toEqual({ name: "Acme 2", auditLogEnabled: true, limits: { ...limitsBefore, device: 250 } });
    const after = emulator.store.getOrg(INSTANCE_ID, ORG_ID)!;
    expect(after.limits).toEqual({ ...limitsBefore, device: 250 });

    emulator.resetRequests();
    expect((await stack.preview()).changeSummary).toEqual({ same: 2 });
    expect(emulator.requests).toEqual([]);
  });

  test("4. an out-of-band change is found by refresh and undone by the next up", async () => {
    const stack = await rootStack({ name: "Acme", auditLogEnabled: "true" });
    await stack.up();
    emulator.store.patchOrg(INSTANCE_ID, ORG_ID, { name: "Renamed by hand", auditLogEnabled: false });
    emulator.resetRequests();

    const refresh = await stack.refresh();
    expect(refresh.summary.resourceChanges).toMatchObject({ update: 1 });
    expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`]);
    emulator.resetRequests();

    const preview = await stack.preview();
    expect(preview.changeSummary).toMatchObject({ update: 1 });
    const up = await stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
    expect(requestLines(emulator.requests)).toEqual([`PATCH ${orgPath()}`]);
    expect(emulator.requests[0].body).toEqual({ name: "Acme", auditLogEnabled: true });
    expect(emulator.store.getOrg(INSTANCE_ID, ORG_ID)).toMatchObject({ name: "Acme", auditLogEnabled: true });
  });

  test("5. an org deleted out of band: refresh drops it; the next up fails saying the org does not exist", async () => {
    const stack = await rootStack({ name: "Acme" });
    await stack.up();
    emulator.store.deleteOrg(INSTANCE_ID, ORG_ID);
    emulator.resetRequests();

    const refresh = await stack.refresh();
    expect(refresh.summary.resourceChanges).toMatchObject({ delete: 1 });
    expect(await instanceOrgCount(stack)).toBe(0);
    // The 404 counts only once the instance's org list, filtered to the org, comes back without it.
    expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`, listLine()]);

    const message = await expectFailure(() => stack.up());
    expect(message).toContain(`Losant org ${ORG_ID} does not exist in instance ${INSTANCE_ID}`);
    expect(message).toContain("manages orgs that already exist");
  });

  test("6. destroy sends one DELETE; destroying an org already deleted out of band succeeds", async () => {
    const stack = await rootStack({ name: "Acme" });
    await stack.up();
    emulator.resetRequests();
    const destroy = await stack.destroy();
    expect(destroy.summary.resourceChanges).toEqual({ delete: 2 });
    expect(requestLines(emulator.requests)).toEqual([`DELETE ${orgPath()}`]);
    expect(emulator.store.getOrg(INSTANCE_ID, ORG_ID)).toBeUndefined();

    emulator.store.createOrg(INSTANCE_ID, { name: "Again" }, ORG_ID);
    await stack.up();
    emulator.store.deleteOrg(INSTANCE_ID, ORG_ID);
    emulator.resetRequests();
    const second = await stack.destroy();
    expect(second.summary.result).toBe("succeeded");
    expect(requestLines(emulator.requests)).toEqual([`DELETE ${orgPath()}`, listLine()]);
  });

  test.each([
    ["a negative limit", { limits: limitsConfig({ device: -1 }) }, "limits.device"],
    ["a 10-character orgId", { orgId: "0123456789" }, "orgId"],
    ["an unknown mfaMode", { mfaMode: "always" }, "mfaMode"],
  ])("7. bad input (%s): preview fails naming the property, no request sent", async (_what, config, property) => {
    const stack = await rootStack(config);
    const message = await expectFailure(() => stack.preview());
    expect(message).toContain(property);
    expect(emulator.requests).toEqual([]);
  });

  test("8. changing orgId previews as a replace", async () => {
    emulator.store.createOrg(INSTANCE_ID, { name: "Other" }, OTHER_ORG_ID);
    const stack = await rootStack({ name: "Acme" });
    await stack.up();
    await stack.setConfig("orgId", { value: OTHER_ORG_ID });
    emulator.resetRequests();
    const preview = await stack.preview({ diff: true });
    expect(preview.changeSummary).toMatchObject({ replace: 1 });
    expect(preview.stdout).toMatch(/orgId/);
    expect(emulator.requests).toEqual([]);
  });

  test.each([
    ["secret config", { secretToken: true }],
    ["env only", { secretToken: false, env: { LOSANT_API_TOKEN: TOKEN } }],
  ] as Array<[string, { secretToken: boolean; env?: Record<string, string> }]>)(
    "9. token given as %s works; state holds neither token nor checkout path; __provider <= 8 KiB",
    async (how, options) => {
      const stack = await rootStack({ name: "Acme" }, options);
      await stack.up();
      expect(emulator.requests.map((r) => r.status)).toEqual([200]);
      const exported = exportWithSecrets(workDir, backendDir);
      const onDisk = rawBackendFiles(backendDir);
      expect(onDisk).not.toContain(TOKEN);
      for (const text of [exported, onDisk]) {
        expect(text).not.toContain(workDir);
        expect(text).not.toContain(REPO_ROOT);
      }
      // Pulumi hands every dynamic provider the whole stack config and records it, encrypted, as the
      // inputs of its default `pulumi-nodejs` provider; `--show-secrets` decrypts exactly that copy.
      // Nothing of ours may hold the token: every other resource, and all of it in env-only mode.
      const leaks = resourcesContaining(exported, TOKEN);
      expect(leaks).toEqual(how === "secret config" ? ["pulumi:providers:pulumi-nodejs"] : []);
      if (how === "env only") expect(exported).not.toContain(TOKEN);
      const providers = serializedProviders(exported);
      expect(providers).toHaveLength(1);
      expect(Buffer.byteLength(providers[0])).toBeLessThanOrEqual(8192);
    },
  );

  test("10. a stack made from one checkout is refreshed, updated and destroyed from a copy at another path", async () => {
    const stack = await rootStack({ name: "Acme" });
    await stack.up();
    const moved = prepareProgram("root");
    fs.copyFileSync(path.join(workDir, "Pulumi.dev.yaml"), path.join(moved, "Pulumi.dev.yaml"));
    // The first copy disappears entirely, so nothing can still load from it.
    const parked = `${workDir}-parked`;
    fs.renameSync(workDir, parked);
    try {
      const movedStack = await createStack({ workDir: moved, backendDir });
      emulator.resetRequests();
      expect((await movedStack.refresh({ expectNoChanges: true })).summary.result).toBe("succeeded");
      await movedStack.setConfig("name", { value: "Moved" });
      await movedStack.up();
      expect(emulator.store.getOrg(INSTANCE_ID, ORG_ID)!.name).toBe("Moved");
      await movedStack.destroy();
      expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`, `PATCH ${orgPath()}`, `DELETE ${orgPath()}`]);
    } finally {
      fs.renameSync(parked, workDir);
    }
  });
});
