/** Misbehaviour the emulator can be told to show, so clients can be tested against it. */
export type FaultKind =
  /** Answer with `status` (and `retryAfter` as the Retry-After header, if given). */
  | "status"
  /** Destroy the connection without answering. */
  | "reset"
  /** Never answer (until the client gives up or the server closes). */
  | "hang"
  /** Carry out the request, then destroy the connection: the change is made but its answer is lost. */
  | "applyThenReset";

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
  /** Fire for this many matching requests, then stop. */
  times?: number;
  /** Fire for this share (0..1) of matching requests. */
  probability?: number;
}

export interface FaultSettings {
  /** Added before every answer, like a WAN round trip. */
  latencyMs: number;
  /** Added once more to the first request on each new connection, like the TCP and TLS handshakes a WAN costs. */
  connectionLatencyMs: number;
  /** Answer 429 to requests above this many per rolling second (0: no limit). */
  rateLimitPerSecond: number;
  rules: FaultRule[];
}

export interface RequestInfo {
  method: string;
  path: string;
}

/** Decides, request by request, which fault (if any) applies. Deterministic when given a seeded random. */
export class FaultInjector {
  settings: FaultSettings = { latencyMs: 0, connectionLatencyMs: 0, rateLimitPerSecond: 0, rules: [] };
  private fired = new Map<FaultRule, number>();
  private recent: number[] = [];

  constructor(private readonly random: () => number = Math.random) {}

  configure(settings: Partial<FaultSettings>): void {
    this.settings = { ...this.settings, ...settings, rules: settings.rules ?? this.settings.rules };
    this.fired.clear();
  }

  reset(): void {
    this.settings = { latencyMs: 0, connectionLatencyMs: 0, rateLimitPerSecond: 0, rules: [] };
    this.fired.clear();
    this.recent = [];
  }

  /** A 429 when the request is over the rolling one-second budget, with the wait until a slot frees. */
  rateLimited(now = Date.now()): { retryAfterMs: number } | undefined {
    const limit = this.settings.rateLimitPerSecond;
    if (limit <= 0) return undefined;
    this.recent = this.recent.filter((t) => now - t < 1000);
    if (this.recent.length >= limit) return { retryAfterMs: 1000 - (now - this.recent[0]) };
    this.recent.push(now);
    return undefined;
  }

  pick(request: RequestInfo): FaultRule | undefined {
    for (const rule of this.settings.rules) {
      if (rule.method && rule.method.toUpperCase() !== request.method) continue;
      if (rule.pathIncludes && !request.path.includes(rule.pathIncludes)) continue;
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
