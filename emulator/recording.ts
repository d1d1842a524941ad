import http from "http";

export interface RecordedRequest {
  method: string;
  path: string;
  /** The query string as parsed key/values. */
  query: Record<string, string>;
  body: unknown;
  /** Request headers worth checking; the Authorization header only as its scheme, never the token. */
  headers: Record<string, string | undefined>;
  status?: number;
  /** The fault injected into this request, if any ("rateLimit" for the throttle). */
  fault?: string;
  /** For a list answered 200: the ids of the orgs its reply carried, in order. */
  replyIds?: string[];
  at: number;
}

export function recordOf(req: http.IncomingMessage, url: URL): RecordedRequest {
  return {
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
}
