/**
 * The link check in `npm run lint` (`npm run links`: remark-validate-links over every Markdown
 * file) fails on a broken relative link or anchor and passes good ones. Each case is a Markdown
 * file in a temp folder, checked by the same command and config the lint uses.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../../scripts/lib/workspace";

interface Case {
  name: string;
  text: string;
  broken: boolean;
}

const TARGET = "# Target\n\n## A heading, with punctuation\n";

const cases: Case[] = [
  { name: "file.md", text: "[t](target.md)", broken: false },
  { name: "heading.md", text: "[t](target.md#a-heading-with-punctuation)", broken: false },
  { name: "own-heading.md", text: "# Own\n\n## Here\n\n[h](#here)", broken: false },
  { name: "folder.md", text: "[d](sub/)", broken: false },
  { name: "external.md", text: "[e](https://example.invalid/nowhere)", broken: false },
  { name: "missing-file.md", text: "[t](nowhere.md)", broken: true },
  { name: "missing-heading.md", text: "[t](target.md#no-such-heading)", broken: true },
  { name: "missing-own-heading.md", text: "# Own\n\n[h](#not-here)", broken: true },
  { name: "wrong-folder.md", text: "[t](../target.md)", broken: true },
];

/** `npm run links` as package.json says, pointed at `dir` with the repository's config. */
function runLinkCheck(dir: string): { status: number | null; output: string } {
  const script = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.links;
  const [command, ...args] = script.split(" ");
  const bin = path.join(REPO_ROOT, "node_modules/.bin", command);
  const result = spawnSync(bin, [...args.map((arg) => (arg === "." ? dir : arg)), "--rc-path", path.join(REPO_ROOT, ".remarkrc.json"), "--no-color"], {
    cwd: REPO_ROOT,
    encoding: "utf8",
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function folderWith(selected: Case[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "link-check-"));
  fs.writeFileSync(path.join(dir, "target.md"), TARGET);
  fs.mkdirSync(path.join(dir, "sub"));
  fs.writeFileSync(path.join(dir, "sub", "README.md"), "# Sub\n");
  for (const c of selected) fs.writeFileSync(path.join(dir, c.name), `${c.text}\n`);
  return dir;
}

jest.setTimeout(60_000);

test("the link check fails, naming each file, on every broken link or anchor", () => {
  const dir = folderWith(cases);
  try {
    const { status, output } = runLinkCheck(dir);
    expect(status).not.toBe(0);
    // The report heads each file's warnings with its path, on a line of its own.
    const reported = new Set(output.split("\n").map((line) => path.basename(line.trim())));
    const named = cases.filter((c) => reported.has(c.name)).map((c) => c.name);
    expect(named).toEqual(cases.filter((c) => c.broken).map((c) => c.name));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the link check passes files whose links and anchors all resolve", () => {
  const dir = folderWith(cases.filter((c) => !c.broken));
  try {
    const { status, output } = runLinkCheck(dir);
    expect([status, output]).toEqual([0, ""]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
