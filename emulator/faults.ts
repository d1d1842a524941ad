import { checkRateLimit, Limiter, limiterFor, perSecond, RateLimitSettings } from "./rateLimit";

/** Misbehaviour the emulator can be told to show, so clients can be tested against it. */
export type FaultKind =
  /** Answer with `status` (and `retryAfter` as the Retry-After header, if given). */
  | "status"
  /** Destroy the connection without answering. */
  | "reset"
  /** Never answer (until the client gives up or the server closes). */
  | "hang"
  /** Carry out the request, then destroy the connection: the change is made but its answer is lost. */
  | "applyThenReset"
  /** Carry out the request, then never answer: the change is made while the client still waits (a kill then loses it). */
  | "applyThenHang"
  /** Answer `delayMs` later than the latency alone would, then as usual: a slow query or endpoint. */
  | "delay";

export interface FaultRule {
  kind: FaultKind;
  status?: number;
  /** For `status`: pick one of these at random each time (instead of `status`). */
  statuses?: number[];
  retryAfter?: string;
  /** Only requests with this method (GET, PATCH, DELETE, POST). */
  method?: string;
  /** Only requests whose path contains this text. */
  pathIncludes?: string;
  /** Only requests whose path ends with this text (`/orgs`: the org list, not one org). */
  pathEndsWith?: string;
  /** Only requests whose query, decoded as `key=value` pairs joined by `&`, contains this text (`"$in"`: a list by ids). */
  queryIncludes?: string;
  /** For `delay`: how much later the answer comes. */
  delayMs?: number;
  /** Fire for this many matching requests, then stop. */
  times?: number;
  /** Let this many matching requests through before firing (the second list of a refresh, say). */
  skip?: number;
  /** Fire for this share (0..1) of matching requests. */
  probability?: number;
}

export interface FaultSettings {
  /** Added before every answer, like a WAN round trip. */
  latencyMs: number;
  /** Added once more to the first request on each new connection, like the TCP and TLS handshakes a WAN costs. */
  connectionLatencyMs: number;
  /** Throttle: 429 for requests over the allowance of a sliding window or a GCRA bucket; absent for none. */
  rateLimit?: RateLimitSettings;
  /**
   * Input shorthand for `configure` only (never kept in `settings`): N stands for
   * `rateLimit: { requests: N, windowMs: 1000, retryAfter: "seconds" }`, 0 for no limit.
   */
  rateLimitPerSecond?: number;
  rules: FaultRule[];
}

/** What `configure` takes; `rateLimit: null` removes the throttle. */
export type FaultConfig = Omit<Partial<FaultSettings>, "rateLimit"> & { rateLimit?: RateLimitSettings | null };

function rateLimitOf(config: FaultConfig, current: RateLimitSettings | undefined): RateLimitSettings | undefined {
  if (config.rateLimit === null) return undefined;
  if (config.rateLimit !== undefined) return checkRateLimit(config.rateLimit);
  if (config.rateLimitPerSecond !== undefined) return perSecond(config.rateLimitPerSecond);
  return current;
}

export interface RequestInfo {
  method: string;
  path: string;
  /** The query string as parsed key/values. */
  query?: Record<string, string>;
}

function queryText(query: Record<string, string> | undefined): string {
  return Object.entries(query ?? {})
    .map(([key, value]) => `${key}=${value}`)
    .join("&");
}

/** Decides, request by request, which fault (if any) applies. Deterministic when given a seeded random. */
export class FaultInjector {
  settings: FaultSettings = { latencyMs: 0, connectionLatencyMs: 0, rules: [] };
  private fired = new Map<FaultRule, number>();
  private passed = new Map<FaultRule, number>();
  private window: Limiter | undefined;

  constructor(private readonly random: () => number = Math.random) {}

  configure(config: FaultConfig): void {
    const limit = rateLimitOf(config, this.settings.rateLimit);
    const { rateLimitPerSecond: _shorthand, rateLimit: _limit, ...rest } = config;
    this.settings = { ...this.settings, ...rest, rules: rest.rules ?? this.settings.rules };
    if (limit) this.settings.rateLimit = limit;
    else delete this.settings.rateLimit;
    // A new allowance starts with an empty window (a full bucket); the same allowance configured again keeps its history.
    if (JSON.stringify(limit) !== JSON.stringify(this.window?.settings)) this.window = limit && limiterFor(limit);
    this.fired.clear();
    this.passed.clear();
  }

  reset(): void {
    this.settings = { latencyMs: 0, connectionLatencyMs: 0, rules: [] };
    this.fired.clear();
    this.passed.clear();
    this.window = undefined;
  }

  /** A 429 when the request is over the allowance, with the wait until a slot frees. */
  rateLimited(now = Date.now()): { retryAfterMs: number; settings: RateLimitSettings } | undefined {
    const refused = this.window?.admit(now);
    return refused && this.window && { ...refused, settings: this.window.settings };
  }

  pick(request: RequestInfo): FaultRule | undefined {
    for (const rule of this.settings.rules) {
      if (rule.method && rule.method.toUpperCase() !== request.method) continue;
      if (rule.pathIncludes && !request.path.includes(rule.pathIncludes)) continue;
      if (rule.pathEndsWith && !request.path.endsWith(rule.pathEndsWith)) continue;
      if (rule.queryIncludes && !queryText(request.query).includes(rule.queryIncludes)) continue;
      if (rule.skip !== undefined) {
        const passed = this.passed.get(rule) ?? 0;
        if (passed < rule.skip) {
          this.passed.set(rule, passed + 1);
          continue;
        }
      }
      const count = this.fired.get(rule) ?? 0;
      if (rule.times !== undefined && count >= rule.times) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      this.fired.set(rule, count + 1);
      if (rule.statuses && rule.statuses.length > 0) {
        return { ...rule, status: rule.statuses[Math.floor(this.random() * rule.statuses.length)] };
      }
      return rule;
    }
    return undefined;
  }
}
