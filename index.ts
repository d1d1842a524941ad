/**
 * The root program: one org, driven entirely by stack config, so a pipeline can use it as is:
 *
 *   pulumi config set instanceId 5f1e2d3c4b5a69788796a5b4
 *   pulumi config set orgId 60a1b2c3d4e5f60718293a4b    # leave it out to create the org
 *   pulumi config set name "Acme"
 *   pulumi config set --path limits.device 500
 *   pulumi config set auditLogEnabled true
 *   pulumi config set --secret losant:apiToken <token>
 *   pulumi up
 *
 * Every input is a config key of the same name and every registered property is a stack output,
 * both taken from the field lists, so a new field needs no edit here.
 */
import * as pulumi from "@pulumi/pulumi";
import { ORG_FIELDS, fieldsWithRole } from "./losant/orgFields";
import type { Schema } from "./losant/schemaTypes";
import { INSTANCE_ORG_PROPERTIES, InstanceOrg } from "./provider";

const config = new pulumi.Config();

/** Strings and booleans are plain config values; objects, lists and either-kind values are JSON (or set with --path). */
function fromConfig(key: string, rule: Schema | undefined): unknown {
  if (rule !== undefined && "type" in rule && rule.type === "string") return config.get(key);
  if (rule !== undefined && "type" in rule && rule.type === "boolean") return config.getBoolean(key);
  return config.getObject(key);
}

const settings = Object.fromEntries(fieldsWithRole("patchable").map((field) => [field, fromConfig(field, ORG_FIELDS[field].rule)]));

const org = new InstanceOrg(
  "org",
  {
    ...settings,
    instanceId: config.require("instanceId"),
    // Without orgId the org is created (name then required).
    orgId: config.get("orgId"),
    summaryInclude: config.getObject<string[]>("summaryInclude"),
  },
  { protect: config.getBoolean("protect") ?? false, retainOnDelete: config.getBoolean("retainOnDelete") ?? false },
);

export = Object.fromEntries(INSTANCE_ORG_PROPERTIES.map((property) => [property, Reflect.get(org, property) as pulumi.Output<unknown>]));
