// Adopts one Losant org and keeps its name and device limit as declared.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"pulumi-losant-instance-org/sdk/go/losant"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		conf := config.New(ctx, "")
		org, err := losant.NewInstanceOrg(ctx, "acme", &losant.InstanceOrgArgs{
			InstanceId: pulumi.String(conf.Require("instanceId")),
			OrgId:      pulumi.String(conf.Require("orgId")),
			Name:       pulumi.String("Acme"),
			Limits:     &losant.OrgLimitsArgs{Device: pulumi.Int(conf.RequireInt("deviceLimit"))},
		})
		if err != nil {
			return err
		}
		ctx.Export("deviceLimit", org.Limits.Device())
		return nil
	})
}
