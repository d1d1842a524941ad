"""Adopts one Losant org and keeps its name and device limit as declared (see README.md)."""
import pulumi
import pulumi_losant as losant

config = pulumi.Config()

org = losant.InstanceOrg(
    "acme",
    instance_id=config.require("instanceId"),
    org_id=config.require("orgId"),
    name=config.get("orgName") or "Acme",
    limits=losant.OrgLimitsArgs(device=config.get_int("deviceLimit") or 500),
)

pulumi.export("orgId", org.org_id)
pulumi.export("deviceLimit", org.limits.device)
