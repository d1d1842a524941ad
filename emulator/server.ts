import http from "http";
import { AddressInfo, Socket } from "net";
import { OBJECT_ID_PATTERN, ORG_PATCH_SCHEMA, ORG_POST_SCHEMA, SUMMARY_FIELDS } from "../losant/instanceOrgSchema";
import { validate } from "../losant/validate";
import { authorize, EmulatorOperation } from "./auth";
import { FaultInjector, FaultRule, FaultSettings } from "./faults";
import { OrgStore, toApiOrg } from "./store";
import type { OrgSettings } from "../losant/types";

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  /** Request headers worth checking; the Authorization header only as its scheme, never the token. */
  headers: Record<string, string | undefined>;
  status?: number;
  /** The fault injected into this request, if any. */
  fault?: string;
  at: number;
}

export interface EmulatorOptions {
  port?: number;
  host?: string;
  /** token -> scopes; default: one token `emulator-token` with `all.Instance`. */
  tokens?: Record<string, string[]>;
  /** Mirror instances and orgs to this JSON file, so they outlive the process. */
  persistPath?: string;
  random?: () => number;
}

export const DEFAULT_TOKEN = "emulator-token";

export interface Emulator {
  url: string;
  port: number;
  store: OrgStore;
  faults: FaultInjector;
  tokens: Map<string, string[]>;
  /** Every API request received, in order (control endpoints excluded). */
  requests: RecordedRequest[];
  resetRequests(): void;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(readonly status: number, readonly type: string, message: string) {
    super(message);
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseBody(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "Validation", "Request body is not valid JSON");
  }
}

function requireId(kind: string, id: string): void {
  if (!OBJECT_ID_PATTERN.test(id)) throw new HttpError(400, "Validation", `${kind} must be a 24-character hex id`);
}

function validateBody(schema: typeof ORG_PATCH_SCHEMA, body: unknown): void {
  const violations = validate(schema, body ?? {});
  if (violations.length > 0) {
    const text = violations.map((v) => `${v.path || "body"} ${v.reason}`).join("; ");
    throw new HttpError(400, "Validation", `Validation failed: ${text}`);
  }
}

function parseSummaryInclude(query: Record<string, string>): string[] | undefined {
  if (query.summaryInclude === undefined || query.summaryInclude === "") return undefined;
  const fields = query.summaryInclude.split(",").map((f) => f.trim());
  const unknown = fields.filter((f) => !SUMMARY_FIELDS.includes(f));
  if (unknown.length > 0) throw new HttpError(400, "Validation", `summaryInclude has unknown fields: ${unknown.join(", ")}`);
  return fields;
}

/** Starts a local stand-in for Losant's Instance Org API on loopback. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const store = new OrgStore(options.persistPath);
  const faults = new FaultInjector(options.random);
  const tokens = new Map(Object.entries(options.tokens ?? { [DEFAULT_TOKEN]: ["all.Instance"] }));
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const usedSockets = new WeakSet<Socket>();

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL, record: RecordedRequest): Promise<unknown> {
    // The checks run in Losant's order: route, auth, ids, existence, body.
    const parts = url.pathname.split("/").filter(Boolean);
    if (parts[0] !== "instances" || parts[2] !== "orgs" || parts.length < 3 || parts.length > 4) {
      throw new HttpError(404, "NotFound", `No route for ${req.method} ${url.pathname}`);
    }
    const [, instanceId, , orgId] = parts;
    const method = req.method ?? "GET";
    const operation: EmulatorOperation | undefined =
      orgId === undefined
        ? ({ GET: "list", POST: "post" } as const)[method as "GET" | "POST"]
        : ({ GET: "get", PATCH: "patch", DELETE: "delete" } as const)[method as "GET" | "PATCH" | "DELETE"];
    if (!operation) throw new HttpError(405, "MethodNotAllowed", `${method} is not allowed on ${url.pathname}`);
    const auth = authorize(req.headers.authorization, tokens, operation);
    if (!auth.ok) throw new HttpError(auth.status, auth.type, auth.message);
    requireId("instanceId", instanceId);
    if (!store.hasInstance(instanceId)) throw new HttpError(404, "NotFound", "Instance was not found");
    const summaryInclude = parseSummaryInclude(record.query);

    if (orgId === undefined) {
      if (operation === "post") {
        validateBody(ORG_POST_SCHEMA, record.body);
        res.statusCode = 201;
        return toApiOrg(store.createOrg(instanceId, record.body as OrgSettings & { name: string }), summaryInclude);
      }
      const items = store.listOrgs(instanceId).map((o) => toApiOrg(o, summaryInclude));
      return { items, count: items.length, totalCount: items.length, perPage: 1000, page: 0, instanceId, sortField: "name", sortDirection: "asc" };
    }

    requireId("orgId", orgId);
    const notFound = () => new HttpError(404, "NotFound", "Organization was not found");
    if (operation === "get") {
      const org = store.getOrg(instanceId, orgId);
      if (!org) throw notFound();
      return toApiOrg(org, summaryInclude);
    }
    if (operation === "patch") {
      validateBody(ORG_PATCH_SCHEMA, record.body);
      const org = store.patchOrg(instanceId, orgId, (record.body ?? {}) as OrgSettings);
      if (!org) throw notFound();
      return toApiOrg(org, summaryInclude);
    }
    if (!store.deleteOrg(instanceId, orgId)) throw notFound();
    return { success: true };
  }

  /** Test and demo hooks under /_emulator, outside the API: neither recorded nor authenticated. */
  async function handleControl(req: http.IncomingMessage, url: URL, body: unknown): Promise<unknown> {
    const route = `${req.method} ${url.pathname}`;
    if (route === "GET /_emulator/health") return { ok: true };
    if (route === "GET /_emulator/requests") return requests;
    if (route === "DELETE /_emulator/requests") return (requests.length = 0), { success: true };
    if (route === "PUT /_emulator/faults") return faults.configure(body as Partial<FaultSettings>), faults.settings;
    if (route === "DELETE /_emulator/faults") return faults.reset(), faults.settings;
    const orgRoute = /^\/_emulator\/instances\/([^/]+)\/orgs(?:\/([^/]+))?$/.exec(url.pathname);
    if (orgRoute && req.method === "POST" && orgRoute[2] === undefined) {
      if (!store.hasInstance(orgRoute[1])) store.addInstance(orgRoute[1]);
      const { id, ...settings } = body as { id?: string; name: string };
      return toApiOrg(store.createOrg(orgRoute[1], settings, id), undefined);
    }
    if (orgRoute && req.method === "PATCH" && orgRoute[2] !== undefined) {
      const org = store.patchOrg(orgRoute[1], orgRoute[2], body as OrgSettings);
      if (!org) throw new HttpError(404, "NotFound", "Organization was not found");
      return toApiOrg(org, undefined);
    }
    if (orgRoute && req.method === "DELETE" && orgRoute[2] !== undefined) {
      return { success: store.deleteOrg(orgRoute[1], orgRoute[2]) };
    }
    throw new HttpError(404, "NotFound", `No control route ${route}`);
  }

  function send(res: http.ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
    if (res.destroyed) return;
    res.writeHead(status, { "Content-Type": "application/json", ...headers });
    res.end(JSON.stringify(payload));
  }

  async function applyFault(rule: FaultRule, res: http.ServerResponse): Promise<boolean> {
    if (rule.kind === "status") {
      const status = rule.status ?? 500;
      send(res, status, { type: status === 429 ? "TooManyRequests" : "ServerError", message: `Injected fault: HTTP ${status}` }, rule.retryAfter ? { "Retry-After": rule.retryAfter } : {});
      return true;
    }
    if (rule.kind === "reset") {
      res.socket?.destroy();
      return true;
    }
    if (rule.kind === "hang") return true; // leave the request open; close() destroys it
    return false;
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://emulator");
    let bodyText: string;
    let record: RecordedRequest | undefined;
    try {
      bodyText = await readBody(req);
      if (url.pathname.startsWith("/_emulator/")) {
        send(res, 200, await handleControl(req, url, parseBody(bodyText)));
        return;
      }
      record = {
        method: req.method ?? "GET",
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body: undefined,
        headers: {
          accept: req.headers.accept,
          "content-type": req.headers["content-type"],
          "accept-version": req.headers["accept-version"] as string | undefined,
          "user-agent": req.headers["user-agent"],
          authorization: req.headers.authorization?.split(" ")[0],
        },
        at: Date.now(),
      };
      requests.push(record);
      record.body = parseBody(bodyText);
      const newConnection = !usedSockets.has(req.socket);
      usedSockets.add(req.socket);
      const delay = faults.settings.latencyMs + (newConnection ? faults.settings.connectionLatencyMs : 0);
      if (delay > 0) await sleep(delay);
      const limited = faults.rateLimited();
      if (limited) {
        record.status = 429;
        record.fault = "rateLimit";
        send(res, 429, { type: "TooManyRequests", message: "Rate limit exceeded" }, { "Retry-After": String(Math.max(1, Math.ceil(limited.retryAfterMs / 1000))) });
        return;
      }
      const rule = faults.pick({ method: record.method, path: record.path });
      if (rule) {
        record.fault = rule.kind === "status" ? `status ${rule.status ?? 500}` : rule.kind;
        if (await applyFault(rule, res)) {
          record.status = rule.kind === "status" ? rule.status ?? 500 : undefined;
          return;
        }
      }
      const payload = await handleApi(req, res, url, record);
      if (rule?.kind === "applyThenReset") {
        res.socket?.destroy();
        return;
      }
      record.status = res.statusCode;
      send(res, res.statusCode, payload);
    } catch (error) {
      const known = error instanceof HttpError ? error : new HttpError(500, "ServerError", String((error as Error).message ?? error));
      if (record) record.status = known.status;
      send(res, known.status, { type: known.type, message: known.message });
    }
  });
  server.keepAliveTimeout = 30_000;
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? "127.0.0.1";

  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    store,
    faults,
    tokens,
    requests,
    resetRequests: () => {
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
