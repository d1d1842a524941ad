/**
 * Process-wide admission control for requests to Losant. Every InstanceOrg in a stack runs in the
 * same dynamic-provider process, so this one gate bounds the sockets a whole fleet opens and lets a
 * 429 on one request slow every request down until the rate limit has passed. Three controls:
 *
 * - a window of requests in flight: at most `maxConcurrency`, halved on each 429 and widened by one
 *   per success (additive increase, multiplicative decrease);
 * - a pause: after a 429 no request starts until the API's one-second window has room again (the
 *   oldest success of the last second has aged out), and never longer than the Retry-After; the
 *   request that got the 429 itself waits its full Retry-After;
 * - a rate limit of its own: a 429 teaches the gate how many requests per second the API allows (the
 *   successes of the last second), and from then on it keeps at most that many requests in flight
 *   or finished within the last second. The API counts a request somewhere between its start and
 *   its answer, so counting finished ones from their answer never runs ahead of the API's sliding
 *   window, whatever the latency, and wastes only the time an answer takes to come back. After a quiet spell without 429s the allowance grows by a quarter
 *   each second until the gate stops limiting; a probe that meets a 429 doubles the next quiet spell,
 *   so a lasting limit costs few pauses and a lifted one is back to full speed within seconds.
 */
export interface GateOptions {
  /** Time without a 429 before the allowance starts to grow again. */
  quietMs?: number;
  maxQuietMs?: number;
}

/** The API's window. */
const WINDOW_MS = 1000;
/** Above this many requests a second the gate stops limiting. */
const UNLIMITED_ABOVE = 500;

export class RequestGate {
  private maxConcurrency: number;
  private window: number;
  private inFlight = 0;
  private pausedUntil = 0;
  private perWindow: number | undefined;
  /** When each request of the last second finished, oldest first. */
  private finishes: number[] = [];
  private successStarts: number[] = [];
  private last429At = 0;
  /** When the allowance was learned, until answers still on their way have been counted too. */
  private learnedAt: number | undefined;
  private lastGrowthAt = 0;
  private grewSince429 = false;
  private quietMs: number;
  private readonly baseQuietMs: number;
  private readonly maxQuietMs: number;
  private readonly waiters: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(maxConcurrency: number, options: GateOptions = {}) {
    this.maxConcurrency = Math.max(1, Math.floor(maxConcurrency));
    this.window = this.maxConcurrency;
    this.baseQuietMs = options.quietMs ?? 10_000;
    this.quietMs = this.baseQuietMs;
    this.maxQuietMs = options.maxQuietMs ?? 60_000;
  }

  setMaxConcurrency(maxConcurrency: number): void {
    this.maxConcurrency = Math.max(1, Math.floor(maxConcurrency));
    this.window = Math.max(1, Math.min(this.window, this.maxConcurrency));
    this.drain();
  }

  get limit(): number {
    return this.maxConcurrency;
  }

  get currentWindow(): number {
    return this.window;
  }

  /** Requests per second the gate currently allows; Infinity when it does not limit. */
  get allowedPerSecond(): number {
    return this.perWindow ?? Number.POSITIVE_INFINITY;
  }

  /** Waits for a free slot, the end of any pause and room in the rate window; returns the function that frees the slot. */
  async acquire(): Promise<() => void> {
    if (this.waiters.length === 0 && this.startDelay() === 0 && this.inFlight < this.window) {
      this.settleAllowance(Date.now());
      this.admit();
    } else {
      // drain() counts the slot as taken before it wakes us, so no other request can slip in between.
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        this.drain();
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
      // Recorded even before any 429: the requests that led up to it are in the API's window too.
      const now = Date.now();
      this.finishes.push(now);
      while (this.finishes.length > 0 && now - this.finishes[0] >= WINDOW_MS) this.finishes.shift();
      this.drain();
    };
  }

  /** Losant answered 429 with this Retry-After: pause, narrow the window, learn the allowed rate. */
  onRateLimited(retryAfterMs: number, now = Date.now()): void {
    this.successStarts = this.successStarts.filter((t) => now - t < WINDOW_MS);
    // The successes of the last second say what the API allows only after a full second of sending;
    // right after a pause (or before anything succeeded) they say nothing, and the pause must do.
    const sendingForAFullSecond = now - this.pausedUntil >= WINDOW_MS;
    if (this.successStarts.length >= 2 && sendingForAFullSecond) {
      this.perWindow = this.successStarts.length;
      this.learnedAt = now;
    }
    const windowFreesIn = this.successStarts.length > 0 ? this.successStarts[0] + WINDOW_MS - now : retryAfterMs;
    this.pausedUntil = Math.max(this.pausedUntil, now + Math.min(retryAfterMs, Math.max(0, windowFreesIn)));
    // With a learned allowance the rate window does the limiting; otherwise fewer in flight must.
    if (this.perWindow === undefined) this.window = Math.max(1, Math.floor(this.window / 2));
    if (this.grewSince429) this.quietMs = Math.min(this.maxQuietMs, this.quietMs * 2);
    this.grewSince429 = false;
    this.last429At = now;
  }

  /** A request that started at `startedAt` got an answer other than 429. */
  onSuccess(startedAt: number, now = Date.now()): void {
    // Kept in start order, so the oldest success of the last second is first.
    let at = this.successStarts.length;
    while (at > 0 && this.successStarts[at - 1] > startedAt) at--;
    this.successStarts.splice(at, 0, startedAt);
    if (this.successStarts.length > 4096) this.successStarts = this.successStarts.filter((t) => now - t < WINDOW_MS);
    if (this.window < this.maxConcurrency) this.window++;
    if (this.perWindow !== undefined && now - this.last429At >= this.quietMs && now - this.lastGrowthAt >= WINDOW_MS) {
      this.perWindow = Math.ceil(this.perWindow * 1.25);
      this.lastGrowthAt = now;
      this.grewSince429 = true;
      if (this.perWindow > UNLIMITED_ABOVE) {
        this.perWindow = undefined;
        this.quietMs = this.baseQuietMs;
      }
    }
    this.drain();
  }

  /**
   * Requests that started before the 429 may still have been answered with success after it; once
   * the pause is over their answers are in, so the allowance is counted again, never lower.
   */
  private settleAllowance(now: number): void {
    if (this.learnedAt === undefined || now < this.pausedUntil || this.perWindow === undefined) return;
    const at = this.learnedAt;
    const counted = this.successStarts.filter((t) => t <= at && at - t < WINDOW_MS).length;
    this.perWindow = Math.max(this.perWindow, counted);
    this.learnedAt = undefined;
  }

  private startDelay(now = Date.now()): number {
    let delay = Math.max(0, this.pausedUntil - now);
    if (this.perWindow !== undefined) {
      while (this.finishes.length > 0 && now - this.finishes[0] >= WINDOW_MS) this.finishes.shift();
      const room = this.perWindow - this.inFlight;
      if (room <= 0) return Math.max(delay, 1); // released requests call drain() again
      if (this.finishes.length >= room) {
        delay = Math.max(delay, this.finishes[this.finishes.length - room] + WINDOW_MS - now);
      }
    }
    return delay;
  }

  private admit(): void {
    this.inFlight++;
  }

  private drain(): void {
    while (this.waiters.length > 0 && this.inFlight < this.window) {
      const delay = this.startDelay();
      if (delay > 0) {
        if (this.timer === undefined) {
          this.timer = setTimeout(() => {
            this.timer = undefined;
            this.drain();
          }, delay);
        }
        return;
      }
      this.settleAllowance(Date.now());
      const wake = this.waiters.shift()!;
      this.admit();
      wake();
    }
  }
}
