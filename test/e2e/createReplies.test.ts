/**
 * Create through the real CLI whichever reply POST gives: API 1.31's 201 with the instance org, or
 * API 1.30's 200 with the `org` resource (no instanceId, tags, auditLogEnabled). The outputs carry
 * what the instance holds either way, the next preview is empty, and the requests are counted.
 */
import fs from "fs";
import path from "path";
import type { Emulator } from "../../emulator/server";
import type { EmulatorModes } from "../../emulator/modes";
import { prepareProgram } from "../../scripts/lib/workspace";
import { CREATION_MARKER_KEY } from "../../provider/shared/creationMarker";
import { INSTANCE_ID } from "../support/fixtures";
import { describeWithPulumi, emulatorStack, expectQuietPreview, startConfigOnlyEmulator } from "../support/e2eHarness";

jest.setTimeout(300_000);

let emulator: Emulator;
afterEach(() => emulator.close());

const cases: Array<{ postReply: EmulatorModes["postReply"]; status: number; getsPerCreate: number }> = [
  { postReply: "api1.31", status: 201, getsPerCreate: 0 },
  { postReply: "api1.30", status: 200, getsPerCreate: 1 },
];

describeWithPulumi("create through the real Pulumi CLI, by POST reply", () => {
  test.each(cases)("POST as API $postReply: outputs hold instanceId, auditLogEnabled and tags; preview empty", async ({ postReply, status, getsPerCreate }) => {
    emulator = await startConfigOnlyEmulator({ postReply });
    const workDir = prepareProgram("fleet");
    const fleetFile = {
      instanceId: INSTANCE_ID,
      orgs: [
        { key: "tagged", name: "Tagged", tags: [{ key: "tier", value: "gold" }] },
        { key: "plain", name: "Plain", auditLogEnabled: true },
      ],
    };
    fs.writeFileSync(path.join(workDir, "orgs.json"), JSON.stringify(fleetFile, null, 2));
    const stack = await emulatorStack(workDir, emulator);
    emulator.resetRequests();

    await stack.up();
    const posts = emulator.requests.filter((r) => r.method === "POST");
    expect(posts.map((r) => r.status)).toEqual([status, status]);
    const singleGets = emulator.requests.filter((r) => r.method === "GET" && !r.path.endsWith("/orgs"));
    expect(singleGets).toHaveLength(2 * getsPerCreate);
    // Besides: the marker lookups before each POST (list requests), and nothing else.
    expect(emulator.requests.filter((r) => r.method !== "GET" && r.method !== "POST")).toEqual([]);
    expect(emulator.requests).toHaveLength(2 + 2 * getsPerCreate + emulator.requests.filter((r) => r.path.endsWith("/orgs") && r.method === "GET").length);

    const exported = await stack.exportStack();
    const orgs = (exported.deployment.resources ?? []).filter((r: { type: string }) => r.type.endsWith("InstanceOrg"));
    expect(orgs).toHaveLength(2);
    for (const org of orgs as Array<{ outputs: Record<string, unknown> }>) {
      expect(org.outputs.instanceId).toBe(INSTANCE_ID);
      expect(typeof org.outputs.auditLogEnabled).toBe("boolean");
      expect(Array.isArray(org.outputs.tags)).toBe(true);
    }
    const byName = (name: string) => (orgs as Array<{ outputs: Record<string, unknown> }>).find((o) => o.outputs.name === name)!.outputs;
    // As the org holds them: the declared tag, and the creation marker (which no diff counts).
    expect(byName("Tagged").tags).toEqual([
      { key: "tier", value: "gold" },
      { key: CREATION_MARKER_KEY, value: "losant-org-fleet/dev/tagged" },
    ]);
    expect(byName("Plain").auditLogEnabled).toBe(true);

    // The fleet component, the stack and two orgs: all the same, and no request.
    await expectQuietPreview(stack, emulator, 4);
  });
});
