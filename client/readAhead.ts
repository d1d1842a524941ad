/**
 * Read-ahead: one walk of an instance's whole org list, 1,000 orgs a request, serves a sweep's reads
 * (docs/design/requests.md, section 2). Pages are walked by keyset (`{"id":{"$gt":last}}`, sorted by
 * id), which an org created or deleted during the walk cannot shift, and which stays right if Losant
 * caps `perPage` below what was asked. Pages walked in id order, each after the one before, are the
 * instance's own answer without an org in their range, as far as freshness.ts allows. A walk refused,
 * failed or with pages out of order proves nothing beyond the orgs it holds: the rest go the usual
 * way (an id batch, then the 404 proof), which costs requests, never an org.
 */
import { LosantApiError } from "./errors";
import { nextEvent, processWrites } from "./freshness";
import type { LosantClient, OrgPage, OrgPageRequest } from "./losantClient";
import { LIST_PAGE_SIZE } from "./orgList";
import type { LosantInstanceOrg } from "../losant/types";

/** Losant documents no maximum `perPage`; a 400 for this size makes the walk use the documented default. */
export const READ_AHEAD_PAGE_SIZE = 1000;

/** How long a listing answers after its walk began: a sweep reads every org within seconds of it; later reads go afresh. */
export const READ_AHEAD_MAX_AGE_MS = 60_000;

/**
 * How many requests the walk may cost in all, asked each time it would go on: the id batches the
 * instance's listable reads have needed so far. A walk never costs much more than the batching it
 * replaces, and a caller with a few orgs in an instance of thousands stops after one page.
 */
export type WalkBudget = () => number;

/** Lists one page of the instance's orgs: the client, instance and summary set of the read that started the walk. */
type PageLister = (request: Omit<OrgPageRequest, "instanceId" | "summaryInclude">) => Promise<OrgPage>;

/** What the listing says of one org: listed, proven absent, or nothing (read it the usual way). */
export type ListedOrg = { kind: "org"; org: LosantInstanceOrg } | { kind: "absent" } | undefined;

interface WalkedPage {
  /** When its request was sent (freshness.ts): it shows the instance as it was then or later. */
  requestedAt: number;
  /** The last id it covers; none for the last page, which covers every id after the one before. */
  upTo?: string | undefined;
}

interface Listing {
  startedAt: number;
  orgs: Map<string, { org: LosantInstanceOrg; requestedAt: number }>;
  /** In id order: page i covers the ids after page i-1's `upTo`, up to its own. */
  walked: WalkedPage[];
  perPage: number;
  /** Pages still to walk, as the last page counted the orgs after it, at the size it held (Losant may cap pages). */
  pagesLeft?: number;
  /** It walks no further: complete, or refused, failed or out of order (then it proves nothing beyond what it holds). */
  ended: boolean;
  walking?: Promise<void> | undefined;
  /** Settles when the page being walked is in `orgs`, or the walk ends: a read waits for its page, not the whole walk. */
  pageWalked?: Promise<void>;
}

export class ListingReadAhead {
  private readonly listings = new Map<string, Listing>();

  forget(): void {
    this.listings.clear();
  }

  /** Drops the group's listing once past its age, and says whether it did: the reads that follow start afresh. */
  expire(group: string): boolean {
    const listing = this.listings.get(group);
    if (listing === undefined || Date.now() - listing.startedAt <= READ_AHEAD_MAX_AGE_MS) return false;
    this.listings.delete(group);
    return true;
  }

  /**
   * The org as the instance's listing holds it, walking (on) first when the budget allows. `askedAt`
   * is when the read was asked (`nextEvent()`): absence is proven only by a page requested after it.
   * `apiUrl` names where writes to the org are logged.
   */
  async find(
    group: string,
    api: Pick<LosantClient, "listOrgsPage" | "apiUrl">,
    instanceId: string,
    orgId: string,
    summaryInclude: readonly string[] | undefined,
    budget: WalkBudget,
    askedAt: number = nextEvent(),
  ): Promise<ListedOrg> {
    const walk: Listing = this.listings.get(group) ?? { startedAt: Date.now(), orgs: new Map(), walked: [], perPage: READ_AHEAD_PAGE_SIZE, ended: false };
    this.listings.set(group, walk);
    if (walk.walking === undefined && mayWalkOn(walk, budget)) {
      const listPage: PageLister = (request) => api.listOrgsPage({ ...request, instanceId, summaryInclude });
      walk.walking = this.walk(walk, budget, listPage).finally(() => (walk.walking = undefined));
    }
    const id = orgId.toLowerCase();
    const writtenAfter = (since: number) => processWrites.writtenAfter(api.apiUrl, instanceId, id, since);
    for (;;) {
      const held = walk.orgs.get(id);
      if (held !== undefined) return writtenAfter(held.requestedAt) ? undefined : { kind: "org", org: held.org };
      // Pages in id order cover every id up to the last one walked: the instance's answer without it, then.
      const page = walk.walked.find((p) => p.upTo === undefined || id <= p.upTo);
      if (page !== undefined) return page.requestedAt > askedAt && !writtenAfter(page.requestedAt) ? { kind: "absent" } : undefined;
      if (walk.walking === undefined) return undefined;
      await walk.pageWalked;
    }
  }

  private async walk(listing: Listing, budget: WalkBudget, listPage: PageLister): Promise<void> {
    let pageDone = () => {};
    try {
      while (mayWalkOn(listing, budget)) {
        listing.pageWalked = new Promise<void>((resolve) => (pageDone = resolve));
        await this.walkPage(listing, listPage);
        pageDone();
      }
    } finally {
      pageDone();
    }
  }

  /** Walks one page into `listing`, or ends the walk there (complete, refused, failed or out of order). */
  private async walkPage(listing: Listing, listPage: PageLister): Promise<void> {
    // Every org up to the last id walked that the instance holds is in `orgs`.
    const after = listing.walked[listing.walked.length - 1]?.upTo;
    const requestedAt = nextEvent();
    let page: OrgPage;
    try {
      page = await listPage({
        page: 0,
        perPage: listing.perPage,
        sortField: "id",
        sortDirection: "asc",
        query: after === undefined ? undefined : { id: { $gt: after } },
      });
    } catch (error) {
      // A 400 for the large page: `walk` asks again for Losant's documented default.
      if (error instanceof LosantApiError && error.status === 400 && listing.perPage > LIST_PAGE_SIZE) listing.perPage = LIST_PAGE_SIZE;
      // Refused, failed or instance not found: the reads take the usual way, which reports it.
      else listing.ended = true;
      return;
    }
    const { items, totalCount } = page;
    const ids = items.map((org) => String(org.id).toLowerCase());
    // A server that ignored the sort or the `$gt` would make a keyset walk skip orgs: stop trusting it.
    if (!ids.every((id, i) => id > (i === 0 ? (after ?? "") : ids[i - 1]))) {
      listing.ended = true;
      return;
    }
    items.forEach((org, i) => listing.orgs.set(ids[i], { org, requestedAt }));
    // An empty page is the end even where `totalCount` counts more than the query matched.
    listing.ended = items.length === 0 || totalCount <= items.length;
    listing.walked.push({ requestedAt, upTo: listing.ended ? undefined : ids[ids.length - 1] });
    listing.pagesLeft = Math.ceil((totalCount - items.length) / items.length);
  }
}

/** The first page always; more while the whole walk costs no more than the budget. */
function mayWalkOn(listing: Listing, budget: WalkBudget): boolean {
  if (listing.ended) return false;
  const pages = listing.walked.length;
  return pages === 0 || pages + (listing.pagesLeft ?? 0) <= budget();
}
