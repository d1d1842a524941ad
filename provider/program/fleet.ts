import * as pulumi from "@pulumi/pulumi";
import { InstanceOrg } from "./resource";
import { FleetSpec, fleetMembers, parseFleet, readFleetFile } from "./fleetSpec";

export interface InstanceOrgFleetArgs {
  /** The fleet: an object, or the path of a JSON fleet file (relative to the program's directory). */
  fleet: FleetSpec | string;
}

/**
 * One InstanceOrg per entry of a fleet file, as children of this component. Children are named by
 * their entry's `key`, so renaming an org, or moving an entry, never replaces it.
 */
export class InstanceOrgFleet extends pulumi.ComponentResource {
  /** The fleet's orgs by key. */
  public readonly orgs: Readonly<Record<string, InstanceOrg>>;
  /** Every org's id by key: created orgs' ids are known after the first `up`. */
  public readonly orgIds: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: InstanceOrgFleetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("losant:index:InstanceOrgFleet", name, {}, opts);
    // Checked whole before anything is declared: one run shows every mistake in the file.
    const spec = typeof args.fleet === "string" ? readFleetFile(args.fleet) : parseFleet(args.fleet);
    const orgs: Record<string, InstanceOrg> = {};
    for (const { key, inputs } of fleetMembers(spec)) {
      // Stacks that declared these orgs at the top level (examples/fleet before this component) keep them.
      orgs[key] = new InstanceOrg(key, inputs, { parent: this, aliases: [{ parent: pulumi.rootStackResource }] });
    }
    this.orgs = orgs;
    this.orgIds = pulumi.all(Object.fromEntries(Object.entries(orgs).map(([key, org]) => [key, org.orgId])));
    this.registerOutputs({ orgIds: this.orgIds });
  }
}
