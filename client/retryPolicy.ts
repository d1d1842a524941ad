/**
 * When and how long to wait before trying a request again. Rate limiting (429) and failures (5xx,
 * network) have separate budgets: a 429 says nothing is wrong, only "not now", and Losant's
 * windows can be minutes long, so it is retried for as long as the time budget allows; a failure
 * may be lasting, so it gets a few attempts only.
 */
import { LosantApiError, LosantNetworkError } from "./errors";

export interface RetryPolicy {
  /** Tries per request for 5xx and network failures, the first included. */
  maxAttempts: number;
  /** Backoff after a 5xx or network failure: exponential from this, capped, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this on a 503 is not waited out; the request fails instead. */
  maxRetryAfterMs: number;
  /** Time budget for the 5xx and network retries of one request, waits included. */
  maxRetryTimeMs: number;
  /** Time budget for the 429 retries of one request, from its first attempt; a Retry-After ending past it fails at once. */
  rateLimitTimeoutMs: number;
  /**
   * After a 429 without Retry-After the gate paces the whole process (requestGate.ts); the request
   * itself first waits only this short, jittered, growing pause, so that nothing can spin.
   */
  rateLimitBaseDelayMs: number;
  rateLimitMaxDelayMs: number;
}

export const DEFAULT_RETRY_TIMEOUT_SECONDS = 300;

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 200,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 120_000,
  maxRetryTimeMs: 180_000,
  rateLimitTimeoutMs: DEFAULT_RETRY_TIMEOUT_SECONDS * 1000,
  rateLimitBaseDelayMs: 100,
  rateLimitMaxDelayMs: 1_000,
};

/** The default policy with another 429 budget. */
export function retryPolicyWith(rateLimitTimeoutMs: number): RetryPolicy {
  return { ...DEFAULT_RETRY_POLICY, rateLimitTimeoutMs };
}

/** Parses a Retry-After header (delta-seconds or HTTP-date) into milliseconds from `now`. */
export function parseRetryAfter(header: string | null | undefined, now = Date.now()): number | undefined {
  const trimmed = header?.trim();
  if (!trimmed) return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * Exponential backoff with equal jitter (not full jitter): a random wait between half and all of
 * base * 2^(attempt-1), capped, so a retry never comes sooner than half its backoff.
 */
export function backoffDelay(policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** The short pause a request takes after its `attempt`-th 429 without Retry-After. */
export function rateLimitDelay(policy: RetryPolicy, attempt: number): number {
  return backoffDelay({ baseDelayMs: policy.rateLimitBaseDelayMs, maxDelayMs: policy.rateLimitMaxDelayMs }, attempt);
}

/**
 * Failures that prove a request never reached Losant: the connection was refused, or the host name
 * did not resolve yet. Only these let a POST be sent again without looking first.
 */
const NOT_SENT_NETWORK_CODES: readonly string[] = ["ECONNREFUSED", "EAI_AGAIN"];

/** Connection-level failures after which the same request may simply be sent again: those, and the ones that may have reached it. */
const RETRYABLE_NETWORK_CODES = [...NOT_SENT_NETWORK_CODES, "ECONNRESET", "EPIPE", "ETIMEDOUT", "ECONNABORTED", "UND_ERR_SOCKET", "REQUEST_TIMEOUT"];

/** Gateway answers, retried (except for a POST): the request may or may not have reached Losant's application. */
const GATEWAY_STATUSES: readonly number[] = [502, 503, 504];

/** Whether a 5xx or network failure may be tried again; a POST (`unsafe`) only when it cannot have reached Losant. */
export function mayRetry(failure: { status?: number | undefined; code?: string | undefined }, unsafe: boolean): boolean {
  if (failure.status === undefined) return (unsafe ? NOT_SENT_NETWORK_CODES : RETRYABLE_NETWORK_CODES).includes(failure.code ?? "");
  return !unsafe && GATEWAY_STATUSES.includes(failure.status);
}

/**
 * Whether a failed POST may still have made the org. A POST is not safe to repeat, so the caller
 * must find out (by listing) before sending it again whenever this says yes.
 */
export function createOutcomeUnknown(error: unknown): boolean {
  // A timeout, a reset or a closed socket: the request may have been applied before the answer was lost.
  if (error instanceof LosantNetworkError) return !NOT_SENT_NETWORK_CODES.includes(error.code ?? "");
  // A gateway that gave up on Losant's application says nothing about whether it applied the request.
  if (error instanceof LosantApiError) return GATEWAY_STATUSES.includes(error.status);
  return false;
}
