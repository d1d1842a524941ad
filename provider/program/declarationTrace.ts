import path from "path";

/**
 * Pulumi (3.195+, pulumi/pulumi#20430) records in state, for every resource, the program's call
 * stack at the moment the resource was declared: `stackTrace`, and its first frame again as
 * `sourcePosition`. The Node SDK takes it from `new Error().stack` inside the Resource constructor,
 * with no depth limit (it raises `Error.stackTraceLimit` itself), so every org paid ~700 B per
 * checkpoint for the module loader, ts-node and the SDK's own runner frames. It also skips a fixed
 * number of frames (its own and its subclass's constructor), so the frames between our constructor
 * and the program's line (a fleet component, a static method) would become `sourcePosition`.
 *
 * The one hook left to us is `Error.prepareStackTrace`, which formats that stack. While an
 * InstanceOrg's constructor runs, the frames it sees go through `declarationFrames`.
 */

type Frames = NodeJS.CallSite[];

/**
 * Of the stack inside an InstanceOrg constructor (in `ownFile`): the frames up to and including the
 * constructor as they are (the SDK skips them by count: its own frames and its subclass's
 * constructor), then the first frame outside this package: the program's line that declared the
 * org, or the InstanceOrgFleet that declared it, where the trace ends. The package's frames between
 * them (`InstanceOrg.get`, the fleet component) are left out: they say nothing about the program,
 * and each costs about 85 bytes per org in every checkpoint.
 * A stack that does not pass through `ownFile` is returned as it is.
 */
export function declarationFrames(frames: Frames, ownFile: string): Frames {
  const own = frames.findIndex((frame) => frame.getFileName() === ownFile);
  if (own < 0) return frames;
  const packageDir = path.dirname(ownFile) + path.sep;
  const declaring = frames.slice(own + 1).find((frame) => {
    const file = frame.getFileName();
    return file !== undefined && file !== null && !file.startsWith("node:") && !file.startsWith(packageDir);
  });
  return [...frames.slice(0, own + 1), ...(declaring ? [declaring] : [])];
}

/** V8's own format, for a runtime without a default `Error.prepareStackTrace` to delegate to. */
function v8Format(error: Error, frames: Frames): string {
  let header: string;
  try {
    header = String(error);
  } catch {
    header = "Error";
  }
  return [header, ...frames.map((frame) => `    at ${String(frame)}`)].join("\n");
}

/**
 * Whether a stack is the SDK's declaration trace, the one that goes to state: `Resource.callsites`
 * takes it with `new Error().stack` (`@pulumi/pulumi` resource.js, 3.248 to 3.276), so its own frame is
 * on top.
 */
export function isDeclarationTrace(frames: Frames): boolean {
  return frames[0]?.getFunctionName() === "callsites";
}

/**
 * Trims every stack formatted from now on, until the returned function is called (in a `finally`),
 * to `declarationFrames`. The declaration trace is formatted by whoever did it before (ts-node's
 * source maps, Node's default), so its positions stay mapped to the program's TypeScript. Every other
 * stack formatted meanwhile is one the SDK's `debuggablePromise` takes for each output promise, kept
 * only for its report of leaked promises: those get V8's own format, because mapping them through
 * ts-node's source maps was about a fifth of a 2,000-org adopt (docs/design/state-and-checks.md).
 */
export function trimStackTraces(ownFile: string): () => void {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (error, frames) => {
    const kept = declarationFrames(frames, ownFile);
    if (isDeclarationTrace(frames) && previous !== undefined) return previous(error, kept);
    return v8Format(error, kept);
  };
  return () => {
    Error.prepareStackTrace = previous;
  };
}
