/**
 * CONTRIBUTING.md's layout names every source file of the product, and no file that is gone, so a
 * newcomer can trust it as a map of the tree.
 */
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
const SOURCE_FOLDERS = ["losant", "client", "emulator", "provider", "bin"];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(relative);
    return entry.name.endsWith(".ts") ? [relative] : [];
  });
}

/** Every code span in CONTRIBUTING.md's Layout section that names a file under a source folder. */
function namedInLayout(): Set<string> {
  const text = fs.readFileSync(path.join(ROOT, "CONTRIBUTING.md"), "utf8");
  const layout = text.split(/^## Layout$/m)[1]?.split(/^## /m)[0] ?? "";
  const pattern = new RegExp(`\`((?:${SOURCE_FOLDERS.join("|")})/[\\w/.-]+\\.ts)\``, "g");
  return new Set([...layout.matchAll(pattern)].map((match) => match[1] ?? ""));
}

const files = SOURCE_FOLDERS.flatMap(sourceFiles).sort();
const named = namedInLayout();

test("the tree has source files in every folder the layout covers", () => {
  for (const folder of SOURCE_FOLDERS) expect(files.filter((file) => file.startsWith(`${folder}/`)).length).toBeGreaterThan(0);
});

test("CONTRIBUTING.md's layout names every source file", () => {
  expect(files.filter((file) => !named.has(file))).toEqual([]);
});

test("every source file CONTRIBUTING.md's layout names exists", () => {
  expect([...named].filter((file) => !fs.existsSync(path.join(ROOT, file)))).toEqual([]);
});
