import type { OrgSettings } from "../../losant/types";
import { parseSummaryInclude } from "../requestChecks";
import type { CollectionHandler } from "./context";
import { presentNewOrg } from "./present";

/**
 * `POST /instances/{instanceId}/orgs`: 201 with the new org (API 1.31), or 200 with it as an
 * Organization (API 1.30, mode `postReply`). The body was checked with the parameters
 * (params.ts). The org starts with the instance's limits and the token's user as its one administrator.
 */
export const postOrg: CollectionHandler = ({ store, grant, instanceId, query, body }) => {
  const summaryInclude = parseSummaryInclude(query);
  const org = store.createOrg(instanceId, body as OrgSettings & { name: string }, undefined, [{ userId: grant.userId, role: "admin" }]);
  return presentNewOrg(org, summaryInclude, store.modes);
};
