import { parseListParams, selectPage } from "../listing";
import { parseSummaryInclude } from "../requestChecks";
import type { CollectionHandler } from "./context";
import { presentPage } from "./present";

/** `GET /instances/{instanceId}/orgs`: paging, sort, name filter and advanced query (apiInfo-instanceOrgs.json). */
export const listOrgs: CollectionHandler = ({ store, instanceId, query }) => {
  const summaryInclude = parseSummaryInclude(query);
  const params = parseListParams(query, store.modes.pageSize);
  const page = selectPage(store.orgsOf(instanceId), params);
  const echo = params.nameFilter !== undefined ? { filter: params.nameFilter, filterField: "name" } : {};
  return presentPage(instanceId, page, params, echo, summaryInclude, store.modes.hypermedia);
};
