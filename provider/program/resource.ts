import * as pulumi from "@pulumi/pulumi";
// The serialized provider is an `export =` module (see providerObject.ts for why).
import instanceOrgProvider = require("../providerObject");
import type { InstanceOrgArgs, InstanceOrgAttributes } from "./generated/instanceOrgArgs";
import { INSTANCE_ORG_PROPERTIES } from "../shared/resourceFields";
import { creationMarkerFor } from "../shared/creationMarker";
import { trimStackTraces } from "./declarationTrace";
import { providerText } from "./providerText";
import { INSTANCE_ORG_TYPE } from "./resourceType";
import { limitsFromState } from "../shared/storedLimits";
import type { OrgLimits } from "../../losant/types";

export type { InstanceOrgArgs, InstanceOrgAttributes } from "./generated/instanceOrgArgs";
export { INSTANCE_ORG_PROPERTIES };
/** The `pulumi.dynamic.ResourceProvider` behind every InstanceOrg. */
export { instanceOrgProvider };

// The outputs are declared once, in the generated InstanceOrgAttributes (with their doc comments);
// this merge puts them on the class. Pulumi creates each one at run time from the registered properties.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface InstanceOrg extends InstanceOrgAttributes {}

/** What `InstanceOrg.get` needs besides the org's id. */
export interface InstanceOrgLookupArgs {
  instanceId: pulumi.Input<string>;
}

/**
 * A Losant instance organization, kept as the program declares it: adopted when `orgId` is given,
 * created (once, see the README's POST-safety rules) when it is not.
 * `pulumi destroy` deletes the org in Losant: use `protect` or `retainOnDelete` where that is not wanted.
 */
// It is what `pulumi.dynamic.Resource` makes (that type, run by Pulumi's dynamic-provider host), but
// registers a `__provider` text of its own (providerText.ts) instead of the closure serializer's.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class InstanceOrg extends pulumi.CustomResource {
  constructor(name: string, args: InstanceOrgArgs, opts?: pulumi.CustomResourceOptions) {
    // Every output must be registered (as undefined when not an input) to be readable on the resource.
    const registered: Record<string, unknown> = Object.fromEntries(INSTANCE_ORG_PROPERTIES.map((key) => [key, undefined]));
    // An org to create gets a marker that is the same on every run, so a later run recognises it (creationMarker.ts).
    const creating = args.orgId === undefined && opts?.id === undefined;
    const marker = creating ? { creationMarker: creationMarkerFor(pulumi.getProject(), pulumi.getStack(), name) } : {};
    // The stack trace Pulumi records per org ends at the program's line that declared it (declarationTrace.ts).
    const restore = trimStackTraces(__filename);
    try {
      super(INSTANCE_ORG_TYPE, name, { ...registered, ...args, ...marker, __provider: providerText() }, opts);
    } finally {
      restore();
    }
    // State holds the limits as one string (storedLimits.ts); the program reads them as the object.
    const decoded: pulumi.Output<OrgLimits> = this.limits.apply((stored: unknown) => limitsFromState(stored));
    (this as { limits: pulumi.Output<OrgLimits> }).limits = decoded;
  }

  /**
   * Reads an existing org into the program without managing it: no PATCH, and `destroy` leaves it
   * alone. Pulumi's usual static `get`; the read is one GET.
   */
  static get(name: string, orgId: pulumi.Input<string>, state: InstanceOrgLookupArgs, opts?: pulumi.CustomResourceOptions): InstanceOrg {
    return new InstanceOrg(name, { instanceId: state.instanceId, orgId }, { ...opts, id: orgId });
  }
}
