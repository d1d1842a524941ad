/** Every org of an instance that matches, read page by page. */
import type { LosantClient, OrgPageRequest } from "./losantClient";
import type { LosantInstanceOrg } from "../losant/types";

/** Losant's default and the page size the official client uses. */
export const LIST_PAGE_SIZE = 100;

/**
 * Reads pages sorted by id (stable while orgs are added by name) until one comes back short or the
 * total is reached: 250 orgs take 3 requests.
 */
export async function listOrgs(api: LosantClient, request: Omit<OrgPageRequest, "page" | "perPage">): Promise<LosantInstanceOrg[]> {
  const orgs: LosantInstanceOrg[] = [];
  const seen = new Set<string>();
  for (let page = 0; ; page++) {
    const reply = await api.listOrgsPage({ sortField: "id", ...request, page, perPage: LIST_PAGE_SIZE });
    for (const org of reply.items) {
      // An org created during the walk can shift a later page by one; never list one twice.
      if (!seen.has(org.id)) orgs.push(org);
      seen.add(org.id);
    }
    if (reply.items.length < LIST_PAGE_SIZE || (page + 1) * LIST_PAGE_SIZE >= reply.totalCount) return orgs;
  }
}
