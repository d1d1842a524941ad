/**
 * The per-org summary (bin/previewSummary.ts) on previews the real CLI printed for the pipeline
 * example's program against the emulator (test/fixtures/preview, captured by
 * scripts/capture-preview-fixtures.ts): one kind of change each, and 300 orgs built from a real one.
 */
import fs from "fs";
import path from "path";
import { execFileSync, spawnSync } from "child_process";
import { renderSummary, summarizePreview, type PreviewJson, type PreviewStep } from "../../bin/previewSummary";
import { UNKNOWN } from "../../provider/shared/unknown";
import { REPO_ROOT } from "../../scripts/lib/workspace";

const FIXTURES = path.join(REPO_ROOT, "test/fixtures/preview");
const fixture = (name: string): PreviewJson => JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), "utf8")) as PreviewJson;

/** The table rows of a rendered summary. */
function rows(markdown: string): string[] {
  return markdown.split("\n").filter((line) => line.startsWith("| ") && !line.startsWith("| org |") && !line.startsWith("| ---"));
}

const cases: Array<{ name: string; counts: string; rows: string[] }> = [
  {
    name: "rename",
    counts: "1 org(s) change (1 to update); 2 unchanged.",
    rows: ['| Customer Two \\| Ltd | 60a1b2c3d4e5f60718293a4c | update | name: "Customer 2" → "Customer Two \\| Ltd" |'],
  },
  {
    name: "limits",
    counts: "3 org(s) change (3 to update); 0 unchanged.",
    rows: [1, 2, 3].map((n) => `| Customer ${n} | 60a1b2c3d4e5f60718293a4${"bcd"[n - 1]} | update | limits.device: 1000 → 2000<br>limits.member: 50 → 60 |`),
  },
  {
    name: "create",
    counts: "1 org(s) change (1 to create); 3 unchanged.",
    rows: [
      '| NewCo | (new) | create | auditLogEnabled: true<br>instanceId: "5f1e2d3c4b5a69788796a5b4"<br>limits.device: 300<br>limits.member: 50<br>name: "NewCo" |',
    ],
  },
  {
    name: "delete",
    counts: "1 org(s) change (1 to delete); 2 unchanged.",
    rows: ["| Customer 3 | 60a1b2c3d4e5f60718293a4d | delete |  |"],
  },
  {
    name: "replace",
    counts: "3 org(s) change (1 to replace, 2 to delete); 0 unchanged.",
    rows: [
      '| Customer 1 | 60a1b2c3d4e5f60718293a4b | replace | instanceId: "5f1e2d3c4b5a69788796a5b4" → "5f1e2d3c4b5a69788796a5b5" |',
      "| Customer 2 | 60a1b2c3d4e5f60718293a4c | delete |  |",
      "| Customer 3 | 60a1b2c3d4e5f60718293a4d | delete |  |",
    ],
  },
  {
    name: "secret",
    counts: "1 org(s) change (1 to update); 0 unchanged.",
    rows: ["| Customer 1 | 60a1b2c3d4e5f60718293a4b | update | description: [secret] → [secret] |"],
  },
];

describe("summary of a real preview", () => {
  test.each(cases)("$name", ({ name, counts, rows: expected }) => {
    const markdown = renderSummary(summarizePreview(fixture(name)), "Losant orgs");
    expect(markdown.startsWith("### Losant orgs\n\n")).toBe(true);
    expect(markdown).toContain(`\n${counts}\n`);
    expect(rows(markdown)).toEqual(expected);
  });

  test("a secret's value never reaches the summary", () => {
    const markdown = renderSummary(summarizePreview(fixture("secret")));
    expect(markdown).not.toMatch(/first|second/);
  });
});

/** 300 orgs changing one limit, each a copy of a real step with its own key, id and name. */
function limitChangeOf300(): PreviewJson {
  const preview = fixture("limits");
  const template = preview.steps!.find((s) => s.op === "update")!;
  const others = preview.steps!.filter((s) => !s.urn.includes("InstanceOrg::"));
  const key = template.urn.slice(template.urn.lastIndexOf("::") + 2);
  const name = JSON.stringify(template.newState!.inputs!.name);
  const replace = (text: string, from: string, to: string) => text.split(from).join(to);
  const steps: PreviewStep[] = [];
  for (let i = 0; i < 300; i++) {
    const id = (0x60a1b2c3d4e5f60718290000n + BigInt(i)).toString(16);
    let text = replace(JSON.stringify(template), template.oldState!.id!, id);
    text = replace(text, `InstanceOrg::${key}`, `InstanceOrg::customer-${i + 1}`);
    steps.push(JSON.parse(replace(text, name, `"Customer ${i + 1}"`)) as PreviewStep);
  }
  // 20 more orgs listed as the same (--show-sames), from a real same step.
  const same = fixture("rename").steps!.find((s) => s.op === "same" && s.urn.includes("InstanceOrg::"))!;
  for (let i = 0; i < 20; i++) steps.push({ ...same, urn: `${same.urn}-${i}` });
  return { ...preview, steps: [...others, ...steps], changeSummary: { same: others.filter((s) => s.op === "same").length + 20, update: 300 } };
}

test("300 orgs with a limit change: one row each, in name order, and the unchanged count", () => {
  const markdown = renderSummary(summarizePreview(limitChangeOf300()));
  expect(markdown).toContain("\n300 org(s) change (300 to update); 20 unchanged.\n");
  const table = rows(markdown);
  expect(table).toHaveLength(300);
  expect(new Set(table.map((r) => r.split(" | ")[1])).size).toBe(300);
  for (const row of table) expect(row).toMatch(/^\| Customer \d+ \| [0-9a-f]{24} \| update \| limits\.device: 1000 → 2000<br>limits\.member: 50 → 60 \|$/);
  expect(table[0]).toContain("| Customer 1 |");
});

test("without --show-sames the unchanged orgs are not listed, and the summary says so instead of guessing", () => {
  const preview = fixture("rename");
  const withoutSames = { ...preview, steps: preview.steps!.filter((s) => s.op !== "same" || !s.urn.includes("InstanceOrg::")) };
  const summary = summarizePreview(withoutSames);
  expect(summary.unchanged).toBeUndefined();
  expect(renderSummary(summary)).toContain("1 org(s) change (1 to update); unchanged orgs not listed (run the preview with `--show-sames`).");
});

describe("the summary command", () => {
  const cli = path.join(REPO_ROOT, "dist/bin/cli.js");
  beforeAll(() => {
    if (!fs.existsSync(cli)) execFileSync("npm", ["run", "build"], { cwd: REPO_ROOT });
  });

  test("reads the preview on stdin and prints the Markdown", () => {
    const out = execFileSync(process.execPath, [cli, "summary", "--title", "shard-1"], {
      input: fs.readFileSync(path.join(FIXTURES, "rename.json")),
      encoding: "utf8",
    });
    expect(out).toBe(renderSummary(summarizePreview(fixture("rename")), "shard-1"));
  });

  test.each([
    ["", /stdin is not the JSON of `pulumi preview --json` \(it is empty\)/],
    ["{", /stdin is not the JSON of `pulumi preview --json`/],
    ['{"diagnostics": []}', /stdin has no `steps`/],
  ])("fails with exit 1 on %j", (input, message) => {
    const result = spawnSync(process.execPath, [cli, "summary"], { input, encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(message);
  });
});

describe("values a preview cannot show", () => {
  /** The rename fixture with its one update step's new inputs changed by `edit`. */
  function renameWith(edit: (inputs: Record<string, unknown>, olds: Record<string, unknown>) => void): PreviewJson {
    const preview = fixture("rename");
    const step = preview.steps!.find((s) => s.op === "update")!;
    edit(step.newState!.inputs!, step.oldState!.outputs!);
    return preview;
  }

  test.each([
    [
      "a value known only after up (another resource's output)",
      (news: Record<string, unknown>) => void (news.name = UNKNOWN),
      'name: "Customer 2" → (known after up)',
    ],
    [
      "an update whose declared values Losant holds already (only what is managed changes)",
      (news: Record<string, unknown>, olds: Record<string, unknown>) => void (news.name = olds.name),
      "(no value changes)",
    ],
  ])("%s", (_label, edit, expected) => {
    const [row] = rows(renderSummary(summarizePreview(renameWith(edit))));
    expect(row.split(" | ")[3]).toBe(`${expected} |`);
  });
});
