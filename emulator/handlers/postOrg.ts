import { ORG_POST_SCHEMA } from "../../losant/instanceOrgSchema";
import type { OrgSettings } from "../../losant/types";
import { parseSummaryInclude, validateBody } from "../requestChecks";
import type { CollectionHandler } from "./context";
import { presentNewOrg } from "./present";

/**
 * `POST /instances/{instanceId}/orgs`: 200 with the new org (Losant documents 200, not 201). It
 * starts with the instance's limits and the token's user as its one administrator.
 */
export const postOrg: CollectionHandler = ({ store, grant, instanceId, query, body }) => {
  const summaryInclude = parseSummaryInclude(query);
  validateBody(ORG_POST_SCHEMA, body);
  const org = store.createOrg(instanceId, body as OrgSettings & { name: string }, undefined, [{ userId: grant.userId, role: "admin" }]);
  return presentNewOrg(org, summaryInclude, store.modes.hypermedia);
};
