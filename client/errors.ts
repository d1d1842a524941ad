/**
 * Every error this package raises is a LosantError: catch one class (or use `isLosantError`) and
 * read the fields; the message is for people. No message or field ever holds the API token.
 */
import { InstanceOrgOperation, REQUIRED_SCOPES } from "../losant/scopes";

export interface OrgRef {
  instanceId: string;
  orgId: string;
}

export interface LosantErrorOptions {
  /** The error this one explains (a lower-level failure, or the 404 that could not be confirmed). */
  cause?: unknown;
}

/** Marks LosantErrors across copies of this package (a program and its provider may load two). */
const BRAND = Symbol.for("pulumi-losant-instance-org.LosantError");

/** Base class of every error raised by the Losant client and the InstanceOrg provider (provider/server/orgErrors.ts adds the provider's). */
export class LosantError extends Error {
  /** Set from the options, as `new Error(message, { cause })` does (the build targets ES2020). */
  readonly cause?: unknown;

  constructor(message: string, options: LosantErrorOptions = {}) {
    super(message);
    this.name = new.target.name;
    if (options.cause !== undefined) this.cause = options.cause;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** True for any error raised by this package, also one from another loaded copy of it. */
export function isLosantError(error: unknown): error is LosantError {
  return error instanceof LosantError || (error instanceof Error && Reflect.get(error, BRAND) === true);
}

/** The HTTP method of each operation. */
export const METHODS: Readonly<Record<InstanceOrgOperation, string>> = { get: "GET", patch: "PATCH", delete: "DELETE", list: "GET", post: "POST" };

/** "Losant GET of org X in instance Y", the subject of every request error. */
export function describeRequest(operation: InstanceOrgOperation, ref: OrgRef): string {
  if (operation === "list") return `Losant GET /instances/${ref.instanceId}/orgs${ref.orgId ? ` (looking for org ${ref.orgId})` : ""}`;
  if (operation === "post") return `Losant POST /instances/${ref.instanceId}/orgs`;
  return `Losant ${METHODS[operation]} of org ${ref.orgId} in instance ${ref.instanceId}`;
}

export interface ApiErrorOptions extends LosantErrorOptions {
  operation: InstanceOrgOperation;
  ref: OrgRef;
  status: number;
  /** Losant's error `type` and `message`, from the body. */
  type?: string | undefined;
  losantMessage?: string | undefined;
  /** Tries made, the first included. */
  attempts?: number | undefined;
  /** Why retrying stopped, when it did: "the retry budget of 300 s ran out". */
  gaveUp?: string | undefined;
  /** Whether the request carried a token; default: as the error in `cause` says, else true (the settings require one). */
  tokenSent?: boolean | undefined;
}

const FORBIDDEN_TEXT = "Access is forbidden";

/**
 * What a refusal of the token means, for people. Losant's framework (Losant/bravado-core) answers
 * 401 only for a token it cannot verify (`lib/authenticate.js`: invalid or expired), and 403, with
 * FORBIDDEN_TEXT, for a call without the scope and a call without any token (`lib/authorize.js`).
 * So only a 403 with a token sent can be a scope's doing, and only there does the message list scopes.
 */
function tokenHint(operation: InstanceOrgOperation, status: number, losantMessage: string | undefined, tokenSent: boolean): string {
  const scopes = REQUIRED_SCOPES[operation].join(", ");
  if (status === 401) {
    return ". The API token was not accepted: it is invalid or has expired (Losant's message says which). Set a current token; a scope cannot cause this";
  }
  if (status !== 403) return "";
  if (!tokenSent) return ". No API token was sent, and Losant refuses every call without one";
  if (losantMessage === FORBIDDEN_TEXT) {
    return (
      `. Losant answers "${FORBIDDEN_TEXT}" when no token reaches it (check that nothing between here and Losant drops the Authorization header) ` +
      `and when the token lacks the scope for this call; it needs one of ${scopes}`
    );
  }
  return `. The API token lacks the scope for this call; it needs one of ${scopes}`;
}

/** An HTTP answer from Losant that is not a success. */
export class LosantApiError extends LosantError {
  readonly operation: InstanceOrgOperation;
  readonly ref: OrgRef;
  readonly status: number;
  readonly type: string | undefined;
  readonly losantMessage: string | undefined;
  readonly attempts: number;
  readonly gaveUp: string | undefined;
  /** A 403 without a token is no scope's doing. */
  readonly tokenSent: boolean;

  constructor(options: ApiErrorOptions) {
    const { operation, ref, status, type, losantMessage, attempts = 1 } = options;
    const detail = [type, losantMessage].filter(Boolean).join(": ") || "no error body";
    let message = `${describeRequest(operation, ref)} failed: HTTP ${status} (${detail})`;
    if (attempts > 1) message += ` after ${attempts} attempts`;
    if (options.gaveUp) message += ` (${options.gaveUp})`;
    const tokenSent = options.tokenSent ?? (options.cause instanceof LosantApiError ? options.cause.tokenSent : true);
    message += tokenHint(operation, status, losantMessage, tokenSent);
    super(message, options);
    this.tokenSent = tokenSent;
    this.operation = operation;
    this.ref = ref;
    this.status = status;
    this.type = type;
    this.losantMessage = losantMessage;
    this.attempts = attempts;
    this.gaveUp = options.gaveUp;
  }
}

export interface NetworkErrorOptions extends LosantErrorOptions {
  operation: InstanceOrgOperation;
  ref: OrgRef;
  /** What went wrong, for people: "no response within 30000 ms", "network error ECONNRESET ...". */
  reason: string;
  code?: string | undefined;
  attempts?: number | undefined;
}

/** No HTTP answer at all: connection refused or reset, DNS failure, or the request timed out. */
export class LosantNetworkError extends LosantError {
  readonly operation: InstanceOrgOperation;
  readonly ref: OrgRef;
  readonly code: string | undefined;
  readonly attempts: number;
  readonly reason: string;

  constructor(options: NetworkErrorOptions) {
    const attempts = options.attempts ?? 1;
    super(`${describeRequest(options.operation, options.ref)} failed: ${options.reason}${attempts > 1 ? ` after ${attempts} attempts` : ""}`, options);
    this.operation = options.operation;
    this.ref = options.ref;
    this.code = options.code;
    this.attempts = attempts;
    this.reason = options.reason;
  }
}
