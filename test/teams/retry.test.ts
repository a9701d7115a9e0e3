import { describe, expect, it } from "vitest";
import { backoffDelay, retryAfterMs, retryPolicy, type RetryOptions } from "../../adapters/teams/retry.ts";

const opts: RetryOptions = { maxRetries: 4, baseDelayMs: 500, maxDelayMs: 8000 };

describe("backoffDelay", () => {
  it("doubles per retry, with jitter between half and all of the step", () => {
    expect([0, 1, 2, 3].map((r) => backoffDelay(r, opts, undefined, () => 0))).toEqual([250, 500, 1000, 2000]);
    expect([0, 1, 2, 3].map((r) => backoffDelay(r, opts, undefined, () => 1))).toEqual([500, 1000, 2000, 4000]);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(2, opts);
      expect(d).toBeGreaterThanOrEqual(1000);
      expect(d).toBeLessThanOrEqual(2000);
    }
  });
  it("is jittered: two callers rarely wait the same", () => {
    const seen = new Set(Array.from({ length: 50 }, () => backoffDelay(3, opts)));
    expect(seen.size).toBeGreaterThan(10);
  });
  it("never exceeds maxDelayMs, even for a long Retry-After", () => {
    expect(backoffDelay(10, opts, undefined, () => 1)).toBe(8000);
    expect(backoffDelay(0, opts, 60_000, () => 0)).toBe(8000);
  });
  it("waits at least a server's Retry-After", () => {
    expect(backoffDelay(0, opts, 3000, () => 0)).toBe(3000);
  });
});

describe("retryAfterMs", () => {
  it("reads seconds and HTTP dates", () => {
    expect(retryAfterMs("2")).toBe(2000);
    expect(retryAfterMs("0.5")).toBe(500);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(retryAfterMs("soon")).toBeUndefined();
  });
});

describe("retryPolicy", () => {
  const response = (status: number, retryAfter?: string) => ({ status, headers: { get: (n: string) => (n === "retry-after" ? retryAfter : undefined) } });
  const run = async (statuses: number[], options = opts) => {
    const delays: number[] = [];
    let calls = 0;
    const policy = retryPolicy(options, undefined, async (ms) => void delays.push(ms));
    const final = await policy.sendRequest({}, async () => response(statuses[Math.min(calls++, statuses.length - 1)]!));
    return { final: final.status, calls, delays };
  };

  it.each([429, 412, 502, 504])("retries %i and returns the success that follows", async (status) => {
    const r = await run([status, status, 201]);
    expect(r).toMatchObject({ final: 201, calls: 3 });
    expect(r.delays).toHaveLength(2);
    expect(r.delays[0]).toBeGreaterThanOrEqual(250);
    expect(r.delays[1]).toBeGreaterThanOrEqual(500);
  });
  it.each([400, 401, 403, 404, 413, 500])("does not retry %i", async (status) => {
    expect(await run([status, 201])).toMatchObject({ final: status, calls: 1 });
  });
  it("gives up after maxRetries and returns the last failure", async () => {
    const r = await run([429], { ...opts, maxRetries: 3 });
    expect(r).toMatchObject({ final: 429, calls: 4 });
    expect(r.delays).toHaveLength(3);
  });
  it("honours Retry-After on a 429", async () => {
    const delays: number[] = [];
    let calls = 0;
    const policy = retryPolicy(opts, undefined, async (ms) => void delays.push(ms));
    await policy.sendRequest({}, async () => (calls++ === 0 ? response(429, "3") : response(200)));
    expect(delays[0]).toBe(3000);
  });
});
