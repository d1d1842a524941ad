/** The emulator's command-line flags and what they become; kept apart from cli.ts so tests can read them. */
import { EmulatorModes, parseModes } from "./modes";
import { checkRateLimit, RateLimitSettings } from "./rateLimit";
import { DEFAULT_TOKEN } from "./server";

export const cliOptions = {
  port: { type: "string", default: "0" },
  host: { type: "string", default: "127.0.0.1" },
  token: { type: "string", default: DEFAULT_TOKEN },
  state: { type: "string" },
  seed: { type: "string", default: "0" },
  latency: { type: "string", default: "0" },
  "connection-latency": { type: "string", default: "0" },
  "rate-limit": { type: "string", default: "0" },
  "rate-window-ms": { type: "string", default: "1000" },
  "rate-algorithm": { type: "string", default: "sliding-window" },
  "rate-burst": { type: "string" },
  "no-retry-after": { type: "boolean", default: false },
  "limits-patch": { type: "string" },
  "banner-patch": { type: "string" },
  "tag-order": { type: "string" },
  "email-domains": { type: "string" },
  "no-hypermedia": { type: "boolean", default: false },
  "page-size": { type: "string" },
  "post-reply": { type: "string" },
  "not-found-text": { type: "string" },
  "accept-version": { type: "string" },
} as const;

export type CliValues = Partial<Record<keyof typeof cliOptions, string | boolean>>;

export function modesFromFlags(values: CliValues): Partial<EmulatorModes> {
  const modes: Record<string, unknown> = {};
  if (values["limits-patch"] !== undefined) modes.limitsPatch = values["limits-patch"];
  if (values["banner-patch"] !== undefined) modes.bannerPatch = values["banner-patch"];
  if (values["tag-order"] !== undefined) modes.tagOrder = values["tag-order"];
  if (values["email-domains"] !== undefined) modes.emailDomains = values["email-domains"];
  if (values["no-hypermedia"] === true) modes.hypermedia = false;
  if (values["page-size"] !== undefined) modes.pageSize = values["page-size"];
  if (values["post-reply"] !== undefined) modes.postReply = values["post-reply"];
  if (values["not-found-text"] !== undefined) modes.notFoundText = values["not-found-text"];
  if (values["accept-version"] !== undefined) modes.acceptVersion = values["accept-version"];
  return parseModes(modes);
}

/**
 * Undefined when `--rate-limit` is 0 or absent; throws on a value that is not a number. Under
 * `--rate-algorithm gcra`, `--rate-limit N` is the refill (N tokens per `--rate-window-ms`) and
 * `--rate-burst` the bucket (default N).
 */
export function rateLimitFromFlags(values: CliValues): RateLimitSettings | undefined {
  const requests = Number(values["rate-limit"] ?? 0);
  if (requests === 0) return undefined;
  const retryAfter = values["no-retry-after"] === true ? "none" : "seconds";
  const windowMs = Number(values["rate-window-ms"] ?? 1000);
  const algorithm = values["rate-algorithm"] ?? "sliding-window";
  if (algorithm === "gcra") {
    return checkRateLimit({ algorithm, burst: Number(values["rate-burst"] ?? requests), rate: requests, periodMs: windowMs, retryAfter });
  }
  if (algorithm !== "sliding-window") throw new Error('--rate-algorithm must be "sliding-window" or "gcra"');
  if (values["rate-burst"] !== undefined) throw new Error("--rate-burst needs --rate-algorithm gcra");
  return checkRateLimit({ requests, windowMs, retryAfter });
}
