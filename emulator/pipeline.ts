/**
 * What happens to an API request before its handler runs: the configured latency, the rate
 * limit, and any fault rule that matches. Each may answer the request itself.
 */
import http from "http";
import { FaultInjector, FaultRule } from "./faults";
import { send } from "./http";
import { retryAfterHeaders } from "./rateLimit";
import type { RecordedRequest } from "./recording";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** "answered": the pipeline has answered (or dropped) the request; otherwise the handler runs, with `rule` still to apply after it. */
export type Admission = { answered: true } | { answered: false; rule?: FaultRule };

export async function admit(faults: FaultInjector, res: http.ServerResponse, record: RecordedRequest, newConnection: boolean): Promise<Admission> {
  const delay = faults.settings.latencyMs + (newConnection ? faults.settings.connectionLatencyMs : 0);
  if (delay > 0) await sleep(delay);
  // Counted after the latency: the latency stands for the trip to the server, where the limiter sits.
  const limited = faults.rateLimited();
  if (limited) {
    record.status = 429;
    record.fault = "rateLimit";
    send(res, 429, { type: "TooManyRequests", message: "Rate limit exceeded" }, retryAfterHeaders(limited.settings, limited.retryAfterMs));
    return { answered: true };
  }
  const rule = faults.pick({ method: record.method, path: record.path, query: record.query });
  if (!rule) return { answered: false };
  record.fault = rule.kind === "status" ? `status ${rule.status ?? 500}` : rule.kind;
  if (rule.kind === "status") {
    const status = rule.status ?? 500;
    record.status = status;
    const type = status === 429 ? "TooManyRequests" : "ServerError";
    send(res, status, { type, message: `Injected fault: HTTP ${status}` }, rule.retryAfter ? { "Retry-After": rule.retryAfter } : {});
    return { answered: true };
  }
  if (rule.kind === "reset") {
    res.socket?.destroy();
    return { answered: true };
  }
  if (rule.kind === "hang") return { answered: true }; // left open; close() destroys it
  if (rule.kind === "delay") {
    await sleep(rule.delayMs ?? 0);
    return { answered: false };
  }
  return { answered: false, rule };
}

/** After the handler: a rule may still drop the answer (the change is made, the reply lost). */
export function dropsAnswer(rule: FaultRule | undefined): boolean {
  return rule?.kind === "applyThenReset";
}

/** After the handler: a rule may withhold the answer (the change is made, the reply never sent). */
export function withholdsAnswer(rule: FaultRule | undefined): boolean {
  return rule?.kind === "applyThenHang";
}
