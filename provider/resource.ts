import * as pulumi from "@pulumi/pulumi";
import { instanceOrgProvider } from "./dynamicProvider";
import type { MfaMode, OrgBanner, OrgLimits, OrgTag } from "./types";

/** Arguments of an InstanceOrg: the org's identity, and each setting the program wants kept as declared. */
export interface InstanceOrgArgs {
  /** Id of the Losant instance that owns the org (24 hex characters). Changing it replaces the resource. */
  instanceId: pulumi.Input<string>;
  /** Id of the existing org to adopt (24 hex characters). Changing it replaces the resource. */
  orgId: pulumi.Input<string>;
  /** 1-255 characters. */
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
 * An existing Losant instance organization, adopted and kept as the program declares it.
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
  public readonly planId!: pulumi.Output<string | undefined>;
  public readonly customerId!: pulumi.Output<string | undefined>;
  public readonly subscriptionId!: pulumi.Output<string | undefined>;
  public readonly billingEmail!: pulumi.Output<string | undefined>;
  public readonly subscriptionStatus!: pulumi.Output<string | undefined>;
  public readonly currentPeriodStart!: pulumi.Output<string | undefined>;
  public readonly currentPeriodEnd!: pulumi.Output<string | undefined>;
  /** The declared settings (`limits.<key>` per declared limit) that this resource keeps as declared. */
  public readonly managedFields!: pulumi.Output<string[]>;

  constructor(name: string, args: InstanceOrgArgs, opts?: pulumi.CustomResourceOptions) {
    const outputsOnly = {
      summary: undefined,
      creationDate: undefined,
      lastUpdated: undefined,
      planId: undefined,
      customerId: undefined,
      subscriptionId: undefined,
      billingEmail: undefined,
      subscriptionStatus: undefined,
      currentPeriodStart: undefined,
      currentPeriodEnd: undefined,
      managedFields: undefined,
    };
    super(instanceOrgProvider, name, { ...outputsOnly, ...args }, opts, "losant", "InstanceOrg");
  }
}
