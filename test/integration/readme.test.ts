/**
 * The README stays a user's page (at most 12 KB), and every error message it quotes is one the
 * code still produces: each quote is matched, `...` standing for any text, against a message made
 * by the code that throws it.
 */
import * as fs from "fs";
import * as http from "http";
import type { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { LosantApiError } from "../../client/errors";
import { LosantInstanceNotFoundError, LosantOrgNotFoundError, LosantUnconfirmedNotFoundError } from "../../provider/server/orgErrors";
import { LosantClient } from "../../client/losantClient";
import { RequestGate } from "../../client/requestGate";
import { checkInputs } from "../../provider/shared/check";
import { withRotationHint } from "../../provider/server/rotationHint";
import { resolveToken, settingsProblem } from "../../provider/shared/settings";
import { INSTANCE_ID, ORG_ID } from "../support/fixtures";

const ROOT = path.resolve(__dirname, "../..");
const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const ref = { instanceId: INSTANCE_ID, orgId: ORG_ID };

/** Pulumi's engine prints a check failure as `<type> resource '<name>': property <p> value <v> has a problem: <reason>`. */
function checkMessage(inputs: Record<string, unknown>): string {
  return checkInputs({ instanceId: INSTANCE_ID, orgId: ORG_ID, ...inputs })
    .map((failure) => `losant:InstanceOrg resource 'org': property ${failure.property} value {} has a problem: ${failure.reason}`)
    .join("\n");
}

function errorMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected a throw");
}

/** A message that fits a quote: the quote's parts between `...` appear in it, in order. */
function fits(message: string, quote: string): boolean {
  let from = 0;
  for (const part of quote
    .split("...")
    .map((p) => p.trim())
    .filter((p) => p !== "")) {
    const at = message.indexOf(part, from);
    if (at < 0) return false;
    from = at + part.length;
  }
  return true;
}

async function rateLimitedMessage(): Promise<string> {
  // Always 429, with a Retry-After past the default 300 s budget: the client gives up at once.
  const server = http.createServer((_req, res) => res.writeHead(429, { "Retry-After": "3600", "Content-Type": "application/json" }).end("{}"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const client = new LosantClient({ apiUrl: `http://127.0.0.1:${port}`, apiToken: "t", userAgent: "test", timeoutMs: 5000, gate: new RequestGate(1) });
    return await client.getOrg(ref).then(
      () => "no error",
      (error: Error) => error.message,
    );
  } finally {
    server.close();
  }
}

function notInstalledMessage(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "not-installed-"));
  const cwd = process.cwd();
  try {
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "some-program" }));
    process.chdir(dir);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the serialized provider is an `export =` module
    const provider = require("../../provider/providerObject") as { check: (olds: unknown, news: unknown) => unknown };
    return errorMessage(() => provider.check({}, {}));
  } finally {
    process.chdir(cwd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Messages quoted in the troubleshooting table that are Pulumi's own, not this package's. */
const PULUMI_MESSAGES = ["the stack is currently locked", "failed to load checkpoint: EOF", "... pending operations from previous deployment"];

async function producedMessages(): Promise<string[]> {
  const api = (status: number) => new LosantApiError({ operation: "get", ref, status, type: "Unauthorized", losantMessage: "Invalid token" });
  return [
    errorMessage(() => resolveToken({}, {})),
    new LosantOrgNotFoundError({ action: "adopt", ref }).message,
    new LosantOrgNotFoundError({ action: "update", ref }).message,
    api(401).message,
    api(403).message,
    (withRotationHint(api(401), "config") as Error).message,
    `losant:InstanceOrg resource 'org' has a problem: ${settingsProblem({ apiToken: "t", maxConcurrency: "0" }, {})?.message}`,
    checkMessage({
      tags: [
        { key: "a", value: "b" },
        { key: "c", value: "d" },
        { key: "a", value: "b" },
      ],
    }),
    checkMessage({ limits: { device: 2 ** 60 } }),
    settingsProblem({ apiToken: "t", apiUrl: "http://losant.example.com" }, {})?.message ?? "",
    notInstalledMessage(),
    await rateLimitedMessage(),
    new LosantInstanceNotFoundError({ action: "refresh", operation: "get", ref }).message,
    new LosantUnconfirmedNotFoundError({ action: "refresh", operation: "get", ref, reason: "checkRefused", checkStatus: 403 }).message,
  ];
}

/** Every code span in the first column of the troubleshooting table. */
function troubleshootingQuotes(): string[] {
  const section = readme.split(/^## Troubleshooting$/m)[1]?.split(/^## /m)[0] ?? "";
  const quotes: string[] = [];
  for (const line of section.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| symptom") && !l.startsWith("| ---"))) {
    const first = line.split(/(?<!\\)\|/)[1] ?? "";
    for (const match of first.matchAll(/(``?)\s?(.+?)\s?\1/g)) quotes.push(match[2] ?? "");
  }
  return quotes;
}

describe("README.md", () => {
  it("is at most 12 KB", () => {
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(12 * 1024);
  });

  it("keeps the sections that other pages and tests point to", () => {
    for (const heading of ["## Two commands", "## Recovering an interrupted deployment", "### Security notes", "## Troubleshooting"]) {
      expect(readme).toContain(`\n${heading}\n`);
    }
    expect(readme).toContain("npm install && npm run demo");
    expect(readme).toContain("npm test ");
  });

  it("quotes only error messages the code produces", async () => {
    const quotes = troubleshootingQuotes();
    expect(quotes.length).toBeGreaterThanOrEqual(14);
    const messages = await producedMessages();
    const unmatched = quotes.filter((quote) => !PULUMI_MESSAGES.includes(quote) && !messages.some((message) => fits(message, quote)));
    expect(unmatched).toEqual([]);
  });
});

describe("docs quote messages the code produces", () => {
  it("the rotation hint and the adopt failure", async () => {
    // Prose wraps: a quote may span lines.
    const reference = fs.readFileSync(path.join(ROOT, "docs/instance-org.md"), "utf8").replace(/\s+/g, " ");
    const behaviour = fs.readFileSync(path.join(ROOT, "docs/behaviour.md"), "utf8").replace(/\s+/g, " ");
    const hint = "If you rotated the token or changed losant:apiUrl since the last `pulumi up` ...";
    expect(reference).toContain(hint);
    expect(fits((withRotationHint(new LosantApiError({ operation: "get", ref, status: 401 }), "config") as Error).message, hint)).toBe(true);
    const adopt = "org ... does not exist in instance ...";
    expect(behaviour).toContain(`"${adopt}"`);
    expect(fits(new LosantOrgNotFoundError({ action: "adopt", ref }).message, adopt)).toBe(true);
  });
});
