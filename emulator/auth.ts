import { InstanceOrgOperation, REQUIRED_SCOPES } from "../losant/scopes";

export type EmulatorOperation = InstanceOrgOperation;

export function scopesFor(operation: EmulatorOperation): readonly string[] {
  return REQUIRED_SCOPES[operation];
}

export type AuthResult = { ok: true } | { ok: false; status: 401 | 403; type: string; message: string };

/** Bearer-token check: 401 for a missing or unknown token, 403 for a token without the scope. */
export function authorize(header: string | undefined, tokens: ReadonlyMap<string, readonly string[]>, operation: EmulatorOperation): AuthResult {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? "");
  const scopes = match ? tokens.get(match[1].trim()) : undefined;
  if (!scopes) return { ok: false, status: 401, type: "Unauthorized", message: "Authorization failed" };
  const allowed = scopesFor(operation);
  if (!scopes.some((s) => allowed.includes(s))) {
    return { ok: false, status: 403, type: "Forbidden", message: `Token does not have one of the required scopes: ${allowed.join(", ")}` };
  }
  return { ok: true };
}
