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
