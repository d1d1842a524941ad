import { OBJECT_ID_PATTERN } from "../../../losant/instanceOrgSchema";

export const IMPORT_ID_FORM = "<instanceId>/<orgId>";

/**
 * The org an import id names: `pulumi import losant:index:InstanceOrg <name> <instanceId>/<orgId>`
 * (or the `import` resource option) gives the engine one string, and the org's URL needs both ids.
 */
export function parseImportId(id: string): { instanceId: string; orgId: string } {
  const parts = id.split("/");
  const [instanceId, orgId] = parts;
  if (parts.length !== 2 || instanceId === undefined || orgId === undefined || !OBJECT_ID_PATTERN.test(instanceId) || !OBJECT_ID_PATTERN.test(orgId)) {
    const shown = id.length > 80 ? `${id.slice(0, 80)}...` : id;
    throw new Error(
      `Cannot import InstanceOrg "${shown}": the import id must be ${IMPORT_ID_FORM}, two 24-character hex ids joined by "/" ` +
        `(for example 5f0c1d2e3a4b5c6d7e8f9a0b/6a1b2c3d4e5f6a7b8c9d0e1f)`,
    );
  }
  return { instanceId: instanceId.toLowerCase(), orgId: orgId.toLowerCase() };
}

/**
 * The resource's id in state: the import id's form. The engine treats a program's `import` id that
 * differs from the id in state as a new import (pkg/v3 v3.248.0 step_generator.go, `isImport`), and it
 * keeps the import id only when nothing follows the import. With the bare orgId as id, an `import`
 * option left in the program after an import that was followed by an update imported the org again
 * as a replacement, and that replacement's "delete original" DELETEd the org.
 */
export function resourceIdOf(ref: { instanceId: string; orgId: string }): string {
  return `${ref.instanceId}/${ref.orgId}`;
}

/** The org's id in a resource id: `<instanceId>/<orgId>`, or the bare orgId of a state written before the ids had that form. */
export function orgIdOf(id: string): string {
  const slash = id.lastIndexOf("/");
  return slash === -1 ? id : id.slice(slash + 1);
}
