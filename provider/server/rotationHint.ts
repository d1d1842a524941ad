import { LosantApiError } from "../../client/errors";

/**
 * `pulumi refresh` and `pulumi destroy` configure providers with the settings recorded in state at
 * the last `up`, not with the stack config as it is now. After a token rotation (or a moved
 * losant:apiUrl) they therefore use the old values, and a 401 that says only "token not accepted"
 * sends the user looking in the wrong place. This names the likely cause where it applies: a read
 * (refresh) or delete (destroy) rejected with 401 while the token came from stack config.
 */
export const ROTATION_HINT =
  " If you rotated the token or changed losant:apiUrl since the last `pulumi up`: `pulumi refresh` and `pulumi destroy` " +
  "use the settings recorded at that `up`. Run them with `--run-program` (or PULUMI_RUN_PROGRAM=true) to use the current stack config, " +
  "or run `pulumi up` first; a token given only as LOSANT_API_TOKEN is never recorded and avoids this.";

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

export function withRotationHint(error: unknown, tokenFrom: "config" | "env"): unknown {
  withSettingsAdvice(error);
  if (error instanceof LosantApiError && error.status === 401 && tokenFrom === "config" && !error.message.includes(ROTATION_HINT)) {
    error.message = error.message.replace(/\.?$/, ".") + ROTATION_HINT;
  }
  return error;
}
