import { OrgOperation, REQUIRED_SCOPES } from "../losant/scopes";

export type { OrgOperation };

export interface OrgRef {
  instanceId: string;
  orgId: string;
}

function describeOperation(operation: OrgOperation, ref: OrgRef): string {
  return `Losant ${operation.toUpperCase()} of org ${ref.orgId} in instance ${ref.instanceId}`;
}

/** An HTTP answer from Losant that is not a success. */
export class LosantApiError extends Error {
  readonly operation: OrgOperation;
  readonly ref: OrgRef;
  readonly status: number;
  readonly type: string | undefined;
  readonly losantMessage: string | undefined;

  constructor(operation: OrgOperation, ref: OrgRef, status: number, type?: string, losantMessage?: string, attempts = 1) {
    const detail = [type, losantMessage].filter(Boolean).join(": ") || "no error body";
    let message = `${describeOperation(operation, ref)} failed: HTTP ${status} (${detail})`;
    if (attempts > 1) message += ` after ${attempts} attempts`;
    if (status === 401) {
      message += `. The API token was not accepted; it needs one of the scopes ${REQUIRED_SCOPES[operation].join(", ")}`;
    } else if (status === 403) {
      message += `. The API token lacks the scope for this call; it needs one of ${REQUIRED_SCOPES[operation].join(", ")}`;
    }
    super(message);
    this.name = "LosantApiError";
    this.operation = operation;
    this.ref = ref;
    this.status = status;
    this.type = type;
    this.losantMessage = losantMessage;
  }
}

/** No HTTP answer at all: connection refused or reset, DNS failure, or the request timed out. */
export class LosantNetworkError extends Error {
  readonly operation: OrgOperation;
  readonly ref: OrgRef;
  readonly code: string | undefined;

  constructor(operation: OrgOperation, ref: OrgRef, cause: string, code: string | undefined, attempts: number) {
    super(`${describeOperation(operation, ref)} failed: ${cause}${attempts > 1 ? ` after ${attempts} attempts` : ""}`);
    this.name = "LosantNetworkError";
    this.operation = operation;
    this.ref = ref;
    this.code = code;
  }
}

/** Settings are missing or unsafe; raised before any request is made. */
export class LosantConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LosantConfigError";
  }
}
