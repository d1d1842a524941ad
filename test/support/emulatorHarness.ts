import { DEFAULT_TOKEN, Emulator, RecordedRequest, startEmulator } from "../../emulator/server";
import type { EmulatorModes } from "../../emulator/modes";
import { INSTANCE_ID, ORG_ID, OTHER_INSTANCE_ID } from "./fixtures";

export const TOKEN = "it-secret-token-7f3a9c1e";

/** A token that reaches only another instance: for INSTANCE_ID it gets the same 404 as a missing instance. */
export const OTHER_INSTANCE_TOKEN = "it-other-instance-token-2c81";
/** A token that may read, change and delete orgs but not list them. */
export const NO_LIST_TOKEN = "it-no-list-token-94d0";

/** An emulator on loopback with one instance and one org, and the env the provider reads. */
export async function startSeededEmulator(modes: Partial<EmulatorModes> = {}): Promise<Emulator> {
  const emulator = await startEmulator({
    modes,
    tokens: {
      [TOKEN]: ["all.Instance"],
      [DEFAULT_TOKEN]: ["all.Instance"],
      "read-only-token": ["all.Instance.read"],
      [OTHER_INSTANCE_TOKEN]: { scopes: ["all.Instance"], instances: [OTHER_INSTANCE_ID] },
      [NO_LIST_TOKEN]: ["instanceOrg.*"],
      "expired-token": { scopes: ["all.Instance"], expired: true },
    },
  });
  emulator.store.addInstance(OTHER_INSTANCE_ID);
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
