/**
 * The provider's own config in the provider protocol: CheckConfig, DiffConfig and Configure. The
 * Node SDK's provider server answers the first two with "not implemented" and drops Configure's
 * values, so the plugin does these itself. Values come from the stack's `losant:*` config (the
 * default provider) or from a `pulumi:providers:losant` resource's properties (explicit providers,
 * one per Losant instance), and are read by the same settings code as the dynamic provider's.
 */
import { LosantConfigError } from "../../shared/settings";
import { RawSettings, resolveSettings, resolveToken, SETTING_SOURCES, type SettingName } from "../../shared/settings";
import { UNKNOWN } from "../../shared/unknown";
import type { CheckFailure } from "@pulumi/pulumi/dynamic";

const SETTING_NAMES = Object.keys(SETTING_SOURCES) as SettingName[];

/** A config value as text (`maxConcurrency: 5` in YAML is a number, `pulumi config set` gives "5"); unset, empty or unknown is undefined. */
function asText(value: unknown): string | undefined {
  if (value === undefined || value === null || value === UNKNOWN) return undefined;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text === "" ? undefined : text;
}

/** The settings given in a provider's properties (secrets already unwrapped). */
export function settingsFromProperties(props: Record<string, unknown>): RawSettings {
  const raw: RawSettings = {};
  for (const name of SETTING_NAMES) {
    const text = asText(props[name]);
    if (text !== undefined) raw[name] = text;
  }
  return raw;
}

/**
 * Configure's `variables` map, for an engine that sends no `args`: keys are `losant:config:<name>`
 * (older engines) or `losant:<name>`, values are text.
 */
export function settingsFromVariables(variables: ReadonlyMap<string, string> | Iterable<[string, string]>): RawSettings {
  const props: Record<string, unknown> = {};
  for (const [key, value] of variables) {
    const name = key.split(":").pop();
    if (name !== undefined) props[name] = value;
  }
  return settingsFromProperties(props);
}

/** A getter over raw settings, in the `losant:<name>` keys the lifecycle's configure reads. */
export function configGetter(raw: RawSettings): (key: string) => string | undefined {
  return (key) => {
    const name = SETTING_NAMES.find((setting) => SETTING_SOURCES[setting].config === key);
    return name === undefined ? undefined : raw[name];
  };
}

/**
 * CheckConfig's failures: each setting given is checked alone, against its own rule (the
 * environment does not count here: it is read when the provider runs). A missing token is not a
 * failure here: it may come from LOSANT_API_TOKEN, and a program without resources needs none; the
 * resource's check reports it.
 */
export function checkSettings(raw: RawSettings): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const name of SETTING_NAMES) {
    if (raw[name] === undefined) continue;
    try {
      if (name === "apiToken") resolveToken({ apiToken: raw[name] }, {});
      else resolveSettings({ [name]: raw[name] }, {});
    } catch (error) {
      if (!(error instanceof LosantConfigError)) throw error;
      failures.push({ property: name, reason: error.message });
    }
  }
  return failures;
}

/** The settings whose value differs between two property sets (DiffConfig); none of them replaces anything. */
export function changedSettings(olds: Record<string, unknown>, news: Record<string, unknown>): string[] {
  return SETTING_NAMES.filter((name) => news[name] === UNKNOWN || asText(olds[name]) !== asText(news[name]));
}
