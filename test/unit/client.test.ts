import { RequestGate } from "../../client/requestGate";
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter } from "../../client/retryPolicy";
import { isLoopbackHost, resolveSettings, resolveToken } from "../../provider/settings";

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-29T00:00:00Z");
  test.each([
    ["2", 2000],
    ["0", 0],
    ["1.5", 1500],
    ["Sun, 29 Nov 2026 00:00:03 GMT", 3000],
    ["Sat, 28 Nov 2026 00:00:00 GMT", 0],
    ["soon", undefined],
    ["", undefined],
    [null, undefined],
  ] as Array<[string | null, number | undefined]>)("%p -> %p ms", (header, ms) => expect(parseRetryAfter(header, now)).toBe(ms));
});

test("backoff grows exponentially with jitter and is capped", () => {
  const policy = DEFAULT_RETRY_POLICY;
  expect(backoffDelay(policy, 1, () => 0)).toBe(100);
  expect(backoffDelay(policy, 1, () => 1)).toBe(200);
  expect(backoffDelay(policy, 3, () => 1)).toBe(800);
  expect(backoffDelay(policy, 20, () => 1)).toBe(policy.maxDelayMs);
});

describe("RequestGate", () => {
  test("never lets more than the window run at once", async () => {
    const gate = new RequestGate(3);
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        const release = await gate.acquire();
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 2));
        running--;
        release();
      }),
    );
    expect(peak).toBe(3);
  });

  test("a 429 pauses every request and halves the window; successes widen it again", async () => {
    const gate = new RequestGate(8);
    gate.onRateLimited(150);
    expect(gate.currentWindow).toBe(4);
    const started = Date.now();
    const release = await gate.acquire();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    release();
    for (let i = 0; i < 10; i++) gate.onSuccess(Date.now());
    expect(gate.currentWindow).toBe(8);
  });

  test("a 429 teaches the allowance: at most that many starts in any window of a second", async () => {
    const gate = new RequestGate(10);
    const now = Date.now();
    for (let i = 0; i < 5; i++) gate.onSuccess(now - 900 + i * 100, now);
    gate.onRateLimited(0, now);
    expect(gate.allowedPerSecond).toBe(5);
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 6 }, async () => {
      const release = await gate.acquire();
      starts.push(Date.now());
      release();
    }));
    // Five go at once; the sixth waits until the first has left the (1 s + margin) window.
    expect(starts[4] - starts[0]).toBeLessThan(100);
    expect(starts[5] - starts[0]).toBeGreaterThanOrEqual(1000);
  });

  test("a 429 before anything succeeded pauses but learns no allowance", () => {
    const gate = new RequestGate(10);
    gate.onRateLimited(1000, 1_000_000);
    expect(gate.allowedPerSecond).toBe(Infinity);
  });

  test("once the limit is gone the allowance grows until the gate stops limiting", () => {
    const gate = new RequestGate(10, { quietMs: 1000 });
    let now = 1_000_000;
    for (let i = 0; i < 20; i++) gate.onSuccess(now - 500, now);
    gate.onRateLimited(0, now);
    expect(gate.allowedPerSecond).toBe(20);
    // No 429 for 1 s, then a success every 100 ms: the allowance gains a quarter a second.
    let steps = 0;
    while (gate.allowedPerSecond !== Infinity && steps < 1000) {
      now += 100;
      gate.onSuccess(now, now);
      steps++;
    }
    expect(gate.allowedPerSecond).toBe(Infinity);
    expect(steps / 10).toBeLessThan(25);
  });

  test("a probe that meets a 429 again waits twice as long before the next one", () => {
    const gate = new RequestGate(10, { quietMs: 1000 });
    let now = 1_000_000;
    for (let i = 0; i < 20; i++) gate.onSuccess(now - 500, now);
    gate.onRateLimited(0, now);
    now += 1500;
    gate.onSuccess(now, now); // first probe: a quarter more
    expect(gate.allowedPerSecond).toBe(25);
    for (let i = 0; i < 19; i++) gate.onSuccess(now - 10, now);
    gate.onRateLimited(0, now);
    expect(gate.allowedPerSecond).toBe(20);
    now += 1500; // past the old quiet spell, not the doubled one
    gate.onSuccess(now, now);
    expect(gate.allowedPerSecond).toBe(20);
    now += 1000;
    gate.onSuccess(now, now);
    expect(gate.allowedPerSecond).toBe(25);
  });
});

describe("settings", () => {
  test.each([
    ["localhost", true],
    ["127.0.0.1", true],
    ["127.8.9.10", true],
    ["[::1]", true],
    ["api.losant.com", false],
    ["10.0.0.1", false],
  ] as Array<[string, boolean]>)("loopback %s: %p", (host, loopback) => expect(isLoopbackHost(host)).toBe(loopback));

  test("default URL is Losant's; config beats env", () => {
    expect(resolveSettings({}, {}).apiUrl).toBe("https://api.losant.com");
    expect(resolveSettings({ apiUrl: "https://a.example/" }, { LOSANT_API_URL: "https://b.example" }).apiUrl).toBe("https://a.example");
    expect(resolveSettings({}, { LOSANT_API_URL: "https://b.example" }).apiUrl).toBe("https://b.example");
    expect(resolveToken({ apiToken: "from-config" }, { LOSANT_API_TOKEN: "from-env" })).toBe("from-config");
    expect(resolveToken({}, { LOSANT_API_TOKEN: "from-env" })).toBe("from-env");
  });

  test.each([
    [{ maxConcurrency: "0" }, /maxConcurrency.*positive whole number/],
    [{ requestTimeoutMs: "fast" }, /requestTimeoutMs.*positive whole number/],
    [{ apiUrl: "not a url" }, /not a URL/],
    [{ apiUrl: "ftp://x" }, /must use https/],
    [{ apiUrl: "http://192.168.1.5:8080" }, /plain http to 192.168.1.5:8080/],
  ] as Array<[Record<string, string>, RegExp]>)("bad setting %p is refused", (raw, message) => {
    expect(() => resolveSettings(raw, {})).toThrow(message);
  });
});
