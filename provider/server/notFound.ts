/**
 * Losant answers 404 for a missing instance as well as for a missing org ("instance or
 * organization was not found"), with the same body. A wrong instanceId, or a token of another
 * instance, must never make refresh drop an org or destroy count it as deleted, so a 404 is only
 * taken as "the org is gone" once one more request, the instance's org list filtered to the org's
 * id, is answered by the instance without the org. The decision never reads a message's wording.
 */
import { LosantClient, OrgLookup } from "../../client/losantClient";
import { LosantApiError, OrgRef } from "../../client/errors";
import type { OrgOperation } from "../../losant/scopes";
import { LosantUnconfirmedNotFoundError, LosantInstanceNotFoundError, OrgAction } from "./orgErrors";
import type { OrgReadBatcher, ReadOptions } from "../../client/orgBatcher";
import type { LosantInstanceOrg } from "../../losant/types";

export type NotFoundVerdict =
  /** The instance answered without the org: it is gone. */
  | { gone: true }
  /** The instance lists the org after all (the 404 was passing); here it is, as the list shows it. */
  | { gone: false; org: LosantInstanceOrg };

/**
 * Decides what a 404 to `operation` on the org means, with exactly one request. Throws a
 * `LosantUnconfirmedNotFoundError` (or its `LosantInstanceNotFoundError` subclass) when the answer
 * does not prove the org gone: the caller then keeps the org.
 */
export async function confirmNotFound(
  api: LosantClient,
  action: OrgAction,
  operation: OrgOperation,
  ref: OrgRef,
  summaryInclude?: readonly string[],
): Promise<NotFoundVerdict> {
  let lookup: OrgLookup;
  try {
    lookup = await api.lookUpOrg(ref, summaryInclude);
  } catch (error) {
    const refused = error instanceof LosantApiError && (error.status === 401 || error.status === 403);
    throw new LosantUnconfirmedNotFoundError({
      action,
      operation,
      ref,
      reason: refused ? "checkRefused" : "checkFailed",
      checkStatus: error instanceof LosantApiError ? error.status : undefined,
      cause: error,
    });
  }
  if (lookup.kind === "instanceNotFound") throw new LosantInstanceNotFoundError({ action, operation, ref });
  if (lookup.kind === "absent") return { gone: true };
  return { gone: false, org: lookup.org };
}

/**
 * Reads the org through the batcher and settles what a missing org means with the same proof as
 * a single GET: a list reply from the instance without the org is that proof already; a single
 * GET's 404 takes one more request (`confirmNotFound`); the instance's 404 fails.
 */
export async function readOrgProven(
  reads: OrgReadBatcher,
  api: LosantClient,
  action: OrgAction,
  ref: OrgRef,
  summaryInclude?: readonly string[],
  options: ReadOptions = {},
): Promise<NotFoundVerdict> {
  const read = await reads.read(api, ref, summaryInclude, options);
  switch (read.kind) {
    case "org":
      return { gone: false, org: read.org };
    case "absent":
      return { gone: true };
    case "instanceNotFound":
      throw new LosantInstanceNotFoundError({ action, operation: "get", ref });
    case "notFound":
      return confirmNotFound(api, action, "get", ref, summaryInclude);
  }
}
