/**
 * The stack trace Pulumi records per InstanceOrg (provider/program/declarationTrace.ts): it ends at the
 * program's line that declared the org, and `sourcePosition` is that line, not our constructor.
 * What the SDK sends to the engine is taken at the SDK's own registerResource/readResource (which
 * then run as usual, against Pulumi's mocks), so the test runs the real Resource constructor of
 * whichever @pulumi/pulumi is installed (CI's second leg: the newest 3.x).
 */
import { pathToFileURL } from "url";
import * as pulumi from "@pulumi/pulumi";
import * as pulumiRuntime from "@pulumi/pulumi/runtime/resource";
import type { SourcePosition } from "@pulumi/pulumi/runtime/resource";
import { InstanceOrg, InstanceOrgFleet } from "../../provider";
import { declarationFrames, trimStackTraces } from "../../provider/program/declarationTrace";
import { INSTANCE_ID, ORG_ID } from "../support/fixtures";

interface Recorded {
  type: string;
  sourcePosition: SourcePosition | undefined;
  stackTrace: Array<SourcePosition | undefined>;
}

const THIS_FILE = pathToFileURL(__filename).toString();

/** What the SDK passes on for each registration (or read, with `InstanceOrg.get`). */
function capture(): Recorded[] {
  const recorded: Recorded[] = [];
  const register = pulumiRuntime.registerResource;
  jest.spyOn(pulumiRuntime, "registerResource").mockImplementation((...args: Parameters<typeof register>) => {
    const [, , type, , , , , , , sourcePosition, stackTrace] = args;
    recorded.push({ type, sourcePosition, stackTrace: stackTrace ?? [] });
    register(...args);
  });
  const read = pulumiRuntime.readResource;
  jest.spyOn(pulumiRuntime, "readResource").mockImplementation((...args: Parameters<typeof read>) => {
    const [, , type, , , , sourcePosition, stackTrace] = args;
    recorded.push({ type, sourcePosition, stackTrace: stackTrace ?? [] });
    read(...args);
  });
  return recorded;
}

/** Lets the SDK finish with a resource before the test ends. */
const settled = (resource: pulumi.Resource) => new Promise<void>((resolve) => resource.urn.apply(() => resolve()));

/** The line that calls this function (1-based, as the SDK records it). */
function callerLine(): number {
  const frame = new Error().stack!.split("\n")[2];
  return Number(/:(\d+):\d+\)?$/.exec(frame)![1]);
}

const orgsOf = (recorded: Recorded[]) => recorded.filter((r) => r.type.endsWith(":InstanceOrg"));

/** Once `org` is settled: it is the one org recorded, its trace is `line` of this file alone, and sourcePosition is that line. */
async function expectTracedToLineAlone(recorded: Recorded[], org: InstanceOrg, line: number): Promise<void> {
  await settled(org);
  const [entry] = orgsOf(recorded);
  expect(orgsOf(recorded)).toHaveLength(1);
  expect(entry.sourcePosition).toEqual({ uri: THIS_FILE, line, column: expect.any(Number) });
  expect(entry.stackTrace).toEqual([entry.sourcePosition]);
}

beforeAll(() =>
  pulumi.runtime.setMocks({
    newResource: (args) => ({ id: args.id ?? ORG_ID, state: args.inputs }),
    call: () => ({}),
  }),
);

afterEach(() => jest.restoreAllMocks());

test("an org declared in the program: the trace is the declaring line alone, and sourcePosition is that line", async () => {
  const recorded = capture();
  const line = callerLine() + 1;
  const org = new InstanceOrg("acme", { instanceId: INSTANCE_ID, orgId: ORG_ID });
  await expectTracedToLineAlone(recorded, org, line);
});

test("InstanceOrg.get: the static method's frame is left out too", async () => {
  const recorded = capture();
  const line = callerLine() + 1;
  const org = InstanceOrg.get("read", ORG_ID, { instanceId: INSTANCE_ID });
  await expectTracedToLineAlone(recorded, org, line);
});

test("orgs of an InstanceOrgFleet: the program's line that declared the fleet alone, without the component's frame", async () => {
  const recorded = capture();
  const line = callerLine() + 1;
  const fleet = new InstanceOrgFleet("fleet", { fleet: { instanceId: INSTANCE_ID, orgs: [{ key: "a", orgId: ORG_ID }] } });
  await expectTracedToLineAlone(recorded, fleet.orgs.a, line);
});

test("only while the constructor runs: the formatter is put back, also when the constructor throws", async () => {
  const before = Error.prepareStackTrace;
  capture();
  await settled(new InstanceOrg("acme", { instanceId: INSTANCE_ID, orgId: ORG_ID }));
  expect(Error.prepareStackTrace).toBe(before);
  // The SDK refuses an empty name inside the constructor.
  expect(() => new InstanceOrg("", { instanceId: INSTANCE_ID, orgId: ORG_ID })).toThrow(/name/);
  expect(Error.prepareStackTrace).toBe(before);
  // Other code keeps its whole stack.
  const nested = (depth: number): string => (depth === 0 ? new Error().stack! : nested(depth - 1));
  expect(nested(20).split("\n").length).toBeGreaterThan(10);
});

test("the SDK still takes the declaration trace in a function named callsites, so that trace alone is source-mapped", async () => {
  capture();
  const before = Error.prepareStackTrace;
  // The top frame of each stack that reaches the program's formatter while the constructor runs.
  const tops: string[] = [];
  let constructing = false;
  Error.prepareStackTrace = (error, frames) => {
    if (constructing) tops.push(frames[0]?.getFunctionName() ?? "");
    return before ? before(error, frames) : String(error);
  };
  let org: InstanceOrg;
  try {
    constructing = true;
    org = new InstanceOrg("acme", { instanceId: INSTANCE_ID, orgId: ORG_ID });
  } finally {
    constructing = false;
  }
  await settled(org);
  Error.prepareStackTrace = before;
  expect(tops).toEqual(["callsites"]);
});

test("while the constructor runs, only the declaration trace goes to the formatter that was there; other stacks get V8's format", () => {
  const before = Error.prepareStackTrace;
  Error.prepareStackTrace = () => "mapped";
  const restore = trimStackTraces(__filename);
  let declaration: string | undefined;
  let other: string | undefined;
  try {
    // Named as the SDK's Resource.callsites and its debuggablePromise are.
    const callsites = () => new Error().stack;
    const debuggablePromise = () => new Error().stack;
    declaration = callsites();
    other = debuggablePromise();
  } finally {
    restore();
    Error.prepareStackTrace = before;
  }
  expect(declaration).toBe("mapped");
  expect(other).toMatch(/^Error\n {4}at debuggablePromise \(/);
});

describe("declarationFrames", () => {
  const frame = (file: string | undefined): NodeJS.CallSite => ({ getFileName: () => file }) as NodeJS.CallSite;
  const own = "/app/node_modules/pkg/dist/provider/resource.js";
  const files = (frames: NodeJS.CallSite[]) => frames.map((f) => f.getFileName());

  test("keeps the SDK's frames and the constructor's (the SDK skips them by count), then only the first frame outside the package", () => {
    const stack = [
      "/app/node_modules/@pulumi/pulumi/resource.js",
      "/app/node_modules/@pulumi/pulumi/resource.js",
      own,
      own,
      undefined,
      "/app/node_modules/pkg/dist/provider/fleet.js",
      "node:internal/modules/cjs/loader",
      "/app/index.ts",
      "/app/node_modules/ts-node/dist/index.js",
      "/app/node_modules/@pulumi/pulumi/cmd/run/run.js",
    ].map(frame);
    expect(files(declarationFrames(stack, own))).toEqual([
      "/app/node_modules/@pulumi/pulumi/resource.js",
      "/app/node_modules/@pulumi/pulumi/resource.js",
      own,
      "/app/index.ts",
    ]);
  });

  test("a stack that does not pass through the constructor is left whole", () => {
    const stack = ["/app/a.js", "/app/b.js", undefined].map(frame);
    expect(declarationFrames(stack, own)).toBe(stack);
  });

  test("an ES module program, named by URL, ends the trace", () => {
    const stack = [own, "file:///app/index.mjs", "node:internal/modules/esm/module_job"].map(frame);
    expect(files(declarationFrames(stack, own))).toEqual([own, "file:///app/index.mjs"]);
  });
});
