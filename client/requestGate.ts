/**
 * Process-wide admission control for requests to Losant. Every InstanceOrg in a stack runs in the
 * same dynamic-provider process, so this one gate bounds the sockets a whole fleet opens and lets a
 * 429 on one request slow every request down until the rate limit has passed.
 *
 * The window of requests in flight shrinks by half on each 429 and grows back by one per success
 * (additive increase, multiplicative decrease), so the process settles near the rate the API allows
 * and returns to full concurrency once the limit is gone.
 */
export class RequestGate {
  private maxConcurrency: number;
  private window: number;
  private inFlight = 0;
  private pausedUntil = 0;
  private readonly waiters: Array<() => void> = [];
  private pauseTimer: NodeJS.Timeout | undefined;

  constructor(maxConcurrency: number) {
    this.maxConcurrency = Math.max(1, Math.floor(maxConcurrency));
    this.window = this.maxConcurrency;
  }

  setMaxConcurrency(maxConcurrency: number): void {
    this.maxConcurrency = Math.max(1, Math.floor(maxConcurrency));
    this.window = Math.min(this.window, this.maxConcurrency);
    if (this.window < 1) this.window = 1;
    this.drain();
  }

  get limit(): number {
    return this.maxConcurrency;
  }

  get currentWindow(): number {
    return this.window;
  }

  /** Waits for a free slot (and for any rate-limit pause to pass); returns the function that frees it. */
  async acquire(): Promise<() => void> {
    if (this.waiters.length === 0 && this.canStart()) {
      this.inFlight++;
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

  /** Called when Losant answered 429: stop starting requests for `delayMs` and narrow the window. */
  onRateLimited(delayMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + delayMs);
    this.window = Math.max(1, Math.floor(this.window / 2));
  }

  onSuccess(): void {
    if (this.window < this.maxConcurrency) {
      this.window++;
      this.drain();
    }
  }

  private canStart(): boolean {
    return Date.now() >= this.pausedUntil && this.inFlight < this.window;
  }

  private drain(): void {
    const wait = this.pausedUntil - Date.now();
    if (wait > 0) {
      if (this.waiters.length > 0 && this.pauseTimer === undefined) {
        this.pauseTimer = setTimeout(() => {
          this.pauseTimer = undefined;
          this.drain();
        }, wait);
      }
      return;
    }
    while (this.waiters.length > 0 && this.inFlight < this.window) {
      const wake = this.waiters.shift()!;
      this.inFlight++;
      wake();
    }
  }
}
