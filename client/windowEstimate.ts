/**
 * The gate's bounds on the API's rate-limit window W, which Losant does not document: too short (a
 * request started under it met a 429) and long enough (one was answered, or a Retry-After proves it).
 * Between them it picks the next window to probe: while nothing is proven, a fifth longer than the
 * last failure (jittered, so processes do not probe in step); then it halves the gap, trying whole
 * seconds first, as Losant documents windows (docs/design/requests.md, section 3).
 */
export interface WindowSearchOptions {
  /** The first window length tried: the shortest Losant documents. */
  initialMs: number;
  /** Gap between failed probes as a share of the window length ruled out so far. */
  probeFraction: number;
  minProbeGapMs: number;
  maxProbeGapMs: number;
  random: () => number;
}

export const DEFAULT_WINDOW_SEARCH: WindowSearchOptions = {
  initialMs: 1000,
  probeFraction: 0.2,
  minProbeGapMs: 250,
  maxProbeGapMs: 30_000,
  random: Math.random,
};

export class WindowEstimate {
  private tooShort = 0;
  private longEnough = Number.POSITIVE_INFINITY;
  private guess: number;

  constructor(private readonly options: WindowSearchOptions = DEFAULT_WINDOW_SEARCH) {
    this.guess = options.initialMs;
  }

  get longEnoughMs(): number {
    return this.longEnough;
  }

  /** The window length the next probe assumes; equals `longEnoughMs` once settled. */
  get guessMs(): number {
    return this.guess;
  }

  /** Nothing left worth probing: pace with `longEnoughMs`. */
  get settled(): boolean {
    return Number.isFinite(this.longEnough) && this.guess >= this.longEnough;
  }

  /** A request started `ageMs` after the window's oldest counted answer was answered. */
  worked(ageMs: number): void {
    if (!(ageMs < this.longEnough)) return;
    this.longEnough = ageMs;
    // A lower bound above a proven one is stale (the limit changed): start over from below.
    if (this.tooShort >= this.longEnough) this.tooShort = 0;
    this.replan();
  }

  /** A request started `ageMs` after the window's oldest counted answer met a 429. */
  failed(ageMs: number): void {
    if (!(ageMs > this.tooShort)) return;
    this.tooShort = ageMs;
    if (this.tooShort >= this.longEnough) this.longEnough = Number.POSITIVE_INFINITY;
    this.replan();
  }

  /** Bounds a Retry-After gives: the window is longer than `lowerMs` and `upperMs` is enough. */
  bounded(lowerMs: number, upperMs: number): void {
    if (upperMs > lowerMs && (upperMs <= this.tooShort || lowerMs >= this.longEnough)) {
      // The API's own figures contradict what was measured: trust them.
      this.tooShort = Math.max(0, lowerMs);
      this.longEnough = upperMs;
    } else {
      if (lowerMs > this.tooShort && lowerMs < this.longEnough) this.tooShort = lowerMs;
      if (upperMs < this.longEnough && upperMs > this.tooShort) this.longEnough = upperMs;
    }
    this.replan();
  }

  private replan(): void {
    const { tooShort, longEnough } = this;
    if (!Number.isFinite(longEnough)) {
      const { probeFraction, minProbeGapMs, maxProbeGapMs, random, initialMs } = this.options;
      const gap = Math.max(minProbeGapMs, Math.min(maxProbeGapMs, tooShort * probeFraction) * (0.75 + 0.25 * random()));
      this.guess = Math.max(initialMs, tooShort + gap);
      return;
    }
    // Bounds closer than this are taken as settled: probing further would cost more than it saves.
    const tolerance = Math.max(50, longEnough * 0.02);
    const wholeBelow = Math.floor(longEnough / 1000) * 1000;
    // Just above a whole second: that second is the window; nothing worth probing below it.
    const atWholeSecond = wholeBelow > tooShort && longEnough - wholeBelow <= tolerance;
    if (longEnough - tooShort <= tolerance || atWholeSecond) {
      this.guess = longEnough;
      return;
    }
    // Halve the gap, over the whole seconds inside it where there are any.
    const firstWhole = Math.floor(tooShort / 1000) + 1;
    const lastWhole = Math.ceil((longEnough - tolerance) / 1000) - 1;
    const middle = (tooShort + longEnough) / 2;
    if (lastWhole >= firstWhole) this.guess = Math.floor((firstWhole + lastWhole) / 2) * 1000;
    else this.guess = middle < longEnough - tolerance ? middle : longEnough;
  }
}
