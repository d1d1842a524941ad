/** The throttle the emulator applies to API requests: N requests per sliding window. */
export interface RateLimitSettings {
  /** Requests allowed in any window. */
  requests: number;
  /** Window length in milliseconds (Losant documents windows from 1 s to 5 min for other endpoints). */
  windowMs: number;
  /** "seconds": a 429 carries `Retry-After` with the whole seconds until a slot frees (at least 1); "none": no header. */
  retryAfter: "seconds" | "none";
}

/** The shorthand `rateLimitPerSecond: N` stands for this. */
export function perSecond(requests: number): RateLimitSettings | undefined {
  return requests > 0 ? { requests, windowMs: 1000, retryAfter: "seconds" } : undefined;
}

export function checkRateLimit(input: unknown): RateLimitSettings {
  const value = (input ?? {}) as Partial<Record<keyof RateLimitSettings, unknown>>;
  const { requests, windowMs, retryAfter = "seconds" } = value;
  if (typeof requests !== "number" || !Number.isInteger(requests) || requests < 1) throw new Error("rateLimit.requests must be a whole number, at least 1");
  if (typeof windowMs !== "number" || !(windowMs > 0)) throw new Error("rateLimit.windowMs must be a positive number");
  if (retryAfter !== "seconds" && retryAfter !== "none") throw new Error('rateLimit.retryAfter must be "seconds" or "none"');
  return { requests, windowMs, retryAfter };
}

/**
 * Sliding-log limiter: a request is counted when it is admitted, and refused while `requests`
 * admitted requests lie within the last `windowMs`. Refused requests do not count, so a client
 * that keeps knocking is not punished beyond the window (an assumption; Losant does not say).
 */
export class SlidingWindow {
  private admitted: number[] = [];

  constructor(readonly settings: RateLimitSettings) {}

  /** Undefined when admitted; otherwise the milliseconds until the oldest admitted request leaves the window. */
  admit(now: number): { retryAfterMs: number } | undefined {
    const { requests, windowMs } = this.settings;
    while (this.admitted.length > 0 && now - this.admitted[0] >= windowMs) this.admitted.shift();
    if (this.admitted.length >= requests) return { retryAfterMs: windowMs - (now - this.admitted[0]) };
    this.admitted.push(now);
    return undefined;
  }
}

/** Headers of a 429 under these settings. */
export function retryAfterHeaders(settings: RateLimitSettings, retryAfterMs: number): Record<string, string> {
  if (settings.retryAfter === "none") return {};
  return { "Retry-After": String(Math.max(1, Math.ceil(retryAfterMs / 1000))) };
}
