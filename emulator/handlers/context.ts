import type { TokenGrant } from "../auth";
import type { OrgStore } from "../store";

/** What a route handler gets once the route, the token and the instance have been checked. */
export interface ApiRequest {
  store: OrgStore;
  grant: TokenGrant;
  instanceId: string;
  query: Readonly<Record<string, string>>;
  body: unknown;
}

/** A request on one org; its id already checked to be an id. */
export interface OrgRequest extends ApiRequest {
  orgId: string;
}

/** Answers a request with the reply body (status 200), or throws an HttpError. */
export type CollectionHandler = (request: ApiRequest) => unknown;
export type OrgHandler = (request: OrgRequest) => unknown;
