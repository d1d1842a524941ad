/**
 * Answers one API request, with the checks in Losant's order: route, token, ids, instance, then
 * the route's own checks (query, body, existence).
 */
import { authorize, reachesInstance, TokenGrant } from "./auth";
import { HttpError, notFound } from "./http";
import { requireId } from "./requestChecks";
import { route } from "./router";
import type { OrgStore } from "./store";

export interface ApiCall {
  method: string;
  pathname: string;
  authorization: string | undefined;
  query: Readonly<Record<string, string>>;
  body: unknown;
}

export function answerApi(store: OrgStore, tokens: ReadonlyMap<string, TokenGrant>, call: ApiCall): unknown {
  const target = route(call.method, call.pathname);
  const auth = authorize(call.authorization, tokens, target.operation);
  if (!auth.ok) throw new HttpError(auth.status, auth.type, auth.message);
  requireId("instanceId", target.instanceId);
  // One answer for a missing instance and for one the token cannot reach, so a token never learns what exists elsewhere.
  if (!store.hasInstance(target.instanceId) || !reachesInstance(auth.grant, target.instanceId)) throw notFound();
  const request = { store, grant: auth.grant, instanceId: target.instanceId, query: call.query, body: call.body };
  if (target.resource === "collection") return target.handler(request);
  requireId("orgId", target.orgId);
  return target.handler({ ...request, orgId: target.orgId });
}
