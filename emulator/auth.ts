import { InstanceOrgOperation, REQUIRED_SCOPES } from "../losant/scopes";
import { newObjectId } from "./store";

export type EmulatorOperation = InstanceOrgOperation;

/** What a token may do: its scopes, and (if given) the only instances it can see. */
export interface TokenGrant {
  scopes: readonly string[];
  instances?: readonly string[];
  /** The user the token acts for: the administrator of the orgs it creates. Random unless given. */
  userId: string;
}

/** How tokens are given to `startEmulator`: a list of scopes is shorthand for a grant on every instance. */
export type TokenSpec = readonly string[] | { scopes: readonly string[]; instances?: readonly string[]; userId?: string };

export function toGrant(spec: TokenSpec): TokenGrant {
  if (isScopeList(spec)) return { scopes: [...spec], userId: newObjectId() };
  return { scopes: [...spec.scopes], ...(spec.instances ? { instances: [...spec.instances] } : {}), userId: spec.userId ?? newObjectId() };
}

function isScopeList(spec: TokenSpec): spec is readonly string[] {
  return Array.isArray(spec);
}

export function scopesFor(operation: EmulatorOperation): readonly string[] {
  return REQUIRED_SCOPES[operation];
}

export type AuthResult = { ok: true; grant: TokenGrant } | { ok: false; status: 401 | 403; type: string; message: string };

/**
 * Bearer-token check: 401 for a missing or unknown token, 403 for a token without the scope. The
 * bodies are the emulator's own: Losant does not document them (see docs/emulator.md).
 */
export function authorize(header: string | undefined, tokens: ReadonlyMap<string, TokenGrant>, operation: EmulatorOperation): AuthResult {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? "");
  const grant = match ? tokens.get(match[1].trim()) : undefined;
  if (!grant) return { ok: false, status: 401, type: "Unauthorized", message: "Authorization failed" };
  const allowed = scopesFor(operation);
  if (!grant.scopes.some((s) => allowed.includes(s))) {
    return { ok: false, status: 403, type: "Forbidden", message: `Token does not have one of the required scopes: ${allowed.join(", ")}` };
  }
  return { ok: true, grant };
}

/** Whether the grant reaches this instance; a token bound to other instances must not learn that it exists. */
export function reachesInstance(grant: TokenGrant, instanceId: string): boolean {
  return grant.instances === undefined || grant.instances.includes(instanceId);
}
