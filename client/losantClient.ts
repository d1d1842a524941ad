import http from "http";
import https from "https";
import fetch, { Response } from "node-fetch";
import { LosantApiError, LosantNetworkError, OrgOperation, OrgRef } from "./errors";
import { RequestGate } from "./requestGate";
import { DEFAULT_RETRY_POLICY, RETRYABLE_NETWORK_CODES, RetryPolicy, backoffDelay, parseRetryAfter } from "./retryPolicy";
import type { LosantInstanceOrg, OrgSettings } from "../losant/types";

export const ACCEPT_VERSION = "^1.30.0";

export interface ClientOptions {
  apiUrl: string;
  apiToken: string;
  userAgent: string;
  timeoutMs: number;
  gate: RequestGate;
  retryPolicy?: RetryPolicy;
}

// One keep-alive agent per protocol for the whole process: a fleet reuses a handful of sockets.
const agents = {
  http: new http.Agent({ keepAlive: true }),
  https: new https.Agent({ keepAlive: true }),
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function summaryQuery(summaryInclude: readonly string[] | undefined): string {
  return summaryInclude && summaryInclude.length > 0 ? `?summaryInclude=${encodeURIComponent(summaryInclude.join(","))}` : "";
}

interface Attempt {
  startedAt: number;
  response?: Response;
  body?: unknown;
  networkError?: { message: string; code?: string };
}

/** The calls this package makes to Losant's Instance Org API, with retries and admission control. */
export class LosantClient {
  private readonly options: ClientOptions;
  private readonly policy: RetryPolicy;

  constructor(options: ClientOptions) {
    this.options = options;
    this.policy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
  }

  /** GET the org; `undefined` when Losant answers 404. */
  async getOrg(ref: OrgRef, summaryInclude?: readonly string[]): Promise<LosantInstanceOrg | undefined> {
    const result = await this.send("get", ref, "GET", summaryQuery(summaryInclude));
    return result.status === 404 ? undefined : (result.body as LosantInstanceOrg);
  }

  /** PATCH the org with exactly `body`; Losant answers with the whole org. */
  async patchOrg(ref: OrgRef, body: OrgSettings, summaryInclude?: readonly string[]): Promise<LosantInstanceOrg> {
    const result = await this.send("patch", ref, "PATCH", summaryQuery(summaryInclude), body);
    if (result.status === 404) throw new LosantApiError("patch", ref, 404, errorField(result.body, "type"), errorField(result.body, "message"));
    return result.body as LosantInstanceOrg;
  }

  /** DELETE the org; `false` when it was already gone (404). */
  async deleteOrg(ref: OrgRef): Promise<boolean> {
    const result = await this.send("delete", ref, "DELETE", "");
    return result.status !== 404;
  }

  private async send(operation: OrgOperation, ref: OrgRef, method: string, query: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const path = `/instances/${encodeURIComponent(ref.instanceId)}/orgs/${encodeURIComponent(ref.orgId)}`;
    const url = `${this.options.apiUrl.replace(/\/+$/, "")}${path}${query}`;
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(method, url, body);
      const status = outcome.response?.status;
      if (status !== undefined && status !== 429) this.options.gate.onSuccess(outcome.startedAt);
      if (status !== undefined && status < 400) return { status, body: outcome.body };
      if (status === 404) return { status, body: outcome.body };

      const retryable = status === undefined ? isRetryableNetworkError(outcome.networkError?.code) : this.policy.retryStatuses.includes(status);
      let delay = backoffDelay(this.policy, attempt);
      if (status === 429 || status === 503) {
        const retryAfter = parseRetryAfter(outcome.response?.headers.get("retry-after"));
        if (retryAfter !== undefined) {
          if (retryAfter > this.policy.maxRetryAfterMs) delay = Number.POSITIVE_INFINITY;
          else delay = retryAfter + Math.round(Math.random() * 50);
        }
        if (status === 429) this.options.gate.onRateLimited(Number.isFinite(delay) ? delay : this.policy.maxDelayMs);
      }
      const outOfTime = Date.now() - started + delay > this.policy.maxRetryTimeMs;
      if (!retryable || attempt >= this.policy.maxAttempts || outOfTime) {
        if (status === undefined) {
          throw new LosantNetworkError(operation, ref, outcome.networkError?.message ?? "no response", outcome.networkError?.code, attempt);
        }
        throw new LosantApiError(operation, ref, status, errorField(outcome.body, "type"), errorField(outcome.body, "message"), attempt);
      }
      // After a 429 the gate also slows every other request; this one waits its full Retry-After.
      await sleep(delay);
    }
  }

  private async attempt(method: string, url: string, body: unknown): Promise<Attempt> {
    const release = await this.options.gate.acquire();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    const sent = Date.now();
    try {
      const response = await fetch(url, {
        method,
        headers: {
          Accept: "application/json",
          "Content-Type": "application/json",
          "Accept-Version": ACCEPT_VERSION,
          "User-Agent": this.options.userAgent,
          Authorization: `Bearer ${this.options.apiToken}`,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        agent: (parsed) => (parsed.protocol === "http:" ? agents.http : agents.https),
        signal: controller.signal,
      });
      const text = await response.text();
      return { startedAt: sent, response, body: parseJson(text) };
    } catch (error) {
      return { startedAt: sent, networkError: describeNetworkError(error, controller.signal.aborted, this.options.timeoutMs) };
    } finally {
      clearTimeout(timer);
      release();
    }
  }
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 500) };
  }
}

function errorField(body: unknown, field: "type" | "message"): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const value = (body as Record<string, unknown>)[field];
  return typeof value === "string" ? value : undefined;
}

function isRetryableNetworkError(code: string | undefined): boolean {
  return code !== undefined && RETRYABLE_NETWORK_CODES.includes(code);
}

function describeNetworkError(error: unknown, timedOut: boolean, timeoutMs: number): { message: string; code?: string } {
  if (timedOut) return { message: `no response within ${timeoutMs} ms`, code: "REQUEST_TIMEOUT" };
  const err = error as { code?: string; errno?: string; message?: string; type?: string };
  const code = err.code ?? err.errno ?? (err.message?.includes("socket hang up") ? "ECONNRESET" : undefined);
  return { message: `network error ${code ?? ""} ${err.message ?? String(error)}`.replace(/\s+/g, " ").trim(), code };
}
