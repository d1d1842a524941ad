import { InstanceOrgOperation, REQUIRED_SCOPES } from "../losant/scopes";
import { newObjectId } from "./store";

export type EmulatorOperation = InstanceOrgOperation;

/** What a token may do: its scopes, and (if given) the only instances it can see. */
export interface TokenGrant {
  scopes: readonly string[];
  instances?: readonly string[];
  /** The user the token acts for: the administrator of the orgs it creates. Random unless given. */
  userId: string;
  /** An expired token: known, but refused with 401 "Access token has expired". */
  expired?: boolean;
}

/** How tokens are given to `startEmulator`: a list of scopes is shorthand for a grant on every instance. */
export type TokenSpec = readonly string[] | { scopes: readonly string[]; instances?: readonly string[]; userId?: string; expired?: boolean };

export function toGrant(spec: TokenSpec): TokenGrant {
  if (isScopeList(spec)) return { scopes: [...spec], userId: newObjectId() };
  return {
    scopes: [...spec.scopes],
    ...(spec.instances ? { instances: [...spec.instances] } : {}),
    userId: spec.userId ?? newObjectId(),
    ...(spec.expired ? { expired: true } : {}),
  };
}

function isScopeList(spec: TokenSpec): spec is readonly string[] {
  return Array.isArray(spec);
}

export function scopesFor(operation: EmulatorOperation): readonly string[] {
  return REQUIRED_SCOPES[operation];
}

export type AuthResult = { ok: true; grant: TokenGrant } | { ok: false; status: 401 | 403; type: string; message: string };

/**
 * The token check as Losant's framework makes it, after the parameters are validated
 * (Losant/bravado-core `lib/index.js`). `lib/prepare-params.js` takes the token from
 * `Authorization: Bearer|JWT <token>`; `lib/authenticate.js` returns without one and fails an
 * expired or invalid token with 401 "Access token has expired" or "Invalid access token";
 * `lib/authorize.js` then fails a request without the scope, a missing token included, with
 * 403 Forbidden "Access is forbidden" (`lib/errors.js`).
 */
export function authorize(header: string | undefined, tokens: ReadonlyMap<string, TokenGrant>, operation: EmulatorOperation): AuthResult {
  const token = bearerToken(header);
  const grant = token ? tokens.get(token) : undefined;
  if (token && !grant) return { ok: false, status: 401, type: "Unauthorized", message: "Invalid access token" };
  if (grant?.expired) return { ok: false, status: 401, type: "Unauthorized", message: "Access token has expired" };
  const allowed = scopesFor(operation);
  if (!grant || !grant.scopes.some((s) => allowed.includes(s))) return { ok: false, status: 403, type: "Forbidden", message: "Access is forbidden" };
  return { ok: true, grant };
}

/** The token of `Bearer <token>` or `JWT <token>` (bravado-core `lib/prepare-params.js`); undefined for none. */
export function bearerToken(header: string | undefined): string | undefined {
  const [scheme = "", token] = (header ?? "").split(" ");
  if (scheme.toUpperCase() !== "BEARER" && scheme.toUpperCase() !== "JWT") return undefined;
  return token === undefined || token === "" ? undefined : token;
}

/** Whether the grant reaches this instance; a token bound to other instances must not learn that it exists. */
export function reachesInstance(grant: TokenGrant, instanceId: string): boolean {
  return grant.instances === undefined || grant.instances.includes(instanceId);
}
