/**
 * The few direct calls the live check makes outside the provider: creating the scratch org (made
 * outside the provider, so that the check exercises adoption of an org Pulumi did not create),
 * looking at it, and removing it whatever happened.
 * Errors name the call and the status, never the token.
 */
import type { LiveEnv } from "./env";

export interface RawOrg {
  id: string;
  name: string;
  auditLogEnabled?: boolean;
  limits: Record<string, number>;
  [field: string]: unknown;
}

export class RawLosant {
  constructor(private readonly env: LiveEnv) {}

  private async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${this.env.apiUrl}${path}`, {
      method,
      headers: { Accept: "application/json", "Content-Type": "application/json", Authorization: `Bearer ${this.env.apiToken}` },
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      parsed = text.slice(0, 200);
    }
    return { status: res.status, body: parsed };
  }

  private orgsPath(): string {
    return `/instances/${encodeURIComponent(this.env.instanceId)}/orgs`;
  }

  /** POST a new org; Losant documents 200 with the org. */
  async createOrg(body: { name: string; description: string }): Promise<RawOrg> {
    const res = await this.call("POST", this.orgsPath(), body);
    if (res.status < 200 || res.status > 299) throw new Error(`POST ${this.orgsPath()} answered ${res.status}: ${describe(res.body)}`);
    return res.body as RawOrg;
  }

  /** The org, or undefined on 404. */
  async getOrg(orgId: string): Promise<RawOrg | undefined> {
    const res = await this.call("GET", `${this.orgsPath()}/${orgId}`);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new Error(`GET org ${orgId} answered ${res.status}: ${describe(res.body)}`);
    return res.body as RawOrg;
  }

  /** True when this call deleted it, false when it was already gone. */
  async deleteOrg(orgId: string): Promise<boolean> {
    const res = await this.call("DELETE", `${this.orgsPath()}/${orgId}`);
    if (res.status === 404) return false;
    if (res.status !== 200) throw new Error(`DELETE org ${orgId} answered ${res.status}: ${describe(res.body)}`);
    return true;
  }

  /** Orgs with exactly this name created since `since`: how a POST whose answer was lost is found again. */
  async findOrgs(name: string, since: Date): Promise<RawOrg[]> {
    const query = JSON.stringify({ name, creationDate: { $gte: since.toISOString() } });
    const res = await this.call("GET", `${this.orgsPath()}?perPage=100&query=${encodeURIComponent(query)}`);
    if (res.status !== 200) throw new Error(`GET ${this.orgsPath()} (query by name) answered ${res.status}: ${describe(res.body)}`);
    return ((res.body as { items?: RawOrg[] }).items ?? []).filter((org) => org.name === name);
  }
}

function describe(body: unknown): string {
  if (body && typeof body === "object" && "message" in body) return String((body as { message: unknown }).message);
  return JSON.stringify(body ?? null);
}
