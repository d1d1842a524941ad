/**
 * Whether a failed POST may still have made the org. A POST is not safe to repeat, so the caller
 * must find out (by listing) before sending it again whenever this says yes.
 */
import { LosantApiError, LosantNetworkError } from "./errors";
import { GATEWAY_STATUSES, NOT_SENT_NETWORK_CODES } from "./retryPolicy";

export function createOutcomeUnknown(error: unknown): boolean {
  // A timeout, a reset or a closed socket: the request may have been applied before the answer was lost.
  if (error instanceof LosantNetworkError) return !NOT_SENT_NETWORK_CODES.includes(error.code ?? "");
  // A gateway that gave up on Losant's application says nothing about whether it applied the request.
  if (error instanceof LosantApiError) return GATEWAY_STATUSES.includes(error.status);
  return false;
}
