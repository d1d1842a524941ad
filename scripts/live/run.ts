#!/usr/bin/env node
/**
 * `npm run test:live`: the adopt / update / refresh / destroy check against a real Losant instance.
 * Needs LOSANT_API_TOKEN, LOSANT_API_URL and LOSANT_LIVE_INSTANCE_ID (a token with the instanceOrg
 * and instanceOrgs scopes); without them it says why it skips and exits 0. It never runs in CI.
 */
import { readLiveEnv } from "./env";
import { runLiveCheck } from "./scenario";

async function main(): Promise<number> {
  const setting = readLiveEnv(process.env);
  if (!setting.run) {
    process.stdout.write(`test:live skipped: ${setting.reason}.\n`);
    return 0;
  }
  const started = Date.now();
  try {
    await runLiveCheck(setting.env, (line) => process.stdout.write(`${line}\n`));
    process.stdout.write(`live check passed in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    return 0;
  } catch (error) {
    process.stdout.write(`live check FAILED: ${(error as Error).message}\n`);
    return 1;
  }
}

main().then((code) => {
  process.exitCode = code;
});
