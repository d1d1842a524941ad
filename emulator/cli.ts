#!/usr/bin/env node
/**
 * `npm run emulator -- [--port 0] [--host 127.0.0.1] [--token T] [--state file.json] [--seed N]
 *   [--latency MS] [--connection-latency MS] [--rate-limit PER_SECOND]`
 * Starts the local Losant emulator, prints one JSON line with its URL and seeded ids, and runs
 * until interrupted.
 */
import { parseArgs } from "util";
import { DEFAULT_TOKEN, startEmulator } from "./server";
import { seedFleet } from "./seed";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "0" },
      host: { type: "string", default: "127.0.0.1" },
      token: { type: "string", default: DEFAULT_TOKEN },
      state: { type: "string" },
      seed: { type: "string", default: "0" },
      latency: { type: "string", default: "0" },
      "connection-latency": { type: "string", default: "0" },
      "rate-limit": { type: "string", default: "0" },
    },
  });
  const emulator = await startEmulator({
    port: Number(values.port),
    host: values.host,
    tokens: { [values.token as string]: ["all.Instance"] },
    persistPath: values.state,
  });
  emulator.faults.configure({
    latencyMs: Number(values.latency),
    connectionLatencyMs: Number(values["connection-latency"]),
    rateLimitPerSecond: Number(values["rate-limit"]),
  });
  const seeded = Number(values.seed) > 0 ? seedFleet(emulator, Number(values.seed)) : undefined;
  process.stdout.write(`${JSON.stringify({ url: emulator.url, token: values.token, ...seeded })}\n`);
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error) => {
  process.stderr.write(`emulator failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
