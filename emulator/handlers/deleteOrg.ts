import { notFound } from "../http";
import type { OrgHandler } from "./context";

/** `DELETE /instances/{instanceId}/orgs/{orgId}`: `{success: true}` (success.json). */
export const deleteOrg: OrgHandler = ({ store, instanceId, orgId }) => {
  if (!store.deleteOrg(instanceId, orgId)) throw notFound("org", store.modes.notFoundText);
  return { success: true };
};
