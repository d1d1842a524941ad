/**
 * Coalesces the org GETs of many concurrent operations into one list request filtered by id (up to
 * 100 orgs for one request, which is what counts under a rate limit). A lone read stays a plain GET,
 * so a single-org program makes exactly the requests it always did. How reads wait, and why:
 * docs/design/requests.md, section 1. The batching is `dataloader`'s, with its cache off: a cached
 * org would be a stale org, and the limits merge of a PATCH must use what the server holds.
 */
import DataLoader from "dataloader";
import { LosantApiError, LosantNetworkError, OrgRef } from "./errors";
import { LosantClient, MAX_IDS_PER_LIST } from "./losantClient";
import { nextEvent } from "./freshness";
import { ListingReadAhead } from "./readAhead";
import type { Admission } from "./requestGate";
import type { LosantInstanceOrg } from "../losant/types";

/**
 * What reading one org found: the org (from its own GET or the list); "notFound", its own GET's 404, which does not
 * tell a missing org from a missing instance (confirm it); "absent", the instance's list without it, proof that it is
 * gone; or "instanceNotFound", the list's 404 (the instance is missing, or not accessible with this token).
 */
export type BatchedRead = { kind: "org"; org: LosantInstanceOrg } | { kind: "notFound" } | { kind: "absent" } | { kind: "instanceNotFound" };

export interface ReadOptions {
  /**
   * A sweep's read (every org once): it may be answered from a listing taken moments before. A read whose value
   * goes into a PATCH (adopt, update) never is: it must see what the server holds now.
   */
  fromListing?: boolean;
}

/**
 * How long a listable read waits for others: long enough for reads a caller sends some milliseconds
 * apart (measured with 16 operations at once) to meet. A batch that holds every read the caller can
 * have outstanding goes at once, so the window costs only while the caller ramps up.
 */
export const DEFAULT_BATCH_WINDOW_MS = 20;

/**
 * A read for a PATCH, with the gate free, waits for companions only while they keep coming: the
 * batch goes once no read has joined it for this long. A caller whose every slot is taken sends no
 * more, so its batch goes after this quiet spell at most; a caller with slots to spare (one that
 * runs many operations at once) keeps adding reads, and the batch grows (docs/design/requests.md, section 1).
 */
export const PATCH_READ_QUIET_MS = 30;

/** The longest a read for a PATCH waits while companions keep coming: it holds a caller's slot all along. */
export const PATCH_READ_MAX_WAIT_MS = 1000;

/**
 * The quiet spell while the caller has slots this process does not hold (fewer of its operations under way here than
 * the most seen at once): those slots are busy in the caller's own work and send their reads some tens of milliseconds
 * apart, then in a burst. The figures (30, 100 and 250 ms against each other): docs/design/requests.md, section 1.
 */
export const PATCH_READ_QUIET_SLOTS_FREE_MS = 250;

interface OpenBatch {
  size: number;
  /**
   * How many reads the caller could send at once, as known when it opened: it goes at once when it holds that many
   * within one quiet spell of opening (a batch that took longer to fill came from a caller sending as it can).
   */
  full: number;
  openedAt: number;
  /** Called when a read joins it. */
  joined?: (() => void) | undefined;
  /** Ends the gathering of a batch for a PATCH that opened with the gate free: it then queues for its turn. */
  gathered?: (() => void) | undefined;
  /** Its place in the gate's queue, taken when it opened while requests were queuing. */
  place?: PlaceInQueue;
  send: () => void;
}

/** A batch's place in the gate's queue: its first request goes out with it, or it is given back unused. */
class PlaceInQueue {
  private used = false;
  constructor(readonly admitted: Promise<Admission>) {}

  take(): Promise<Admission> | undefined {
    if (this.used) return undefined;
    this.used = true;
    return this.admitted;
  }

  /** Frees the slot once admitted, unless a request took it (safe to call more than once). */
  giveBack(): void {
    void this.take()?.then((admission) => admission.finish({ kind: "notSent" }));
  }
}

/** Listable reads of one instance before a walk of its list may answer them (readAhead.ts). */
export const MIN_LISTABLE_READS_FOR_WALK = 3;

interface Demand {
  listableReads: number;
  listableBatches: number;
}

interface ReadKey {
  api: LosantClient;
  ref: OrgRef;
  summaryInclude?: readonly string[] | undefined;
  /** Read through the list even alone (a listing could not answer it). */
  byList?: boolean;
  /** The batch it joined: the batch function finds the batch's place in the gate's queue here. */
  batch?: OpenBatch;
}

export class OrgReadBatcher {
  private readonly windowMs: number;
  private readonly loaders = new Map<string, DataLoader<ReadKey, BatchedRead>>();
  /** API URLs whose list endpoint refused the `$in` query (400) or this token (403): single GETs there. */
  private readonly listingOff = new Set<string>();
  /**
   * Per API URL, its first list request until it is answered (then "answered"): other batches wait
   * for it, so a token without the list scope costs one refused request, not one per batch formed.
   */
  private readonly firstListing = new Map<string, Promise<unknown> | "answered">();
  /** The batch each group's next read joins (`send` is a no-op once it has gone). */
  private readonly openBatches = new Map<string, OpenBatch>();
  /** Reads started and not yet answered, in all groups. */
  private outstanding = 0;
  /** The most reads outstanding when a batch went out. */
  private peak = 0;
  /** Operations under way that each hold one of the caller's slots (holdingASlot), and the most ever at once. */
  private operations = 0;
  private peakOperations = 0;
  /** Per group: listable reads asked for, and batches of them sent (readSomeWay). */
  private readonly demand = new Map<string, Demand>();
  private readonly readAhead = new ListingReadAhead();

  constructor(options: { windowMs?: number } = {}) {
    this.windowMs = options.windowMs ?? DEFAULT_BATCH_WINDOW_MS;
  }

  /** A new configuration (another API URL or token) starts afresh: no listing walked before it is used. */
  forgetListings(): void {
    this.readAhead.forget();
    this.demand.clear();
  }

  /**
   * Runs one of the caller's operations (a create, update, read or delete of one org), counted: the most under way at
   * once is about how many the caller runs at once, however long each waits on its read.
   */
  async holdingASlot<T>(operation: () => Promise<T>): Promise<T> {
    this.peakOperations = Math.max(this.peakOperations, ++this.operations);
    try {
      return await operation();
    } finally {
      this.operations--;
    }
  }

  /** Reads the org, in a batch with the other reads of the same instance and summary set. */
  read(api: LosantClient, ref: OrgRef, summaryInclude?: readonly string[], options: ReadOptions = {}): Promise<BatchedRead> {
    this.outstanding++;
    return this.readSomeWay({ api, ref, summaryInclude }, options, nextEvent()).finally(() => this.outstanding--);
  }

  private async readSomeWay(key: ReadKey, options: ReadOptions, askedAt: number): Promise<BatchedRead> {
    const { api, ref, summaryInclude } = key;
    const group = JSON.stringify([api.apiUrl, ref.instanceId, [...(summaryInclude ?? [])].sort()]);
    // A listing past its age starts the group afresh: the next lone read costs its own request, not a new walk's page too.
    if (this.readAhead.expire(group)) this.demand.delete(group);
    const demand = this.demandOf(group);
    const listable = options.fromListing === true;
    if (listable) demand.listableReads++;
    // A lone sweep read, two in a row, and the first batch of a fleet's are read by id: only listable
    // reads that keep coming after such a batch went out are worth a walk of the whole list.
    if (listable && demand.listableBatches > 0 && demand.listableReads >= MIN_LISTABLE_READS_FOR_WALK && !this.listingOff.has(api.apiUrl)) {
      const listed = await this.readAhead.find(group, api, ref.instanceId, ref.orgId, summaryInclude, () => demand.listableBatches, askedAt);
      if (listed !== undefined) return listed;
      // Not answered by the listing: read by id through the list even alone, whose reply proves an absence
      // too, so the listing costs this read at most one request more.
      key.byList = true;
    }
    return this.load(key, group, listable);
  }

  private demandOf(group: string): Demand {
    const demand = this.demand.get(group) ?? { listableReads: 0, listableBatches: 0 };
    this.demand.set(group, demand);
    return demand;
  }

  private load(key: ReadKey, readGroup: string, listable: boolean): Promise<BatchedRead> {
    const { api } = key;
    if (this.listingOff.has(api.apiUrl)) return singleRead(key);
    // Listable reads and reads for a PATCH batch apart: they wait differently (below).
    const group = `${listable ? "listable" : "patch"}:${readGroup}`;
    let loader = this.loaders.get(group);
    if (loader === undefined) {
      // The batch's place in the gate's queue, where it has one, goes with its first request, or back once answered.
      loader = new DataLoader<ReadKey, BatchedRead>((keys) => this.readBatch(keys).finally(() => keys[0].batch?.place?.giveBack()), {
        cache: false,
        maxBatchSize: MAX_IDS_PER_LIST,
        // Called when a batch opens (synchronously, inside `load`): it goes out when its window ends,
        // or earlier, below, once no more reads can come.
        batchScheduleFn: (dispatch) => {
          const batch: OpenBatch = { size: 0, full: Math.max(this.peak, this.peakOperations), openedAt: Date.now(), send: () => undefined };
          let sent = false;
          batch.send = () => {
            if (sent) return;
            sent = true;
            clearTimeout(timer);
            clearTimeout(quiet);
            this.peak = Math.max(this.peak, this.outstanding);
            // A listable batch sent makes the next listable reads walk the list.
            if (listable) this.demandOf(readGroup).listableBatches++;
            dispatch();
          };
          // A read for a PATCH holds one of the caller's slots while the PATCH waits on it, so it waits no fixed
          // window: with the gate free, only while companions keep coming; while requests queue at the gate, it takes
          // its place in the queue at once and gathers reads until its turn (docs/design/requests.md, section 1).
          // Listable reads keep the window, which the walk needs. Every client shares the process's one gate.
          let timer: NodeJS.Timeout | undefined;
          let quiet: NodeJS.Timeout | undefined;
          if (listable) timer = setTimeout(batch.send, this.windowMs);
          else if (api.gate.admitsNow) {
            // Done gathering, it queues where its first read came, so it never waits behind a request asked for
            // after that read (the POSTs of a fleet being created); with the gate still free, it goes at once.
            batch.gathered = () => {
              clearTimeout(timer);
              clearTimeout(quiet);
              batch.joined = batch.gathered = undefined;
              batch.place = new PlaceInQueue(api.gate.acquire(batch.openedAt));
              void batch.place.admitted.then(batch.send);
            };
            timer = setTimeout(batch.gathered, PATCH_READ_MAX_WAIT_MS);
            batch.joined = () => {
              clearTimeout(quiet);
              // Fewer of the caller's slots held here than it has shown it runs: its others are busy in its own work
              // and will send more reads, so a lull means less.
              const held = Math.max(this.operations, this.outstanding);
              quiet = setTimeout(batch.gathered!, held < batch.full ? PATCH_READ_QUIET_SLOTS_FREE_MS : PATCH_READ_QUIET_MS);
            };
          } else {
            batch.place = new PlaceInQueue(api.gate.acquire());
            void batch.place.admitted.then(batch.send);
          }
          this.openBatches.set(group, batch);
        },
      });
      this.loaders.set(group, loader);
    }
    const read = loader.load(key);
    // The key went into the batch its group has open (opened by `batchScheduleFn` if none was).
    const batch = this.openBatches.get(group)!;
    key.batch = batch;
    // The caller runs a bounded number of operations at once: a batch that holds as many reads as it has shown it runs
    // (the most operations under way, or reads outstanding when a batch went out) holds all it will send for now.
    // Counting reads already on their way instead would send alone each read that comes while a batch is out; and the
    // count is the one known when the batch opened, since during a ramp-up the most so far is always the batch itself.
    // Only a batch for a PATCH that filled within one quiet spell goes at once: reads that come tens of milliseconds
    // apart come from slots busy elsewhere, and more follow (docs/design/requests.md, section 1: batches
    // then stopped at the first ones' size). A batch of 100 has nothing to gather.
    batch.joined?.();
    if (
      (++batch.size >= batch.full && batch.full >= 2 && (listable || Date.now() - batch.openedAt <= PATCH_READ_QUIET_MS)) ||
      (!listable && batch.size >= MAX_IDS_PER_LIST)
    )
      (batch.gathered ?? batch.send)();
    return read;
  }

  private async readBatch(keys: readonly ReadKey[]): Promise<Array<BatchedRead | Error>> {
    const { api, ref, summaryInclude } = keys[0];
    const place = keys[0].batch?.place;
    const ids = [...new Set(keys.map((key) => key.ref.orgId.toLowerCase()))];
    if (ids.length === 1 && !keys.some((key) => key.byList)) {
      const read = await settle(singleRead(keys[0], place?.take()));
      return keys.map(() => read);
    }
    const firstListing = this.firstListing.get(api.apiUrl);
    if (firstListing instanceof Promise) {
      // Not held while waiting: the first list request may need a slot to be retried (a 503, say).
      place?.giveBack();
      await firstListing;
    }
    if (this.listingOff.has(api.apiUrl)) {
      // Given back first: with a concurrency bound of 1 the single GETs would wait for it forever.
      place?.giveBack();
      return singleReads(keys);
    }
    try {
      const listing = api.listOrgsById(ref.instanceId, ids, summaryInclude, { admission: place?.take() });
      if (!this.firstListing.has(api.apiUrl)) {
        const answered = listing.then(
          () => this.firstListing.set(api.apiUrl, "answered"),
          () => this.firstListing.delete(api.apiUrl),
        );
        this.firstListing.set(api.apiUrl, answered);
      }
      const lookup = await listing;
      if (lookup.kind === "instanceNotFound") return keys.map(() => ({ kind: "instanceNotFound" }));
      const found = new Map(lookup.orgs.map((org) => [String(org.id ?? org.orgId).toLowerCase(), org]));
      return await Promise.all(
        keys.map(async (key): Promise<BatchedRead | Error> => {
          const org = found.get(key.ref.orgId.toLowerCase());
          if (org !== undefined) return { kind: "org", org };
          // A reply that holds fewer orgs than matched proves nothing about the ones it left out.
          return lookup.complete ? { kind: "absent" } : settle(singleRead(key));
        }),
      );
    } catch (error) {
      // A 400 (the `$in` query form is not accepted) or a 403 (no list scope): single GETs still work.
      if (!(error instanceof LosantApiError && (error.status === 400 || error.status === 403))) return keys.map((key) => errorFor(error, key.ref));
      this.turnListingOff(api.apiUrl, error);
      return singleReads(keys);
    }
  }

  private turnListingOff(apiUrl: string, error: LosantApiError): void {
    if (this.listingOff.has(apiUrl)) return;
    this.listingOff.add(apiUrl);
    const why = error.status === 403 ? "the API token lacks the scope for it (instanceOrgs.get)" : "the API refused its query form";
    process.stderr.write(
      `pulumi-losant-instance-org: reading orgs in batches through GET /instances/{id}/orgs is off for the rest of this run: ` +
        `${why} (HTTP ${error.status}${error.type ? ` ${error.type}` : ""}). Each org is read with its own GET instead.\n`,
    );
  }
}

async function singleRead({ api, ref, summaryInclude }: ReadKey, admission?: Promise<Admission>): Promise<BatchedRead> {
  const org = await api.getOrg(ref, summaryInclude, { admission });
  return org === undefined ? { kind: "notFound" } : { kind: "org", org };
}

function singleReads(keys: readonly ReadKey[]): Promise<Array<BatchedRead | Error>> {
  return Promise.all(keys.map((key) => settle(singleRead(key))));
}

function settle(read: Promise<BatchedRead>): Promise<BatchedRead | Error> {
  return read.catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
}

/** The batch's failure, told about each org it was reading, so every message names its own org. */
function errorFor(error: unknown, ref: OrgRef): Error {
  if (error instanceof LosantApiError) return new LosantApiError({ ...error, ref, cause: error });
  if (error instanceof LosantNetworkError) return new LosantNetworkError({ ...error, ref, cause: error });
  return error instanceof Error ? error : new Error(String(error));
}
