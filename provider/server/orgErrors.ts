/**
 * The provider's errors about an org: what it was doing (adopt, refresh, update, delete, create),
 * what it kept in the Pulumi state, and what to run next. The client's errors (client/errors.ts)
 * say what happened in HTTP terms only; these add the Pulumi side.
 */
import { LosantError, LosantErrorOptions, OrgRef } from "../../client/errors";
import { OrgOperation, REQUIRED_SCOPES } from "../../losant/scopes";

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
