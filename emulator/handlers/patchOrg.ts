import type { OrgSettings } from "../../losant/types";
import { notFound } from "../http";
import { parseSummaryInclude } from "../requestChecks";
import type { OrgHandler } from "./context";
import { presentOrg } from "./present";

/** `PATCH /instances/{instanceId}/orgs/{orgId}`: the body was checked with the parameters (params.ts), before the org is looked up. */
export const patchOrg: OrgHandler = ({ store, instanceId, orgId, query, body }) => {
  const summaryInclude = parseSummaryInclude(query);
  const org = store.patchOrg(instanceId, orgId, (body ?? {}) as OrgSettings);
  if (!org) throw notFound("org", store.modes.notFoundText);
  return presentOrg(org, summaryInclude, store.modes.hypermedia);
};
