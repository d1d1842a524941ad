#!/usr/bin/env node
/**
 * `npx pulumi-losant-instance-org <command>`:
 * - `generate --instance <id> [--filter 'acme*'] [--format json|ts]`: declares every org of an
 *   instance, as a fleet file (json, the default) or a TypeScript program, on stdout. The token and
 *   URL come from LOSANT_API_TOKEN and LOSANT_API_URL, read and checked as the provider reads them.
 * - `summary [--title T] < preview.json`: the per-org change summary, in Markdown, of a
 *   `pulumi preview --json --show-sames` (docs/pipeline.md). Sends no request and needs no token.
 * - `emulator [flags]`: the local Losant emulator (docs/emulator.md lists the flags).
 * A separate entry point: the provider never loads the emulator.
 */
import { parseArgs } from "util";
import { listOrgs } from "../client/orgList";
import { OBJECT_ID_PATTERN } from "../losant/instanceOrgSchema";
import { fleetFor, renderJson, renderTypeScript } from "./generate";
import { standaloneClient } from "../provider/program/standaloneClient";
import { renderSummary, summarizePreview, type PreviewJson } from "./previewSummary";

const USAGE = `usage:
  pulumi-losant-instance-org generate --instance <instanceId> [--filter 'acme*'] [--format json|ts]
  pulumi-losant-instance-org summary [--title 'Losant orgs'] < preview.json   (from pulumi preview --json --show-sames)
  pulumi-losant-instance-org emulator [--port 0] [--token T] [--seed N] ... (see docs/emulator.md)
environment: LOSANT_API_TOKEN (required for generate), LOSANT_API_URL, LOSANT_REQUEST_TIMEOUT_MS, LOSANT_MAX_CONCURRENCY`;

class UsageError extends Error {}

async function generate(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { instance: { type: "string" }, filter: { type: "string" }, format: { type: "string", default: "json" } },
    strict: true,
  });
  const instanceId = values.instance?.toLowerCase();
  if (!instanceId || !OBJECT_ID_PATTERN.test(instanceId)) throw new UsageError("--instance must be the instance's 24-character hex id");
  if (values.format !== "json" && values.format !== "ts") throw new UsageError("--format must be json or ts");
  const api = standaloneClient();
  const orgs = await listOrgs(api, { instanceId, nameFilter: values.filter });
  const fleet = fleetFor(instanceId, orgs);
  process.stdout.write(values.format === "ts" ? renderTypeScript(fleet) : renderJson(fleet));
  process.stderr.write(`${orgs.length} org(s) of instance ${instanceId}${values.filter ? ` matching ${values.filter}` : ""}\n`);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function summary(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { title: { type: "string", default: "Losant orgs" } }, strict: true });
  const text = await readStdin();
  let preview: PreviewJson;
  try {
    preview = JSON.parse(text) as PreviewJson;
  } catch (error) {
    // An empty input usually means the preview failed before it printed anything: its own error is in the job log.
    const detail = text.trim() === "" ? "it is empty" : (error as Error).message;
    throw Object.assign(new Error(`summary: stdin is not the JSON of \`pulumi preview --json\` (${detail})`), { cause: error });
  }
  if (typeof preview !== "object" || preview === null || !Array.isArray(preview.steps)) {
    throw new Error("summary: stdin has no `steps`: give it the output of `pulumi preview --json --show-sames`");
  }
  process.stdout.write(renderSummary(summarizePreview(preview), values.title));
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === "generate") return generate(rest);
  if (command === "summary") return summary(rest);
  if (command === "emulator") {
    // Loaded only for this command: the emulator ships with the package, but nothing else requires it.
    const { runEmulatorCli } = await import("../emulator/cli");
    return runEmulatorCli(rest);
  }
  throw new UsageError(command === undefined || command === "--help" ? "" : `unknown command ${command}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message ? `${error.message}\n` : ""}${USAGE}\n`);
    process.exit(2);
  }
  process.stderr.write(`${(error as Error).message ?? String(error)}\n`);
  process.exit(1);
});
