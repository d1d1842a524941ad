import { notFound } from "../http";
import { parseSummaryInclude } from "../requestChecks";
import type { OrgHandler } from "./context";
import { presentOrg } from "./present";

/** `GET /instances/{instanceId}/orgs/{orgId}` */
export const getOrg: OrgHandler = ({ store, instanceId, orgId, query }) => {
  const summaryInclude = parseSummaryInclude(query);
  const org = store.getOrg(instanceId, orgId);
  if (!org) throw notFound("org", store.modes.notFoundText);
  return presentOrg(org, summaryInclude, store.modes.hypermedia);
};
