import type { RecordedRequest } from "../../emulator/server";

/** A GET of an instance's org list (a batch of reads), not of one org. */
export const isList = (r: RecordedRequest): boolean => r.method === "GET" && r.path.endsWith("/orgs");

/** The ids a list request asked for by id, or undefined for another list (a walk page). */
function inIds(r: RecordedRequest): string[] | undefined {
  if (r.query.query === undefined) return undefined;
  const id = (JSON.parse(r.query.query) as { id?: string | { $in?: string[] } }).id;
  // A 404's proof asks for one id, `{"id": "..."}`.
  if (typeof id === "string") return [id];
  return Array.isArray(id?.$in) ? id.$in : undefined;
}

/** A list request that asked for orgs by id (`{"id": {"$in": [...]}}`): a batch of reads. */
export const isIdBatch = (r: RecordedRequest): boolean => isList(r) && inIds(r) !== undefined;

/** A page of a walk of the instance's whole list (the refresh read-ahead): a list not by id. */
export const isWalkPage = (r: RecordedRequest): boolean => isList(r) && inIds(r) === undefined;

/** The org ids a list request asked for with `{"id": {"$in": [...]}}` (none for a walk page). */
export const listedIds = (r: RecordedRequest): string[] => inIds(r) ?? [];

/**
 * Every org id read by these requests, one entry per read: single GETs, the ids of each id batch,
 * and the orgs each walk page's reply carried.
 */
export function orgsRead(requests: RecordedRequest[]): string[] {
  return requests
    .filter((r) => r.method === "GET" && r.status === 200)
    .flatMap((r) => (isList(r) ? (inIds(r) ?? r.replyIds ?? []) : [r.path.split("/").pop()!]))
    .sort();
}
