/**
 * Scopes that allow each Instance Org operation, as Losant documents them (losant-rest's endpoint
 * table). Newer API versions also accept the `.bounded` variants of `all.Instance` and `all.User`.
 */
export type OrgOperation = "get" | "patch" | "delete";
export type CollectionOperation = "list" | "post";
export type InstanceOrgOperation = OrgOperation | CollectionOperation;

const DOCUMENTED_SCOPES: Readonly<Record<InstanceOrgOperation, readonly string[]>> = {
  get: ["all.Instance", "all.Instance.read", "all.User", "all.User.read", "instanceOrg.*", "instanceOrg.get"],
  patch: ["all.Instance", "all.User", "instanceOrg.*", "instanceOrg.patch"],
  delete: ["all.Instance", "all.User", "instanceOrg.*", "instanceOrg.delete"],
  list: ["all.Instance", "all.Instance.read", "all.User", "all.User.read", "instanceOrgs.*", "instanceOrgs.get"],
  post: ["all.Instance", "all.User", "instanceOrgs.*", "instanceOrgs.post"],
};

function withBounded(scopes: readonly string[]): readonly string[] {
  return [...scopes, ...scopes.filter((s) => s === "all.Instance" || s === "all.User").map((s) => `${s}.bounded`)];
}

/** Every scope that allows each operation, `.bounded` variants included. */
export const REQUIRED_SCOPES: Readonly<Record<InstanceOrgOperation, readonly string[]>> = Object.fromEntries(
  Object.entries(DOCUMENTED_SCOPES).map(([operation, scopes]) => [operation, withBounded(scopes)]),
) as Record<InstanceOrgOperation, readonly string[]>;
