/**
 * Test and demo hooks under /_emulator, outside the API: neither recorded, authenticated, throttled
 * nor faulted.
 */
import { FaultConfig, FaultInjector } from "./faults";
import { asValidation, HttpError, notFound } from "./http";
import { EmulatorModes, parseModes } from "./modes";
import type { RecordedRequest } from "./recording";
import { OrgStore, toApiOrg } from "./store";
import type { OrgSettings } from "../losant/types";

export interface ControlDeps {
  store: OrgStore;
  faults: FaultInjector;
  requests: RecordedRequest[];
  setModes(modes: Partial<EmulatorModes>): Readonly<EmulatorModes>;
}

const ORG_ROUTE = /^\/_emulator\/instances\/([^/]+)\/orgs(?:\/([^/]+))?$/;

export function answerControl(deps: ControlDeps, method: string, pathname: string, body: unknown): unknown {
  const { store, faults, requests } = deps;
  const route = `${method} ${pathname}`;
  if (route === "GET /_emulator/health") return { ok: true };
  if (route === "GET /_emulator/requests") return requests;
  if (route === "DELETE /_emulator/requests") return ((requests.length = 0), { success: true });
  if (route === "PUT /_emulator/faults") return asValidation(() => (faults.configure((body ?? {}) as FaultConfig), faults.settings));
  if (route === "DELETE /_emulator/faults") return (faults.reset(), faults.settings);
  if (route === "GET /_emulator/modes") return { ...store.modes };
  if (route === "PUT /_emulator/modes") return asValidation(() => deps.setModes(parseModes(body)));
  const org = ORG_ROUTE.exec(pathname);
  if (org && method === "POST" && org[2] === undefined) {
    if (!store.hasInstance(org[1])) store.addInstance(org[1]);
    const { id, ...settings } = body as { id?: string; name: string };
    return toApiOrg(store.createOrg(org[1], settings, id), undefined);
  }
  if (org && method === "PATCH" && org[2] !== undefined) {
    const patched = store.patchOrg(org[1], org[2], body as OrgSettings);
    if (!patched) throw notFound("org", store.modes.notFoundText);
    return toApiOrg(patched, undefined);
  }
  if (org && method === "DELETE" && org[2] !== undefined) return { success: store.deleteOrg(org[1], org[2]) };
  throw new HttpError(404, "NotFound", `No control route ${route}`);
}
