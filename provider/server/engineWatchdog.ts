/**
 * Stops the dynamic-provider process from working for an engine that is gone.
 *
 * Pulumi starts each plugin in a process group of its own, so when a CI runner SIGKILLs `pulumi up`
 * (or its whole process group) the dynamic-provider process survives it, and without this it
 * would go on sending every request the dead engine had asked for, for minutes, with nobody left
 * to record the results. Two signs that the engine is gone, both free while it is alive:
 *
 * - stdin reaches its end. The engine starts every plugin with a pipe on stdin and never writes to
 *   it or closes it; only the engine's own exit (however it dies) closes the other end. This also
 *   works through a launcher script that does not `exec`, since the script passes its stdin on.
 * - the parent process changes (the process is re-parented to init or a subreaper), checked once a
 *   second, for hosts that start the plugin without a pipe.
 *
 * Once the engine is gone no new request starts (the gate refuses it), and the process exits as
 * soon as the requests already in flight have settled. Nothing here keeps the process alive.
 */
import fs from "fs";
import { Admission, RequestGate, GateOptions } from "../../client/requestGate";

export class EngineGoneError extends Error {
  constructor(reason: string) {
    super(`The Pulumi engine that started this provider is gone (${reason}); no further request is sent to Losant.`);
    this.name = "EngineGoneError";
  }
}

export interface WatchdogHost {
  /** A readable the engine holds open for the process's lifetime (stdin), if there is one. */
  stdin?: (NodeJS.ReadableStream & { unref?: () => unknown }) | undefined;
  parentPid: () => number;
  exit: (code: number) => void;
  pollMs?: number | undefined;
}

export class EngineWatchdog {
  private reason: string | undefined;
  private inFlight = 0;
  private started = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly host: WatchdogHost) {}

  get engineGone(): boolean {
    return this.reason !== undefined;
  }

  /** Starts watching; later calls do nothing. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const { stdin } = this.host;
    if (stdin) {
      const gone = () => this.markGone("its end of this process's stdin closed");
      stdin.on("end", gone);
      stdin.on("close", gone);
      // Read errors say nothing certain about the engine; the parent check still runs.
      stdin.on("error", () => undefined);
      stdin.on("data", () => undefined);
      stdin.resume();
      stdin.unref?.();
    }
    const parent = this.host.parentPid();
    this.timer = setInterval(() => {
      if (this.host.parentPid() !== parent) this.markGone(`the parent process ${parent} exited`);
    }, this.host.pollMs ?? 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  markGone(reason: string): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.stop();
    if (this.inFlight === 0) this.host.exit(0);
  }

  /** Throws once the engine is gone: called before each request starts. */
  admit(): void {
    if (this.reason !== undefined) throw new EngineGoneError(this.reason);
  }

  requestStarted(): void {
    this.inFlight++;
  }

  requestSettled(): void {
    this.inFlight--;
    if (this.reason !== undefined && this.inFlight === 0) this.host.exit(0);
  }
}

/** The request gate, refusing to start a request once the engine is gone. One flag check per request. */
export class WatchedGate extends RequestGate {
  constructor(
    maxConcurrency: number,
    private readonly watchdog: EngineWatchdog,
    options?: GateOptions,
  ) {
    super(maxConcurrency, options);
  }

  override async acquire(): Promise<Admission> {
    this.watchdog.admit();
    const admission = await super.acquire();
    // The engine may have gone while this request waited for its turn.
    try {
      this.watchdog.admit();
    } catch (error) {
      admission.finish({ kind: "notSent" });
      throw error;
    }
    this.watchdog.requestStarted();
    let settled = false;
    return {
      startedAt: admission.startedAt,
      finish: (outcome) => {
        if (settled) return;
        settled = true;
        admission.finish(outcome);
        this.watchdog.requestSettled();
      },
    };
  }
}

/** True inside the dynamic-provider host that Pulumi starts (not in a test runner or a program). */
export function runningAsDynamicProvider(argv: readonly string[] = process.argv): boolean {
  return /[\\/]cmd[\\/]dynamic-provider([\\/]index(\.js)?)?$/.test(argv[1] ?? "");
}

/** The native plugin's executable name (package.json `bin`), as the engine starts it: by that name on PATH, a link to it, or its file. */
export const PLUGIN_EXECUTABLE = "pulumi-resource-losant";

/** True inside the native plugin `pulumi-resource-losant` (bin/pulumi-resource-losant.ts). */
export function runningAsPlugin(argv: readonly string[] = process.argv): boolean {
  return new RegExp(`[\\\\/]${PLUGIN_EXECUTABLE}(\\.js)?$`).test(argv[1] ?? "");
}

/** True in either process the engine starts to run InstanceOrgs: the dynamic-provider host or the native plugin. */
export function runningAsProviderProcess(argv: readonly string[] = process.argv): boolean {
  return runningAsDynamicProvider(argv) || runningAsPlugin(argv);
}

function stdinIsPipe(): boolean {
  try {
    return fs.fstatSync(0).isFIFO();
  } catch {
    return false;
  }
}

/** The watchdog for this process: it watches only when the engine started this process (the dynamic-provider host or the plugin). */
export function processWatchdog(): EngineWatchdog {
  return new EngineWatchdog({
    stdin: runningAsProviderProcess() && stdinIsPipe() ? process.stdin : undefined,
    parentPid: () => process.ppid,
    exit: (code) => process.exit(code),
  });
}
