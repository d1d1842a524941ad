import { ORG_PATCH_SCHEMA } from "../../losant/instanceOrgSchema";
import type { OrgSettings } from "../../losant/types";
import { notFound } from "../http";
import { parseSummaryInclude, validateBody } from "../requestChecks";
import type { OrgHandler } from "./context";
import { presentOrg } from "./present";

/** `PATCH /instances/{instanceId}/orgs/{orgId}`: a malformed body is refused before the org is looked up. */
export const patchOrg: OrgHandler = ({ store, instanceId, orgId, query, body }) => {
  const summaryInclude = parseSummaryInclude(query);
  validateBody(ORG_PATCH_SCHEMA, body);
  const org = store.patchOrg(instanceId, orgId, (body ?? {}) as OrgSettings);
  if (!org) throw notFound();
  return presentOrg(org, summaryInclude, store.modes.hypermedia);
};
