/**
 * What makes an answer from a listing fresh enough (docs/design/requests.md, section 2): one
 * process-wide order of events (a read asked, a list request sent, a write finished), and the
 * writes this process made. A listing proves an org absent only for a read asked before the list
 * request that would hold it was sent (an org created after it, by anyone, is not in it), and
 * answers for no org this process wrote since: a PATCH, POST or DELETE is never followed by an
 * older answer. Sequence numbers, not clock readings, so two events within one millisecond still
 * have an order.
 */
let last = 0;

/** The next event's place in the order. */
export function nextEvent(): number {
  return ++last;
}

function key(apiUrl: string, instanceId: string, orgId: string): string {
  return `${apiUrl}\n${instanceId.toLowerCase()}\n${orgId.toLowerCase()}`;
}

/** When this process last finished a write to each org (answered or not: a lost answer may still have applied it). */
const finished = new Map<string, number>();

/** The process's one log of writes: every client of the process writes to it, and every listing consults it. */
export const processWrites = {
  record(apiUrl: string, instanceId: string, orgId: string): void {
    finished.set(key(apiUrl, instanceId, orgId), nextEvent());
  },

  /** Whether a write to the org finished after the event `since`: what was fetched at `since` is older than it. */
  writtenAfter(apiUrl: string, instanceId: string, orgId: string, since: number): boolean {
    return (finished.get(key(apiUrl, instanceId, orgId)) ?? 0) > since;
  },
};
