/**
 * Which handler answers a method and path. The API has two resources: the collection
 * `/instances/{instanceId}/orgs` and the org `/instances/{instanceId}/orgs/{orgId}`.
 */
import type { EmulatorOperation } from "./auth";
import type { CollectionHandler, OrgHandler } from "./handlers/context";
import { deleteOrg } from "./handlers/deleteOrg";
import { getOrg } from "./handlers/getOrg";
import { listOrgs } from "./handlers/listOrgs";
import { patchOrg } from "./handlers/patchOrg";
import { postOrg } from "./handlers/postOrg";
import { HttpError } from "./http";

export type Route =
  | { resource: "collection"; operation: EmulatorOperation; handler: CollectionHandler; instanceId: string }
  | { resource: "org"; operation: EmulatorOperation; handler: OrgHandler; instanceId: string; orgId: string };

const COLLECTION: Readonly<Record<string, { operation: EmulatorOperation; handler: CollectionHandler }>> = {
  GET: { operation: "list", handler: listOrgs },
  POST: { operation: "post", handler: postOrg },
};

const ORG: Readonly<Record<string, { operation: EmulatorOperation; handler: OrgHandler }>> = {
  GET: { operation: "get", handler: getOrg },
  PATCH: { operation: "patch", handler: patchOrg },
  DELETE: { operation: "delete", handler: deleteOrg },
};

/** The route for this request; 404 for an unknown path, 405 for a method the path does not take. */
export function route(method: string, pathname: string): Route {
  const parts = pathname.split("/").filter(Boolean);
  if (parts[0] !== "instances" || parts[2] !== "orgs" || parts.length < 3 || parts.length > 4) {
    throw new HttpError(404, "NotFound", `No route for ${method} ${pathname}`);
  }
  const [, instanceId, , orgId] = parts;
  if (orgId === undefined) return { resource: "collection", instanceId, ...lookup(COLLECTION, method, pathname) };
  return { resource: "org", instanceId, orgId, ...lookup(ORG, method, pathname) };
}

function lookup<T>(table: Readonly<Record<string, T>>, method: string, pathname: string): T {
  if (!Object.prototype.hasOwnProperty.call(table, method)) throw new HttpError(405, "MethodNotAllowed", `${method} is not allowed on ${pathname}`);
  return table[method];
}
