/**
 * `__provider`: the text Pulumi's dynamic-provider host runs (with `require-from-string`, in the
 * program's directory) to get the provider object. Each InstanceOrg writes its own (providerText.ts).
 */
import fs from "fs";
import os from "os";
import path from "path";
import * as pulumi from "@pulumi/pulumi";
import { InstanceOrg } from "../../provider";
import { CHECKOUT_PROVIDER_TEXT, INSTALLED_PROVIDER_TEXT, providerText } from "../../provider/program/providerText";
import { INSTANCE_ID, ORG_ID } from "../support/fixtures";

// The module Pulumi's host loads the text with (a dependency of @pulumi/pulumi).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const requireFromString = require(require.resolve("require-from-string", { paths: [require.resolve("@pulumi/pulumi")] })) as (code: string) => {
  handler: () => Record<string, unknown>;
};

const SECRET = "serialization-test-token-31337";
const REPO_ROOT = path.resolve(__dirname, "../..");
const METHODS = ["check", "diff", "create", "read", "update", "delete", "configure"];

/** Runs `text` as the host does, with `dir` as the working directory. */
function hostLoad(text: string, dir: string): Record<string, unknown> {
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    return requireFromString(text).handler();
  } finally {
    process.chdir(cwd);
  }
}

test("an org registers the short text, which carries no token, path or `this`", async () => {
  process.env.LOSANT_API_TOKEN = SECRET;
  const captured: Record<string, unknown>[] = [];
  await pulumi.runtime.setMocks({
    newResource(args) {
      captured.push({ type: args.type, ...args.inputs });
      return { id: ORG_ID, state: args.inputs };
    },
    call: () => ({}),
  });
  const org = new InstanceOrg("acme", { instanceId: INSTANCE_ID, orgId: ORG_ID, name: "Acme", limits: { device: 5 } });
  await new Promise<void>((resolve) => org.urn.apply(() => resolve()));

  expect(captured).toHaveLength(1);
  // The type Pulumi's dynamic.Resource registers, so the host runs it and earlier states keep matching.
  expect(captured[0].type).toBe("pulumi-nodejs:dynamic/losant:InstanceOrg");
  const serialized = captured[0].__provider as string;
  // Jest runs in this checkout, whose own root program is a Pulumi program too.
  expect(serialized).toBe(CHECKOUT_PROVIDER_TEXT);
  expect(serialized).not.toContain(SECRET);
  expect(serialized).not.toContain(REPO_ROOT);
  expect(serialized).not.toMatch(/\bthis\b/);
  console.log(`__provider: ${Buffer.byteLength(serialized)} bytes (installed: ${Buffer.byteLength(INSTALLED_PROVIDER_TEXT)})`);
});

test("in this checkout, the host gets the provider from the checkout text", () => {
  const provider = hostLoad(providerText(REPO_ROOT), REPO_ROOT);
  for (const method of METHODS) expect(typeof provider[method]).toBe("function");
});

test("in a program with the package installed, the host gets the provider from the installed text", () => {
  const program = fs.mkdtempSync(path.join(os.tmpdir(), "losant-provider-text-"));
  try {
    fs.writeFileSync(path.join(program, "package.json"), JSON.stringify({ name: "some-program" }));
    fs.mkdirSync(path.join(program, "node_modules"));
    fs.symlinkSync(REPO_ROOT, path.join(program, "node_modules", "pulumi-losant-instance-org"), "dir");
    expect(providerText(program)).toBe(INSTALLED_PROVIDER_TEXT);
    const provider = hostLoad(INSTALLED_PROVIDER_TEXT, program);
    for (const method of METHODS) expect(typeof provider[method]).toBe("function");
    // A directory without it: the host's require fails, naming the package.
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "losant-provider-text-"));
    expect(() => hostLoad(INSTALLED_PROVIDER_TEXT, empty)).toThrow(/pulumi-losant-instance-org\/dynamic/);
    fs.rmSync(empty, { recursive: true, force: true });
  } finally {
    fs.rmSync(program, { recursive: true, force: true });
  }
});
