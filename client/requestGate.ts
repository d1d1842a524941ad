/**
 * Process-wide admission control: every request of the process goes through this one gate, so it
 * bounds the sockets a whole fleet opens, and a 429 on one request slows them all. Losant documents
 * no limit for these endpoints, so the gate learns one as "N requests per window of W"
 * (docs/design/requests.md, section 3, with the measurements behind each rule). Answers count from
 * when they came in: the API counts a request between its start and its answer, so this never runs
 * ahead of its sliding window, whatever the latency.
 */
import { DEFAULT_WINDOW_SEARCH, WindowEstimate, WindowSearchOptions } from "./windowEstimate";

export type GateOptions = Partial<WindowSearchOptions>;

/**
 * How an admitted request ended: answered (any status but 429: the API counted it), limited (429),
 * no answer (reset, timeout: it may have been counted), or never sent (nothing is learned).
 */
export type RequestOutcome = { kind: "answered" | "noAnswer" | "notSent" } | { kind: "limited"; retryAfterMs?: number | undefined };

export interface Admission {
  readonly startedAt: number;
  /** Reports how the request ended and frees its slot; later calls do nothing. */
  finish(outcome: RequestOutcome): void;
}

type AdmissionKind = "unlimited" | "paced" | "probe";

interface Ticket {
  kind: AdmissionKind;
  startedAt: number;
  /** How long before the start the oldest answer counted against the window came in (Infinity: none). */
  ageMs: number;
  /** N when it started: an outcome under another N says nothing about the window. */
  perWindow: number | undefined;
  /** Started spread W/N from the one before. */
  spread: boolean;
}

interface Answer {
  start: number;
  end: number;
  /** An HTTP answer (not a lost connection): evidence of what the API allows. */
  answered: boolean;
}

export class RequestGate {
  private maxConcurrency: number;
  private inFlightCap: number;
  private inFlight = 0;
  /** In the order asked (`askedAt`), which is the order served. */
  private readonly waiters: Array<{ askedAt: number; wake: (admission: Admission) => void }> = [];
  private timer: NodeJS.Timeout | undefined;
  /** When `timer` fires (Infinity: none pending). */
  private timerAt = Number.POSITIVE_INFINITY;

  private perWindow: number | undefined;
  private readonly window: WindowEstimate;
  private answers: Answer[] = [];
  private probeInFlight = false;
  /** Starts spaced evenly over the window (N per W, at least W/N apart) rather than let out N at once. */
  private spread = false;
  private lastStartAt = Number.NEGATIVE_INFINITY;
  /** While N is unknown: no request starts before this. */
  private pausedUntil = 0;
  private limitedInARow = 0;
  /** N was learned from a 429 answered then; answers to requests started before it still count. */
  private learnedFrom: number | undefined;
  private readonly search: WindowSearchOptions;

  constructor(maxConcurrency: number, options: GateOptions = {}) {
    this.maxConcurrency = Math.max(1, Math.floor(maxConcurrency));
    this.inFlightCap = this.maxConcurrency;
    this.search = { ...DEFAULT_WINDOW_SEARCH, ...options };
    this.window = new WindowEstimate(this.search);
  }

  /** Setting the same bound again changes nothing. */
  setMaxConcurrency(maxConcurrency: number): void {
    this.maxConcurrency = Math.max(1, Math.floor(maxConcurrency));
    this.inFlightCap = Math.max(1, Math.min(this.inFlightCap, this.maxConcurrency));
    this.drain();
  }

  /** Requests currently allowed in flight at once. */
  get currentWindow(): number {
    return this.inFlightCap;
  }

  /** The limit as learned so far: N requests per `windowMs` (Infinity while no window is proven); undefined when not limiting. */
  get allowance(): { requests: number; windowMs: number } | undefined {
    return this.perWindow === undefined ? undefined : { requests: this.perWindow, windowMs: this.window.longEnoughMs };
  }

  /** Whether a request asked for now would start at once (then a batch has nothing to gain by waiting). */
  get admitsNow(): boolean {
    if (this.waiters.length > 0 || this.inFlight >= this.inFlightCap) return false;
    return this.nextStart(Date.now()).at <= Date.now();
  }

  /**
   * Waits for a slot, first asked first served. `askedAt` (default: now) may be earlier than now: a
   * batch of reads that gathered companions for a while queues where its first read would have.
   */
  acquire(askedAt = Date.now()): Promise<Admission> {
    return new Promise<Admission>((wake) => {
      const after = this.waiters.findIndex((waiter) => waiter.askedAt > askedAt);
      this.waiters.splice(after === -1 ? this.waiters.length : after, 0, { askedAt, wake });
      this.drain();
    });
  }

  private drain(): void {
    while (this.waiters.length > 0 && this.inFlight < this.inFlightCap) {
      const now = Date.now();
      const next = this.nextStart(now);
      if (next.at > now) {
        this.wakeAt(next.at);
        return;
      }
      this.waiters.shift()!.wake(this.admit(next.kind, now, next.ageMs));
    }
  }

  private wakeAt(at: number): void {
    // Not before the timer already set, nor at Infinity (an answer will call drain()).
    if (at >= this.timerAt) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timerAt = Number.POSITIVE_INFINITY;
        this.drain();
      },
      Math.max(1, Math.ceil(at - Date.now())),
    );
  }

  /** When the next request may start, and as what. */
  private nextStart(now: number): { at: number; kind: AdmissionKind; ageMs: number } {
    if (this.perWindow === undefined) return { at: Math.max(now, this.pausedUntil), kind: "unlimited", ageMs: Number.POSITIVE_INFINITY };
    const next = this.windowStart(now, this.perWindow);
    if (!this.spread) return next;
    const windowMs = next.kind === "probe" || !Number.isFinite(this.window.longEnoughMs) ? this.window.guessMs : this.window.longEnoughMs;
    return { ...next, at: Math.max(next.at, this.lastStartAt + windowMs / this.perWindow) };
  }

  /** When the N-per-W rule lets the next request start. */
  private windowStart(now: number, perWindow: number): { at: number; kind: AdmissionKind; ageMs: number } {
    const room = perWindow - this.inFlight;
    if (room <= 0) return { at: Number.POSITIVE_INFINITY, kind: "paced", ageMs: 0 };
    if (this.answers.length < room) return { at: now, kind: "paced", ageMs: Number.POSITIVE_INFINITY };
    // Starting now is within the rule for window w when this answer is at least w old.
    const oldestCounted = this.answers[this.answers.length - room].end;
    const ageMs = now - oldestCounted;
    const pacedAt = oldestCounted + this.window.longEnoughMs;
    if (pacedAt <= now) return { at: now, kind: "paced", ageMs };
    if (this.probeInFlight || this.window.settled) return { at: pacedAt, kind: "paced", ageMs };
    const probeAt = oldestCounted + this.window.guessMs;
    return probeAt <= now ? { at: now, kind: "probe", ageMs } : { at: Math.min(probeAt, pacedAt), kind: "probe", ageMs };
  }

  private admit(kind: AdmissionKind, now: number, ageMs: number): Admission {
    this.inFlight++;
    this.lastStartAt = now;
    if (kind === "probe") this.probeInFlight = true;
    const ticket: Ticket = { kind, startedAt: now, ageMs, perWindow: this.perWindow, spread: this.spread };
    let finished = false;
    return {
      startedAt: now,
      finish: (outcome) => {
        if (finished) return;
        finished = true;
        this.finish(ticket, outcome);
      },
    };
  }

  private finish(ticket: Ticket, outcome: RequestOutcome): void {
    const now = Date.now();
    this.inFlight--;
    if (ticket.kind === "probe") this.probeInFlight = false;
    if (outcome.kind === "limited") {
      this.onLimited(ticket, now, outcome.retryAfterMs);
    } else if (outcome.kind !== "notSent") {
      // The API may have counted a request that got no answer, so it counts here too.
      this.answers.push({ start: ticket.startedAt, end: now, answered: outcome.kind === "answered" });
      if (outcome.kind === "answered") this.onAnswered(ticket);
    }
    this.prune(now);
    this.drain();
  }

  private onAnswered(ticket: Ticket): void {
    this.limitedInARow = 0;
    if (this.inFlightCap < this.maxConcurrency) this.inFlightCap++;
    if (this.perWindow === undefined) return;
    if (this.learnedFrom !== undefined && ticket.startedAt <= this.learnedFrom) {
      // Answered after the 429 that taught N, but counted before it: N was larger.
      this.perWindow = Math.max(this.perWindow, this.answeredWithin(this.learnedFrom, this.search.initialMs));
    }
    if (ticket.kind !== "unlimited" && ticket.perWindow === this.perWindow && Number.isFinite(ticket.ageMs)) this.window.worked(ticket.ageMs);
  }

  private onLimited(ticket: Ticket, now: number, retryAfterMs: number | undefined): void {
    this.limitedInARow++;
    if (this.perWindow === undefined) {
      // Requests started up to this answer may have been counted before this one was refused.
      const answered = this.answeredWithin(now, this.search.initialMs);
      // Right after a pause the last second says nothing about the limit; only the pause can help.
      const sendingForAWindow = ticket.startedAt - this.pausedUntil >= this.search.initialMs;
      if (answered === 0 || !sendingForAWindow) {
        this.inFlightCap = Math.max(1, Math.floor(this.inFlightCap / 2));
        const backoff = Math.min(this.search.maxProbeGapMs, this.search.minProbeGapMs * 2 ** (this.limitedInARow - 1));
        this.pausedUntil = Math.max(this.pausedUntil, now + (retryAfterMs ?? backoff * (0.75 + 0.25 * this.search.random())));
        return;
      }
      this.perWindow = answered;
      this.learnedFrom = now;
      const oldest = this.oldestCounted(ticket.startedAt);
      this.window.failed(oldest === undefined ? 0 : Math.max(0, ticket.startedAt - oldest.end));
    } else if (ticket.kind !== "unlimited" && ticket.perWindow === this.perWindow && Number.isFinite(ticket.ageMs)) {
      // A sliding window never refuses a start the proven window allows; a token bucket
      // (Losant/redis-gcra) does, among N let out together: the window is right, the burst is not.
      if (!ticket.spread && ticket.ageMs >= this.window.longEnoughMs) {
        this.spread = true;
        return;
      }
      // Started under this N (not before it was known): the window was too short.
      this.window.failed(ticket.ageMs);
    }
    if (retryAfterMs !== undefined) this.boundByRetryAfter(ticket.startedAt, now, retryAfterMs);
  }

  /**
   * A Retry-After of R seconds (whole seconds, rounded up, as far as anyone can tell) says the
   * oldest request in the API's window leaves it between R-1 and R seconds from the answer.
   */
  private boundByRetryAfter(startedAt: number, now: number, retryAfterMs: number): void {
    const oldest = this.oldestCounted(startedAt);
    if (oldest === undefined) return;
    const upper = now + retryAfterMs - oldest.start;
    const lower = startedAt + retryAfterMs - 1000 - oldest.end - (oldest.end - oldest.start);
    this.window.bounded(lower, upper);
  }

  /** The answer that holds the N-th place counting back from a request started at `startedAt`. */
  private oldestCounted(startedAt: number): Answer | undefined {
    if (this.perWindow === undefined) return undefined;
    let seen = 0;
    for (let i = this.answers.length - 1; i >= 0; i--) {
      if (this.answers[i].start > startedAt) continue;
      if (++seen === this.perWindow) return this.answers[i];
    }
    return undefined;
  }

  /** Answered requests started within `windowMs` before `at` (and not after it). */
  private answeredWithin(at: number, windowMs: number): number {
    return this.answers.filter((answer) => answer.answered && answer.start <= at && at - answer.start < windowMs).length;
  }

  private prune(now: number): void {
    // Pacing needs the last N answers; learning N needs those of the last second.
    const keep = Math.max(64, 2 * (this.perWindow ?? 0) + 2 * this.maxConcurrency);
    let drop = Math.max(0, this.answers.length - keep);
    if (this.perWindow === undefined) {
      drop = 0;
      while (drop < this.answers.length && now - this.answers[drop].end > 2 * this.search.initialMs) drop++;
      drop = Math.max(drop, this.answers.length - 8192);
    }
    if (drop > 0) this.answers = this.answers.slice(drop);
  }
}
