// Issue 12 item 1: one correctly signed Slack request (`payload=null`, or the JSON body `null`)
// threw inside Bolt's HTTP receiver ("Cannot read properties of null (reading 'ssl_check')"),
// nothing caught it, and node exited, taking Slack, Teams and the scheduler down. Malformed but
// signed input gets 400 and the process lives; an error no handler caught is logged, not fatal.
import { loggerFrom } from "../../src/log.ts";
import { spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guardProcess } from "../../adapters/process-guard.ts";
import { createHttpHost } from "../../adapters/http/server.ts";
import { startFakeSlack } from "../slack/support/fake-slack.ts";
import { nowSeconds, send, SECRET, sign, slashCommand, startHarness, type Harness } from "../slack/support/harness.ts";

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** Signed bodies that are not what Slack sends: each must get 400 and run nothing. */
const MALFORMED: [name: string, body: string, contentType?: string][] = [
  ["payload=null", "payload=null"],
  ["JSON null", "null", "application/json"],
  ["JSON array", "[]", "application/json"],
  ["JSON number", "42", "application/json"],
  ["JSON string", '"ssl_check"', "application/json"],
  ["not JSON at all", "{nope", "application/json"],
  ["payload=[]", form({ payload: "[]" })],
  ["payload that is a number", form({ payload: "7" })],
  ["payload that is not JSON", form({ payload: "{{" })],
  ["payload with a null user", form({ payload: JSON.stringify({ type: "block_actions", user: null, actions: [{ action_id: "kpi_share", type: "button" }], response_url: "x" }) })],
  ["block_actions with actions: null", form({ payload: JSON.stringify({ type: "block_actions", user: { id: "UMIA" }, actions: null, response_url: "x" }) })],
  ["block_actions with actions: [null]", form({ payload: JSON.stringify({ type: "block_actions", user: { id: "UMIA" }, actions: [null], response_url: "x" }) })],
  ["an event that is a string", JSON.stringify({ type: "event_callback", event: "app_home_opened" }), "application/json"],
  ["app_home_opened without a user", JSON.stringify({ type: "event_callback", event: { type: "app_home_opened", user: null } }), "application/json"],
  ["app_home_opened with item: 'x'", JSON.stringify({ type: "event_callback", event: { type: "app_home_opened", user: 7, item: "x" } }), "application/json"],
  ["a command without a user", form({ command: "/kpi", text: "me", response_url: "https://hooks.slack.com/x" })],
  ["a repeated form field", "command=%2Fkpi&command=%2Fkpi&user_id=U1&response_url=x"],
  ["an empty form", ""],
  ["XML", "<a/>", "application/xml"],
];

describe("signed malformed Slack requests (real Bolt receiver over loopback)", () => {
  let H: Harness;
  const rejections: unknown[] = [];
  const record = (e: unknown) => void rejections.push(e);
  beforeAll(async () => {
    process.on("unhandledRejection", record);
    H = await startHarness();
  });
  afterAll(async () => {
    process.off("unhandledRejection", record);
    await H?.stop();
  });

  it.each(MALFORMED)("answers 400 to %s, and runs nothing", async (_name, body, contentType) => {
    const before = H.handled.length;
    const res = await send(H.base, body, contentType ? { contentType } : {});
    expect(res.status).toBe(400);
    expect(H.handled.length).toBe(before);
  });

  it("answers 401 to the same bodies unsigned, before reading what they are", async () => {
    expect((await send(H.base, "payload=null", { signature: "v0=" + "0".repeat(64) })).status).toBe(401);
    expect((await send(H.base, "null", { contentType: "application/json", signature: null })).status).toBe(401);
  });

  it("answers 413 to a body over 1 MB", async () => {
    expect((await send(H.base, "text=" + "a".repeat(1_100_000))).status).toBe(413);
  });

  it("keeps serving afterwards, with no rejection left unhandled anywhere", async () => {
    await new Promise((r) => setTimeout(r, 200));
    const body = slashCommand(H.fake, "UMIA", "team alpha sales q3-2026");
    expect((await send(H.base, body)).status).toBe(200);
    await H.fake.waitFor(() => H.fake.responses.find((r) => r.body.response_type === "ephemeral" && JSON.stringify(r.body).includes("$6,000")));
    expect(rejections).toEqual([]);
    expect(H.logs.filter((l) => l.event === "slack_request_rejected").map((l) => l.data.reason)).toContain("payload_not_an_object");
  });

  it("answers Slack's URL verification and SSL check itself", async () => {
    const res = await send(H.base, JSON.stringify({ type: "url_verification", challenge: "c-123", token: "t" }), { contentType: "application/json" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: "c-123" });
    expect((await send(H.base, "ssl_check=1&token=t")).status).toBe(200);
  });
});

describe("the HTTP host", () => {
  it("answers 500 to a handler that fails, logs it, and keeps serving", async () => {
    const logged: string[] = [];
    const host = createHttpHost({ health: async () => true, logger: { error: (event) => void logged.push(event) } });
    host.route("/async", async () => {
      await Promise.resolve();
      throw new Error("bug in one request");
    });
    host.route("/midway", (_req, res) => {
      res.writeHead(200);
      res.write("partial");
      throw new Error("bug after the answer began");
    });
    const port = await host.listen(0, "127.0.0.1");
    try {
      expect((await fetch(`http://127.0.0.1:${port}/async`)).status).toBe(500);
      await expect(fetch(`http://127.0.0.1:${port}/midway`).then((r) => r.text())).rejects.toThrow();
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      expect(logged).toEqual(["http_handler_failed", "http_handler_failed"]);
    } finally {
      await host.close();
    }
  });
});

describe("the process guard", () => {
  const setup = (storm = { count: 3, windowMs: 1000 }) => {
    const proc = new EventEmitter();
    const logs: { event: string; data?: object }[] = [];
    const fatal: string[] = [];
    let now = 0;
    const unguard = guardProcess(proc, {
      logger: loggerFrom((_level, event, data) => void logs.push({ event, data })),
      onFatal: (reason) => void fatal.push(reason),
      nowMs: () => now,
      storm,
    });
    return { proc, logs, fatal, unguard, tick: (ms: number) => (now += ms) };
  };

  it("logs an unhandled rejection and an uncaught exception and keeps going", () => {
    const g = setup();
    g.proc.emit("unhandledRejection", new TypeError("Cannot read properties of null (reading 'ssl_check')"));
    g.proc.emit("uncaughtException", new Error("boom"), "uncaughtException");
    expect(g.logs.map((l) => l.event)).toEqual(["unhandled_rejection", "uncaught_exception"]);
    expect(g.logs[0]!.data).toMatchObject({ error: "Cannot read properties of null (reading 'ssl_check')", name: "TypeError" });
    expect(g.fatal).toEqual([]);
  });

  it("calls a storm of uncaught exceptions fatal, once; spaced out ones are not", () => {
    const g = setup();
    for (let i = 0; i < 6; i++) {
      g.proc.emit("uncaughtException", new Error(`spaced ${i}`), "uncaughtException");
      g.tick(600);
    }
    expect(g.fatal).toEqual([]);
    for (let i = 0; i < 6; i++) g.proc.emit("uncaughtException", new Error(`storm ${i}`), "uncaughtException");
    expect(g.fatal).toEqual(["uncaught_exception_storm"]);
    g.unguard();
    expect(g.proc.listenerCount("uncaughtException")).toBe(0);
  });
});

describe("npm start (adapters/main.ts) with Slack over HTTP", () => {
  it("survives signed payload=null and JSON null, keeps answering, and stops cleanly on SIGTERM", async () => {
    const fake = await startFakeSlack();
    const dir = await mkdtemp(path.join(tmpdir(), "kpi-crash-"));
    const child = spawn(process.execPath, ["--import", "tsx", "adapters/main.ts"], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      env: {
        ...process.env, KPI_ADAPTERS: "slack", SLACK_BOT_TOKEN: "xoxb-test-token", SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl,
        PORT: "0", KPI_DATA_DIR: dir, DATABASE_URL: "", LOG_LEVEL: "info", SLACK_APP_TOKEN: "", SLACK_MODE: "",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        child.stderr.on("data", (c: Buffer) => {
          stderr += c.toString();
          const m = /"event":"started"[^\n]*"port":(\d+)/.exec(stderr);
          if (m) resolve(Number(m[1]));
        });
        void exited.then((code) => reject(new Error(`exited with ${code}: ${stderr.slice(-2000)}`)));
      });
      const base = `http://127.0.0.1:${port}`;
      expect((await send(base, "payload=null")).status).toBe(400);
      expect((await send(base, "null", { contentType: "application/json" })).status).toBe(400);
      const ts = nowSeconds();
      const body = "payload=null";
      expect((await send(base, body, { timestamp: ts, signature: sign(body, ts) })).status).toBe(400);
      await new Promise((r) => setTimeout(r, 300));
      expect(child.exitCode).toBeNull();
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(stderr).not.toContain("ssl_check");
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
