/**
 * User pages (the README and docs/*.md) say what a user needs, not where the code or its tests
 * live: no page names a source file. Design notes with their figures and tests are in docs/design/,
 * and the layout of the code in CONTRIBUTING.md.
 */
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");

const userPages = [
  "README.md",
  ...fs
    .readdirSync(path.join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];
const SOURCE_FILE = /\b(?:losant|client|emulator|provider|bin|scripts|test|bench)\/[\w/.-]*\.(?:ts|js|mjs)\b/g;

test("there are user pages to check", () => {
  expect(userPages.length).toBeGreaterThanOrEqual(7);
});

test.each(userPages)("%s names no source file", (page) => {
  // HTML comments (a generated page's header, the markers of generated tables) are for contributors, and never shown.
  const text = fs.readFileSync(path.join(ROOT, page), "utf8").replace(/<!--[\s\S]*?-->/g, "");
  expect([...text.matchAll(SOURCE_FILE)].map((match) => match[0])).toEqual([]);
});
