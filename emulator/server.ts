/**
 * A local stand-in for Losant's Instance Org API on loopback. This module wires the parts together:
 * control routes (control.ts), the fault and rate-limit pipeline (pipeline.ts), and the API routes
 * (api.ts, router.ts, handlers/). docs/emulator.md says how it follows Losant and where it assumes.
 */
import http from "http";
import { AddressInfo, Socket } from "net";
import { answerApi } from "./api";
import { TokenGrant, TokenSpec, toGrant } from "./auth";
import { answerControl } from "./control";
import { FaultInjector } from "./faults";
import { parseBody, readBody, Reply, send, sendError } from "./http";
import { DEFAULT_MODES, EmulatorModes, parseModes } from "./modes";
import { admit, dropsAnswer, withholdsAnswer } from "./pipeline";
import { RecordedRequest, recordOf } from "./recording";
import { OrgStore } from "./store";

export type { RecordedRequest } from "./recording";
export { NOT_FOUND_MESSAGE } from "./http";

export interface EmulatorOptions {
  port?: number | undefined;
  host?: string | undefined;
  /**
   * token -> scopes, or -> { scopes, instances, userId }: a token limited to `instances` gets, for
   * any other instance, the same 404 as a missing instance; `expired: true` makes a token that
   * answers 401 "Access token has expired". Default: one token `emulator-token`
   * with `all.Instance`.
   */
  tokens?: Record<string, TokenSpec> | undefined;
  /** Readings of what Losant leaves undocumented; DEFAULT_MODES for anything left out. */
  modes?: Partial<EmulatorModes> | undefined;
  /** Mirror instances and orgs to this JSON file, so they outlive the process. */
  persistPath?: string | undefined;
  random?: (() => number) | undefined;
  /** Time for creationDate and lastUpdated (tests pin it to get a known order). */
  clock?: (() => Date) | undefined;
}

export const DEFAULT_TOKEN = "emulator-token";

export interface Emulator {
  url: string;
  port: number;
  store: OrgStore;
  faults: FaultInjector;
  tokens: Map<string, TokenGrant>;
  /** The modes in force (a copy; change them with setModes). */
  readonly modes: Readonly<EmulatorModes>;
  /** Changes the given modes, keeps the others; throws on an unknown mode or value. */
  setModes(modes: Partial<EmulatorModes>): Readonly<EmulatorModes>;
  /** Every API request received, in order (control endpoints excluded). */
  requests: RecordedRequest[];
  resetRequests(): void;
  close(): Promise<void>;
}

/** A header's text; Node gives an array only for headers that may repeat, and these are not among them. */
function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(", ") : value;
}

/** Starts a local stand-in for Losant's Instance Org API on loopback. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const store = new OrgStore(options.persistPath, options.clock);
  const faults = new FaultInjector(options.random);
  const specs = Object.entries(options.tokens ?? { [DEFAULT_TOKEN]: ["all.Instance"] });
  const tokens = new Map(specs.map(([token, spec]) => [token, toGrant(spec)] as const));
  const requests: RecordedRequest[] = [];
  const setModes = (partial: Partial<EmulatorModes>): Readonly<EmulatorModes> => {
    store.modes = { ...store.modes, ...parseModes(partial) };
    return { ...store.modes };
  };
  setModes({ ...DEFAULT_MODES, ...(options.modes ?? {}) });

  const usedSockets = new WeakSet<Socket>();
  async function answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://emulator");
    const method = req.method ?? "GET";
    const bodyText = await readBody(req);
    if (url.pathname.startsWith("/_emulator/")) {
      send(res, 200, answerControl({ store, faults, requests, setModes }, method, url.pathname, parseBody(bodyText)));
      return;
    }
    const record = recordOf(req, url);
    requests.push(record);
    try {
      record.body = parseBody(bodyText);
      const newConnection = !usedSockets.has(req.socket);
      usedSockets.add(req.socket);
      const admission = await admit(faults, res, record, newConnection);
      if (admission.answered) return;
      const payload = answerApi(store, tokens, {
        method,
        pathname: url.pathname,
        authorization: req.headers.authorization,
        acceptVersion: headerText(req.headers["accept-version"] ?? req.headers["x-api-version"]),
        query: record.query,
        body: record.body,
      });
      if (dropsAnswer(admission.rule)) {
        res.socket?.destroy();
        return;
      }
      if (withholdsAnswer(admission.rule)) return; // left open; close() destroys it
      const reply = payload instanceof Reply ? payload : new Reply(200, payload);
      record.status = reply.status;
      const items = (reply.body as { items?: unknown }).items;
      if (Array.isArray(items)) record.replyIds = items.map((item: { id?: unknown }) => String(item.id));
      send(res, reply.status, reply.body);
    } catch (error) {
      record.status = sendError(res, error);
    }
  }

  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    answer(req, res).catch((error) => sendError(res, error));
  });
  server.keepAliveTimeout = 30_000;
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    store,
    faults,
    tokens,
    get modes() {
      return { ...store.modes };
    },
    setModes,
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
