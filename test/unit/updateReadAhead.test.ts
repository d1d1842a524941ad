import { FRESH_FOR_MS, UNUSED_AFTER_MS, UpdateReadAhead, updateReadKey } from "../../provider/updateReadAhead";
import type { NotFoundVerdict } from "../../client/notFound";

const GONE: NotFoundVerdict = { gone: true };
const flush = () => new Promise((resolve) => setImmediate(resolve));

function clock() {
  let now = 1_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}
type Clock = ReturnType<typeof clock>;

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

/** An update's own read, answered `ms` later on the test's clock. */
const ownRead = (time: Clock, ms: number) =>
  jest.fn(async () => {
    time.advance(ms);
    return GONE;
  });

/**
 * One diff and its update `gapMs` later, with a read of `roundTripMs` (started at the diff, when the
 * process starts it there): what the process learns from.
 */
async function cycle(ahead: UpdateReadAhead, time: Clock, roundTripMs: number, gapMs: number, key = "warm-up") {
  const early = pendingRead();
  ahead.noteDiff(key, early.read);
  const started = early.read.mock.calls.length > 0;
  if (started && gapMs >= roundTripMs) {
    time.advance(roundTripMs);
    early.answer(GONE);
    await flush();
    time.advance(gapMs - roundTripMs);
  } else {
    time.advance(gapMs);
  }
  const verdict = ahead.read(key, ownRead(time, roundTripMs));
  if (started && gapMs < roundTripMs) {
    time.advance(roundTripMs - gapMs);
    early.answer(GONE);
  }
  await verdict;
}

/** A process that applies changes and has timed reads of 40 ms, called 8 ms after their diff (checkpoints skipped). */
async function warmed(time: Clock): Promise<UpdateReadAhead> {
  const ahead = new UpdateReadAhead({ now: time.now });
  ahead.markApplying();
  await cycle(ahead, time, 40, 8);
  return ahead;
}

test("a process that applies nothing (a preview) starts no read and notes nothing", async () => {
  const time = clock();
  const ahead = new UpdateReadAhead({ now: time.now });
  const pending = pendingRead();
  ahead.noteDiff("k", pending.read);
  expect(pending.read).not.toHaveBeenCalled();
  const own = ownRead(time, 1);
  await ahead.read("k", own);
  expect(own).toHaveBeenCalledTimes(1);
  expect(ahead.startsReads).toBe(false);
});

test.each([
  ["nothing timed yet", [] as Array<[number, number]>, false],
  ["reads of 40 ms, update 8 ms after diff", [[40, 8]], true],
  ["reads faster than one window", [[FRESH_FOR_MS - 1, 2]], false],
  ["reads of one window", [[FRESH_FOR_MS, 2]], true],
  ["update at half of round trip plus window", [[40, (40 + FRESH_FOR_MS) / 2]], true],
  ["update later than that (a checkpoint per step)", [[40, (40 + FRESH_FOR_MS) / 2 + 1]], false],
  [
    "one late update after quick ones, smoothed",
    [
      [40, 8],
      [40, 8],
      [40, 60],
    ],
    true,
  ],
  [
    "late updates after quick ones, at length",
    [
      [40, 8],
      [40, 200],
      [40, 200],
      [40, 200],
      [40, 200],
    ],
    false,
  ],
])("reads start at diff with %s: %s", async (_name, cycles, starts) => {
  const time = clock();
  const ahead = new UpdateReadAhead({ now: time.now });
  ahead.markApplying();
  for (const [roundTrip, gap] of cycles) await cycle(ahead, time, roundTrip, gap);
  const pending = pendingRead();
  ahead.noteDiff("k", pending.read);
  expect(pending.read).toHaveBeenCalledTimes(starts ? 1 : 0);
});

test("a read in flight when update comes is used, once, however long it has been out", async () => {
  const time = clock();
  const ahead = await warmed(time);
  const pending = pendingRead();
  ahead.noteDiff("k", pending.read);
  time.advance(10 * FRESH_FOR_MS);
  const own = ownRead(time, 40);
  const verdict = ahead.read("k", own);
  pending.answer(GONE);
  await expect(verdict).resolves.toBe(GONE);
  expect(own).not.toHaveBeenCalled();
  await ahead.read("k", own);
  expect(own).toHaveBeenCalledTimes(1);
});

test.each([
  [0, true],
  [FRESH_FOR_MS, true],
  [FRESH_FOR_MS + 1, false],
])("a read answered %i ms before update is used: %s (else update reads again)", async (age, used) => {
  const time = clock();
  const ahead = await warmed(time);
  const pending = pendingRead();
  ahead.noteDiff("k", pending.read);
  pending.answer(GONE);
  await flush();
  time.advance(age);
  const own = ownRead(time, 40);
  await ahead.read("k", own);
  expect(own).toHaveBeenCalledTimes(used ? 0 : 1);
});

test("a failed read nobody takes raises no unhandled rejection; the update that takes it gets the error", async () => {
  const time = clock();
  const ahead = await warmed(time);
  const pending = pendingRead();
  ahead.noteDiff("k", pending.read);
  pending.fail(new Error("HTTP 503"));
  await flush();
  await expect(ahead.read("k", ownRead(time, 40))).rejects.toThrow("HTTP 503");
});

test(`diffs whose update has not come within ${UNUSED_AFTER_MS} ms are forgotten when the next one is noted`, async () => {
  const time = clock();
  const ahead = await warmed(time);
  const old = pendingRead();
  ahead.noteDiff("old", old.read);
  time.advance(UNUSED_AFTER_MS + 1);
  ahead.noteDiff("new", pendingRead().read);
  const own = ownRead(time, 40);
  await ahead.read("old", own);
  expect(own).toHaveBeenCalledTimes(1);
});

test("the key tells orgs, instances and summary fields apart", () => {
  const keys = [updateReadKey("i", "o"), updateReadKey("i", "p"), updateReadKey("j", "o"), updateReadKey("i", "o", ["deviceCount"])];
  expect(new Set(keys).size).toBe(keys.length);
  expect(updateReadKey("i", "o", [])).toBe(updateReadKey("i", "o"));
});
