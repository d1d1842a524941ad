/**
 * Writes the files generated from the field lists (`losant/orgFields.ts`, `provider/shared/resourceFields.ts`):
 * `provider/program/generated/instanceOrgArgs.ts`, `docs/instance-org.md`, the native plugin's package schema
 * `schema.json` (provider/server/plugin/schema.ts, which the plugin also serves) with its reference page
 * `docs/plugin-reference.md`; and the tables that hand-written
 * pages carry between `<!-- generated:NAME:start/end -->` markers (`scripts/lib/docTables.ts`): the config
 * keys in the README and the reference, the scopes in `docs/security.md`. With `--check` it writes
 * nothing and fails, naming each stale file, when a checked-in copy differs from what it would write
 * (`npm run docs:check`, part of `npm run lint`).
 */
import * as fs from "fs";
import * as path from "path";
import { ORG_FIELDS } from "../losant/orgFields";
import { RESOURCE_FIELDS } from "../provider/shared/resourceFields";
import { fillGenerated, renderConfigTable, renderScopesTable } from "./lib/docTables";
import { renderArgsModule, renderReference } from "./lib/fieldDocs";
import { pluginSchema } from "../provider/server/plugin/schema";
import { renderSchemaReference } from "./lib/schemaDocs";

const ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? "../.." : "..");

/** Every generated file, relative to the repository root, with its content. */
export function generatedFiles(root: string = ROOT): Record<string, string> {
  const template = fs.readFileSync(path.join(root, "docs/templates/instance-org.md"), "utf8");
  const example = fs.readFileSync(path.join(root, "examples/basic/index.ts"), "utf8");
  const page = (file: string) => fs.readFileSync(path.join(root, file), "utf8");
  return {
    "provider/program/generated/instanceOrgArgs.ts": renderArgsModule(ORG_FIELDS, RESOURCE_FIELDS),
    "docs/instance-org.md": fillGenerated(
      renderReference(template, ORG_FIELDS, RESOURCE_FIELDS, example),
      { config: renderConfigTable("full") },
      "docs/templates/instance-org.md",
    ),
    "README.md": fillGenerated(page("README.md"), { config: renderConfigTable("short") }, "README.md"),
    "docs/security.md": fillGenerated(page("docs/security.md"), { scopes: renderScopesTable() }, "docs/security.md"),
    "schema.json": `${JSON.stringify(pluginSchema(), null, 2)}\n`,
    "docs/plugin-reference.md": renderSchemaReference(pluginSchema() as unknown as Parameters<typeof renderSchemaReference>[0]),
  };
}

/** The generated files whose checked-in copy differs from what the generator writes. */
export function staleFiles(root: string = ROOT): string[] {
  return Object.entries(generatedFiles(root))
    .filter(([file, content]) => {
      const target = path.join(root, file);
      return !fs.existsSync(target) || fs.readFileSync(target, "utf8") !== content;
    })
    .map(([file]) => file);
}

function main(): void {
  if (process.argv.includes("--check")) {
    const stale = staleFiles();
    if (stale.length > 0) {
      process.stderr.write(`Generated files are stale: ${stale.join(", ")}. Run \`npm run docs\` and commit the result.\n`);
      process.exit(1);
    }
    return;
  }
  for (const [file, content] of Object.entries(generatedFiles())) fs.writeFileSync(path.join(ROOT, file), content);
}

if (require.main === module) main();
