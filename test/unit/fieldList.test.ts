/**
 * One field list: a field added to it shows up in every artifact derived from it (the types, the
 * PATCH and POST rules, the registered outputs, `InstanceOrgArgs` and the reference docs), and the
 * checked-in generated files match what the generator writes.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ORG_PATCH_SCHEMA, patchSchemaOf, postSchemaOf } from "../../losant/instanceOrgSchema";
import { field, ORG_FIELDS, type SettingsOf } from "../../losant/orgFields";
import type { OrgSettings } from "../../losant/types";
import { validate } from "../../losant/validate";
import { INSTANCE_ORG_PROPERTIES, RESOURCE_FIELDS, registeredPropertiesOf } from "../../provider/shared/resourceFields";
import { generatedFiles, staleFiles } from "../../scripts/gen-docs";
import { renderArgsModule, renderReference } from "../../scripts/lib/fieldDocs";

const ROOT = path.resolve(__dirname, "../..");

const WITH_EXTRA = {
  ...ORG_FIELDS,
  favoriteColor: field<string>()({ role: "patchable", rule: { type: "string", maxLength: 7 }, docType: "string", doc: "The org's favourite colour." }),
} as const;

describe("a field added to the field list", () => {
  it("is a typed setting", () => {
    const settings: SettingsOf<typeof WITH_EXTRA> = { favoriteColor: "#00ff00", name: "Acme" };
    // @ts-expect-error -- the extra field is a string
    const wrong: SettingsOf<typeof WITH_EXTRA> = { favoriteColor: 7 };
    // @ts-expect-error -- the real list has no such field
    const real: OrgSettings = { favoriteColor: "#00ff00" };
    expect([settings, wrong, real]).toHaveLength(3);
  });

  it("is in the PATCH and POST rules, and the validator enforces its rule", () => {
    for (const schema of [patchSchemaOf(WITH_EXTRA), postSchemaOf(WITH_EXTRA)]) {
      expect(schema.properties.favoriteColor).toEqual({ type: "string", maxLength: 7 });
      expect(validate(schema, { name: "Acme", favoriteColor: "#00ff00" })).toEqual([]);
      expect(validate(schema, { name: "Acme", favoriteColor: "#00ff00ff" }).map((v) => v.path)).toEqual(["favoriteColor"]);
    }
    expect(validate(ORG_PATCH_SCHEMA, { favoriteColor: "#00ff00" })).not.toEqual([]);
  });

  it("is a registered output", () => {
    expect(registeredPropertiesOf(WITH_EXTRA, RESOURCE_FIELDS)).toContain("favoriteColor");
    expect(INSTANCE_ORG_PROPERTIES).not.toContain("favoriteColor");
  });

  it("is an optional InstanceOrgArgs input with its doc comment, and an attribute", () => {
    const module = renderArgsModule(WITH_EXTRA, RESOURCE_FIELDS);
    expect(module).toContain(
      `  /** The org's favourite colour. Rule: at most 7 characters. */\n  favoriteColor?: pulumi.Input<Value<"favoriteColor">> | undefined;`,
    );
    expect(module).toContain(`  readonly favoriteColor: pulumi.Output<InstanceOrgOutputs["favoriteColor"]>;`);
  });

  it("is in the Argument and Attributes Reference", () => {
    const template = fs.readFileSync(path.join(ROOT, "docs/templates/instance-org.md"), "utf8");
    const page = renderReference(template, WITH_EXTRA, RESOURCE_FIELDS, "// example");
    expect(page).toContain("- `favoriteColor` (string) (Optional) The org's favourite colour. Rule: at most 7 characters. Defaults to unmanaged");
    expect(page).toContain("| `favoriteColor` | string | The org's favourite colour. |");
  });
});

describe("generated files", () => {
  it("are checked in as the generator writes them (npm run docs:check)", () => {
    expect(staleFiles(ROOT)).toEqual([]);
  });

  it("are reported stale when the template changes", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "gen-docs-"));
    try {
      for (const file of ["docs/templates/instance-org.md", "examples/basic/index.ts", ...Object.keys(generatedFiles(ROOT))]) {
        fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        fs.copyFileSync(path.join(ROOT, file), path.join(root, file));
      }
      expect(staleFiles(root)).toEqual([]);
      fs.appendFileSync(path.join(root, "docs/templates/instance-org.md"), "\nOne more line.\n");
      expect(staleFiles(root)).toEqual(["docs/instance-org.md"]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("show the real example program in the reference", () => {
    const example = fs.readFileSync(path.join(ROOT, "examples/basic/index.ts"), "utf8");
    expect(fs.readFileSync(path.join(ROOT, "docs/instance-org.md"), "utf8")).toContain(example.trimEnd());
  });
});
