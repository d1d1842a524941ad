/** Replies as Losant shapes them: the org object, with hypermedia fields when that mode is on. */
import { orgHypermedia, orgsHypermedia, withHypermedia } from "../hypermedia";
import type { ListParams } from "../listing";
import { StoredOrg, toApiOrg } from "../store";

export function presentOrg(org: StoredOrg, summaryInclude: readonly string[] | undefined, hypermedia: boolean): object {
  return withHypermedia(toApiOrg(org, summaryInclude), hypermedia, () => orgHypermedia(org.instanceId, org.id));
}

/** POST answers with an Organization (org.json), which also lists the members. */
export function presentNewOrg(org: StoredOrg, summaryInclude: readonly string[] | undefined, hypermedia: boolean): object {
  return { ...presentOrg(org, summaryInclude, hypermedia), members: structuredClone(org.members ?? []) };
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
