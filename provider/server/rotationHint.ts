import { LosantApiError } from "../../client/errors";
import { withSettingsAdvice } from "../shared/settings";

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

export function withRotationHint(error: unknown, tokenFrom: "config" | "env"): unknown {
  withSettingsAdvice(error);
  if (error instanceof LosantApiError && error.status === 401 && tokenFrom === "config" && !error.message.includes(ROTATION_HINT)) {
    error.message = error.message.replace(/\.?$/, ".") + ROTATION_HINT;
  }
  return error;
}
