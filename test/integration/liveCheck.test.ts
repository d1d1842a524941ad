/**
 * `npm run test:live` (dist/scripts/live/run.js) pointed at the emulator, as a user with a real
 * instance would point it at Losant: it must pass in every emulator mode, leave no scratch org
 * behind even when a step fails, and skip with one line when not configured.
 */
import path from "path";
import { spawn } from "child_process";
import { Emulator, startEmulator } from "../../emulator/server";
import { EmulatorModes, MODE_MATRIX } from "../../emulator/modes";
import { FaultRule } from "../../emulator/faults";
import { INSTANCE_ID, ORG_ID } from "../support/fixtures";

const SCRIPT = path.resolve(__dirname, "../../dist/scripts/live/run.js");
const TOKEN = "live-check-token-93be1f";
const SCRATCH = "pulumi-losant-instance-org live check";

interface Run {
  code: number | null;
  lines: string[];
}

/** Runs the script with exactly these variables (plus PATH), so a CI variable of the runner does not leak in. */
function runScript(vars: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT], { env: { PATH: process.env.PATH ?? "", ...vars } });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, lines: out.trimEnd().split("\n") }));
  });
}

let emulator: Emulator;

async function start(modes: Partial<EmulatorModes> = {}): Promise<void> {
  // The token reaches only the check's instance, as a scoped token would on a real Losant.
  emulator = await startEmulator({ modes, tokens: { [TOKEN]: { scopes: ["all.Instance"], instances: [INSTANCE_ID] } } });
  emulator.store.addInstance(INSTANCE_ID);
  emulator.store.createOrg(INSTANCE_ID, { name: "Bystander", limits: { device: 3 } }, ORG_ID);
}

const liveVars = () => ({ LOSANT_API_TOKEN: TOKEN, LOSANT_API_URL: emulator.url, LOSANT_LIVE_INSTANCE_ID: INSTANCE_ID });
const scratchOrgs = () => emulator.store.listOrgs(INSTANCE_ID).filter((org) => org.name.startsWith(SCRATCH));

afterEach(() => emulator?.close());

describe.each(MODE_MATRIX)("against the emulator in mode $name", ({ modes }) => {
  test("passes every step, and leaves no scratch org and the other org as it was", async () => {
    await start(modes);
    const bystander = emulator.store.getOrg(INSTANCE_ID, ORG_ID);
    const run = await runScript(liveVars());
    expect(run.lines.filter((l) => l.startsWith("  ok  ")).map((l) => l.replace(/ \(\d+ ms\)$/, "").trim())).toEqual([
      "ok  create the scratch org with a direct POST",
      "ok  adopt it (provider create)",
      expect.stringMatching(/^ok {2}update a setting and a limit/),
      "ok  refresh (provider read) finds the values and no change to make",
      "ok  destroy (provider delete) removes the org",
    ]);
    expect(run.lines.at(-1)).toMatch(/^live check passed in \d+\.\d s$/);
    expect(run.code).toBe(0);
    expect(scratchOrgs()).toEqual([]);
    expect(emulator.store.getOrg(INSTANCE_ID, ORG_ID)).toEqual(bystander);
    const methods = new Set(emulator.requests.map((r) => r.method));
    expect([...methods].sort()).toEqual(["DELETE", "GET", "PATCH", "POST"]);
    expect(run.lines.join("\n")).not.toContain(TOKEN);
  });
});

describe("when a step fails", () => {
  test.each([
    ["every PATCH is refused", { kind: "status", status: 400, method: "PATCH" }, /live check FAILED: .*HTTP 400/],
    ["the POST's answer is lost (the org is made, the reply never arrives)", { kind: "applyThenReset", method: "POST", times: 1 }, /live check FAILED/],
  ] as Array<[string, FaultRule, RegExp]>)("%s: exit 1, and the scratch org is removed", async (_what, rule, failure) => {
    await start();
    emulator.faults.configure({ rules: [rule] });
    const run = await runScript(liveVars());
    expect(run.code).toBe(1);
    expect(run.lines.at(-1)).toMatch(failure);
    expect(run.lines).toContainEqual(expect.stringMatching(/^ {2}cleanup: removed scratch org [0-9a-f]{24}$/));
    expect(scratchOrgs()).toEqual([]);
    expect(emulator.store.getOrg(INSTANCE_ID, ORG_ID)?.name).toBe("Bystander");
  });
});

describe("when not configured", () => {
  test("without the variables: one line saying why, exit 0, no request", async () => {
    await start();
    const run = await runScript({});
    expect(run).toEqual({ code: 0, lines: [expect.stringMatching(/^test:live skipped: .*LOSANT_API_TOKEN, LOSANT_API_URL, LOSANT_LIVE_INSTANCE_ID/)] });
    expect(emulator.requests).toEqual([]);
  });

  test("in CI, even with the variables: skipped", async () => {
    await start();
    const run = await runScript({ ...liveVars(), CI: "true" });
    expect(run).toEqual({ code: 0, lines: ["test:live skipped: CI is set, and the live check never runs in CI."] });
    expect(emulator.requests).toEqual([]);
  });
});
