/** HTTP plumbing shared by the emulator's routes: errors as Losant's `{type, message}` bodies, bodies in and out. */
import http from "http";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export const validationError = (message: string) => new HttpError(400, "Validation", message);

/** A 400 worded as bravado-core words a parameter's refusal: '{field} {validationMessage}' (`lib/errors.js`). */
export const paramError = (field: string, validationMessage: string) => validationError(`${field} ${validationMessage}`);

/** A reply other than 200 OK: POST under API 1.31 answers 201. */
export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

/** Mode `notFoundText: "single"`: the one text for every 404, after Losant's "instance or organization was not found". */
export const NOT_FOUND_MESSAGE = "Instance or organization was not found";

/** What a 404 is about; its title in bravado-core's '{title} was not found' (`lib/errors.js`). The titles are assumed. */
export type Missing = "instance" | "org";
export const NOT_FOUND_TITLES: Readonly<Record<Missing, string>> = { instance: "Instance", org: "Organization" };

/** The 404 for a missing instance or org, its text as mode `notFoundText` says. */
export function notFound(missing: Missing, text: "perResource" | "single"): HttpError {
  return new HttpError(404, "NotFound", text === "single" ? NOT_FOUND_MESSAGE : `${NOT_FOUND_TITLES[missing]} was not found`);
}

/** Runs a change asked for from outside, turning a refusal into a 400 so a typo in a test setup fails loudly. */
export function asValidation<T>(change: () => T): T {
  try {
    return change();
  } catch (error) {
    throw validationError((error as Error).message);
  }
}

export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export function parseBody(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw validationError("Request body is not valid JSON");
  }
}

export function send(res: http.ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify(payload));
}

export function sendError(res: http.ServerResponse, error: unknown): number {
  const known = error instanceof HttpError ? error : new HttpError(500, "ServerError", String((error as Error)?.message ?? error));
  send(res, known.status, { type: known.type, message: known.message });
  return known.status;
}
