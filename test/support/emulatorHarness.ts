import { DEFAULT_TOKEN, Emulator, RecordedRequest, startEmulator } from "../../emulator/server";
import { INSTANCE_ID, ORG_ID } from "./fixtures";

export const TOKEN = "it-secret-token-7f3a9c1e";

/** An emulator on loopback with one instance and one org, and the env the provider reads. */
export async function startSeededEmulator(): Promise<Emulator> {
  const emulator = await startEmulator({ tokens: { [TOKEN]: ["all.Instance"], [DEFAULT_TOKEN]: ["all.Instance"], "read-only-token": ["all.Instance.read"] } });
  emulator.store.addInstance(INSTANCE_ID);
  emulator.store.createOrg(INSTANCE_ID, { name: "Acme" }, ORG_ID);
  process.env.LOSANT_API_URL = emulator.url;
  process.env.LOSANT_API_TOKEN = TOKEN;
  return emulator;
}

/** Requests as `METHOD /path?query` lines, for exact comparison. */
export function requestLines(requests: RecordedRequest[]): string[] {
  return requests.map((r) => {
    const query = new URLSearchParams(r.query).toString();
    return `${r.method} ${r.path}${query ? `?${query}` : ""}`;
  });
}

export const orgPath = (orgId: string = ORG_ID, instanceId: string = INSTANCE_ID) => `/instances/${instanceId}/orgs/${orgId}`;
