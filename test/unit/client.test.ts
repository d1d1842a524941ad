import { RequestGate } from "../../client/requestGate";
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter } from "../../client/retryPolicy";
import { simulate } from "../support/rateLimitSim";
import { isLosantError, LosantApiError, LosantError, LosantNetworkError } from "../../client/errors";
import { LosantConfigError } from "../../provider/shared/settings";
import { LosantInstanceNotFoundError, LosantOrgNotFoundError, LosantUnconfirmedNotFoundError } from "../../provider/server/orgErrors";
import { NO_TOKEN_ADVICE, withSettingsAdvice } from "../../provider/shared/settings";
import { INSTANCE_ID, ORG_ID } from "../support/fixtures";
import { isLoopbackHost, resolveSettings, resolveToken } from "../../provider/shared/settings";

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

/** Admits `count` requests one after another, each answered at once; returns their start times. */
async function run(gate: RequestGate, count: number): Promise<number[]> {
  const starts: number[] = [];
  await Promise.all(
    Array.from({ length: count }, async () => {
      const admission = await gate.acquire();
      starts.push(Date.now());
      admission.finish({ kind: "answered" });
    }),
  );
  return starts;
}

/** `count` requests answered, then one limited with `retryAfterMs`, all at the current time. */
async function answeredThenLimited(gate: RequestGate, count: number, retryAfterMs?: number): Promise<void> {
  await run(gate, count);
  (await gate.acquire()).finish({ kind: "limited", retryAfterMs });
}

describe("RequestGate", () => {
  afterEach(() => jest.useRealTimers());

  test("never lets more than maxConcurrency run at once", async () => {
    const gate = new RequestGate(3);
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        const admission = await gate.acquire();
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 2));
        running--;
        admission.finish({ kind: "answered" });
      }),
    );
    expect(peak).toBe(3);
  });

  test("serves waiters in the order asked: one asked earlier than now goes before those queued after that moment", async () => {
    const gate = new RequestGate(1);
    const holder = await gate.acquire(1_000);
    const served: string[] = [];
    const wait = (name: string, askedAt: number) => gate.acquire(askedAt).then((admission) => (served.push(name), admission.finish({ kind: "answered" })));
    const all = [wait("asked at 3000", 3_000), wait("asked at 5000", 5_000), wait("asked at 2000", 2_000), wait("asked at 3000, later", 3_000)];
    holder.finish({ kind: "answered" });
    await Promise.all(all);
    expect(served).toEqual(["asked at 2000", "asked at 3000", "asked at 3000, later", "asked at 5000"]);
  });

  test("a request never sent frees its slot and counts for nothing", async () => {
    const gate = new RequestGate(1);
    await answeredThenLimited(gate, 3, 1000);
    const allowance = gate.allowance;
    const first = await gate.acquire();
    first.finish({ kind: "notSent" });
    expect(gate.allowance).toEqual(allowance);
    const started = Date.now();
    (await gate.acquire()).finish({ kind: "notSent" });
    expect(Date.now() - started).toBeLessThan(100);
  });

  test("a 429 before anything was answered pauses every request and halves the window; answers widen it again", async () => {
    const gate = new RequestGate(8);
    (await gate.acquire()).finish({ kind: "limited", retryAfterMs: 150 });
    expect(gate.currentWindow).toBe(4);
    expect(gate.allowance).toBeUndefined();
    const started = Date.now();
    const admission = await gate.acquire();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    admission.finish({ kind: "answered" });
    await run(gate, 10);
    expect(gate.currentWindow).toBe(8);
  });

  test("a 429 teaches N from the last second; a whole-second Retry-After bounds the window", async () => {
    jest.useFakeTimers();
    const gate = new RequestGate(10);
    await answeredThenLimited(gate, 5, 10_000);
    // Ten seconds, as the Retry-After says, within its one-second rounding; never shorter.
    expect(gate.allowance).toMatchObject({ requests: 5 });
    expect(gate.allowance!.windowMs).toBeGreaterThanOrEqual(10_000);
    expect(gate.allowance!.windowMs).toBeLessThan(10_050);
    const started = Date.now();
    const starts = run(gate, 6);
    await jest.advanceTimersByTimeAsync(30_000);
    const offsets = (await starts).map((t) => t - started).sort((a, b) => a - b);
    // Five go once the five answered before have left the window, the sixth one window later.
    expect(offsets[4] - offsets[0]).toBeLessThan(50);
    expect(offsets[0]).toBeGreaterThanOrEqual(9_990);
    expect(offsets[5] - offsets[0]).toBeGreaterThanOrEqual(10_000);
  });

  test("a 429 on a start the proven window allows (a token bucket, not a window) spreads the starts over the window", async () => {
    jest.useFakeTimers();
    const gate = new RequestGate(10);
    await answeredThenLimited(gate, 5, 1000);
    const windowMs = gate.allowance!.windowMs;
    // N = 5 go together once the window has passed; a bucket refilling evenly refuses the last of them.
    const burst = Array.from({ length: 5 }, () => gate.acquire());
    await jest.advanceTimersByTimeAsync(2 * windowMs);
    const admissions = await Promise.all(burst);
    expect(Math.max(...admissions.map((a) => a.startedAt)) - Math.min(...admissions.map((a) => a.startedAt))).toBeLessThan(50);
    admissions.slice(0, 4).forEach((admission) => admission.finish({ kind: "answered" }));
    admissions[4].finish({ kind: "limited", retryAfterMs: 1000 });
    const starts = run(gate, 6);
    await jest.advanceTimersByTimeAsync(10 * windowMs);
    const sorted = (await starts).sort((a, b) => a - b);
    // At least W/N apart from then on: N per W still, but evenly.
    for (let i = 1; i < sorted.length; i++) expect(sorted[i] - sorted[i - 1]).toBeGreaterThanOrEqual(windowMs / 5 - 1);
  });

  test("without Retry-After, one probe at a time finds the window, with growing gaps", async () => {
    jest.useFakeTimers();
    const gate = new RequestGate(10, { random: () => 0.5 });
    await answeredThenLimited(gate, 10);
    const t0 = Date.now();
    const probes: number[] = [];
    // The API's window frees 10 s after the first ten; every earlier probe meets a 429.
    let open = false;
    const waiting = Array.from({ length: 10 }, async () => {
      for (;;) {
        const admission = await gate.acquire();
        probes.push(Date.now() - t0);
        if (Date.now() - t0 >= 10_000) open = true;
        admission.finish(open ? { kind: "answered" } : { kind: "limited" });
        if (open) return;
      }
    });
    await jest.advanceTimersByTimeAsync(60_000);
    await Promise.all(waiting);
    const failed = probes.filter((t) => t < 10_000);
    // One at a time, each gap at least 250 ms and larger than the one before (within jitter).
    for (let i = 1; i < failed.length; i++) expect(failed[i] - failed[i - 1]).toBeGreaterThanOrEqual(240);
    expect(failed.length).toBeLessThan(20);
    // The first success came within a fifth of the window after it opened, and the rest followed at once.
    const firstOk = probes.find((t) => t >= 10_000)!;
    expect(firstOk).toBeLessThan(12_000);
    expect(Math.max(...probes) - firstOk).toBeLessThan(50);
    expect(gate.allowance).toMatchObject({ requests: 10 });
    expect(gate.allowance!.windowMs).toBeLessThanOrEqual(firstOk + 1);
  });

  test("a lasting limit keeps N: 2,000 requests at 20 a second meet few 429s", async () => {
    jest.useFakeTimers();
    // 100 s at the limit: N, once learned, is kept, so 429s do not recur.
    const result = await simulate({ requests: 2000, limit: 20, windowMs: 1000, retryAfter: true, latencyMs: 4 });
    expect(result.failed).toBe(0);
    expect(result.gate.allowance).toMatchObject({ requests: 20 });
    // Were N to grow again after each quiet spell, every growth would meet about five 429s: over 150 in 100 s.
    expect(result.limited).toBeLessThan(80);
    expect(result.elapsedMs).toBeLessThanOrEqual(1.05 * 100_000);
  });
});

describe("rate limits of other shapes (simulated API, fake clock)", () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test.each([
    ["10 per 10 s, no Retry-After", { requests: 200, limit: 10, windowMs: 10_000, retryAfter: false }],
    ["10 per 10 s, Retry-After", { requests: 200, limit: 10, windowMs: 10_000, retryAfter: true }],
    ["10 per 60 s, no Retry-After", { requests: 30, limit: 10, windowMs: 60_000, retryAfter: false }],
    ["10 per 60 s, Retry-After", { requests: 30, limit: 10, windowMs: 60_000, retryAfter: true }],
    ["5 per 5 s, no Retry-After", { requests: 100, limit: 5, windowMs: 5_000, retryAfter: false }],
    ["100 per 5 min, no Retry-After", { requests: 300, limit: 100, windowMs: 300_000, retryAfter: false }],
    ["20 per second, Retry-After, 40 ms latency", { requests: 400, limit: 20, windowMs: 1_000, retryAfter: true, latencyMs: 40 }],
    // Answers out of order: latencies from 6 to 114 ms.
    ["20 per second, Retry-After, uneven latency", { requests: 400, limit: 20, windowMs: 1_000, retryAfter: true, latencyMs: 60, latencyJitter: 0.9 }],
    ["10 per 10 s, no Retry-After, uneven latency", { requests: 200, limit: 10, windowMs: 10_000, retryAfter: false, latencyMs: 60, latencyJitter: 0.9 }],
  ] as Array<[string, { requests: number; limit: number; windowMs: number; retryAfter: boolean; latencyMs?: number; latencyJitter?: number }]>)(
    "%s: no failure, within 1.1x of requests / rate",
    async (_what, shape) => {
      const result = await simulate({ latencyMs: 4, ...shape });
      expect(result.failed).toBe(0);
      expect(result.served).toBe(shape.requests);
      expect(result.elapsedMs).toBeLessThanOrEqual(1.1 * (shape.requests / shape.limit) * shape.windowMs);
    },
  );

  // Losant's own limiter (Losant/redis-gcra): a bucket of `burst` refilled at 20 a second. The gate learns N from
  // the first burst and keeps it, so it paces below the rate: 1.79x (burst 20), 2.00x (10) and 4.32x (5) of the
  // floor here, and a burst of 1 collapses to about 20x (open work). The bound catches a collapse, not that gap.
  test.each([5, 10, 20])("a GCRA bucket of %i at 20 a second: no failure, within 5x of the floor", async (burst) => {
    const requests = 400;
    const result = await simulate({
      requests,
      limit: 20,
      windowMs: 1000,
      retryAfter: true,
      latencyMs: 40,
      latencyJitter: 0.5,
      maxConcurrency: 16,
      gcra: { burst, rate: 20, periodMs: 1000 },
    });
    expect(result.failed).toBe(0);
    expect(result.served).toBe(requests);
    expect(result.elapsedMs).toBeLessThanOrEqual(5 * ((requests - burst) / 20) * 1000);
  });

  test("also when the API counts the requests it refuses: slower, but no failure", async () => {
    const result = await simulate({ requests: 30, limit: 10, windowMs: 60_000, retryAfter: false, latencyMs: 4, countRefused: true, budgetMs: 600_000 });
    expect(result.failed).toBe(0);
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

describe("errors", () => {
  const ref = { instanceId: INSTANCE_ID, orgId: ORG_ID };
  const cause = new Error("underlying");

  test("every error is a LosantError with its cause, and the type guard knows them, also from another copy", () => {
    const errors = [
      new LosantApiError({ operation: "get", ref, status: 500, type: "ServerError", losantMessage: "boom", cause }),
      new LosantNetworkError({ operation: "patch", ref, reason: "network error ECONNRESET", code: "ECONNRESET", attempts: 3, cause }),
      new LosantConfigError("bad url", { setting: "losant:apiUrl", cause }),
      new LosantOrgNotFoundError({ action: "update", ref, cause }),
      new LosantUnconfirmedNotFoundError({ action: "refresh", operation: "get", ref, reason: "checkFailed", cause }),
      new LosantInstanceNotFoundError({ action: "delete", operation: "delete", ref, cause }),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(LosantError);
      expect(isLosantError(error)).toBe(true);
      expect(error.cause).toBe(cause);
      expect(error.name).toBe(error.constructor.name);
    }
    expect(new LosantInstanceNotFoundError({ action: "delete", operation: "delete", ref })).toBeInstanceOf(LosantUnconfirmedNotFoundError);
    expect(isLosantError(new Error("plain"))).toBe(false);
    expect(isLosantError("LosantApiError")).toBe(false);
    // An error made by another loaded copy of the package: another class, same brand.
    const foreign = Object.defineProperty(new Error("x"), Symbol.for("pulumi-losant-instance-org.LosantError"), { value: true });
    expect(isLosantError(foreign)).toBe(true);
  });

  test("API errors name operation, org, instance, status, Losant's type and message, attempts", () => {
    const error = new LosantApiError({ operation: "patch", ref, status: 400, type: "Validation", losantMessage: "name too long", attempts: 2 });
    expect(error.message).toBe(`Losant PATCH of org ${ORG_ID} in instance ${INSTANCE_ID} failed: HTTP 400 (Validation: name too long) after 2 attempts`);
    expect(error).toMatchObject({ operation: "patch", ref, status: 400, type: "Validation", losantMessage: "name too long", attempts: 2 });
  });

  test.each([
    [403, "delete", "instanceOrg.delete"],
    [403, "list", "instanceOrgs.get"],
    [403, "post", "instanceOrgs.post"],
  ] as const)("%d on %s names the scopes it needs, .bounded variants included", (status, operation, scope) => {
    const message = new LosantApiError({ operation, ref, status }).message;
    expect(message).toContain(scope);
    expect(message).toContain("all.Instance.bounded");
    expect(message).toContain("all.User.bounded");
  });

  // Losant/bravado-core: 401 only for a token it cannot verify (lib/authenticate.js), 403 without the
  // scope or without any token (lib/authorize.js). Scopes are named only where one can be the cause.
  test.each([
    ["401 invalid", { status: 401, type: "Unauthorized", losantMessage: "Invalid access token" }, /invalid or has expired.*a scope cannot cause this/, false],
    [
      "401 expired",
      { status: 401, type: "Unauthorized", losantMessage: "Access token has expired" },
      /Access token has expired.*invalid or has expired/,
      false,
    ],
    ["403 with no token sent", { status: 403, type: "Forbidden", losantMessage: "Access is forbidden", tokenSent: false }, /No API token was sent/, false],
    [
      "403 'Access is forbidden' with a token",
      { status: 403, type: "Forbidden", losantMessage: "Access is forbidden" },
      /when no token reaches it.*lacks the scope/,
      true,
    ],
    ["403 with another text", { status: 403, type: "Forbidden", losantMessage: "Nope" }, /lacks the scope for this call/, true],
  ] as const)("%s: the message says what it means", (_what, answer, meaning, namesScopes) => {
    const message = new LosantApiError({ operation: "patch", ref, ...answer }).message;
    expect(message).toMatch(meaning);
    expect(message.includes("instanceOrg.patch")).toBe(namesScopes);
    if (!namesScopes) expect(message).not.toMatch(/scope for this call/);
  });

  test("the client says only that no token was sent; the provider adds where to set one", () => {
    const error = new LosantApiError({ operation: "get", ref, status: 403, type: "Forbidden", losantMessage: "Access is forbidden", tokenSent: false });
    const httpOnly = `Losant GET of org ${ORG_ID} in instance ${INSTANCE_ID} failed: HTTP 403 (Forbidden: Access is forbidden). No API token was sent, and Losant refuses every call without one`;
    expect(error.message).toBe(httpOnly);
    // Applied twice (a retried path), the advice is added once.
    const advised = withSettingsAdvice(withSettingsAdvice(error)) as LosantApiError;
    expect(advised.message).toBe(httpOnly + NO_TOKEN_ADVICE);
    expect(advised.message).toMatch(/refuses every call without one: set losant:apiToken or LOSANT_API_TOKEN$/);
  });

  test("an error rebuilt from another (the batcher's, per org) keeps whether a token was sent", () => {
    const first = new LosantApiError({ operation: "list", ref, status: 403, losantMessage: "Access is forbidden", tokenSent: false });
    const rebuilt = new LosantApiError({ operation: "list", ref: { ...ref, orgId: "other" }, status: 403, losantMessage: "Access is forbidden", cause: first });
    expect(rebuilt.tokenSent).toBe(false);
    expect(rebuilt.message).toMatch(/No API token was sent/);
  });

  test.each([
    [
      "instanceNotFound",
      "refresh",
      /instance 5f1e2d3c4b5a69788796a5b4 itself was not found or is not accessible with this API token.*The org was kept in the state; nothing was dropped/,
    ],
    ["checkRefused", "delete", /listing the orgs of instance .* was refused \(HTTP 403\).*it was not counted as deleted.*instanceOrgs\.get/],
    ["checkFailed", "update", /failed\. The org was kept in the state; nothing was changed/],
    ["orgListed", "adopt", /but instance .* lists the org.*Nothing was adopted/],
  ] as const)("a 404 that proves nothing (%s, during %s) says why and that the org was kept", (reason, action, pattern) => {
    const error = new LosantUnconfirmedNotFoundError({ action, operation: "get", ref, reason, checkStatus: reason === "checkRefused" ? 403 : undefined });
    expect(error.message).toMatch(pattern);
    expect(error.message).toContain(`org ${ORG_ID}`);
  });

  test.each([
    [403, true],
    [401, false],
  ])("a list refused with %i after a 404: the scopes are named only where a scope can be the cause (%s)", (checkStatus, namesScopes) => {
    const error = new LosantUnconfirmedNotFoundError({ action: "refresh", operation: "get", ref, reason: "checkRefused", checkStatus });
    expect(error.message.includes("instanceOrgs.get")).toBe(namesScopes);
    expect(error.message).toMatch(namesScopes ? /Give the token one of the scopes/ : /invalid or expired/);
  });
});
