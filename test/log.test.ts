import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, loggerFrom, redact, REDACTED, type Level } from "../src/log.ts";

/** A logger at `level` whose JSON lines are parsed back. */
function capture(level: Level) {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const out = new Writable({
    write(chunk, _enc, done) {
      raw.push(String(chunk));
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger(level, out), lines, raw };
}

describe("createLogger", () => {
  it("writes one JSON line per event with its time, level and event name", () => {
    const { logger, lines, raw } = capture("debug");
    logger.info("started", { port: 3000 });
    expect(raw).toHaveLength(1);
    expect(raw[0]!.endsWith("\n")).toBe(true);
    expect(raw[0]!.trimEnd()).not.toContain("\n");
    expect(lines[0]).toMatchObject({ level: "info", event: "started", port: 3000 });
    expect(Number.isNaN(Date.parse(String(lines[0]!.at)))).toBe(false);
  });

  it("drops events below the level (LOG_LEVEL) and writes nothing when silent", () => {
    const { logger, lines } = capture("warn");
    logger.debug("d");
    logger.info("i");
    logger.warn("w");
    logger.error("e");
    expect(lines.map((l) => [l.level, l.event])).toEqual([["warn", "w"], ["error", "e"]]);
    const silent = capture("silent");
    silent.logger.error("e");
    expect(silent.lines).toEqual([]);
    const debug = capture("debug");
    for (const f of ["debug", "info", "warn", "error"] as const) debug.logger[f](f);
    expect(debug.lines.map((l) => l.level)).toEqual(["debug", "info", "warn", "error"]);
  });

  it("redacts secrets by key, at any depth", () => {
    const { logger, lines, raw } = capture("info");
    logger.info("call", {
      token: "abc", clientSecret: "s3", headers: { Authorization: "Basic dXNlcjpwYXNz", cookie: "sid=1", "x-slack-signature": "v0=ab12" },
      list: [{ password: "hunter2", user: "dana" }], method: "chat.postMessage",
    });
    expect(lines[0]).toMatchObject({
      token: REDACTED, clientSecret: REDACTED, headers: { Authorization: REDACTED, cookie: REDACTED, "x-slack-signature": REDACTED },
      list: [{ password: REDACTED, user: "dana" }], method: "chat.postMessage",
    });
    for (const secret of ["abc", "s3", "dXNlcjpwYXNz", "sid=1", "v0=ab12", "hunter2"]) expect(raw[0]).not.toContain(secret);
  });

  it("redacts token-looking values wherever they appear, keeping the rest of the text", () => {
    const { logger, lines, raw } = capture("info");
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJlLXBhcnQ";
    logger.error("slack_call_failed", {
      error: "invalid_auth for xoxb-1234-5678-AbCdEf", nested: { deep: ["app token xapp-1-A0B-99-ff"] }, header: `Bearer ${jwt}`, raw: jwt,
    });
    expect(lines[0]).toMatchObject({
      error: `invalid_auth for ${REDACTED}`, nested: { deep: [`app token ${REDACTED}`] }, header: REDACTED, raw: REDACTED,
    });
    for (const secret of ["xoxb-1234", "xapp-1-A0B", "eyJhbGci"]) expect(raw[0]).not.toContain(secret);
  });

  it("writes Errors as type, message, code and stack, redacted", () => {
    const { logger, lines, raw } = capture("info");
    const e = Object.assign(new TypeError("request with xoxp-999-abc failed"), { code: "slack_webapi_platform_error" });
    logger.error("slack_call_failed", { error: e });
    const error = lines[0]!.error as Record<string, unknown>;
    expect(error).toMatchObject({ type: "TypeError", message: `request with ${REDACTED} failed`, code: "slack_webapi_platform_error" });
    expect(String(error.stack)).toContain("TypeError");
    expect(raw[0]).not.toContain("xoxp-999");
  });

  it("survives values JSON cannot write: bigint, cycles, dates, buffers", () => {
    const { logger, lines } = capture("info");
    const loop: Record<string, unknown> = { name: "loop" };
    loop.self = loop;
    logger.info("odd", { id: 12n, loop, when: new Date("2026-11-30T09:00:00Z"), bytes: Buffer.from("secret bytes"), f: () => 1 });
    expect(lines[0]).toMatchObject({ id: "12", loop: { name: "loop", self: "[circular]" }, when: "2026-11-30T09:00:00.000Z", bytes: "[12 bytes]" });
    expect(lines[0]).not.toHaveProperty("f");
  });

  it("never lets data overwrite the envelope", () => {
    const { logger, lines } = capture("info");
    logger.warn("real", { level: "debug", event: "fake", at: "yesterday" });
    expect(lines[0]).toMatchObject({ level: "warn", event: "real" });
    expect(lines[0]!.at).not.toBe("yesterday");
  });

  it("binds fields with child(), redacted like the rest, the event's own data winning", () => {
    const { logger, lines } = capture("info");
    const req = logger.child({ requestId: "r-1", token: "xoxb-9" }).child({ platform: "slack" });
    req.info("answered", { platform: "teams", ms: 12 });
    logger.info("plain");
    expect(lines[0]).toMatchObject({ requestId: "r-1", token: REDACTED, platform: "teams", ms: 12 });
    expect(lines[1]).not.toHaveProperty("requestId");
  });
});

describe("loggerFrom", () => {
  it("hands every level to the sink with the bindings merged", () => {
    const seen: unknown[] = [];
    const log = loggerFrom((level, event, data) => void seen.push([level, event, data]));
    log.warn("w");
    log.child({ requestId: "r" }).debug("d", { n: 1 });
    expect(seen).toEqual([["warn", "w", undefined], ["debug", "d", { requestId: "r", n: 1 }]]);
  });
});

describe("redact", () => {
  it("leaves ordinary values alone", () => {
    expect(redact({ subscription: 3, period: "W2026-11-16", ok: true, none: null, list: [1, "a"] })).toEqual({
      subscription: 3, period: "W2026-11-16", ok: true, none: null, list: [1, "a"],
    });
  });
});
