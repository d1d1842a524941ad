#!/usr/bin/env node
/**
 * `npm run emulator -- [--port 0] [--host 127.0.0.1] [--token T] [--state file.json] [--seed N]
 *   [--latency MS] [--connection-latency MS] [--rate-limit N] [--rate-window-ms MS] [--rate-algorithm sliding-window|gcra] [--rate-burst N] [--no-retry-after]
 *   [--limits-patch replace|merge] [--banner-patch replace|merge] [--tag-order asSent|sortedByKey|reversed]
 *   [--email-domains asSent|lowercaseSorted] [--no-hypermedia] [--page-size refuseAbove1000|capAt100]
 *   [--post-reply api1.31|api1.30] [--not-found-text perResource|single] [--accept-version enforced|ignored]`
 * Starts the local Losant emulator, prints one JSON line with its URL and seeded ids, and runs
 * until interrupted. docs/emulator.md describes every flag.
 */
import { parseArgs } from "util";
import { DEFAULT_TOKEN, startEmulator } from "./server";
import { seedFleet } from "./seed";
import { cliOptions, modesFromFlags, rateLimitFromFlags } from "./cliFlags";

/** Runs the emulator with these command-line flags until SIGINT or SIGTERM. */
export async function runEmulatorCli(args: string[] = process.argv.slice(2)): Promise<void> {
  const { values } = parseArgs({ args, options: cliOptions, strict: true });
  const emulator = await startEmulator({
    port: Number(values.port),
    host: values.host,
    tokens: { [values.token ?? DEFAULT_TOKEN]: ["all.Instance"] },
    persistPath: values.state,
    modes: modesFromFlags(values),
  });
  emulator.faults.configure({
    latencyMs: Number(values.latency),
    connectionLatencyMs: Number(values["connection-latency"]),
    rateLimit: rateLimitFromFlags(values) ?? null,
  });
  const seeded = Number(values.seed) > 0 ? seedFleet(emulator, Number(values.seed)) : undefined;
  process.stdout.write(`${JSON.stringify({ url: emulator.url, token: values.token, ...seeded })}\n`);
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (require.main === module) {
  runEmulatorCli().catch((error) => {
    process.stderr.write(`emulator failed to start: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
