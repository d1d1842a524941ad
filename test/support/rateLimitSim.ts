/**
 * A simulated API with a sliding-window or GCRA rate limit, driven under jest's fake timers, for testing
 * the request gate's learning in seconds of real time instead of minutes: requests go through the
 * gate, arrive half a latency after they start, are counted when admitted (refused ones are not),
 * and are retried the way LosantClient retries them.
 */
import { RequestGate, GateOptions } from "../../client/requestGate";
import { DEFAULT_RETRY_POLICY, rateLimitDelay } from "../../client/retryPolicy";
import { Gcra, GcraSettings } from "../../emulator/rateLimit";
import { seededRandom } from "./random";

export interface SimOptions {
  requests: number;
  limit: number;
  windowMs: number;
  retryAfter: boolean;
  latencyMs: number;
  /** Each request's latency varies by up to this share either way, so answers come back out of order. */
  latencyJitter?: number;
  maxConcurrency?: number;
  gate?: GateOptions;
  /** The server also counts the requests it refuses (Losant does not say whether it does). */
  countRefused?: boolean;
  /** Throttle with the emulator's GCRA bucket (Losant/redis-gcra) instead of the sliding window; `limit` and `windowMs` then give only the floor. */
  gcra?: Omit<GcraSettings, "algorithm" | "retryAfter">;
  /** Give up a request after this long (the client's rate-limit budget). */
  budgetMs?: number;
}

export interface SimResult {
  elapsedMs: number;
  limited: number;
  failed: number;
  /** Requests the server admitted. */
  served: number;
  gate: RequestGate;
}

export async function simulate(options: SimOptions): Promise<SimResult> {
  const { limit, windowMs, latencyMs } = options;
  const gate = new RequestGate(options.maxConcurrency ?? 10, { random: seeded(7), ...options.gate });
  const admitted: number[] = [];
  let limited = 0;
  let failed = 0;
  let served = 0;
  const started = Date.now();
  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
  const jitterRandom = seeded(11);
  const latency = () => latencyMs * (1 + (options.latencyJitter ?? 0) * (2 * jitterRandom() - 1));

  const bucket = options.gcra && new Gcra({ algorithm: "gcra", retryAfter: "seconds", ...options.gcra });

  /** The server: the wait until a slot frees when over the limit, else undefined. */
  function arrive(now: number): number | undefined {
    if (bucket !== undefined) {
      const refused = bucket.admit(now);
      if (refused === undefined) served++;
      return refused?.retryAfterMs;
    }
    while (admitted.length > 0 && now - admitted[0] >= windowMs) admitted.shift();
    if (admitted.length >= limit) {
      const wait = windowMs - (now - admitted[0]);
      if (options.countRefused) admitted.push(now);
      return wait;
    }
    admitted.push(now);
    served++;
    return undefined;
  }

  async function one(): Promise<void> {
    const first = Date.now();
    for (let attempt = 0; ; attempt++) {
      const admission = await gate.acquire();
      const trip = latency();
      await sleep(trip / 2);
      const wait = arrive(Date.now());
      await sleep(trip / 2);
      if (wait === undefined) {
        admission.finish({ kind: "answered" });
        return;
      }
      limited++;
      const retryAfterMs = options.retryAfter ? Math.max(1, Math.ceil(wait / 1000)) * 1000 : undefined;
      admission.finish({ kind: "limited", retryAfterMs });
      const delay = retryAfterMs ?? rateLimitDelay(DEFAULT_RETRY_POLICY, attempt + 1);
      if (Date.now() - first + delay > (options.budgetMs ?? DEFAULT_RETRY_POLICY.rateLimitTimeoutMs)) {
        failed++;
        return;
      }
      await sleep(delay);
    }
  }

  let done = false;
  const all = Promise.all(Array.from({ length: options.requests }, one)).then(() => void (done = true));
  while (!done) await jest.advanceTimersByTimeAsync(20);
  await all;
  return { elapsedMs: Date.now() - started, limited, failed, served, gate };
}

/** A small deterministic random source (mulberry32). */
export const seeded = seededRandom;
