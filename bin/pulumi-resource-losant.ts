#!/usr/bin/env node
/**
 * `pulumi-resource-losant`: the native Pulumi provider plugin for `losant:index:InstanceOrg`, which
 * YAML, Python, Go and C# programs use (TypeScript programs can use the dynamic InstanceOrg class).
 * The engine starts it by this name (on PATH, or from a `plugins: providers:` path in Pulumi.yaml).
 */
import { serve } from "../provider/server/plugin/serve";

serve().catch((error: unknown) => {
  process.stderr.write(`pulumi-resource-losant: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
