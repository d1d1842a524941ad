/**
 * The batcher against a scripted HTTP server on loopback, for answers the emulator never gives:
 * a list reply that holds fewer orgs than matched (paging Losant might apply), and the grouping
 * and size rules on their own.
 */
import http from "http";
import { AddressInfo } from "net";
import { LosantClient } from "../../client/losantClient";
import { RequestGate } from "../../client/requestGate";
import { OrgReadBatcher } from "../../client/orgBatcher";
import { readOrgProven } from "../../provider/server/notFound";
import { INSTANCE_ID } from "../support/fixtures";

const id = (n: number) => n.toString(16).padStart(24, "a");
const org = (orgId: string) => ({ id: orgId, orgId, name: `org ${orgId}`, _type: "instanceOrg", _links: { self: { href: "/x" } } });

interface Served {
  path: string;
  query: URLSearchParams;
}

let server: http.Server;
let served: Served[];
/** How the list endpoint answers: the ids asked for, to the reply body. */
let listReply: (ids: string[]) => unknown;

beforeEach(async () => {
  served = [];
  listReply = (ids) => ({ items: ids.map(org), count: ids.length, totalCount: ids.length });
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    served.push({ path: url.pathname, query: url.searchParams });
    res.setHeader("Content-Type", "application/json");
    if (url.pathname.endsWith("/orgs")) {
      const ids = (JSON.parse(url.searchParams.get("query") ?? "{}") as { id: { $in: string[] } }).id.$in;
      res.end(JSON.stringify(listReply(ids)));
    } else {
      res.end(JSON.stringify(org(url.pathname.split("/").pop()!)));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});
afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

function client(gate = new RequestGate(10)): LosantClient {
  const { port } = server.address() as AddressInfo;
  return new LosantClient({ apiUrl: `http://127.0.0.1:${port}`, apiToken: "t", userAgent: "test", timeoutMs: 5000, gate });
}

const lists = () => served.filter((s) => s.path.endsWith("/orgs"));
const singles = () => served.filter((s) => !s.path.endsWith("/orgs"));

test("a reply holding fewer orgs than matched proves nothing about the others: they are read with their own GET", async () => {
  listReply = (ids) => ({ items: ids.slice(0, 1).map(org), count: 1, totalCount: ids.length });
  const api = client();
  const batcher = new OrgReadBatcher();
  const ids = [id(1), id(2), id(3)];
  const verdicts = await Promise.all(ids.map((orgId) => readOrgProven(batcher, api, "refresh", { instanceId: INSTANCE_ID, orgId })));
  expect(verdicts.every((v) => !v.gone)).toBe(true);
  expect(lists()).toHaveLength(1);
  expect(singles().map((s) => s.path.split("/").pop())).toEqual([id(2), id(3)]);
});

test("a complete reply without an id is the proof that the org is gone", async () => {
  listReply = (ids) => ({ items: ids.slice(1).map(org), count: ids.length - 1, totalCount: ids.length - 1 });
  const batcher = new OrgReadBatcher();
  const api = client();
  const verdicts = await Promise.all([id(1), id(2)].map((orgId) => readOrgProven(batcher, api, "refresh", { instanceId: INSTANCE_ID, orgId })));
  expect(verdicts.map((v) => v.gone)).toEqual([true, false]);
  expect(served).toHaveLength(1);
});

test("list items keep documented fields only, like a GET", async () => {
  const batcher = new OrgReadBatcher();
  const api = client();
  const reads = await Promise.all([id(1), id(2)].map((orgId) => batcher.read(api, { instanceId: INSTANCE_ID, orgId })));
  for (const read of reads) {
    expect(read.kind).toBe("org");
    if (read.kind === "org") expect(Object.keys(read.org).filter((key) => key.startsWith("_"))).toEqual([]);
  }
});

test("250 reads in one window: batches of 100, 100 and 50, query JSON-encoded as Losant's client sends it", async () => {
  const batcher = new OrgReadBatcher();
  const api = client();
  const ids = Array.from({ length: 250 }, (_, i) => id(i + 1));
  await Promise.all(ids.map((orgId) => batcher.read(api, { instanceId: INSTANCE_ID, orgId })));
  expect(lists().map((s) => s.query.get("perPage"))).toEqual(["100", "100", "100"]);
  const asked = lists().map((s) => (JSON.parse(s.query.get("query")!) as { id: { $in: string[] } }).id.$in);
  expect(asked.map((batch) => batch.length)).toEqual([100, 100, 50]);
  expect(asked.flat()).toEqual(ids);
  expect(singles()).toHaveLength(0);
});

test("reads further apart than the window are not held for each other", async () => {
  const batcher = new OrgReadBatcher({ windowMs: 5 });
  const api = client();
  await batcher.read(api, { instanceId: INSTANCE_ID, orgId: id(1) });
  await batcher.read(api, { instanceId: INSTANCE_ID, orgId: id(2) });
  expect(singles()).toHaveLength(2);
  expect(lists()).toHaveLength(0);
});

test("two reads of the same org in one window: one plain GET serves both", async () => {
  const batcher = new OrgReadBatcher();
  const api = client();
  const reads = await Promise.all([1, 2].map(() => batcher.read(api, { instanceId: INSTANCE_ID, orgId: id(9) })));
  expect(reads.map((r) => r.kind)).toEqual(["org", "org"]);
  expect(served).toHaveLength(1);
  expect(singles()).toHaveLength(1);
});

test("reads of different instances never share a batch", async () => {
  const batcher = new OrgReadBatcher();
  const api = client();
  const other = "5f1e2d3c4b5a69788796a5b5";
  await Promise.all([
    batcher.read(api, { instanceId: INSTANCE_ID, orgId: id(1) }),
    batcher.read(api, { instanceId: INSTANCE_ID, orgId: id(2) }),
    batcher.read(api, { instanceId: other, orgId: id(3) }),
  ]);
  expect(lists().map((s) => s.path)).toEqual([`/instances/${INSTANCE_ID}/orgs`]);
  expect(singles().map((s) => s.path)).toEqual([`/instances/${other}/orgs/${id(3)}`]);
});

test("once as many refresh reads wait as ever were outstanding, the batch goes out without waiting out its window", async () => {
  const batcher = new OrgReadBatcher({ windowMs: 1000 });
  const api = client();
  // Each round reads from another instance, so no walk of a listing answers it (readAhead.ts).
  const instances = ["5f1e2d3c4b5a69788796a5b1", "5f1e2d3c4b5a69788796a5b2", "5f1e2d3c4b5a69788796a5b3"];
  const readIds = (instanceId: string, ns: number[]) =>
    Promise.all(ns.map((n) => batcher.read(api, { instanceId, orgId: id(n) }, undefined, { fromListing: true })));
  let started = Date.now();
  await readIds(instances[0], [1, 2, 3]);
  // The first batch learns that 3 reads can be outstanding at once: it waited the whole window.
  expect(Date.now() - started).toBeGreaterThanOrEqual(990);
  started = Date.now();
  await readIds(instances[1], [10, 11, 12]);
  expect(Date.now() - started).toBeLessThan(500);
  expect(lists()).toHaveLength(2);
  // Two reads are fewer than three: the window is waited out again.
  started = Date.now();
  await readIds(instances[2], [20, 21]);
  expect(Date.now() - started).toBeGreaterThanOrEqual(990);
  expect(lists()).toHaveLength(3);
});

/** Takes the only slot of `gate` until the returned function lets go: every request asked for meanwhile queues. */
async function hold(gate: RequestGate): Promise<() => void> {
  const held = await gate.acquire();
  return () => held.finish({ kind: "answered" });
}

async function heldGate(): Promise<{ gate: RequestGate; letGo: () => void }> {
  const gate = new RequestGate(1);
  return { gate, letGo: await hold(gate) };
}

const listedIn = (s: Served) => (JSON.parse(s.query.get("query")!) as { id: { $in: string[] } }).id.$in;

test("while the gate is busy, reads for a PATCH gather in a batch that holds its place in the gate's queue", async () => {
  const { gate, letGo } = await heldGate();
  const batcher = new OrgReadBatcher({ windowMs: 5 });
  const api = client(gate);
  const reads = [batcher.read(api, { instanceId: INSTANCE_ID, orgId: id(1) })];
  // Far longer apart than the window: they join because the batch is still waiting for its turn.
  for (const n of [2, 3]) {
    await new Promise((resolve) => setTimeout(resolve, 30));
    reads.push(batcher.read(api, { instanceId: INSTANCE_ID, orgId: id(n) }));
  }
  expect(served).toHaveLength(0);
  letGo();
  expect((await Promise.all(reads)).map((r) => r.kind)).toEqual(["org", "org", "org"]);
  expect(lists().map(listedIn)).toEqual([[id(1), id(2), id(3)]]);
  expect(singles()).toHaveLength(0);
});

test("a batch of reads for a PATCH goes before requests asked for after its first read", async () => {
  const { gate, letGo } = await heldGate();
  const batcher = new OrgReadBatcher({ windowMs: 5 });
  const api = client(gate);
  const first = batcher.read(api, { instanceId: INSTANCE_ID, orgId: id(1) });
  await new Promise((resolve) => setTimeout(resolve, 10));
  // A request asked for after it (a PATCH or POST of another org, say) queues behind the batch.
  const later = api.getOrg({ instanceId: INSTANCE_ID, orgId: id(7) });
  await new Promise((resolve) => setTimeout(resolve, 10));
  const joining = batcher.read(api, { instanceId: INSTANCE_ID, orgId: id(2) });
  letGo();
  await Promise.all([first, later, joining]);
  expect(served.map((s) => (s.path.endsWith("/orgs") ? listedIn(s).join(",") : s.path.split("/").pop()))).toEqual([`${id(1)},${id(2)}`, id(7)]);
});

test("a batch of reads for a PATCH that holds as many reads as were ever outstanding closes; later reads start another", async () => {
  const { gate, letGo } = await heldGate();
  const batcher = new OrgReadBatcher({ windowMs: 5 });
  const api = client(gate);
  const read = (n: number) => batcher.read(api, { instanceId: INSTANCE_ID, orgId: id(n) });
  // The first batch learns that 3 reads can be outstanding at once.
  const firstRound = [1, 2, 3].map(read);
  letGo();
  await Promise.all(firstRound);
  const letGoAgain = await hold(gate);
  const secondRound = [10, 11, 12].map(read);
  await new Promise((resolve) => setTimeout(resolve, 10));
  const fourth = read(13);
  letGoAgain();
  await Promise.all([...secondRound, fourth]);
  expect(lists().map(listedIn)).toEqual([
    [id(1), id(2), id(3)],
    [id(10), id(11), id(12)],
  ]);
  expect(singles().map((s) => s.path.split("/").pop())).toEqual([id(13)]);
});
