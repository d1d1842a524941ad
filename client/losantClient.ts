import http from "http";
import https from "https";
import fetch, { type RequestInit } from "node-fetch";
import { LosantApiError, LosantNetworkError, METHODS, OrgRef } from "./errors";
import type { InstanceOrgOperation } from "../losant/scopes";
import { processWrites } from "./freshness";
import { Admission, RequestGate, RequestOutcome } from "./requestGate";
import { DEFAULT_RETRY_POLICY, RetryPolicy, backoffDelay, mayRetry, parseRetryAfter, rateLimitDelay } from "./retryPolicy";
import { documentedOrg } from "../losant/orgFields";
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

export interface SendOptions {
  /** The first attempt goes out with this place in the gate's queue, taken before (`gate.acquire()`), not a new one. */
  admission?: Promise<Admission> | undefined;
}

/**
 * What a list request filtered by id found: the org(s) as the list shows them, the instance's answer without the org
 * ("absent"), or the instance's 404 (missing, or not accessible with this token).
 */
export type OrgLookup = { kind: "listed"; org: LosantInstanceOrg } | { kind: "absent" } | { kind: "instanceNotFound" };
export type OrgsByIdLookup = { kind: "listed"; orgs: LosantInstanceOrg[]; complete: boolean } | { kind: "instanceNotFound" };

/** Losant's advanced query takes at most 100 ids in `$in` (advancedInstanceOrgQuery.json). */
export const MAX_IDS_PER_LIST = 100;

/** One request's worth of `GET /instances/{id}/orgs` (apiInfo-instanceOrgs.json). */
export interface OrgPageRequest {
  instanceId: string;
  page: number;
  perPage: number;
  /** Losant's advanced query (advancedInstanceOrgQuery.json); overrides `nameFilter`. */
  query?: Record<string, unknown> | undefined;
  /** A name glob (`acme*`), sent as filterField=name&filter=... */
  nameFilter?: string | undefined;
  sortField?: "name" | "id" | "creationDate" | "lastUpdated" | undefined;
  sortDirection?: "asc" | "desc" | undefined;
  summaryInclude?: readonly string[] | undefined;
}

export interface OrgPage {
  items: LosantInstanceOrg[];
  totalCount: number;
}

// One keep-alive agent per protocol for the whole process: a fleet reuses a handful of sockets.
const agents = {
  http: new http.Agent({ keepAlive: true }),
  https: new https.Agent({ keepAlive: true }),
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Query parameters; a list (`summaryInclude`) goes comma-separated, an empty one not at all. */
type QueryParams = Record<string, string | readonly string[] | undefined>;

function queryString(params: QueryParams): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === "string") search.append(key, value);
    else if (value !== undefined && value.length > 0) search.append(key, value.join(","));
  }
  const text = search.toString();
  return text === "" ? "" : `?${text}`;
}

/** An answer `send` returns: a success, or a 404 for the caller to judge. */
type Reply = { status: number; body: unknown };

/** What one attempt met: Losant's answer (with its Retry-After), or why there was none (a network failure or the timeout). */
type Attempt =
  { status: number; body: unknown; retryAfterMs: number | undefined } | { status?: undefined; reason: string; code?: string | undefined; cause: unknown };

/** The calls this package makes to Losant's Instance Org API, with retries and admission control. */
export class LosantClient {
  /** The API base URL this client talks to (never the token). */
  readonly apiUrl: string;
  /** The process's request gate, which every attempt goes through. */
  readonly gate: RequestGate;

  constructor(private readonly options: ClientOptions) {
    this.apiUrl = options.apiUrl;
    this.gate = options.gate;
  }

  /** GET the org; `undefined` on a 404, which means "instance or org not found": no proof that the org is gone. */
  async getOrg(ref: OrgRef, summaryInclude?: readonly string[], options: SendOptions = {}): Promise<LosantInstanceOrg | undefined> {
    const result = await this.send("get", ref, { summaryInclude }, undefined, options);
    return result.status === 404 ? undefined : documentedOrg(result.body);
  }

  /** PATCH the org with exactly `body`; Losant answers with the whole org. A 404 throws (status 404). */
  async patchOrg(ref: OrgRef, body: OrgSettings, summaryInclude?: readonly string[]): Promise<LosantInstanceOrg> {
    const result = await this.write(ref, this.send("patch", ref, { summaryInclude }, body));
    if (result.status === 404) throw this.apiError("patch", ref, 404, result.body, 1);
    return documentedOrg(result.body);
  }

  /** DELETE the org; `false` when Losant answers 404 (instance or org not found). */
  async deleteOrg(ref: OrgRef): Promise<boolean> {
    const result = await this.write(ref, this.send("delete", ref, {}));
    return result.status !== 404;
  }

  /**
   * POST a new org with exactly `body`; Losant answers with it: 201 and the instance org from API 1.31, 200 and the
   * `org` resource (no `instanceId`, `tags`, ...) up to API 1.30. Never repeated once it may have reached Losant: only
   * a refused connection or a 429 is retried. Any other failure throws; `createOutcomeUnknown` tells which of those may
   * have made the org.
   */
  async createOrg(instanceId: string, body: OrgSettings, summaryInclude?: readonly string[]): Promise<LosantInstanceOrg> {
    const ref = { instanceId, orgId: "" };
    const result = await this.send("post", ref, { summaryInclude }, body);
    if (result.status === 404) throw this.apiError("post", ref, 404, result.body, 1);
    return documentedOrg(result.body);
  }

  /** One page of the instance's orgs. A 404 (instance missing or not accessible) throws. */
  async listOrgsPage(request: OrgPageRequest): Promise<OrgPage> {
    return this.list(
      { instanceId: request.instanceId, orgId: "" },
      {
        page: String(request.page),
        perPage: String(request.perPage),
        sortField: request.sortField,
        sortDirection: request.sortDirection,
        query: request.query ? JSON.stringify(request.query) : undefined,
        filterField: request.nameFilter !== undefined && !request.query ? "name" : undefined,
        filter: request.query ? undefined : request.nameFilter,
        summaryInclude: request.summaryInclude,
      },
    );
  }

  /**
   * One request that tells a missing org from a missing instance: the instance's org list, filtered
   * to this org's id (Losant's `query` parameter, JSON-encoded as the official client sends it).
   */
  async lookUpOrg(ref: OrgRef, summaryInclude?: readonly string[]): Promise<OrgLookup> {
    const page = await this.list(ref, { query: JSON.stringify({ id: ref.orgId }), perPage: "1", summaryInclude }).catch(unlessInstanceNotFound);
    if (page === undefined) return { kind: "instanceNotFound" };
    const item = page.items.find((org) => (org.id ?? org.orgId) === ref.orgId);
    return item ? { kind: "listed", org: item } : { kind: "absent" };
  }

  /**
   * The orgs of `orgIds` (at most 100) that the instance lists, with one list request filtered by
   * `{"id": {"$in": [...]}}`. `complete` is false when the reply says more orgs matched than it
   * carries: an id missing from such a reply proves nothing.
   */
  async listOrgsById(instanceId: string, orgIds: readonly string[], summaryInclude?: readonly string[], options: SendOptions = {}): Promise<OrgsByIdLookup> {
    const params = { query: JSON.stringify({ id: { $in: orgIds } }), perPage: String(MAX_IDS_PER_LIST), summaryInclude };
    const page = await this.list({ instanceId, orgId: orgIds[0] ?? "" }, params, options).catch(unlessInstanceNotFound);
    if (page === undefined) return { kind: "instanceNotFound" };
    return { kind: "listed", orgs: page.items, complete: page.totalCount <= page.items.length };
  }

  /** One list request. A 404 (instance missing or not accessible) throws, and so does a 200 that is not a list: it proves nothing either way. */
  private async list(ref: OrgRef, params: QueryParams, options: SendOptions = {}): Promise<OrgPage> {
    const result = await this.send("list", ref, params, undefined, options);
    if (result.status === 404) throw this.apiError("list", ref, 404, result.body, 1);
    const reply = typeof result.body === "object" && result.body !== null ? (result.body as { items?: unknown; totalCount?: unknown }) : {};
    if (!Array.isArray(reply.items)) {
      throw this.apiError("list", ref, result.status, { type: "UnexpectedReply", message: "the org list reply has no items" }, 1);
    }
    const items = reply.items.map(documentedOrg);
    return { items, totalCount: typeof reply.totalCount === "number" ? reply.totalCount : items.length };
  }

  /** A write to the org, noted when it ends however it ends, so no listing fetched before answers for the org (freshness.ts). */
  private write<T>(ref: OrgRef, sent: Promise<T>): Promise<T> {
    return sent.finally(() => processWrites.record(this.options.apiUrl, ref.instanceId, ref.orgId));
  }

  private apiError(operation: InstanceOrgOperation, ref: OrgRef, status: number, body: unknown, attempts: number, gaveUp?: string): LosantApiError {
    const type = errorField(body, "type");
    const losantMessage = errorField(body, "message");
    const tokenSent = this.options.apiToken.trim() !== "";
    return new LosantApiError({ operation, ref, status, type, losantMessage, attempts, gaveUp, tokenSent });
  }

  /** Sends one logical request, with the retries of docs/design/requests.md section 4; a 404 is returned for the caller to judge. */
  private async send(operation: InstanceOrgOperation, ref: OrgRef, params: QueryParams, body?: unknown, options: SendOptions = {}): Promise<Reply> {
    const orgs = `${this.options.apiUrl.replace(/\/+$/, "")}/instances/${encodeURIComponent(ref.instanceId)}/orgs`;
    const path = operation === "list" || operation === "post" ? orgs : `${orgs}/${encodeURIComponent(ref.orgId)}`;
    const url = path + queryString(params);
    const unsafe = operation === "post";
    const policy = this.options.retryPolicy ?? DEFAULT_RETRY_POLICY;
    let firstStart: number | undefined;
    let attempts = 0;
    let failures = 0;
    let limited = 0;
    for (;;) {
      const admission = attempts === 0 && options.admission !== undefined ? await options.admission : await this.gate.acquire();
      firstStart ??= admission.startedAt;
      attempts++;
      const outcome = await this.attempt(admission, METHODS[operation], url, body);
      const { status } = outcome;
      if (status !== undefined && (status < 400 || status === 404)) return { status, body: outcome.body };
      const elapsed = Date.now() - firstStart;

      if (status === 429) {
        limited++;
        const delay = outcome.retryAfterMs ?? rateLimitDelay(policy, limited);
        if (elapsed + delay > policy.rateLimitTimeoutMs) {
          const budget = `the rate-limit retry budget of ${Math.round(policy.rateLimitTimeoutMs / 1000)} s ran out`;
          throw this.apiError(operation, ref, status, outcome.body, attempts, budget);
        }
        await sleep(delay);
        continue;
      }

      failures++;
      let delay = backoffDelay(policy, failures);
      const retryAfter = status === 503 ? outcome.retryAfterMs : undefined;
      if (retryAfter !== undefined) delay = retryAfter > policy.maxRetryAfterMs ? Number.POSITIVE_INFINITY : retryAfter + Math.round(Math.random() * 50);
      if (!mayRetry(outcome, unsafe) || failures >= policy.maxAttempts || elapsed + delay > policy.maxRetryTimeMs) {
        if (status === undefined) throw new LosantNetworkError({ operation, ref, reason: outcome.reason, code: outcome.code, attempts, cause: outcome.cause });
        throw this.apiError(operation, ref, status, outcome.body, attempts);
      }
      await sleep(delay);
    }
  }

  private async attempt(admission: Admission, method: string, url: string, body: unknown): Promise<Attempt> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    let reported: RequestOutcome = { kind: "noAnswer" };
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
        // @types/node-fetch declares its own AbortSignal, whose listener options differ from Node's only under
        // exactOptionalPropertyTypes; node-fetch takes Node's signal as it is.
        signal: controller.signal as NonNullable<RequestInit["signal"]>,
      });
      const text = await response.text();
      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
      reported = response.status === 429 ? { kind: "limited", retryAfterMs } : { kind: "answered" };
      return { status: response.status, body: parseJson(text), retryAfterMs };
    } catch (error) {
      return { ...describeNetworkError(error, controller.signal.aborted, this.options.timeoutMs), cause: error };
    } finally {
      clearTimeout(timer);
      admission.finish(reported);
    }
  }
}

/** A list request's 404 as the finding "instance not found" (`undefined`); any other error is thrown on. */
function unlessInstanceNotFound(error: unknown): undefined {
  if (error instanceof LosantApiError && error.status === 404) return undefined;
  throw error;
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

function describeNetworkError(error: unknown, timedOut: boolean, timeoutMs: number): { reason: string; code?: string | undefined } {
  if (timedOut) return { reason: `no response within ${timeoutMs} ms`, code: "REQUEST_TIMEOUT" };
  const err = error as { code?: string; errno?: string; message?: string };
  const code = err.code ?? err.errno ?? (err.message?.includes("socket hang up") ? "ECONNRESET" : undefined);
  return { reason: `network error ${code ?? ""} ${err.message ?? String(error)}`.replace(/\s+/g, " ").trim(), code };
}
