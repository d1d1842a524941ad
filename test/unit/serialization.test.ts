import path from "path";
import * as pulumi from "@pulumi/pulumi";
import { InstanceOrg } from "../../provider";
import { INSTANCE_ID, ORG_ID } from "../support/fixtures";

const SECRET = "serialization-test-token-31337";

test("__provider is small, portable and carries no token", async () => {
  process.env.LOSANT_API_TOKEN = SECRET;
  const captured: Record<string, unknown>[] = [];
  await pulumi.runtime.setMocks({
    newResource(args) {
      captured.push(args.inputs);
      return { id: ORG_ID, state: args.inputs };
    },
    call: () => ({}),
  });
  const org = new InstanceOrg("acme", { instanceId: INSTANCE_ID, orgId: ORG_ID, name: "Acme", limits: { device: 5 } });
  await new Promise<void>((resolve) => org.urn.apply(() => resolve()));

  expect(captured).toHaveLength(1);
  const serialized = captured[0].__provider as string;
  expect(typeof serialized).toBe("string");
  expect(Buffer.byteLength(serialized)).toBeLessThanOrEqual(8 * 1024);
  expect(serialized).not.toContain(SECRET);
  expect(serialized).not.toContain(path.resolve(__dirname, "../.."));
  expect(serialized).not.toMatch(/\bthis\.\w/);
  // Every method only forwards to the implementation loaded at run time.
  expect(serialized).toContain("require.resolve(`pulumi-losant-instance-org/${entry}`");
  console.log(`__provider: ${Buffer.byteLength(serialized)} bytes`);
});
