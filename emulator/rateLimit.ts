/**
 * The throttles the emulator can apply to API requests: a sliding window (N requests per window),
 * or a GCRA token bucket as Losant's own limiter library implements it (Losant/redis-gcra).
 */
export interface SlidingWindowSettings {
  algorithm?: "slidingWindow";
  /** Requests allowed in any window. */
  requests: number;
  /** Window length in milliseconds (Losant documents windows from 1 s to 5 min for other endpoints). */
  windowMs: number;
  /** "seconds": a 429 carries `Retry-After` with the whole seconds until a slot frees (at least 1); "none": no header. */
  retryAfter: "seconds" | "none";
}

/** Losant/redis-gcra's parameters (`lib/index.js`, README): `burst` tokens at most, `rate` tokens back per `periodMs`. */
export interface GcraSettings {
  algorithm: "gcra";
  /** Tokens in a full bucket: requests allowed at once after a quiet spell (redis-gcra's `burst`, at least 1). */
  burst: number;
  /** Tokens regained per period (redis-gcra's `rate`, at least 1). */
  rate: number;
  /** The period in milliseconds (redis-gcra's `period`, default 1000). */
  periodMs: number;
  retryAfter: "seconds" | "none";
}

export type RateLimitSettings = SlidingWindowSettings | GcraSettings;

/** The shorthand `rateLimitPerSecond: N` stands for this. */
export function perSecond(requests: number): RateLimitSettings | undefined {
  return requests > 0 ? { requests, windowMs: 1000, retryAfter: "seconds" } : undefined;
}

const wholeAtLeastOne = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value) && value >= 1;

export function checkRateLimit(input: unknown): RateLimitSettings {
  const value = (input ?? {}) as Record<string, unknown>;
  const { retryAfter = "seconds", algorithm = "slidingWindow" } = value;
  if (retryAfter !== "seconds" && retryAfter !== "none") throw new Error('rateLimit.retryAfter must be "seconds" or "none"');
  if (algorithm === "gcra") {
    const { burst, rate, periodMs = 1000 } = value;
    if (!wholeAtLeastOne(burst)) throw new Error("rateLimit.burst must be a whole number, at least 1");
    if (!wholeAtLeastOne(rate)) throw new Error("rateLimit.rate must be a whole number, at least 1");
    if (typeof periodMs !== "number" || !(periodMs >= 1)) throw new Error("rateLimit.periodMs must be a number, at least 1");
    return { algorithm, burst, rate, periodMs, retryAfter };
  }
  if (algorithm !== "slidingWindow") throw new Error('rateLimit.algorithm must be "slidingWindow" or "gcra"');
  const { requests, windowMs } = value;
  if (!wholeAtLeastOne(requests)) throw new Error("rateLimit.requests must be a whole number, at least 1");
  if (typeof windowMs !== "number" || !(windowMs > 0)) throw new Error("rateLimit.windowMs must be a positive number");
  return { requests, windowMs, retryAfter };
}

/** Admits or refuses one request; a refusal says how long until the same request would be admitted. */
export interface Limiter {
  readonly settings: RateLimitSettings;
  /** Undefined when admitted; otherwise the milliseconds until a request would be admitted. */
  admit(now: number): { retryAfterMs: number } | undefined;
}

export function limiterFor(settings: RateLimitSettings): Limiter {
  return settings.algorithm === "gcra" ? new Gcra(settings) : new SlidingWindow(settings);
}

/**
 * Sliding-log limiter: a request is counted when it is admitted, and refused while `requests`
 * admitted requests lie within the last `windowMs`. Refused requests do not count, so a client
 * that keeps knocking is not punished beyond the window (an assumption; Losant does not say).
 */
export class SlidingWindow implements Limiter {
  private admitted: number[] = [];

  constructor(readonly settings: SlidingWindowSettings) {}

  admit(now: number): { retryAfterMs: number } | undefined {
    const { requests, windowMs } = this.settings;
    while (this.admitted.length > 0 && now - this.admitted[0] >= windowMs) this.admitted.shift();
    if (this.admitted.length >= requests) return { retryAfterMs: windowMs - (now - this.admitted[0]) };
    this.admitted.push(now);
    return undefined;
  }
}

/**
 * GCRA, step for step as Losant/redis-gcra `lib/gcra.lua` computes it with a cost of 1: the
 * theoretical arrival time `tat` moves one emission interval (period / rate) per admitted request;
 * a request is refused while it would push `tat` more than `burst` intervals past now, and a
 * refused request leaves `tat` alone ("no tokens will be consumed", README). The wait it gives is
 * the script's `retry_in`.
 */
export class Gcra implements Limiter {
  private tat: number | undefined;

  constructor(readonly settings: GcraSettings) {}

  admit(now: number): { retryAfterMs: number } | undefined {
    const emissionInterval = this.settings.periodMs / this.settings.rate;
    const burstOffset = emissionInterval * this.settings.burst;
    const newTat = Math.max(this.tat ?? now, now) + emissionInterval;
    const diff = now - (newTat - burstOffset);
    if (Math.floor(diff / emissionInterval) < 0) return { retryAfterMs: Math.ceil(-diff) };
    this.tat = newTat;
    return undefined;
  }
}

/** Headers of a 429 under these settings. */
export function retryAfterHeaders(settings: RateLimitSettings, retryAfterMs: number): Record<string, string> {
  if (settings.retryAfter === "none") return {};
  return { "Retry-After": String(Math.max(1, Math.ceil(retryAfterMs / 1000))) };
}
