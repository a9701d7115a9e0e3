// The Slack adapter started for real (Bolt, HTTP host on loopback, the core on PGlite) against the
// fake Slack, plus signed requests the way Slack sends them.
import { createHmac } from "node:crypto";
import { start, type SlackStartOptions } from "../../../adapters/slack/index.ts";
import type { Running } from "../../../adapters/choose.ts";
import { createHttpHost, type HttpHost } from "../../../adapters/http/server.ts";
import { createBot, type Bot } from "../../../src/bot.ts";
import { createChartRenderer, type ChartRenderer } from "../../../src/charts/index.ts";
import { loadConfig } from "../../../src/config.ts";
import { loggerFrom, type LogLevel } from "../../../src/log.ts";
import { createStores } from "../../../src/data/stores.ts";
import { createSeenRequests } from "../../../src/data/seen-requests.ts";
import type { Runtime } from "../../../src/runtime.ts";
import { shareKey, shareValue } from "../../../adapters/slack/share.ts";
import { instrumentBot } from "../../../src/ops/instrument.ts";
import type { Metrics } from "../../../src/ops/metrics.ts";
import { freshDatabase, type Backend, type TestDatabase } from "../../support/databases.ts";
import { loadHandmade, type Handmade } from "../../support/handmade.ts";
import { startFakeSlack, type FakeSlack } from "./fake-slack.ts";

export const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
export const NOW = new Date("2026-11-26T12:00:00Z");
export const TEAM_CHANNEL = "C0TEAMALPHA";

export type LogLine = { level: LogLevel; event: string; data: Record<string, unknown> };

export type Harness = {
  base: string;
  fake: FakeSlack;
  db: TestDatabase;
  h: Handmade;
  logs: LogLine[];
  /** Calls that reached the core's handle(). */
  handled: { userId: string; text: string; email?: string | undefined }[];
  /** While closed, the core waits before answering (to prove the ack does not wait for it). */
  gate: { close(): void; open(): void };
  running: Running;
  http: HttpHost;
  stop(): Promise<void>;
};

export type HarnessOptions = Partial<Pick<SlackStartOptions, "rateLimit" | "retryConfig">> & {
  renderer?: ChartRenderer;
  /** Where the core's data lives (default PGlite). */
  backend?: Backend;
  /** KPI_SHARE_LEADERBOARD (default off). */
  leaderboard?: boolean;
  /** A registry the bot and the adapter record into (as `npm start` makes one). */
  metrics?: Metrics;
};

export const BOT_TOKEN = "xoxb-test-token";

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = await startFakeSlack();
  const db = await freshDatabase(options.backend ?? "pglite");
  const h = await loadHandmade(db.prisma);
  const logs: LogLine[] = [];
  const logger = loggerFrom((level, event, data) => void logs.push({ level, event, data: { ...data } }));
  const core = createBot({ prisma: db.prisma, now: () => NOW, timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD", logger });
  const handled: Harness["handled"] = [];
  let release: (() => void) | undefined;
  let gate: Promise<void> = Promise.resolve();
  const recorded: Bot = {
    ...core,
    async handle(req) {
      handled.push({ userId: req.userId, text: req.text, email: req.email });
      await gate;
      return core.handle(req);
    },
  };
  const bot = options.metrics ? instrumentBot(recorded, options.metrics) : recorded;
  const rt: Runtime = { ...(options.metrics ? { metrics: options.metrics } : {}), config: loadConfig(options.leaderboard ? { KPI_SHARE_LEADERBOARD: "true" } : {}), db, bot, stores: createStores(db.prisma), now: () => NOW, logger, notes: [], seenRequests: createSeenRequests(db.prisma), close: () => db.close() };
  const http = createHttpHost({ health: async () => true, logger });
  const running = await start(rt, http, {
    env: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl },
    renderer: options.renderer ?? createChartRenderer(),
    rateLimit: options.rateLimit ?? { attempts: 3, budgetMs: 5_000 },
    retryConfig: options.retryConfig ?? { retries: 1, minTimeout: 10, maxTimeout: 50 },
  });
  const port = await http.listen(0, "127.0.0.1");
  return {
    base: `http://127.0.0.1:${port}`,
    fake,
    db,
    h,
    logs,
    handled,
    gate: {
      close() {
        gate = new Promise<void>((r) => (release = r));
      },
      open() {
        release?.();
      },
    },
    running,
    http,
    async stop() {
      release?.();
      await running.stop();
      await http.close();
      await fake.close();
      await db.dispose();
    },
  };
}

export function sign(body: string, timestamp: number, secret = SECRET): string {
  return "v0=" + createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex");
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

export type SendOptions = { timestamp?: number; signature?: string | null; contentType?: string; headers?: Record<string, string>; timeoutMs?: number };

/** POST a body to /slack/events, signed like Slack signs it (unless told otherwise). */
export async function send(base: string, body: string, o: SendOptions = {}): Promise<globalThis.Response> {
  const timestamp = o.timestamp ?? nowSeconds();
  const headers: Record<string, string> = {
    "content-type": o.contentType ?? "application/x-www-form-urlencoded",
    "x-slack-request-timestamp": String(timestamp),
    ...o.headers,
  };
  const signature = o.signature === undefined ? sign(body, timestamp) : o.signature;
  if (signature !== null) headers["x-slack-signature"] = signature;
  return fetch(`${base}/slack/events`, { method: "POST", headers, body, ...(o.timeoutMs ? { signal: AbortSignal.timeout(o.timeoutMs) } : {}) });
}

/** A slash command's form body. */
export function slashCommand(fake: FakeSlack, user: string, text: string, channel = TEAM_CHANNEL): string {
  return new URLSearchParams({
    token: "legacy-verification-token",
    team_id: "T0001",
    team_domain: "acme",
    channel_id: channel,
    channel_name: "alpha",
    user_id: user,
    user_name: user.toLowerCase(),
    command: "/kpi",
    text,
    api_app_id: "A0KPI",
    is_enterprise_install: "false",
    response_url: fake.responseUrl(user),
    trigger_id: "1.2.3",
  }).toString();
}

/** A block_actions payload for a button in an (ephemeral) message in `channel`. */
export function buttonClick(fake: FakeSlack, user: string, actionId: string, value: string, channel = TEAM_CHANNEL): string {
  const payload = {
    type: "block_actions",
    user: { id: user, username: user.toLowerCase(), team_id: "T0001" },
    api_app_id: "A0KPI",
    token: "legacy-verification-token",
    container: { type: "message", message_ts: "1700000000.000100", channel_id: channel, is_ephemeral: true },
    trigger_id: "1.2.3",
    team: { id: "T0001", domain: "acme" },
    channel: { id: channel, name: "alpha" },
    response_url: fake.responseUrl(user),
    actions: [{ type: "button", action_id: actionId, block_id: "b1", text: { type: "plain_text", text: "x" }, value, action_ts: "1700000001.000200" }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** The value of the "Post to channel" button the bot gives `user` for `command` in `channel`. */
export function signedShare(user: string, command: string, channel = TEAM_CHANNEL): string {
  return shareValue(shareKey(BOT_TOKEN), user, channel, command);
}

/** A click on a genuine "Post to channel" button (its command signed for this user and channel). */
export function shareClick(fake: FakeSlack, user: string, command: string, channel = TEAM_CHANNEL): string {
  return buttonClick(fake, user, "kpi_share", signedShare(user, command, channel), channel);
}

/** An app_home_opened event (JSON, as the Events API sends it). */
export function homeOpened(user: string): string {
  return JSON.stringify({
    token: "legacy-verification-token",
    team_id: "T0001",
    api_app_id: "A0KPI",
    event: { type: "app_home_opened", user, channel: `D${user}`, tab: "home", event_ts: "1700000002.000300" },
    type: "event_callback",
    event_id: `Ev${Math.random().toString(36).slice(2, 10).toUpperCase()}`,
    event_time: nowSeconds(),
    authorizations: [{ team_id: "T0001", user_id: "UBOT", is_bot: true, is_enterprise_install: false }],
  });
}
