/**
 * Answers one API request, with the checks in the order of Losant's framework: the route (404,
 * 405) and `Accept-Version` (400) as the router makes them (Losant/bravado-server `lib/index.js`),
 * then the parameters, the token and its scope (Losant/bravado-core `lib/index.js`), then the
 * handler's own checks: the instance, the query parameters the framework does not type, the org.
 */
import { authorize, reachesInstance, TokenGrant } from "./auth";
import { HttpError, notFound } from "./http";
import { checkParams } from "./params";
import { route } from "./router";
import type { OrgStore } from "./store";
import { checkAcceptVersion } from "./version";

export interface ApiCall {
  method: string;
  pathname: string;
  authorization: string | undefined;
  /** `Accept-Version` (or `X-Api-Version`, which restify also reads); undefined when not sent. */
  acceptVersion: string | undefined;
  query: Readonly<Record<string, string>>;
  body: unknown;
}

export function answerApi(store: OrgStore, tokens: ReadonlyMap<string, TokenGrant>, call: ApiCall): unknown {
  const target = route(call.method, call.pathname);
  checkAcceptVersion(call.acceptVersion, store.modes, call.method, call.pathname);
  checkParams(target, call.query, call.body);
  const auth = authorize(call.authorization, tokens, target.operation);
  if (!auth.ok) throw new HttpError(auth.status, auth.type, auth.message);
  // One answer for a missing instance and for one the token cannot reach, so a token never learns what exists elsewhere.
  if (!store.hasInstance(target.instanceId) || !reachesInstance(auth.grant, target.instanceId)) throw notFound("instance", store.modes.notFoundText);
  const request = { store, grant: auth.grant, instanceId: target.instanceId, query: call.query, body: call.body };
  if (target.resource === "collection") return target.handler(request);
  return target.handler({ ...request, orgId: target.orgId });
}
