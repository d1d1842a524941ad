/**
 * Every error this package raises is a LosantError: catch one class (or use `isLosantError`) and
 * read the fields; the message is for people. No message or field ever holds the API token.
 */
import { InstanceOrgOperation, OrgOperation, REQUIRED_SCOPES } from "../losant/scopes";

export type { OrgOperation, InstanceOrgOperation };

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

/** Base class of every error raised by the Losant client and the InstanceOrg provider. */
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

const METHODS: Readonly<Record<InstanceOrgOperation, string>> = { get: "GET", patch: "PATCH", delete: "DELETE", list: "GET (list)", post: "POST" };

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
  /**
   * Whether the request carried a token. Default: as the error in `cause` says, else true (the
   * settings refuse to run without one).
   */
  tokenSent?: boolean | undefined;
}

/** Losant's framework answers 403 with this text both without a token and without the scope (Losant/bravado-core `lib/authorize.js`). */
const FORBIDDEN_TEXT = "Access is forbidden";

/**
 * What a refusal of the token means, for people. Losant's framework (Losant/bravado-core) answers
 * 401 only for a token it cannot verify (`lib/authenticate.js`: invalid or expired), and 403 for a
 * call without the scope, a call without any token included (`lib/authorize.js`). So only a 403
 * with a token sent can be a scope's doing, and only there does the message list scopes.
 */
function tokenHint(operation: InstanceOrgOperation, status: number, losantMessage: string | undefined, tokenSent: boolean): string {
  const scopes = REQUIRED_SCOPES[operation].join(", ");
  if (status === 401) {
    return ". The API token was not accepted: it is invalid or has expired (Losant's message says which). Set a current token; a scope cannot cause this";
  }
  if (status !== 403) return "";
  if (!tokenSent) return ". No API token was sent, and Losant refuses every call without one: set losant:apiToken or LOSANT_API_TOKEN";
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
  /** Why retrying stopped, when it did. */
  readonly gaveUp: string | undefined;
  /** Whether the request carried a token: a 403 without one is no scope's doing. */
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

export interface ConfigErrorOptions extends LosantErrorOptions {
  /** The config key at fault, e.g. `losant:apiUrl`. */
  setting?: string | undefined;
}

/** Settings are missing or unsafe; raised before any request is made. */
export class LosantConfigError extends LosantError {
  readonly setting: string | undefined;

  constructor(message: string, options: ConfigErrorOptions = {}) {
    super(message, options);
    this.setting = options.setting;
  }
}

/** What the provider was doing when Losant answered 404: the words differ for each. */
export type OrgAction = "adopt" | "refresh" | "update" | "delete";

export interface OrgNotFoundErrorOptions extends LosantErrorOptions {
  action: OrgAction;
  ref: OrgRef;
}

/**
 * The org is proven absent: Losant answered 404 for it and its instance answered the org list
 * without it. Raised where absence is a failure (adopt, update); refresh and delete treat it as done.
 */
export class LosantOrgNotFoundError extends LosantError {
  readonly action: OrgAction;
  readonly ref: OrgRef;

  constructor(options: OrgNotFoundErrorOptions) {
    const { ref } = options;
    const message =
      options.action === "adopt"
        ? `Losant org ${ref.orgId} does not exist in instance ${ref.instanceId} (Losant answered 404, and the instance's org list does not hold it). ` +
          "With orgId, InstanceOrg manages orgs that already exist; it does not create one in its place. Check orgId and instanceId, or leave orgId out to create a new org."
        : `Losant org ${ref.orgId} in instance ${ref.instanceId} was deleted outside Pulumi (Losant answered 404, and the instance's org list does not hold it). ` +
          "Run `pulumi refresh` to drop it from the state, or remove it from the program.";
    super(message, options);
    this.action = options.action;
    this.ref = ref;
  }
}

/** Why a 404 could not be taken as proof that the org is gone. */
export type UnconfirmedReason =
  /** The instance itself answered 404: wrong instanceId, or a token of another instance. */
  | "instanceNotFound"
  /** Listing the instance's orgs was refused (401/403): the token cannot list orgs. */
  | "checkRefused"
  /** The check failed otherwise (5xx, network) after its retries. */
  | "checkFailed"
  /** The instance lists the org: the 404 was not about a missing org. */
  | "orgListed";

export interface UnconfirmedNotFoundErrorOptions extends LosantErrorOptions {
  action: OrgAction;
  /** The request that answered 404. */
  operation: OrgOperation;
  ref: OrgRef;
  reason: UnconfirmedReason;
  /** HTTP status of the check, where it answered. */
  checkStatus?: number | undefined;
}

const KEPT: Readonly<Record<OrgAction, string>> = {
  adopt: "Nothing was adopted.",
  refresh: "The org was kept in the state; nothing was dropped.",
  update: "The org was kept in the state; nothing was changed.",
  delete: "The org was kept in the state; it was not counted as deleted.",
};

function unconfirmedMessage(options: UnconfirmedNotFoundErrorOptions): string {
  const { ref, operation, reason } = options;
  const head = `Losant answered 404 to the ${operation.toUpperCase()} of org ${ref.orgId} in instance ${ref.instanceId}, `;
  const kept = KEPT[options.action];
  switch (reason) {
    case "instanceNotFound":
      return (
        head +
        `and instance ${ref.instanceId} itself was not found or is not accessible with this API token (listing its orgs answered 404). ` +
        `A 404 from Losant means "instance or organization not found", so it does not prove that the org is gone. ${kept} ` +
        "Check instanceId, and that the token belongs to this instance."
      );
    case "checkRefused":
      return (
        head +
        `and listing the orgs of instance ${ref.instanceId} to confirm that the org is gone was refused (HTTP ${options.checkStatus}). ${kept} ` +
        (options.checkStatus === 401
          ? "The token was not accepted for the list (invalid or expired): set a current token."
          : `Give the token one of the scopes ${REQUIRED_SCOPES.list.join(", ")}, so the provider can tell a deleted org from an inaccessible instance.`)
      );
    case "checkFailed":
      return head + `and listing the orgs of instance ${ref.instanceId} to confirm that the org is gone failed. ${kept} Try again.`;
    case "orgListed":
      return head + `but instance ${ref.instanceId} lists the org, so it was not treated as gone. ${kept} Try again.`;
  }
}

/**
 * Losant answered 404 for an org, but the provider could not establish that the org is gone, so
 * it keeps the org instead of dropping it from the state or counting it as deleted.
 */
export class LosantUnconfirmedNotFoundError extends LosantError {
  readonly action: OrgAction;
  readonly operation: OrgOperation;
  readonly ref: OrgRef;
  readonly reason: UnconfirmedReason;
  readonly checkStatus: number | undefined;

  constructor(options: UnconfirmedNotFoundErrorOptions) {
    super(unconfirmedMessage(options), options);
    this.action = options.action;
    this.operation = options.operation;
    this.ref = options.ref;
    this.reason = options.reason;
    this.checkStatus = options.checkStatus;
  }
}

/** The instance answered 404: wrong instanceId, or a token that cannot see this instance. */
export class LosantInstanceNotFoundError extends LosantUnconfirmedNotFoundError {
  constructor(options: Omit<UnconfirmedNotFoundErrorOptions, "reason">) {
    super({ ...options, reason: "instanceNotFound", checkStatus: 404 });
  }
}

export interface CreateOutcomeErrorOptions extends LosantErrorOptions {
  instanceId: string;
  orgName: string;
  /** Orgs that may be the one a POST made: with several, which one is meant cannot be told. */
  candidateIds?: string[];
  /** POSTs sent whose outcome stayed unknown. */
  attempts: number;
  /** The lookup after an unknown outcome failed. */
  lookupFailed?: boolean;
}

/**
 * A create could not establish which org, if any, its POST made: several orgs match (the user
 * picks one with `orgId`), or the POST's outcome stayed unknown and the lookup after it failed.
 * Nothing is POSTed again until the org list has been read: the next `up` looks first.
 */
export class LosantCreateOutcomeError extends LosantError {
  readonly instanceId: string;
  readonly orgName: string;
  readonly candidateIds: string[];
  readonly attempts: number;

  constructor(options: CreateOutcomeErrorOptions) {
    const ids = options.candidateIds ?? [];
    const subject = `Creating org "${options.orgName}" in instance ${options.instanceId}: `;
    const message =
      ids.length > 1
        ? subject +
          `${ids.length} orgs may be the one this resource created (${ids.join(", ")}), so the provider cannot tell which and creates none. ` +
          "Pick one by setting `orgId` to its id (the resource then adopts it), and delete the others in Losant if they are not wanted."
        : subject +
          `the outcome of ${options.attempts} POST(s) is unknown, and ${options.lookupFailed ? "the org list could not be read to find out" : "no org had appeared after any of them"}. ` +
          "Nothing more was sent. Run `pulumi up` again: it looks for the org before POSTing, so it adopts the org if a POST was applied and creates it otherwise.";
    super(message, options);
    this.instanceId = options.instanceId;
    this.orgName = options.orgName;
    this.candidateIds = ids;
    this.attempts = options.attempts;
  }
}
