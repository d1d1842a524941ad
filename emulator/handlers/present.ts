/** Replies as Losant shapes them: the org object, with hypermedia fields when that mode is on. */
import { newOrgHypermedia, orgHypermedia, orgsHypermedia, withHypermedia } from "../hypermedia";
import { Reply } from "../http";
import type { ListParams } from "../listing";
import type { EmulatorModes } from "../modes";
import { StoredOrg, toApiOrg } from "../store";

export function presentOrg(org: StoredOrg, summaryInclude: readonly string[] | undefined, hypermedia: boolean): object {
  return withHypermedia(toApiOrg(org, summaryInclude), hypermedia, () => orgHypermedia(org.instanceId, org.id, org.lastUpdated));
}

/**
 * The `org` resource (org.json) of API 1.30's POST reply: an Organization, which lists its
 * members and has no `instanceId`, `tags`, `auditLogEnabled` or `referralId`. Its billing fields
 * (`isEnterprise`, `planId`, `subscriptionStatus`, ...) are left out, as the emulator keeps none.
 */
export function toNewOrg(org: StoredOrg, summaryInclude: readonly string[] | undefined): object {
  const { instanceId: _instanceId, tags: _tags, auditLogEnabled: _audit, referralId: _referral, ...fields } = toApiOrg(org, summaryInclude);
  return { ...fields, members: structuredClone(org.members ?? []) };
}

/** POST's reply: 201 with the org as GET shows it (API 1.31), or 200 with the `org` resource (API 1.30). */
export function presentNewOrg(org: StoredOrg, summaryInclude: readonly string[] | undefined, modes: EmulatorModes): Reply {
  if (modes.postReply === "api1.31") return new Reply(201, presentOrg(org, summaryInclude, modes.hypermedia));
  return new Reply(
    200,
    withHypermedia(toNewOrg(org, summaryInclude), modes.hypermedia, () => newOrgHypermedia(org.id, org.lastUpdated)),
  );
}

/** A page of orgs, shaped like instanceOrgs.json. */
export function presentPage(
  instanceId: string,
  page: { items: StoredOrg[]; totalCount: number },
  params: ListParams,
  echo: { filter?: string; filterField?: string },
  summaryInclude: readonly string[] | undefined,
  hypermedia: boolean,
): object {
  const body = {
    items: page.items.map((org) => presentOrg(org, summaryInclude, hypermedia)),
    instanceId,
    count: page.items.length,
    totalCount: page.totalCount,
    perPage: params.perPage,
    page: params.page,
    ...echo,
    sortField: params.sortField,
    sortDirection: params.sortDirection,
  };
  return withHypermedia(body, hypermedia, () => orgsHypermedia(instanceId));
}
