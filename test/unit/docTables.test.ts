/**
 * The tables generated into hand-written pages (scripts/lib/docTables.ts): each carries every fact
 * of its source, `npm run docs:check` reports a hand edit between the markers, and a page that lost
 * its markers is an error rather than a table silently no longer written.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REQUIRED_SCOPES } from "../../losant/scopes";
import { SETTING_BOUNDS, SETTING_DOCS, SETTING_SOURCES } from "../../provider/shared/settings";
import { generatedFiles, staleFiles } from "../../scripts/gen-docs";
import { fillGenerated, renderConfigTable, renderScopesTable } from "../../scripts/lib/docTables";

const ROOT = path.resolve(__dirname, "../..");

describe("the config table", () => {
  const settings = Object.entries(SETTING_SOURCES);

  it.each(["short", "full"] as const)("(%s) has one row per setting, with its key, variable and default", (variant) => {
    const rows = renderConfigTable(variant).split("\n").slice(2);
    expect(rows).toHaveLength(settings.length);
    settings.forEach(([name, source], i) => {
      expect(rows[i]).toContain(`\`${source.config}\``);
      expect(rows[i]).toContain(`\`${source.env}\``);
      expect(rows[i]).toContain(` ${SETTING_DOCS[name as keyof typeof SETTING_DOCS].default} `);
    });
  });

  it.each(Object.entries(SETTING_BOUNDS))("states the range of %s", (name, bounds) => {
    const row = renderConfigTable("short")
      .split("\n")
      .find((line) => line.includes(`\`${SETTING_SOURCES[name as keyof typeof SETTING_SOURCES].config}\``));
    expect(row).toContain(`| ${bounds.min}-${bounds.max} ${bounds.unit} |`);
  });
});

it("the README's shortcut holds: `all.Instance` allows every operation", () => {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  expect(readme).toContain("`all.Instance` allows them all");
  expect(Object.entries(REQUIRED_SCOPES).filter(([, scopes]) => !scopes.includes("all.Instance"))).toEqual([]);
});

it("the scopes table names every scope of every operation", () => {
  const table = renderScopesTable();
  for (const scopes of Object.values(REQUIRED_SCOPES)) {
    const row = table.split("\n").find((line) => scopes.every((scope) => line.includes(`\`${scope}\``)));
    expect([scopes, row === undefined]).toEqual([scopes, false]);
  }
  expect(table.split("\n")).toHaveLength(2 + Object.keys(REQUIRED_SCOPES).length);
});

describe("pages with generated tables", () => {
  it.each(["README.md", "docs/security.md"])("%s is reported stale after a hand edit between its markers", (page) => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "doc-tables-"));
    try {
      for (const file of ["docs/templates/instance-org.md", "examples/basic/index.ts", ...Object.keys(generatedFiles(ROOT))]) {
        fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        fs.copyFileSync(path.join(ROOT, file), path.join(root, file));
      }
      const target = path.join(root, page);
      fs.writeFileSync(target, fs.readFileSync(target, "utf8").replace(/(<!-- generated:\w+:start -->\n)/, "$1| a row typed by hand |\n"));
      expect(staleFiles(root)).toEqual([page]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("a page without the markers is an error that names the page and the markers", () => {
    expect(() => fillGenerated("# A page\n", { config: "| x |" }, "docs/page.md")).toThrow(
      "docs/page.md lacks the markers <!-- generated:config:start --> ... <!-- generated:config:end -->",
    );
  });

  it("keeps the text around the markers as it is", () => {
    const page = "before\n<!-- generated:t:start -->\nold\n<!-- generated:t:end -->\nafter\n";
    expect(fillGenerated(page, { t: "new" }, "p.md")).toBe("before\n<!-- generated:t:start -->\nnew\n<!-- generated:t:end -->\nafter\n");
  });
});
