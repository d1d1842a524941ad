import * as pulumi from "@pulumi/pulumi";
import { PATCHABLE_FIELDS } from "../losant/instanceOrgSchema";
import { instanceOrgProvider } from "./dynamicProvider";
import { creationMarkerFor } from "./creationMarker";
import type { MfaMode, OrgBanner, OrgBilling, OrgLimits, OrgTag } from "../losant/types";

/** Arguments of an InstanceOrg: the org's identity, and each setting the program wants kept as declared. */
export interface InstanceOrgArgs {
  /** Id of the Losant instance that owns the org (24 hex characters). Changing it replaces the resource. */
  instanceId: pulumi.Input<string>;
  /**
   * Id of an existing org to adopt (24 hex characters). Leave it out to create the org (one POST;
   * `name` is then required). Adding it later with the created org's id changes nothing; any other
   * id replaces the resource.
   */
  orgId?: pulumi.Input<string>;
  /** 1-255 characters; required when creating (no `orgId`). */
  name?: pulumi.Input<string>;
  /** Up to 32767 characters. */
  description?: pulumi.Input<string>;
  /** Up to 64 characters. */
  iconColor?: pulumi.Input<string>;
  /** Only the keys given are managed; other limits keep whatever value they have. */
  limits?: pulumi.Input<pulumi.Input<OrgLimits>>;
  auditLogEnabled?: pulumi.Input<boolean>;
  /** Email domains (3-45 characters each) whose users may be invited. */
  whitelistedEmailDomains?: pulumi.Input<pulumi.Input<string>[]>;
  /** Up to 100 tags. */
  tags?: pulumi.Input<pulumi.Input<OrgTag>[]>;
  mfaMode?: pulumi.Input<MfaMode>;
  banner?: pulumi.Input<OrgBanner>;
  isReadOnly?: pulumi.Input<boolean>;
  /** `true` disables the org now, `false` enables it, a date-time disables it from then. */
  disabledAt?: pulumi.Input<string | boolean>;
  /** Up to 1024 characters. */
  referralId?: pulumi.Input<string>;
  /** Summary fields to include in `summary` (sent as `summaryInclude` on GET and PATCH). */
  summaryInclude?: pulumi.Input<pulumi.Input<string>[]>;
}

/**
 * Every property an InstanceOrg registers: its inputs and the outputs Losant adds. Each costs the
 * engine a little work per resource on every operation, which is why the rarely present billing
 * fields share one `billing` output.
 */
export const INSTANCE_ORG_PROPERTIES: readonly string[] = [
  "instanceId",
  "orgId",
  ...PATCHABLE_FIELDS,
  "summaryInclude",
  "summary",
  "creationDate",
  "lastUpdated",
  "billing",
  "managedFields",
];

/** What `InstanceOrg.get` needs besides the org's id. */
export interface InstanceOrgLookupArgs {
  instanceId: pulumi.Input<string>;
}

/**
 * A Losant instance organization, kept as the program declares it: adopted when `orgId` is given,
 * created (once, see the README's POST-safety rules) when it is not.
 * `pulumi destroy` deletes the org in Losant: use `protect` or `retainOnDelete` where that is not wanted.
 */
export class InstanceOrg extends pulumi.dynamic.Resource {
  public readonly instanceId!: pulumi.Output<string>;
  public readonly orgId!: pulumi.Output<string>;
  public readonly name!: pulumi.Output<string>;
  public readonly description!: pulumi.Output<string | undefined>;
  public readonly iconColor!: pulumi.Output<string | undefined>;
  /** The effective limits: every key, declared or not. */
  public readonly limits!: pulumi.Output<OrgLimits>;
  public readonly auditLogEnabled!: pulumi.Output<boolean | undefined>;
  public readonly whitelistedEmailDomains!: pulumi.Output<string[] | undefined>;
  public readonly tags!: pulumi.Output<OrgTag[] | undefined>;
  public readonly mfaMode!: pulumi.Output<MfaMode | undefined>;
  public readonly banner!: pulumi.Output<OrgBanner | undefined>;
  public readonly isReadOnly!: pulumi.Output<boolean | undefined>;
  public readonly disabledAt!: pulumi.Output<string | false | undefined>;
  public readonly referralId!: pulumi.Output<string | undefined>;
  public readonly summaryInclude!: pulumi.Output<string[] | undefined>;
  public readonly summary!: pulumi.Output<Record<string, unknown> | undefined>;
  public readonly creationDate!: pulumi.Output<string | undefined>;
  public readonly lastUpdated!: pulumi.Output<string | undefined>;
  /** planId, customerId, subscriptionId, billingEmail, subscriptionStatus, currentPeriodStart/End, where Losant returns them. */
  public readonly billing!: pulumi.Output<OrgBilling | undefined>;
  /** The declared settings (`limits.<key>` per declared limit) that this resource keeps as declared. */
  public readonly managedFields!: pulumi.Output<string[]>;

  constructor(name: string, args: InstanceOrgArgs, opts?: pulumi.CustomResourceOptions) {
    // Every output must be registered (as undefined when not an input) to be readable on the resource.
    const registered: Record<string, unknown> = Object.fromEntries(INSTANCE_ORG_PROPERTIES.map((key) => [key, undefined]));
    // An org to create gets a marker that is the same on every run, so a later run recognises it (creationMarker.ts).
    const creating = args.orgId === undefined && opts?.id === undefined;
    const marker = creating ? { creationMarker: creationMarkerFor(pulumi.getProject(), pulumi.getStack(), name) } : {};
    super(instanceOrgProvider, name, { ...registered, ...args, ...marker }, opts, "losant", "InstanceOrg");
  }

  /**
   * Reads an existing org into the program without managing it: no PATCH, and `destroy` leaves it
   * alone. Pulumi's usual static `get`; the read is one GET.
   */
  static get(name: string, orgId: pulumi.Input<string>, state: InstanceOrgLookupArgs, opts?: pulumi.CustomResourceOptions): InstanceOrg {
    return new InstanceOrg(name, { instanceId: state.instanceId, orgId }, { ...opts, id: orgId });
  }
}
