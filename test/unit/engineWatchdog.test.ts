/** The engine watchdog: once the engine is gone, no request starts, and the process exits when the ones in flight settle. */
import { PassThrough } from "stream";
import { EngineGoneError, EngineWatchdog, runningAsDynamicProvider, runningAsProviderProcess, WatchedGate } from "../../provider/server/engineWatchdog";

function harness(options: { stdin?: boolean } = {}) {
  const stdin = options.stdin === false ? undefined : new PassThrough();
  let parent = 4242;
  const exits: number[] = [];
  const watchdog = new EngineWatchdog({ stdin, parentPid: () => parent, exit: (code) => exits.push(code), pollMs: 10 });
  const gate = new WatchedGate(2, watchdog);
  return { stdin, watchdog, gate, exits, reparent: () => (parent = 1) };
}

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

afterEach(() => jest.useRealTimers());

test("while the engine is alive requests go through and nothing exits", async () => {
  const { watchdog, gate, exits } = harness();
  watchdog.start();
  const release = await gate.acquire();
  release.finish({ kind: "answered" });
  await tick(30);
  expect(exits).toEqual([]);
  expect(watchdog.engineGone).toBe(false);
  watchdog.stop();
});

test("stdin closing: no new request starts; the process exits once the one in flight settles", async () => {
  const { stdin, watchdog, gate, exits } = harness();
  watchdog.start();
  const inFlight = await gate.acquire();
  stdin!.end();
  await tick();
  expect(watchdog.engineGone).toBe(true);
  await expect(gate.acquire()).rejects.toBeInstanceOf(EngineGoneError);
  expect(exits).toEqual([]);
  inFlight.finish({ kind: "answered" });
  expect(exits).toEqual([0]);
});

test("a request waiting for its turn when the engine goes is refused when its turn comes", async () => {
  const { stdin, watchdog, gate, exits } = harness();
  watchdog.start();
  const first = await gate.acquire();
  const second = await gate.acquire();
  const waiting = gate.acquire();
  stdin!.end();
  await tick();
  first.finish({ kind: "answered" });
  await expect(waiting).rejects.toThrow(/Pulumi engine that started this provider is gone/);
  expect(exits).toEqual([]);
  second.finish({ kind: "answered" });
  expect(exits).toEqual([0]);
});

test("with nothing in flight the process exits at once", async () => {
  const { stdin, watchdog, exits } = harness();
  watchdog.start();
  stdin!.end();
  await tick();
  expect(exits).toEqual([0]);
});

test("without stdin, a changed parent pid is noticed within the poll interval", async () => {
  const { watchdog, gate, exits, reparent } = harness({ stdin: false });
  watchdog.start();
  reparent();
  await tick(50);
  expect(watchdog.engineGone).toBe(true);
  expect(exits).toEqual([0]);
  await expect(gate.acquire()).rejects.toThrow(/parent process 4242 exited/);
});

test("releasing twice counts once", async () => {
  const { stdin, watchdog, gate, exits } = harness();
  watchdog.start();
  const a = await gate.acquire();
  const b = await gate.acquire();
  stdin!.end();
  await tick();
  a.finish({ kind: "answered" });
  a.finish({ kind: "answered" });
  expect(exits).toEqual([]);
  b.finish({ kind: "answered" });
  expect(exits).toEqual([0]);
});

test("nothing it starts keeps the process alive: the poll timer is unref'd", () => {
  jest.useFakeTimers();
  const { watchdog } = harness({ stdin: false });
  const spy = jest.spyOn(global, "setInterval");
  watchdog.start();
  const timer = spy.mock.results[0].value as NodeJS.Timeout;
  expect(timer.hasRef()).toBe(false);
  watchdog.stop();
  spy.mockRestore();
});

test("it watches only inside Pulumi's dynamic-provider host", () => {
  expect(runningAsDynamicProvider(["node", "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider"])).toBe(true);
  expect(runningAsDynamicProvider(["node", "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js"])).toBe(true);
  expect(runningAsDynamicProvider(["node", "/p/node_modules/.bin/jest"])).toBe(false);
  expect(runningAsDynamicProvider(process.argv)).toBe(false);
});

test.each([
  ["/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js", true],
  ["/usr/local/bin/pulumi-resource-losant", true],
  ["/p/node_modules/.bin/pulumi-resource-losant", true],
  ["/p/node_modules/pulumi-losant-instance-org/dist/bin/pulumi-resource-losant.js", true],
  ["/p/node_modules/.bin/pulumi-resource-losant-other", false],
  ["/p/node_modules/.bin/jest", false],
])("it watches in either provider process the engine starts: %s -> %p", (script, watched) => {
  expect(runningAsProviderProcess(["node", script])).toBe(watched);
});
