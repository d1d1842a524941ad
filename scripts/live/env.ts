/** What the live check needs from the environment, and why it skips without it. */
export interface LiveEnv {
  apiUrl: string;
  apiToken: string;
  instanceId: string;
}

export type LiveEnvResult = { run: true; env: LiveEnv } | { run: false; reason: string };

const REQUIRED = ["LOSANT_API_TOKEN", "LOSANT_API_URL", "LOSANT_LIVE_INSTANCE_ID"] as const;

export function readLiveEnv(env: NodeJS.ProcessEnv): LiveEnvResult {
  // A CI runner may hold a token for other jobs; this check creates and deletes a real org, so it never runs there.
  if (env.CI && env.CI !== "false" && env.CI !== "0") return { run: false, reason: "CI is set, and the live check never runs in CI" };
  const missing = REQUIRED.filter((name) => !env[name]);
  if (missing.length > 0) {
    return { run: false, reason: `it runs against a real Losant instance and needs ${REQUIRED.join(", ")}; not set: ${missing.join(", ")}` };
  }
  return { run: true, env: { apiUrl: env.LOSANT_API_URL!.replace(/\/+$/, ""), apiToken: env.LOSANT_API_TOKEN!, instanceId: env.LOSANT_LIVE_INSTANCE_ID! } };
}
