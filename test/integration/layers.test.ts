/**
 * The layer check in `npm run lint` (eslint.config.mjs): an import that points up or sideways fails,
 * one that points down passes. Each case lints a one-line file that exists only in memory, placed
 * where the case says, with the project's own ESLint config.
 */
import path from "path";
import { execFileSync } from "child_process";
import { REPO_ROOT } from "../../scripts/lib/workspace";

interface Case {
  file: string;
  code: string;
}

const LAYER_RULES = ["import-x/no-restricted-paths", "no-restricted-syntax", "layers/no-pulumi-words"];

/** Lints every case in one ESLint process (ESLint loads its ESM config, which jest's VM cannot import). */
function layerErrors(cases: Case[]): string[][] {
  const script = `
    import { ESLint } from "eslint";
    const cases = JSON.parse(process.argv[1]);
    const eslint = new ESLint({ cwd: process.cwd() });
    const out = [];
    for (const c of cases) {
      const [result] = await eslint.lintText(c.code, { filePath: c.file });
      out.push(result.messages.map((m) => ({ rule: m.ruleId, message: m.message })));
    }
    console.log(JSON.stringify(out));
  `;
  const stdout = execFileSync(
    process.execPath,
    ["--input-type=module", "-e", script, JSON.stringify(cases.map((c) => ({ ...c, file: path.join(REPO_ROOT, c.file) })))],
    {
      cwd: REPO_ROOT,
      encoding: "utf8",
    },
  );
  const results = JSON.parse(stdout) as Array<Array<{ rule: string | null; message: string }>>;
  return results.map((messages) => messages.filter((m) => m.rule !== null && LAYER_RULES.includes(m.rule)).map((m) => m.message));
}

// `export ... from` and side-effect imports keep the probes free of unused-variable findings.
const forbidden: Case[] = [
  { file: "losant/probe.ts", code: 'export { LosantClient } from "../client/losantClient";' },
  { file: "losant/probe.ts", code: 'export * from "../emulator/store";' },
  { file: "losant/probe.ts", code: 'export type { InstanceOrgArgs } from "../provider/program/resource";' },
  { file: "losant/probe.ts", code: 'import "../scripts/lib/workspace";' },
  { file: "losant/probe.ts", code: 'import "../test/support/fixtures";' },
  { file: "losant/probe.ts", code: 'import "../losant/../provider";' },
  { file: "losant/probe.ts", code: 'export type Lifecycle = typeof import("../provider/lifecycle");' },
  { file: "client/probe.ts", code: 'export { Emulator } from "../emulator/server";' },
  { file: "client/probe.ts", code: 'export * from "../provider";' },
  { file: "client/probe.ts", code: 'export const gate = require("../bench/run");' },
  { file: "emulator/probe.ts", code: 'export { LosantClient } from "../client/losantClient";' },
  { file: "emulator/probe.ts", code: 'import provider = require("../provider/providerObject"); export { provider };' },
  { file: "emulator/probe.ts", code: 'import "../test/support/emulatorHarness";' },
  { file: "provider/probe.ts", code: 'import "../emulator/server";' },
  { file: "provider/probe.ts", code: 'import "../test/support/fixtures";' },
  { file: "provider/probe.ts", code: 'import "../bench/run";' },
  { file: "provider/probe.ts", code: 'import "../scripts/lib/workspace";' },
  { file: "newfolder/probe.ts", code: 'import "../provider/lifecycle";' },
  { file: "provider/program/probe.ts", code: 'import "../server/outputs";' },
  { file: "provider/server/probe.ts", code: 'import "../program/resource";' },
  { file: "provider/shared/probe.ts", code: 'import "../server/plan";' },
  { file: "provider/shared/probe.ts", code: 'import "../program/fleetSpec";' },
  { file: "losant/probe.ts", code: 'import type * as pulumi from "@pulumi/pulumi"; export type Input = pulumi.Input<string>;' },
  { file: "client/probe.ts", code: 'export { dynamic } from "@pulumi/pulumi";' },
  { file: "client/probe.ts", code: 'export const pulumi = require("@pulumi/pulumi");' },
  { file: "emulator/probe.ts", code: 'import pulumi = require("@pulumi/pulumi"); export { pulumi };' },
  { file: "emulator/probe.ts", code: 'export type Output = typeof import("@pulumi/pulumi").Output;' },
  // No Pulumi notion below provider/, in strings and comments too.
  { file: "client/probe.ts", code: 'export const advice = "Run `pulumi refresh` to drop it";' },
  { file: "client/probe.ts", code: "// The org was kept in the state.\nexport {};" },
  { file: "client/probe.ts", code: 'export const hint = "raise losant:retryTimeoutSeconds";' },
  { file: "client/probe.ts", code: "/** Every org in a stack. */\nexport {};" },
  { file: "client/probe.ts", code: "// About --parallel reads are outstanding.\nexport {};" },
  { file: "client/probe.ts", code: "// The engine sends reads one by one.\nexport {};" },
  { file: "losant/probe.ts", code: "// A preview sends nothing.\nexport {};" },
  { file: "losant/probe.ts", code: "/** What destroy sends. */\nexport {};" },
];

const allowed: Case[] = [
  { file: "losant/probe.ts", code: 'export * from "./types";' },
  { file: "client/probe.ts", code: 'export * from "../losant/types";' },
  { file: "emulator/probe.ts", code: 'export * from "../losant/scopes";' },
  { file: "provider/probe.ts", code: 'export * from "../client/errors";' },
  { file: "provider/probe.ts", code: 'export * from "./lifecycle";' },
  { file: "provider/probe.ts", code: 'export type Lifecycle = typeof import("./lifecycle");' },
  { file: "provider/program/probe.ts", code: 'import "../shared/check"; import "../providerObject";' },
  { file: "provider/server/probe.ts", code: 'import "../shared/settings"; import "../../client/errors";' },
  { file: "provider/shared/probe.ts", code: 'import type * as pulumi from "@pulumi/pulumi"; export type Input = pulumi.Input<string>;' },
  { file: "provider/program/probe.ts", code: 'export { dynamic } from "@pulumi/pulumi";' },
  { file: "index.ts", code: 'export * from "./provider";' },
  { file: "scripts/probe.ts", code: 'import "../provider/lifecycle"; import "../emulator/server"; import "../client/losantClient";' },
  { file: "bench/probe.ts", code: 'import "../provider"; import "../scripts/lib/workspace";' },
  { file: "test/unit/probe.ts", code: 'import "../../provider/lifecycle"; import "../../bench/run";' },
  { file: "examples/basic/probe.ts", code: 'import "../../provider";' },
  { file: "client/probe.ts", code: 'export const BRAND = Symbol.for("pulumi-losant-instance-org.LosantError");' },
  { file: "client/probe.ts", code: 'export const said = "GET /instances/1/orgs failed: HTTP 429 (the rate-limit retry budget of 3 s ran out)";' },
  { file: "provider/server/probe.ts", code: 'export const advice = "Run `pulumi refresh` to drop it from the state";' },
];

jest.setTimeout(60_000);

test("an import that points up or sideways across the layers fails the lint", () => {
  const errors = layerErrors(forbidden);
  const passed = forbidden.filter((_, i) => errors[i].length === 0).map((c) => `${c.file}: ${c.code}`);
  expect(passed).toEqual([]);
});

test("an import that points down the layers passes the lint", () => {
  const errors = layerErrors(allowed);
  const failed = allowed.flatMap((c, i) => errors[i].map((message) => `${c.file}: ${c.code} -> ${message}`));
  expect(failed).toEqual([]);
});
