import type { RecordedRequest } from "../../emulator/server";

/** A GET of an instance's org list (a batch of reads), not of one org. */
export const isList = (r: RecordedRequest): boolean => r.method === "GET" && r.path.endsWith("/orgs");

/** The org ids a list request asked for with `{"id": {"$in": [...]}}`. */
export const listedIds = (r: RecordedRequest): string[] => (JSON.parse(r.query.query) as { id: { $in: string[] } }).id.$in;

/** Every org id read by these requests, one entry per read: single GETs and the ids of each list request. */
export function orgsRead(requests: RecordedRequest[]): string[] {
  return requests
    .filter((r) => r.method === "GET" && r.status === 200)
    .flatMap((r) => (isList(r) ? listedIds(r) : [r.path.split("/").pop()!]))
    .sort();
}
