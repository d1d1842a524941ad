/**
 * The read a limits update needs, started when `diff` finds the change instead of when `update`
 * runs.
 *
 * A limits PATCH must carry the server's current undeclared limits, so `update` reads the org
 * first: two round trips, each held in one of the engine's --parallel slots. The engine calls
 * `update` some milliseconds after `diff` (median 7.5 ms, p99 31 ms at 1,000 orgs with Pulumi 3.248),
 * and that time can carry the read. Only in a process that applies changes: a preview diffs every org
 * and never updates one, and must send nothing, so reads start only once this process has seen an
 * `create` or `update` (the engine calls neither in a preview of a dynamic provider's resources).
 *
 * Merge safety is unchanged: `update` uses the read only while it is still in flight or was answered
 * at most one batch window before (`FRESH_FOR_MS`); anything older is read again. So reads start
 * early only while they take at least that window (`observe`): a faster read gains little from
 * starting early, and would often be answered too early to use, costing a second read.
 */
import type { NotFoundVerdict } from "../client/notFound";

/** How long an answered read stays fresh enough for a PATCH: one batch window (client/orgBatcher.ts). */
export const FRESH_FOR_MS = 20;
/** A read `update` never took (its step failed or was skipped) is dropped after this long. */
export const UNUSED_AFTER_MS = 60_000;

interface StartedRead {
  readonly startedAt: number;
  answeredAt?: number;
  readonly verdict: Promise<NotFoundVerdict>;
}

export interface UpdateReadAheadOptions {
  now?: () => number;
  freshForMs?: number;
}

/** How much the latest read counts in the estimate of how long reads take. */
const ROUND_TRIP_WEIGHT = 0.25;

export class UpdateReadAhead {
  private applying = false;
  private readonly started = new Map<string, StartedRead>();
  private readonly now: () => number;
  private readonly freshForMs: number;
  /** How long an update's read takes, smoothed; unknown until one was timed. */
  private roundTripMs: number | undefined;

  constructor(options: UpdateReadAheadOptions = {}) {
    this.now = options.now ?? Date.now;
    this.freshForMs = options.freshForMs ?? FRESH_FOR_MS;
  }

  /** `create` or `update` was called: this process applies changes, so later diffs may start their reads. */
  markApplying(): void {
    this.applying = true;
  }

  /** Whether a read started now would be used: the process applies changes and reads are slow enough. */
  get startsReads(): boolean {
    return this.applying && this.roundTripMs !== undefined && this.roundTripMs >= this.freshForMs;
  }

  /** How long an update's read took, from asking to answer. */
  observe(ms: number): void {
    this.roundTripMs = this.roundTripMs === undefined ? ms : this.roundTripMs + ROUND_TRIP_WEIGHT * (ms - this.roundTripMs);
  }

  /** Starts `read` for `key` when `startsReads`; otherwise does nothing. */
  start(key: string, read: () => Promise<NotFoundVerdict>): void {
    if (!this.startsReads) return;
    this.dropUnused();
    const entry: StartedRead = { startedAt: this.now(), verdict: read() };
    const answered = () => {
      entry.answeredAt = this.now();
      this.observe(entry.answeredAt - entry.startedAt);
    };
    // Handled here so that a read nobody takes never surfaces as an unhandled rejection; the
    // update that takes it awaits the same promise and gets the same error.
    entry.verdict.then(answered, answered);
    this.started.set(key, entry);
  }

  /**
   * Reads the org for an update: the read started for `key` if it is still in flight or fresh (each
   * is taken once), else `read` now, timed.
   */
  async read(key: string, read: () => Promise<NotFoundVerdict>): Promise<NotFoundVerdict> {
    const started = this.take(key);
    if (started !== undefined) return started;
    const askedAt = this.now();
    try {
      return await read();
    } finally {
      this.observe(this.now() - askedAt);
    }
  }

  /** The read started for `key`, if it is still in flight or fresh; each read is taken once. */
  take(key: string): Promise<NotFoundVerdict> | undefined {
    const entry = this.started.get(key);
    this.started.delete(key);
    if (entry === undefined) return undefined;
    if (entry.answeredAt !== undefined && this.now() - entry.answeredAt > this.freshForMs) return undefined;
    return entry.verdict;
  }

  private dropUnused(): void {
    const cutoff = this.now() - UNUSED_AFTER_MS;
    for (const [key, entry] of this.started) if (entry.startedAt < cutoff) this.started.delete(key);
  }
}

/** Which read an update of this org would make: the org, and the summary fields it asks for. */
export function updateReadKey(instanceId: string, orgId: string, summaryInclude?: readonly string[]): string {
  return `${instanceId}/${orgId}?${(summaryInclude ?? []).join(",")}`;
}
