import * as pulumi from "@pulumi/pulumi";
// The serialized provider is an `export =` module (see providerObject.ts for why).
import instanceOrgProvider = require("./providerObject");
import type { InstanceOrgArgs, InstanceOrgAttributes } from "./generated/instanceOrgArgs";
import { INSTANCE_ORG_PROPERTIES } from "./resourceFields";

export type { InstanceOrgArgs, InstanceOrgAttributes } from "./generated/instanceOrgArgs";
export { INSTANCE_ORG_PROPERTIES };
/** The `pulumi.dynamic.ResourceProvider` behind every InstanceOrg. */
export { instanceOrgProvider };

// The outputs are declared once, in the generated InstanceOrgAttributes (with their doc comments);
// this merge puts them on the class. Pulumi creates each one at run time from the registered properties.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface InstanceOrg extends InstanceOrgAttributes {}

/**
 * An existing Losant instance organization, adopted and kept as the program declares it.
 * `pulumi destroy` deletes the org in Losant: use `protect` or `retainOnDelete` where that is not wanted.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class InstanceOrg extends pulumi.dynamic.Resource {
  constructor(name: string, args: InstanceOrgArgs, opts?: pulumi.CustomResourceOptions) {
    // Every output must be registered (as undefined when not an input) to be readable on the resource.
    const registered: Record<string, unknown> = Object.fromEntries(INSTANCE_ORG_PROPERTIES.map((key) => [key, undefined]));
    super(instanceOrgProvider, name, { ...registered, ...args }, opts, "losant", "InstanceOrg");
  }
}
