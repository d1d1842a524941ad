/**
 * Onboarding through the real CLI: a fleet file that mixes new orgs (created by POST) and existing
 * ones (adopted), the move of examples/fleet into InstanceOrgFleet without replacing anything, and
 * read-only lookups.
 */
import fs from "fs";
import path from "path";
import { Emulator } from "../../emulator/server";
import { seedFleet } from "../../emulator/seed";
import { prepareProgram } from "../../scripts/lib/workspace";
import { CREATION_MARKER_KEY } from "../../provider/shared/creationMarker";
import { INSTANCE_ID, ORG_ID } from "../support/fixtures";
import { describeWithPulumi, emulatorStack, expectQuietPreview, startConfigOnlyEmulator, tempDir, timingLog } from "../support/e2eHarness";

jest.setTimeout(300_000);

let emulator: Emulator;
beforeEach(async () => void (emulator = await startConfigOnlyEmulator()));
afterEach(() => emulator.close());

const timed = timingLog("onboarding e2e");

const methods = () => emulator.requests.map((r) => r.method);
const count = (method: string) => methods().filter((m) => m === method).length;
const orgsNamed = (name: string) => emulator.store.listOrgs(INSTANCE_ID).filter((org) => org.name === name);

describeWithPulumi("onboarding through the real Pulumi CLI", () => {
  test("a fleet file mixing new and existing orgs: up creates and adopts, preview empty, rename = 1 PATCH, removing a created org deletes it, destroy deletes the rest", async () => {
    const existing = seedFleet(emulator, 2, INSTANCE_ID).orgIds;
    const workDir = prepareProgram("fleet");
    const fleetFile = {
      instanceId: INSTANCE_ID,
      defaults: { auditLogEnabled: true, limits: { device: 1000, member: 50 } },
      orgs: [
        { key: "old-1", orgId: existing[0], name: "Old One" },
        { key: "old-2", orgId: existing[1], name: "Old Two", limits: { device: 5000 } },
        { key: "new-1", name: "New One", mfaMode: "adminRequired" },
        { key: "new-2", name: "New Two", tags: [{ key: "tier", value: "gold" }] },
      ],
    };
    const write = () => fs.writeFileSync(path.join(workDir, "orgs.json"), JSON.stringify(fleetFile, null, 2));
    write();
    const stack = await emulatorStack(workDir, emulator);
    emulator.resetRequests();

    const up = await timed("up (2 adopted, 2 created)", () => stack.up());
    // The stack, the fleet component and four orgs.
    expect(up.summary.resourceChanges).toEqual({ create: 6 });
    expect(count("POST")).toBe(2);
    for (const name of ["New One", "New Two"]) expect(orgsNamed(name)).toHaveLength(1);
    const created = orgsNamed("New One")[0];
    expect(created).toMatchObject({ auditLogEnabled: true, mfaMode: "adminRequired" });
    expect(created.limits).toMatchObject({ device: 1000, member: 50 });
    expect(created.tags).toEqual([{ key: CREATION_MARKER_KEY, value: "losant-org-fleet/dev/new-1" }]);
    expect(emulator.store.getOrg(INSTANCE_ID, existing[1])!.limits.device).toBe(5000);
    const ids = up.outputs.orgIds.value as Record<string, string>;
    expect(ids["new-1"]).toBe(created.id);
    expect(ids["old-1"]).toBe(existing[0]);

    await timed("preview", () => expectQuietPreview(stack, emulator, 6));

    fleetFile.orgs[2].name = "New One Renamed";
    write();
    emulator.resetRequests();
    const rename = await timed("up renaming a created org", () => stack.up());
    expect(rename.summary.resourceChanges).toEqual({ same: 5, update: 1 });
    expect(methods()).toEqual(["PATCH"]);
    expect(emulator.requests[0].body).toEqual({ name: "New One Renamed" });

    fleetFile.orgs = fleetFile.orgs.filter((org) => org.key !== "new-2");
    write();
    emulator.resetRequests();
    const removal = await timed("up removing a created org", () => stack.up());
    expect(removal.summary.resourceChanges).toEqual({ same: 5, delete: 1 });
    expect(methods()).toEqual(["DELETE"]);
    expect(orgsNamed("New Two")).toHaveLength(0);

    emulator.resetRequests();
    await timed("destroy", () => stack.destroy());
    expect(count("DELETE")).toBe(3);
    expect(emulator.store.listOrgs(INSTANCE_ID).map((org) => org.id)).toEqual([ORG_ID]);
  });

  test("a stack made by the old examples/fleet (top-level orgs) moves to InstanceOrgFleet without replacing or changing any org", async () => {
    const existing = seedFleet(emulator, 3, INSTANCE_ID).orgIds;
    const oldDir = prepareProgram({ dir: "test/e2e/programs/fleet-top-level" });
    const fleetFile = {
      instanceId: INSTANCE_ID,
      defaults: { auditLogEnabled: true, mfaMode: "adminRequired", limits: { device: 1000 } },
      orgs: existing.map((orgId, i) => ({ key: `customer-${i + 1}`, orgId, name: `Customer ${i + 1}` })),
    };
    fs.writeFileSync(path.join(oldDir, "orgs.json"), JSON.stringify(fleetFile));
    const backendDir = tempDir("losant-backend-");
    const oldStack = await emulatorStack(oldDir, emulator, { backendDir });
    expect((await oldStack.up()).summary.resourceChanges).toEqual({ create: 4 });

    // The same project and stack, now with the current example.
    const newDir = prepareProgram("fleet");
    fs.writeFileSync(path.join(newDir, "orgs.json"), JSON.stringify(fleetFile));
    const newStack = await emulatorStack(newDir, emulator, { backendDir });
    emulator.resetRequests();
    const moved = await timed("up after the move to InstanceOrgFleet (3 orgs)", () => newStack.up());
    expect(moved.summary.resourceChanges).toEqual({ same: 4, create: 1 });
    expect(emulator.requests).toEqual([]);
    expect((await newStack.preview()).changeSummary).toEqual({ same: 5 });
  });

  test("InstanceOrg.get reads an org the program does not manage, and getInstanceOrgs lists orgs; destroy leaves both alone", async () => {
    emulator.store.createOrg(INSTANCE_ID, { name: "Acme Two" });
    emulator.store.createOrg(INSTANCE_ID, { name: "Globex" });
    const workDir = prepareProgram({ dir: "test/e2e/programs/lookup" });
    const stack = await emulatorStack(workDir, emulator, { config: { instanceId: INSTANCE_ID, otherOrgId: ORG_ID } });
    emulator.resetRequests();
    const up = await timed("up of a program with InstanceOrg.get and getInstanceOrgs", () => stack.up());
    expect(up.outputs.otherName.value).toBe("Acme");
    expect(up.outputs.otherDeviceLimit.value).toBe(100);
    expect(up.outputs.listedNames.value).toEqual(["Acme", "Acme Two"]);
    // A read is not counted among the changes: only the stack is created.
    expect(up.summary.resourceChanges).toEqual({ create: 1 });
    expect(methods().every((m) => m === "GET")).toBe(true);
    await stack.destroy();
    expect(emulator.store.listOrgs(INSTANCE_ID)).toHaveLength(3);
    expect(methods().filter((m) => m !== "GET")).toEqual([]);
  });
});
