import { FRESH_FOR_MS, UNUSED_AFTER_MS, UpdateReadAhead, updateReadKey } from "../../provider/updateReadAhead";
import type { NotFoundVerdict } from "../../client/notFound";

const GONE: NotFoundVerdict = { gone: true };

function clock() {
  let now = 1_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** A read whose answer the test gives. */
function pendingRead() {
  let answer!: (verdict: NotFoundVerdict) => void;
  let fail!: (error: Error) => void;
  const verdict = new Promise<NotFoundVerdict>((resolve, reject) => {
    answer = resolve;
    fail = reject;
  });
  return { read: jest.fn(() => verdict), verdict, answer, fail };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

test("starts nothing until the process applies changes", () => {
  const ahead = new UpdateReadAhead();
  ahead.observe(5 * FRESH_FOR_MS);
  const pending = pendingRead();
  ahead.start("k", pending.read);
  expect(pending.read).not.toHaveBeenCalled();
  expect(ahead.take("k")).toBeUndefined();
});

test.each([
  ["nothing timed yet", [] as number[], false],
  ["reads faster than one window", [FRESH_FOR_MS - 1], false],
  ["reads of one window", [FRESH_FOR_MS], true],
  ["a slow read after fast ones, smoothed", [2, 2, 2, 200], true],
  ["a fast read after slow ones, smoothed", [100, 100, 1], true],
  ["fast reads after slow ones, at length", [100, 1, 1, 1, 1, 1, 1, 1, 1, 1], false],
])("in a process that applies changes, reads start early with %s: %s", (_name, roundTrips, starts) => {
  const ahead = new UpdateReadAhead();
  ahead.markApplying();
  for (const ms of roundTrips) ahead.observe(ms);
  const pending = pendingRead();
  ahead.start("k", pending.read);
  expect(pending.read).toHaveBeenCalledTimes(starts ? 1 : 0);
});

test("an update's own read is timed, and a started read is used instead when there is one", async () => {
  const time = clock();
  const ahead = new UpdateReadAhead({ now: time.now });
  ahead.markApplying();
  const own = jest.fn(async () => {
    time.advance(FRESH_FOR_MS);
    return GONE;
  });
  await ahead.read("k", own);
  expect(own).toHaveBeenCalledTimes(1);
  expect(ahead.startsReads).toBe(true);
  const pending = pendingRead();
  ahead.start("k", pending.read);
  const verdict = ahead.read("k", own);
  pending.answer(GONE);
  await expect(verdict).resolves.toBe(GONE);
  expect(own).toHaveBeenCalledTimes(1);
});

test("a read in flight is taken once, however long it has been out", async () => {
  const time = clock();
  const ahead = new UpdateReadAhead({ now: time.now });
  ahead.markApplying();
  ahead.observe(FRESH_FOR_MS);
  const pending = pendingRead();
  ahead.start("k", pending.read);
  time.advance(10 * FRESH_FOR_MS);
  expect(ahead.take("k")).toBe(pending.verdict);
  expect(ahead.take("k")).toBeUndefined();
});

test.each([
  [0, true],
  [FRESH_FOR_MS, true],
  [FRESH_FOR_MS + 1, false],
])("a read answered %i ms before it is taken is used: %s", async (age, used) => {
  const time = clock();
  const ahead = new UpdateReadAhead({ now: time.now });
  ahead.markApplying();
  ahead.observe(FRESH_FOR_MS);
  const pending = pendingRead();
  ahead.start("k", pending.read);
  pending.answer(GONE);
  await flush();
  time.advance(age);
  expect(ahead.take("k") !== undefined).toBe(used);
});

test("a failed read nobody takes raises no unhandled rejection; whoever takes it gets the error", async () => {
  const ahead = new UpdateReadAhead();
  ahead.markApplying();
  ahead.observe(FRESH_FOR_MS);
  const pending = pendingRead();
  ahead.start("k", pending.read);
  pending.fail(new Error("HTTP 503"));
  await flush();
  await expect(ahead.take("k")).rejects.toThrow("HTTP 503");
});

test(`reads not taken within ${UNUSED_AFTER_MS} ms are dropped when the next one starts`, () => {
  const time = clock();
  const ahead = new UpdateReadAhead({ now: time.now });
  ahead.markApplying();
  ahead.observe(FRESH_FOR_MS);
  ahead.start("old", pendingRead().read);
  time.advance(UNUSED_AFTER_MS + 1);
  ahead.start("new", pendingRead().read);
  expect(ahead.take("old")).toBeUndefined();
  expect(ahead.take("new")).toBeDefined();
});

test("the key tells orgs, instances and summary fields apart", () => {
  const keys = [updateReadKey("i", "o"), updateReadKey("i", "p"), updateReadKey("j", "o"), updateReadKey("i", "o", ["deviceCount"])];
  expect(new Set(keys).size).toBe(keys.length);
  expect(updateReadKey("i", "o", [])).toBe(updateReadKey("i", "o"));
});
