/**
 * Creating an org with `POST /instances/{id}/orgs` without ever making two. A POST is not safe to
 * repeat: the client retries it only when it cannot have reached Losant. Otherwise:
 * - before the first POST, orgs carrying this resource's creation marker are looked up: an earlier
 *   run may have made the org without recording it (killed pipeline, skipped checkpoints);
 * - after a POST whose outcome is unknown (timeout, reset, 502/503/504), the orgs with that exact
 *   name (and marker) created since the POST started are listed: one is adopted, none means POST
 *   again, several fail with their ids so the user can pick one with `orgId`.
 */
import type { LosantClient } from "../../client/losantClient";
import { createOutcomeUnknown } from "../../client/retryPolicy";
import { LosantCreateOutcomeError } from "./orgErrors";
import { declaredSettings } from "./plan";
import { markerQuery, markerTag } from "../shared/creationMarker";
import type { LosantInstanceOrg, OrgSettings } from "../../losant/types";
import type { InstanceOrgInputs } from "../shared/resourceTypes";

export interface CreateOptions {
  /** POSTs of unknown outcome followed by an empty lookup before giving up. */
  maxPosts: number;
  /**
   * Losant stamps `creationDate` with its own clock; the lookup reaches this far before the POST
   * started, so a client clock that runs ahead cannot hide the org it made.
   */
  clockSkewMs: number;
}

export const DEFAULT_CREATE_OPTIONS: CreateOptions = { maxPosts: 3, clockSkewMs: 5 * 60_000 };

export interface CreatedOrg {
  org: LosantInstanceOrg;
  /** `posted`: the POST's answer; `found`: made by an earlier, unrecorded run; `recovered`: a POST whose answer was lost. */
  how: "posted" | "found" | "recovered";
  posts: number;
}

export type CreateInputs = Omit<InstanceOrgInputs, "orgId">;

/** The POST body: every declared value, plus the marker tag when there is one. */
export function postBody(inputs: CreateInputs): OrgSettings {
  const declared = declaredSettings(inputs);
  if (inputs.creationMarker === undefined) return declared;
  return { ...declared, tags: [...(declared.tags ?? []), markerTag(inputs.creationMarker)] };
}

/** The list query for orgs this POST may have made. */
export function recoveryQuery(name: string, startedAt: number, options: CreateOptions, marker?: string): Record<string, unknown> {
  const conditions: Record<string, unknown>[] = [{ name }, { creationDate: { $gte: new Date(startedAt - options.clockSkewMs).toISOString() } }];
  if (marker !== undefined) conditions.push(markerQuery(marker));
  return { $and: conditions };
}

async function matching(api: LosantClient, inputs: CreateInputs, query: Record<string, unknown>): Promise<LosantInstanceOrg[]> {
  // Two are enough to know it is ambiguous; a few more make the error's list of ids useful.
  const page = await api.listOrgsPage({
    instanceId: inputs.instanceId,
    page: 0,
    perPage: 10,
    query,
    sortField: "creationDate",
    summaryInclude: inputs.summaryInclude,
  });
  return page.items;
}

function single(found: LosantInstanceOrg[], inputs: CreateInputs, posts: number): LosantInstanceOrg | undefined {
  if (found.length > 1)
    throw new LosantCreateOutcomeError({
      instanceId: inputs.instanceId,
      orgName: String(inputs.name),
      candidateIds: found.map((org) => org.id),
      attempts: posts,
    });
  return found[0];
}

export async function createOrg(api: LosantClient, inputs: CreateInputs, options: CreateOptions = DEFAULT_CREATE_OPTIONS): Promise<CreatedOrg> {
  const marker = inputs.creationMarker;
  if (marker !== undefined) {
    const earlier = single(await matching(api, inputs, markerQuery(marker)), inputs, 0);
    if (earlier) return { org: earlier, how: "found", posts: 0 };
  }
  const body = postBody(inputs);
  const name = String(inputs.name);
  for (let posts = 1; ; posts++) {
    const startedAt = Date.now();
    let reply: LosantInstanceOrg;
    try {
      reply = await api.createOrg(inputs.instanceId, body, inputs.summaryInclude);
    } catch (error) {
      if (!createOutcomeUnknown(error)) throw error;
      let found: LosantInstanceOrg[];
      try {
        found = await matching(api, inputs, recoveryQuery(name, startedAt, options, marker));
      } catch (lookupError) {
        throw new LosantCreateOutcomeError({ instanceId: inputs.instanceId, orgName: name, attempts: posts, lookupFailed: true, cause: lookupError });
      }
      const made = single(found, inputs, posts);
      if (made) return { org: made, how: "recovered", posts };
      if (posts >= options.maxPosts) throw new LosantCreateOutcomeError({ instanceId: inputs.instanceId, orgName: name, attempts: posts, cause: error });
      continue;
    }
    return { org: await asInstanceOrg(api, inputs, reply), how: "posted", posts };
  }
}

/**
 * The new org as the instance holds it. From API 1.31 POST answers with the instance org itself; up
 * to API 1.30 with the `org` resource (org.json), which has no `instanceId`, `tags`,
 * `auditLogEnabled` or `referralId`: outputs built from it would lack declared values and invent
 * nothing for the rest, so the org is read (one more request, only from such an API and only when
 * creating). Should that read find nothing, the reply is kept with the instance it was posted to.
 */
async function asInstanceOrg(api: LosantClient, inputs: CreateInputs, reply: LosantInstanceOrg): Promise<LosantInstanceOrg> {
  if (reply.instanceId !== undefined) return reply;
  const read = await api.getOrg({ instanceId: inputs.instanceId, orgId: reply.id }, inputs.summaryInclude);
  return read ?? { ...reply, instanceId: inputs.instanceId };
}
