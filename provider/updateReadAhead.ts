/**
 * The read a limits update needs, started when `diff` finds the change instead of when `update`
 * runs.
 *
 * A limits PATCH must carry the server's current undeclared limits, so `update` reads the org
 * first: two round trips, each held in one of the engine's --parallel slots. The engine calls
 * `update` some milliseconds after `diff` (median 7.5 ms, p99 31 ms at 1,000 orgs with Pulumi 3.248
 * and checkpoints skipped), and that time can carry the read. Only in a process that applies
 * changes: a preview diffs every org and never updates one, and must send nothing, so reads start
 * only once this process has seen a `create` or `update` (the engine calls neither in a preview of
 * a dynamic provider's resources).
 *
 * Merge safety is unchanged: `update` uses the read only while it is still in flight or was answered
 * at most one batch window before (`FRESH_FOR_MS`); anything older is read again, which costs a
 * request. So a read starts early only when it would be used: while reads take at least that window
 * (a faster one gains little) and the engine calls `update` soon enough after `diff` that the answer
 * is still fresh then. Both are timed as the run goes: with a checkpoint after every step the engine
 * waits much longer between the two, and reads then start at `update` as before.
 */
import type { NotFoundVerdict } from "../client/notFound";

/** How long an answered read stays fresh enough for a PATCH: one batch window (client/orgBatcher.ts). */
export const FRESH_FOR_MS = 20;
/** A diff whose update never came (its step failed or was skipped) is forgotten after this long. */
export const UNUSED_AFTER_MS = 60_000;
/** How much the latest timing counts in its smoothed estimate. */
const LATEST_WEIGHT = 0.25;

interface Diffed {
  readonly diffAt: number;
  /** The read started at `diff`, when it was worth starting. */
  readonly verdict?: Promise<NotFoundVerdict>;
  answeredAt?: number;
}

export interface UpdateReadAheadOptions {
  now?: () => number;
  freshForMs?: number;
}

function smoothed(estimate: number | undefined, latest: number): number {
  return estimate === undefined ? latest : estimate + LATEST_WEIGHT * (latest - estimate);
}

export class UpdateReadAhead {
  private applying = false;
  private readonly diffed = new Map<string, Diffed>();
  private readonly now: () => number;
  private readonly freshForMs: number;
  /** How long an update's read takes, from asking to answer; unknown until one was timed. */
  private roundTripMs: number | undefined;
  /** How long after `diff` the engine calls `update`; unknown until one was timed. */
  private gapMs: number | undefined;

  constructor(options: UpdateReadAheadOptions = {}) {
    this.now = options.now ?? Date.now;
    this.freshForMs = options.freshForMs ?? FRESH_FOR_MS;
  }

  /** `create` or `update` was called: this process applies changes. */
  markApplying(): void {
    this.applying = true;
  }

  get isApplying(): boolean {
    return this.applying;
  }

  /**
   * Whether a read started at `diff` now would be used: reads take at least one window, and the
   * engine's usual wait before `update` is at most half of what keeps an answer fresh (a read's
   * round trip plus one window), which leaves room for the slower calls.
   */
  get startsReads(): boolean {
    if (!this.applying || this.roundTripMs === undefined || this.gapMs === undefined) return false;
    return this.roundTripMs >= this.freshForMs && this.gapMs <= (this.roundTripMs + this.freshForMs) / 2;
  }

  /**
   * `diff` found a change whose update reads the org: the time is noted (to learn the engine's
   * wait before `update`), and `read` starts now when `startsReads`.
   */
  noteDiff(key: string, read: () => Promise<NotFoundVerdict>): void {
    if (!this.applying) return;
    this.dropUnused();
    const diffAt = this.now();
    if (!this.startsReads) {
      this.diffed.set(key, { diffAt });
      return;
    }
    const verdict = read();
    const entry: Diffed = { diffAt, verdict };
    const answered = () => {
      entry.answeredAt = this.now();
      this.roundTripMs = smoothed(this.roundTripMs, entry.answeredAt - diffAt);
    };
    // Handled here so that a read nobody takes never surfaces as an unhandled rejection; the
    // update that takes it awaits the same promise and gets the same error.
    verdict.then(answered, answered);
    this.diffed.set(key, entry);
  }

  /**
   * Reads the org for an update: the read started at its `diff` if it is still in flight or fresh
   * (each is used once), else `read` now, timed.
   */
  async read(key: string, read: () => Promise<NotFoundVerdict>): Promise<NotFoundVerdict> {
    const entry = this.diffed.get(key);
    this.diffed.delete(key);
    const now = this.now();
    if (entry !== undefined) this.gapMs = smoothed(this.gapMs, now - entry.diffAt);
    if (entry?.verdict !== undefined && (entry.answeredAt === undefined || now - entry.answeredAt <= this.freshForMs)) return entry.verdict;
    try {
      return await read();
    } finally {
      this.roundTripMs = smoothed(this.roundTripMs, this.now() - now);
    }
  }

  private dropUnused(): void {
    const cutoff = this.now() - UNUSED_AFTER_MS;
    for (const [key, entry] of this.diffed) if (entry.diffAt < cutoff) this.diffed.delete(key);
  }
}

/** Which read an update of this org would make: the org, and the summary fields it asks for. */
export function updateReadKey(instanceId: string, orgId: string, summaryInclude?: readonly string[]): string {
  return `${instanceId}/${orgId}?${(summaryInclude ?? []).join(",")}`;
}
