import { LosantConfigError } from "../client/errors";
import { DEFAULT_RETRY_TIMEOUT_SECONDS } from "../client/retryPolicy";

export const DEFAULT_API_URL = "https://api.losant.com";
export const DEFAULT_MAX_CONCURRENCY = 10;
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Config keys (Pulumi stack config) and the environment variables that stand in for them. */
export const SETTING_SOURCES = {
  apiToken: { config: "losant:apiToken", env: "LOSANT_API_TOKEN" },
  apiUrl: { config: "losant:apiUrl", env: "LOSANT_API_URL" },
  maxConcurrency: { config: "losant:maxConcurrency", env: "LOSANT_MAX_CONCURRENCY" },
  requestTimeoutMs: { config: "losant:requestTimeoutMs", env: "LOSANT_REQUEST_TIMEOUT_MS" },
  retryTimeoutSeconds: { config: "losant:retryTimeoutSeconds", env: "LOSANT_RETRY_TIMEOUT_SECONDS" },
} as const;

export type SettingName = keyof typeof SETTING_SOURCES;

/** Raw values, from Pulumi config when the provider was configured, else from the environment. */
export type RawSettings = Partial<Record<SettingName, string>>;

export interface Settings {
  apiUrl: string;
  maxConcurrency: number;
  requestTimeoutMs: number;
  retryTimeoutSeconds: number;
}

export function readConfig(get: (key: string) => string | undefined): RawSettings {
  const raw: RawSettings = {};
  for (const [name, source] of Object.entries(SETTING_SOURCES) as Array<[SettingName, { config: string }]>) {
    const value = get(source.config);
    if (value !== undefined && value !== "") raw[name] = value;
  }
  return raw;
}

function pick(configured: RawSettings, env: NodeJS.ProcessEnv, name: SettingName): string | undefined {
  const fromConfig = configured[name];
  if (fromConfig !== undefined) return fromConfig;
  const fromEnv = env[SETTING_SOURCES[name].env];
  return fromEnv === undefined || fromEnv === "" ? undefined : fromEnv;
}

function positiveInteger(name: SettingName, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    throw new LosantConfigError(`${SETTING_SOURCES[name].config} (or ${SETTING_SOURCES[name].env}) must be a positive whole number, got "${value}"`);
  }
  return parsed;
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname.endsWith(".localhost");
}

/** Settings other than the token; explicit config wins over the environment. */
export function resolveSettings(configured: RawSettings, env: NodeJS.ProcessEnv = process.env): Settings {
  const apiUrl = pick(configured, env, "apiUrl") ?? DEFAULT_API_URL;
  let parsed: URL;
  try {
    parsed = new URL(apiUrl);
  } catch {
    throw new LosantConfigError(`losant:apiUrl (or LOSANT_API_URL) is not a URL: "${apiUrl}"`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new LosantConfigError(`losant:apiUrl must use https (got ${parsed.protocol}//${parsed.host})`);
  }
  if (parsed.protocol === "http:" && !isLoopbackHost(parsed.hostname)) {
    throw new LosantConfigError(
      `losant:apiUrl uses plain http to ${parsed.host}; the API token would cross the network unencrypted. Use https, or http only to a loopback host such as the local emulator.`,
    );
  }
  return {
    apiUrl: apiUrl.replace(/\/+$/, ""),
    maxConcurrency: positiveInteger("maxConcurrency", pick(configured, env, "maxConcurrency"), DEFAULT_MAX_CONCURRENCY),
    requestTimeoutMs: positiveInteger("requestTimeoutMs", pick(configured, env, "requestTimeoutMs"), DEFAULT_TIMEOUT_MS),
    retryTimeoutSeconds: positiveInteger("retryTimeoutSeconds", pick(configured, env, "retryTimeoutSeconds"), DEFAULT_RETRY_TIMEOUT_SECONDS),
  };
}

/** The API token; a missing one fails here, before any request, and says how to provide it. */
export function resolveToken(configured: RawSettings, env: NodeJS.ProcessEnv = process.env): string {
  const token = pick(configured, env, "apiToken");
  if (token === undefined) {
    throw new LosantConfigError(
      "No Losant API token. Set it with `pulumi config set --secret losant:apiToken <token>` " +
        "or export LOSANT_API_TOKEN. It needs the instanceOrg.get/patch/delete scopes (or all.Instance).",
    );
  }
  return token;
}
