/**
 * The read a limits update needs, started at `diff` (provider/updateReadAhead.ts), over real HTTP:
 * only in a process that applies changes, used by the update when in flight or fresh, read again
 * when older than one batch window, and never for a diff that needs no read.
 */
import type { Emulator } from "../../emulator/server";
import { DEFAULT_INSTANCE_LIMITS } from "../../emulator/store";
import { FRESH_FOR_MS } from "../../provider/updateReadAhead";
import { limitsFromState } from "../../provider/storedLimits";
import { INSTANCE_ID, ORG_ID, OTHER_ORG_ID } from "../support/fixtures";
import { orgPath, requestLines, startSeededEmulator } from "../support/emulatorHarness";

type Lifecycle = typeof import("../../provider/lifecycle");

let emulator: Emulator;
const ids = { instanceId: INSTANCE_ID, orgId: ORG_ID };
const declared = { ...ids, name: "Acme", limits: { device: 10 } };
const noConfig = { config: { get: () => undefined, require: () => "" } };
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A provider as a new dynamic-provider process has it: nothing applied yet. */
async function freshProcess(): Promise<Lifecycle> {
  let lifecycle: Lifecycle | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh module instance is a fresh process
    lifecycle = require("../../provider/lifecycle") as Lifecycle;
  });
  await lifecycle!.configure(noConfig as never);
  return lifecycle!;
}

/** The org adopted with `declared` in a process of its own; its state, and no request recorded. */
async function adoptedState(): Promise<Record<string, unknown>> {
  const state = (await (await freshProcess()).create(declared)).outs as Record<string, unknown>;
  emulator.resetRequests();
  return state;
}

/** How long the emulator takes to answer here: more than one batch window, as a WAN round trip does. */
const LATENCY_MS = 30;

/**
 * A process that has applied a change already, as an `up` is after its first steps: it adopted
 * another org, then diffed and updated its limits at once, so it has timed an update's read and
 * the engine's wait between diff and update.
 */
async function applyingProcess(): Promise<Lifecycle> {
  const lifecycle = await freshProcess();
  const other = { ...ids, orgId: OTHER_ORG_ID, name: "Other", limits: { device: 10 } };
  const state = (await lifecycle.create(other)).outs;
  const changed = { ...other, limits: { device: 11 } };
  await lifecycle.diff(OTHER_ORG_ID, state, changed);
  await lifecycle.update(OTHER_ORG_ID, state as never, changed);
  emulator.resetRequests();
  return lifecycle;
}

beforeEach(async () => {
  emulator = await startSeededEmulator();
  emulator.store.createOrg(INSTANCE_ID, { name: "Other" }, OTHER_ORG_ID);
  emulator.faults.configure({ latencyMs: LATENCY_MS });
});
afterEach(() => emulator.close());

test("a process that has created or updated nothing (a preview) diffs a limits change with no request", async () => {
  const state = await adoptedState();
  const preview = await freshProcess();
  expect((await preview.diff(ORG_ID, state, { ...declared, limits: { device: 20 } })).changes).toBe(true);
  await pause(50);
  expect(emulator.requests).toEqual([]);
});

test("once the process applies changes, a limits diff starts the read and the update uses it: one GET, one PATCH", async () => {
  const state = await adoptedState();
  const up = await applyingProcess();
  // The read answers 150 ms late, so it is still in flight when the engine calls update.
  emulator.faults.configure({ rules: [{ kind: "delay", delayMs: 150, method: "GET" }] });
  const news = { ...declared, limits: { device: 20 } };
  expect((await up.diff(ORG_ID, state, news)).changes).toBe(true);
  await pause(LATENCY_MS + 20);
  // Sent before update was called: the diff started it.
  expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`]);
  const result = await up.update(ORG_ID, state as never, news);
  expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`, `PATCH ${orgPath()}`]);
  expect(emulator.requests[1].body).toEqual({ limits: { ...DEFAULT_INSTANCE_LIMITS, device: 20 } });
  expect(limitsFromState(result.outs.limits).device).toBe(20);
});

test(`a read answered more than ${FRESH_FOR_MS} ms before the update is read again, so the PATCH keeps a limit changed meanwhile`, async () => {
  const state = await adoptedState();
  const up = await applyingProcess();
  const news = { ...declared, limits: { device: 20 } };
  await up.diff(ORG_ID, state, news);
  await pause(LATENCY_MS + FRESH_FOR_MS + 80);
  // Someone raises an undeclared limit after the early read was answered.
  emulator.store.patchOrg(INSTANCE_ID, ORG_ID, { limits: { ...emulator.store.getOrg(INSTANCE_ID, ORG_ID)!.limits, flow: 42 } });
  await up.update(ORG_ID, state as never, news);
  expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`, `GET ${orgPath()}`, `PATCH ${orgPath()}`]);
  expect(emulator.requests[2].body).toEqual({ limits: { ...DEFAULT_INSTANCE_LIMITS, device: 20, flow: 42 } });
});

test.each([
  ["a name change (its PATCH needs no read)", { ...declared, name: "Acme Corp" }],
  ["no change", declared],
  ["a new orgId (a replace, not an update)", { ...declared, orgId: OTHER_ORG_ID }],
])("once the process applies changes, a diff with %s starts no read", async (_name, news) => {
  const state = await adoptedState();
  const up = await applyingProcess();
  await up.diff(ORG_ID, state, news);
  await pause(LATENCY_MS + 50);
  expect(emulator.requests).toEqual([]);
});

test(`while reads take less than one batch window (${FRESH_FOR_MS} ms), a limits diff starts no read: it would be answered too early to use`, async () => {
  emulator.faults.configure({ latencyMs: 0 });
  const state = await adoptedState();
  const up = await applyingProcess();
  const news = { ...declared, limits: { device: 20 } };
  await up.diff(ORG_ID, state, news);
  await pause(50);
  expect(emulator.requests).toEqual([]);
  await up.update(ORG_ID, state as never, news);
  expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`, `PATCH ${orgPath()}`]);
});

test("a read started for an update that never comes fails quietly; the next update reads for itself", async () => {
  const state = await adoptedState();
  const up = await applyingProcess();
  emulator.faults.configure({ rules: [{ kind: "status", status: 400, method: "GET", times: 1 }] });
  const news = { ...declared, limits: { device: 20 } };
  await up.diff(ORG_ID, state, news);
  await pause(LATENCY_MS + FRESH_FOR_MS + 80);
  // The early read failed and is stale: the update reads again and succeeds.
  await up.update(ORG_ID, state as never, news);
  expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`, `GET ${orgPath()}`, `PATCH ${orgPath()}`]);
});

test("when the engine waits long between diff and update (a checkpoint per step), reads start at update, and none is wasted", async () => {
  const state = await adoptedState();
  const up = await applyingProcess();
  // The engine now takes 150 ms from each diff to its update, for a few orgs in a row.
  for (let i = 0; i < 4; i++) {
    const other = { ...ids, orgId: OTHER_ORG_ID, name: "Other", limits: { device: 20 + i } };
    const otherState = emulator.store.getOrg(INSTANCE_ID, OTHER_ORG_ID)!;
    const olds = { ...other, limits: otherState.limits, managedFields: ["name", "limits.device"] };
    await up.diff(OTHER_ORG_ID, olds, other);
    await pause(150);
    await up.update(OTHER_ORG_ID, olds as never, other);
  }
  emulator.resetRequests();
  const news = { ...declared, limits: { device: 20 } };
  await up.diff(ORG_ID, state, news);
  await pause(LATENCY_MS + 50);
  expect(emulator.requests).toEqual([]);
  await up.update(ORG_ID, state as never, news);
  expect(requestLines(emulator.requests)).toEqual([`GET ${orgPath()}`, `PATCH ${orgPath()}`]);
});
