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
  const pending = pendingRead();
  ahead.start("k", pending.read);
  expect(pending.read).not.toHaveBeenCalled();
  expect(ahead.take("k")).toBeUndefined();
});

test("a read in flight is taken once, however long it has been out", async () => {
  const time = clock();
  const ahead = new UpdateReadAhead({ now: time.now });
  ahead.markApplying();
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
