/**
 * Hypermedia fields, as Losant's framework adds them (Losant/bravado-core): an entity is its body
 * plus `_type`, the resource's name (`lib/entity.js` `toJSON`), and `_links`, which holds `self`
 * (the resource's full path expanded with the body's fields, `lib/extend-context.js`) and the
 * links the resource definition declares. `instanceOrg` and `instanceOrgs` declare none
 * (losant-rest-js `lib/schemas/apiInfo.json`), so `self` is their only link. A collection's items
 * are entities of the item type (`lib/collection.js`), so each item has its own `_type` and `_links`.
 * `_etag` is not in the framework's source: replies of other resources carried one in 2026, so
 * org entities carry a weak one here (an assumption, docs/emulator.md).
 */
import { createHash } from "crypto";

export interface Hypermedia {
  _type: string;
  _links: Record<string, { href: string }>;
  _etag?: string;
}

export const orgsPath = (instanceId: string) => `/instances/${instanceId}/orgs`;
export const orgPath = (instanceId: string, orgId: string) => `${orgsPath(instanceId)}/${orgId}`;

/** Changes whenever the org does: its id and `lastUpdated` (every PATCH moves it). */
export function etagOf(orgId: string, lastUpdated: string): string {
  return `W/"${createHash("sha1").update(`${orgId}@${lastUpdated}`).digest("hex").slice(0, 16)}"`;
}

export function orgHypermedia(instanceId: string, orgId: string, lastUpdated: string): Hypermedia {
  return { _type: "instanceOrg", _links: { self: { href: orgPath(instanceId, orgId) } }, _etag: etagOf(orgId, lastUpdated) };
}

/**
 * POST's reply under API 1.30 has the `org` schema: taken as an `org` entity, whose full path is
 * `/orgs/{orgId}`. Which entity the handler builds is not public; this follows the schema.
 */
export function newOrgHypermedia(orgId: string, lastUpdated: string): Hypermedia {
  return { _type: "org", _links: { self: { href: `/orgs/${orgId}` } }, _etag: etagOf(orgId, lastUpdated) };
}

export function orgsHypermedia(instanceId: string): Hypermedia {
  return { _type: "instanceOrgs", _links: { self: { href: orgsPath(instanceId) } } };
}

/** The reply with hypermedia fields when `enabled`, or as it is. */
export function withHypermedia<T extends object>(body: T, enabled: boolean, links: () => Hypermedia): T | (T & Hypermedia) {
  return enabled ? { ...body, ...links() } : body;
}
