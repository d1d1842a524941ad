import { LosantApiError, LosantError, LosantErrorOptions } from "../../client/errors";
import { DEFAULT_RETRY_TIMEOUT_SECONDS } from "../../client/retryPolicy";

export interface ConfigErrorOptions extends LosantErrorOptions {
  /** The config key at fault, e.g. `losant:apiUrl`. */
  setting?: string | undefined;
}

/** Settings are missing or unsafe; raised before any request is made. */
export class LosantConfigError extends LosantError {
  readonly setting: string | undefined;

  constructor(message: string, options: ConfigErrorOptions = {}) {
    super(message, options);
    this.setting = options.setting;
  }
}

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

/**
 * The bounds of each number. Each keeps a mistake from doing harm: more than 100 sockets is a denial
 * of service on Losant, not a speed-up; a timeout above Node's timer limit (2^31-1 ms) fires at once,
 * so every request would "time out" while the server applies it; and a pipeline that waits more than
 * an hour on retries is better off failing. 100 ms allows the local emulator's fault tests.
 */
export const SETTING_BOUNDS = {
  maxConcurrency: { min: 1, max: 100, unit: "requests in flight" },
  requestTimeoutMs: { min: 100, max: 300_000, unit: "milliseconds (5 minutes)" },
  retryTimeoutSeconds: { min: 0, max: 3600, unit: "seconds (1 hour)" },
} as const;

type NumericSetting = keyof typeof SETTING_BOUNDS;

/**
 * What users read about each setting (the config tables of the README and the reference are
 * generated from this, the sources, the defaults and the bounds above). `allowed` is given where it
 * is not a bound.
 */
export const SETTING_DOCS: Readonly<Record<SettingName, { default: string; allowed?: string; meaning: string }>> = {
  apiToken: {
    default: "none: required",
    allowed: "no whitespace",
    meaning: "API token; for pipelines prefer the environment variable, which is never recorded",
  },
  apiUrl: {
    default: `\`${DEFAULT_API_URL}\``,
    allowed: "`https://`, or `http://` to a loopback host; no query, fragment or `user:password@`",
    meaning:
      "API base URL. A path is kept as a prefix (an instance behind a reverse proxy); trailing slashes are dropped; `api.losant.com` serves the API at its root and takes no path",
  },
  maxConcurrency: {
    default: String(DEFAULT_MAX_CONCURRENCY),
    meaning: "requests in flight at once, for the whole stack (all InstanceOrgs share one dynamic-provider process and one limit)",
  },
  requestTimeoutMs: {
    default: String(DEFAULT_TIMEOUT_MS),
    meaning:
      "per-request timeout. Node's timers cannot wait longer than 2^31-1 ms; a larger value would fire at once and report every request as timed out while Losant applies it",
  },
  retryTimeoutSeconds: {
    default: String(DEFAULT_RETRY_TIMEOUT_SECONDS),
    meaning: "how long the retries of one request may go on, waits included; 0 sends each request once",
  },
};

/** Raw values, from Pulumi config when the provider was configured, else from the environment. */
export type RawSettings = Partial<Record<SettingName, string>>;

export interface Settings {
  apiUrl: string;
  maxConcurrency: number;
  requestTimeoutMs: number;
  /** How long a rate-limited (429) request keeps being retried, waits included; 0 fails at the first 429. 5xx and network errors have their own, shorter budget. */
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

/** Where the token came from: stack config is recorded in state at each `up`; the environment never is. */
export function tokenSource(configured: RawSettings): "config" | "env" {
  return configured.apiToken !== undefined ? "config" : "env";
}

function label(name: SettingName): string {
  return `${SETTING_SOURCES[name].config} (or ${SETTING_SOURCES[name].env})`;
}

function boundedInteger(name: NumericSetting, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const { min, max, unit } = SETTING_BOUNDS[name];
  const parsed = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    const shown = value.length > 20 ? `${value.slice(0, 20)}...` : value;
    const kind = min >= 1 ? "a positive whole number" : "a whole number";
    throw new LosantConfigError(`${label(name)} must be ${kind} from ${min} to ${max} ${unit}, got "${shown}"`);
  }
  return parsed;
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname.endsWith(".localhost");
}

/** Losant's own API hosts, which serve the API at the root: a path there is always a mistake. */
const LOSANT_API_HOSTS = new Set(["api.losant.com"]);

/**
 * The API base URL, checked and normalised. The client appends `/instances/...` to it, so anything
 * after the path would end up in the wrong place: a query or fragment (`?x=1` would swallow the API
 * path), or credentials (the token belongs in losant:apiToken). A path is kept as a prefix for an
 * instance behind a reverse proxy, without trailing slashes. Messages never echo the query or
 * credentials, where a secret may sit.
 */
export function normalizeApiUrl(raw: string): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    const shown = raw.length > 60 ? `${raw.slice(0, 60)}...` : raw;
    throw new LosantConfigError(`${label("apiUrl")} is not a URL: "${shown.replace(/[?#@].*$/, "...")}"`);
  }
  const where = `${parsed.protocol}//${parsed.host}${parsed.pathname === "/" ? "" : parsed.pathname}`;
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new LosantConfigError(`${label("apiUrl")} must use https (got ${parsed.protocol}//${parsed.host})`);
  }
  if (parsed.username !== "" || parsed.password !== "") {
    throw new LosantConfigError(
      `${label("apiUrl")} must not contain credentials (user:password@, given for ${parsed.protocol}//${parsed.host}); the API token belongs in losant:apiToken or LOSANT_API_TOKEN`,
    );
  }
  if (parsed.search !== "" || raw.includes("?")) {
    throw new LosantConfigError(
      `${label("apiUrl")} must not have a query string (given for ${where}); the API path is appended to this URL, and would land inside the query`,
    );
  }
  if (parsed.hash !== "" || raw.includes("#")) {
    throw new LosantConfigError(`${label("apiUrl")} must not have a fragment (#..., given for ${where}); the API path is appended to this URL`);
  }
  if (parsed.protocol === "http:" && !isLoopbackHost(parsed.hostname)) {
    throw new LosantConfigError(
      `losant:apiUrl uses plain http to ${parsed.host}; the API token would cross the network unencrypted. Use https, or http only to a loopback host such as the local emulator.`,
    );
  }
  const path = parsed.pathname.replace(/\/+$/, "");
  if (path !== "" && LOSANT_API_HOSTS.has(parsed.hostname)) {
    throw new LosantConfigError(
      `${label("apiUrl")} has the path "${parsed.pathname}", but ${parsed.hostname} serves the API at its root: use ${parsed.protocol}//${parsed.host}`,
    );
  }
  return `${parsed.protocol}//${parsed.host}${path}`;
}

/** Settings other than the token; explicit config wins over the environment. */
export function resolveSettings(configured: RawSettings, env: NodeJS.ProcessEnv = process.env): Settings {
  return {
    apiUrl: normalizeApiUrl(pick(configured, env, "apiUrl") ?? DEFAULT_API_URL),
    maxConcurrency: boundedInteger("maxConcurrency", pick(configured, env, "maxConcurrency"), DEFAULT_MAX_CONCURRENCY),
    requestTimeoutMs: boundedInteger("requestTimeoutMs", pick(configured, env, "requestTimeoutMs"), DEFAULT_TIMEOUT_MS),
    retryTimeoutSeconds: boundedInteger("retryTimeoutSeconds", pick(configured, env, "retryTimeoutSeconds"), DEFAULT_RETRY_TIMEOUT_SECONDS),
  };
}

/** The API token; a missing one fails here, before any request, and says how to provide it. */
export function resolveToken(configured: RawSettings, env: NodeJS.ProcessEnv = process.env): string {
  const token = pick(configured, env, "apiToken");
  if (token === undefined || token.trim() === "") {
    throw new LosantConfigError(
      "No Losant API token. Set it with `pulumi config set --secret losant:apiToken <token>` " +
        "or export LOSANT_API_TOKEN. It needs the instanceOrg.get/patch/delete scopes (or all.Instance).",
    );
  }
  // A token pasted with a newline or a space cannot go into an HTTP header; say so rather than fail on every request.
  if (/\s/.test(token) || /[^\u0020-\u007e\u00a0-\u00ff]/.test(token)) {
    throw new LosantConfigError(
      `The Losant API token in ${tokenSource(configured) === "config" ? "losant:apiToken" : "LOSANT_API_TOKEN"} contains whitespace or characters an HTTP header cannot carry (a pasted newline?); set it again without them.`,
    );
  }
  return token;
}

/** Every setting at once, as `check` validates them at preview: the first problem, or nothing. */
export function settingsProblem(configured: RawSettings, env: NodeJS.ProcessEnv = process.env): LosantConfigError | undefined {
  try {
    resolveSettings(configured, env);
    resolveToken(configured, env);
    return undefined;
  } catch (error) {
    if (error instanceof LosantConfigError) return error;
    throw error;
  }
}

/** The client says only that no token was sent; where to set one is the provider's knowledge. */
export const NO_TOKEN_ADVICE = ": set losant:apiToken or LOSANT_API_TOKEN";
/** The client says only that its 429 budget ran out; which settings move it is the provider's knowledge. */
export const BUDGET_ADVICE = "; raise losant:retryTimeoutSeconds or lower losant:maxConcurrency";

/**
 * The client's errors say what happened in HTTP terms; this adds which of the provider's settings
 * to change, on every operation. Adding twice adds once.
 */
export function withSettingsAdvice(error: unknown): unknown {
  if (!(error instanceof LosantApiError)) return error;
  if (error.status === 403 && !error.tokenSent && !error.message.endsWith(NO_TOKEN_ADVICE)) error.message += NO_TOKEN_ADVICE;
  const budget = error.gaveUp?.startsWith("the rate-limit retry budget") ? `(${error.gaveUp})` : undefined;
  if (budget !== undefined && error.message.includes(budget)) error.message = error.message.replace(budget, `(${error.gaveUp}${BUDGET_ADVICE})`);
  return error;
}
