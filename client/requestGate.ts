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
 * - a pace: a 429 teaches the gate the rate the API allows (the successes of the last second), and
 *   requests then start no faster than 98% of it. After a quiet spell without 429s the pace speeds up
 *   by a quarter each second until it is gone; a probe that meets a 429 doubles the next quiet spell,
 *   so a lasting limit costs few pauses and a lifted one is back to full speed within seconds.
 */
export interface GateOptions {
  /** Time without a 429 before the pace starts to speed up again. */
  quietMs?: number;
  maxQuietMs?: number;
}

/** Share of the learned rate the gate uses: a little headroom against timer jitter. */
const PACE_SHARE = 0.98;

export class RequestGate {
  private maxConcurrency: number;
  private window: number;
  private inFlight = 0;
  private pausedUntil = 0;
  private intervalMs = 0;
  private nextStartAt = 0;
  private successStarts: number[] = [];
  private last429At = 0;
  private lastSpeedUpAt = 0;
  private spedUpSince429 = false;
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

  /** Requests per second the gate currently allows; Infinity when unpaced. */
  get pacedRate(): number {
    return this.intervalMs > 0 ? 1000 / this.intervalMs : Number.POSITIVE_INFINITY;
  }

  /** Waits for a free slot, the end of any pause and the pace; returns the function that frees the slot. */
  async acquire(): Promise<() => void> {
    if (this.waiters.length === 0 && this.startDelay() === 0 && this.inFlight < this.window) {
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
      this.drain();
    };
  }

  /** Losant answered 429 with this Retry-After: pause, narrow the window, learn the allowed rate. */
  onRateLimited(retryAfterMs: number, now = Date.now()): void {
    this.successStarts = this.successStarts.filter((t) => now - t < 1000);
    // The successes of the last second say what the API allows only after a full second of sending;
    // right after a pause (or before anything succeeded) they say nothing, and the pause must do.
    const sendingForAFullSecond = now - this.pausedUntil >= 1000;
    if (this.successStarts.length >= 2 && sendingForAFullSecond) {
      this.intervalMs = 1000 / (this.successStarts.length * PACE_SHARE);
    }
    const windowFreesIn = this.successStarts.length > 0 ? this.successStarts[0] + 1000 - now : retryAfterMs;
    this.pausedUntil = Math.max(this.pausedUntil, now + Math.min(retryAfterMs, Math.max(0, windowFreesIn)));
    this.window = Math.max(1, Math.floor(this.window / 2));
    if (this.spedUpSince429) this.quietMs = Math.min(this.maxQuietMs, this.quietMs * 2);
    this.spedUpSince429 = false;
    this.last429At = now;
    this.nextStartAt = Math.max(this.nextStartAt, this.pausedUntil);
  }

  /** A request that started at `startedAt` succeeded (any answer but 429). */
  onSuccess(startedAt: number, now = Date.now()): void {
    // Kept sorted, so the oldest success of the last second is first.
    const at = this.successStarts.length > 0 && startedAt < this.successStarts[this.successStarts.length - 1] ? this.insertionPoint(startedAt) : this.successStarts.length;
    this.successStarts.splice(at, 0, startedAt);
    if (this.successStarts.length > 4096) this.successStarts = this.successStarts.filter((t) => now - t < 1000);
    if (this.window < this.maxConcurrency) this.window++;
    if (this.intervalMs > 0 && now - this.last429At >= this.quietMs && now - this.lastSpeedUpAt >= 1000) {
      this.intervalMs /= 1.25;
      this.lastSpeedUpAt = now;
      this.spedUpSince429 = true;
      if (this.intervalMs < 2) {
        this.intervalMs = 0;
        this.quietMs = this.baseQuietMs;
      }
    }
    this.drain();
  }

  private insertionPoint(startedAt: number): number {
    let i = this.successStarts.length;
    while (i > 0 && this.successStarts[i - 1] > startedAt) i--;
    return i;
  }

  private startDelay(now = Date.now()): number {
    return Math.max(0, this.pausedUntil - now, this.nextStartAt - now);
  }

  private admit(now = Date.now()): void {
    this.inFlight++;
    if (this.intervalMs > 0) this.nextStartAt = Math.max(now, this.nextStartAt) + this.intervalMs;
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
      const wake = this.waiters.shift()!;
      this.admit();
      wake();
    }
  }
}
