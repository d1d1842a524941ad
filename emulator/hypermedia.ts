/**
 * Losant's replies carry `_type` and `_links` besides the documented properties (the REST API
 * overview's example shows them on a collection and on each of its items, with hrefs relative to
 * the API root). The link names and `_type` values for instance orgs follow that example's pattern;
 * Losant does not show an instance-org reply, so they are an assumption (docs/emulator.md).
 */
export interface Hypermedia {
  _type: string;
  _links: Record<string, { href: string }>;
}

export const instancePath = (instanceId: string) => `/instances/${instanceId}`;
export const orgsPath = (instanceId: string) => `${instancePath(instanceId)}/orgs`;
export const orgPath = (instanceId: string, orgId: string) => `${orgsPath(instanceId)}/${orgId}`;

export function orgHypermedia(instanceId: string, orgId: string): Hypermedia {
  return {
    _type: "instanceOrg",
    _links: {
      instance: { href: instancePath(instanceId) },
      orgs: { href: orgsPath(instanceId) },
      self: { href: orgPath(instanceId, orgId) },
    },
  };
}

export function orgsHypermedia(instanceId: string): Hypermedia {
  return {
    _type: "instanceOrgs",
    _links: {
      instance: { href: instancePath(instanceId) },
      self: { href: orgsPath(instanceId) },
    },
  };
}

/** The reply with hypermedia fields when `enabled`, or as it is. */
export function withHypermedia<T extends object>(body: T, enabled: boolean, links: () => Hypermedia): T | (T & Hypermedia) {
  return enabled ? { ...body, ...links() } : body;
}
