/**
 * A client for code that runs outside the dynamic provider (lookups in a program, the generate
 * command), with the settings read exactly as the provider reads them: explicit values (Pulumi
 * config keys such as `losant:apiToken`) first, then the LOSANT_* environment variables.
 */
import { LosantClient } from "../../client/losantClient";
import { RequestGate } from "../../client/requestGate";
import { retryPolicyWith } from "../../client/retryPolicy";
import { RawSettings, resolveSettings, resolveToken, settingsProblem } from "../shared/settings";
import { PACKAGE_NAME, PACKAGE_VERSION } from "../shared/version";

export function standaloneClient(configured: RawSettings = {}, env: NodeJS.ProcessEnv = process.env): LosantClient {
  const problem = settingsProblem(configured, env);
  if (problem) throw problem;
  const settings = resolveSettings(configured, env);
  return new LosantClient({
    apiUrl: settings.apiUrl,
    apiToken: resolveToken(configured, env),
    timeoutMs: settings.requestTimeoutMs,
    userAgent: `${PACKAGE_NAME}/${PACKAGE_VERSION} (node ${process.version})`,
    gate: new RequestGate(settings.maxConcurrency),
    retryPolicy: retryPolicyWith(settings.retryTimeoutSeconds * 1000),
  });
}
