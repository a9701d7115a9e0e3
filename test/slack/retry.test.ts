import { describe, expect, it } from "vitest";
import { replayWindow } from "../../adapters/slack/replay-window.ts";
import { retryAfterSeconds, withRateLimit } from "../../adapters/slack/retry.ts";
import { loggerFrom, silentLogger } from "../../src/log.ts";
import type { IncomingMessage, ServerResponse } from "node:http";

const rateLimited = (retryAfter: number) => Object.assign(new Error("rate limited"), { code: "slack_webapi_rate_limited_error", retryAfter });

function recorder() {
  const logs: { event: string; data?: object }[] = [];
  const waits: number[] = [];
  return {
    logs,
    waits,
    deps: (attempts: number, budgetMs: number) => ({
      policy: { attempts, budgetMs },
      logger: loggerFrom((_level, event, data) => void logs.push({ event, data })),
      sleep: async (ms: number) => void waits.push(ms),
    }),
  };
}

describe("withRateLimit", () => {
  it("waits each Retry-After and returns the first success", async () => {
    const r = recorder();
    let n = 0;
    const value = await withRateLimit("chat.postMessage", async () => (++n < 3 ? Promise.reject(rateLimited(2)) : "ok"), r.deps(3, 30_000));
    expect(value).toBe("ok");
    expect(r.waits).toEqual([2000, 2000]);
  });

  it("gives up after the attempts, logging one failure", async () => {
    const r = recorder();
    let n = 0;
    await expect(withRateLimit("views.publish", async () => (n++, Promise.reject(rateLimited(1))), r.deps(3, 30_000))).rejects.toMatchObject({ retryAfter: 1 });
    expect(n).toBe(3);
    expect(r.waits).toEqual([1000, 1000]);
    expect(r.logs.filter((l) => l.event === "slack_call_failed")).toEqual([
      { event: "slack_call_failed", data: { method: "views.publish", attempts: 3, code: "rate_limited", retryAfterSeconds: 1, waitedMs: 2000 } },
    ]);
  });

  it("does not wait past the budget: a long Retry-After fails at once", async () => {
    const r = recorder();
    let n = 0;
    await expect(withRateLimit("chat.postMessage", async () => (n++, Promise.reject(rateLimited(1800))), r.deps(5, 30_000))).rejects.toThrow();
    expect(n).toBe(1);
    expect(r.waits).toEqual([]);
  });

  it("does not retry other errors", async () => {
    const r = recorder();
    let n = 0;
    const platform = Object.assign(new Error("x"), { code: "slack_webapi_platform_error", data: { ok: false, error: "not_in_channel" } });
    await expect(withRateLimit("chat.postMessage", async () => (n++, Promise.reject(platform)), r.deps(3, 30_000))).rejects.toBe(platform);
    expect(n).toBe(1);
    expect(r.logs).toEqual([{ event: "slack_call_failed", data: { method: "chat.postMessage", attempts: 1, code: "slack_webapi_platform_error", error: "not_in_channel" } }]);
  });

  it("reads Retry-After only from rate-limit errors", () => {
    expect(retryAfterSeconds(rateLimited(3))).toBe(3);
    expect(retryAfterSeconds(new Error("x"))).toBeUndefined();
    expect(retryAfterSeconds({ code: "slack_webapi_rate_limited_error" })).toBeUndefined();
  });
});

describe("the replay window", () => {
  const NOW = 1_800_000_000_000;
  const run = (headers: Record<string, string>) => {
    let status = 0;
    let passed = false;
    const guard = replayWindow(() => void (passed = true), { logger: silentLogger(), nowMs: () => NOW });
    const res = { writeHead: (s: number) => ((status = s), { end() {} }) } as unknown as ServerResponse;
    const req = { headers, resume() {} } as unknown as IncomingMessage;
    void guard(req, res);
    return passed ? "passed" : status;
  };
  const at = (offsetSeconds: number) => ({ "x-slack-request-timestamp": String(NOW / 1000 + offsetSeconds), "x-slack-signature": "v0=abc" });

  it("passes timestamps within 5 minutes either way", () => {
    for (const s of [-300, -1, 0, 1, 300]) expect(run(at(s)), String(s)).toBe("passed");
  });
  it("refuses timestamps more than 5 minutes away, in the past or the future", () => {
    for (const s of [-301, -3600, 301, 600, 86_400 * 365]) expect(run(at(s)), String(s)).toBe(401);
  });
  it("refuses a missing or malformed timestamp, or no v0 signature", () => {
    expect(run({ "x-slack-signature": "v0=abc" })).toBe(401);
    expect(run({ "x-slack-request-timestamp": "1.8e9", "x-slack-signature": "v0=abc" })).toBe(401);
    expect(run({ "x-slack-request-timestamp": String(NOW / 1000) })).toBe(401);
    expect(run({ "x-slack-request-timestamp": String(NOW / 1000), "x-slack-signature": "v1=abc" })).toBe(401);
  });
});
