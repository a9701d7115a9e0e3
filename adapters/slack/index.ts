// The Slack adapter: Bolt in Socket Mode (SLACK_APP_TOKEN) or HTTP mode (SLACK_SIGNING_SECRET, on
// the shared HTTP host at /slack/events). Thin: payload → bot.handle → Block Kit.
import { App, HTTPReceiver, webApi } from "@slack/bolt";
import type { Sender } from "../../src/digests/sender.ts";
import { responseUrls, slackApi } from "./api.ts";
import { slackSender } from "./sender.ts";
import { ConfigError } from "../../src/config.ts";
import { createChartRenderer, type ChartRenderer } from "../../src/charts/index.ts";
import type { Runtime } from "../../src/runtime.ts";
import type { Running } from "../choose.ts";
import type { HttpHost } from "../http/server.ts";
import { createTasks, registerListeners } from "./app.ts";
import { boltLogger } from "./bolt-logger.ts";
import { loadSlackConfig, SLACK_EVENTS_PATH, type SlackConfig } from "./config.ts";
import { slackGate } from "./gate.ts";
import { replayWindow } from "./replay-window.ts";
import { shareKey } from "./share.ts";
import { describeSlackError, RATE_LIMIT_POLICY, WEB_CLIENT_RETRIES, WEB_CLIENT_TIMEOUT_MS, withRateLimit, type RateLimitPolicy } from "./retry.ts";

export type SlackStartOptions = {
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Defaults to one new renderer (create it once: fonts and Chart.js load on the first one). */
  renderer?: ChartRenderer;
  rateLimit?: RateLimitPolicy;
  retryConfig?: webApi.RetryOptions;
  /** The real clock for the replay window (not KPI_NOW, which only fixes the answers' "now"). */
  nowMs?: () => number;
};

/** How long stop() waits for answers already acknowledged. */
const DRAIN_MS = 10_000;
/** How often expired replay-window entries are deleted (any replica may do it). */
const FORGET_SEEN_MS = 60_000;

export async function start(rt: Runtime, http: HttpHost, options: SlackStartOptions = {}): Promise<Running> {
  const config = loadSlackConfig(options.env ?? process.env);
  const logger = rt.logger;
  const policy = options.rateLimit ?? RATE_LIMIT_POLICY;
  const tasks = createTasks(logger, rt.admission);
  const clientOptions: webApi.WebClientOptions = {
    retryConfig: options.retryConfig ?? WEB_CLIENT_RETRIES,
    rejectRateLimitedCalls: true,
    timeout: WEB_CLIENT_TIMEOUT_MS,
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
  };
  const log = boltLogger(logger);
  // The gate in front of the receiver checks signatures (both directions of the window, constant
  // time) and hands Bolt only parsed bodies it rebuilt, so Bolt's own check would see a body that
  // Slack did not sign: it is switched off here and done by the gate.
  const receiver =
    config.mode === "http" ? new HTTPReceiver({ signingSecret: config.signingSecret, signatureVerification: false, endpoints: SLACK_EVENTS_PATH, logger: log }) : undefined;
  const app = receiver
    ? new App({ token: config.botToken, receiver, clientOptions, logger: log, deferInitialization: true })
    : new App({ token: config.botToken, appToken: (config as Extract<SlackConfig, { mode: "socket" }>).appToken, socketMode: true, clientOptions, logger: log, deferInitialization: true });

  const renderer = options.renderer ?? rt.charts ?? createChartRenderer();
  registerListeners(app, {
    bot: rt.bot, logger, renderer, tasks, policy, ...(rt.metrics ? { metrics: rt.metrics } : {}),
    responseUrls: responseUrls(config.apiUrl),
    share: {
      key: shareKey(config.botToken),
      policy: { leaderboard: rt.config.KPI_SHARE_LEADERBOARD },
      calendar: () => ({ now: rt.now(), timeZone: rt.config.KPI_TIMEZONE, fiscalYearStartMonth: rt.config.KPI_FISCAL_YEAR_START_MONTH }),
    },
  });
  await verifyToken(app, config, { policy, logger });

  let forget: NodeJS.Timeout | undefined;
  let socket: (() => boolean) | undefined;
  if (receiver && config.mode === "http") {
    const clock = options.nowMs ? { nowMs: options.nowMs } : {};
    const gate = slackGate(receiver.requestListener, { signingSecret: config.signingSecret, logger, seen: rt.seenRequests, ...clock });
    http.route(SLACK_EVENTS_PATH, replayWindow(gate, { logger, ...clock }), "POST");
    const nowMs = options.nowMs ?? Date.now;
    forget = setInterval(() => {
      rt.seenRequests.forgetExpired(new Date(nowMs())).catch((e: unknown) => logger.error("slack_seen_cleanup_failed", { error: e instanceof Error ? e.message.slice(0, 200) : String(e) }));
    }, FORGET_SEEN_MS).unref();
  } else {
    await connectSocket(app);
    socket = socketState(app);
  }
  logger.info("slack_started", { mode: config.mode, ...(config.mode === "http" ? { path: SLACK_EVENTS_PATH } : {}) });
  return {
    name: "slack",
    sender: slackSender(slackApi(app.client, { policy, logger }), { renderer, logger }),
    ...(socket ? { ready: socket } : {}),
    async stop(graceMs = DRAIN_MS) {
      clearInterval(forget);
      if (!receiver) await app.stop().catch(() => undefined);
      await tasks.drain(graceMs);
    },
  };
}

/**
 * A Sender for digests and alerts without running the Slack app (for `npm run digests -- --due`):
 * only SLACK_BOT_TOKEN (and SLACK_API_URL) are needed.
 */
export async function createSender(rt: Runtime, options: Pick<SlackStartOptions, "env" | "renderer" | "rateLimit" | "retryConfig"> = {}): Promise<Sender> {
  const env = options.env ?? process.env;
  const token = env.SLACK_BOT_TOKEN;
  if (!token) throw new ConfigError("SLACK_BOT_TOKEN is not set: digests to Slack need the bot token (xoxb-…)");
  const raw = env.SLACK_API_URL?.trim();
  const apiUrl = raw && !raw.endsWith("/") ? `${raw}/` : raw;
  const client = new webApi.WebClient(token, {
    retryConfig: options.retryConfig ?? WEB_CLIENT_RETRIES,
    rejectRateLimitedCalls: true,
    timeout: WEB_CLIENT_TIMEOUT_MS,
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
  });
  const policy = options.rateLimit ?? RATE_LIMIT_POLICY;
  return slackSender(slackApi(client, { policy, logger: rt.logger }), { renderer: options.renderer ?? createChartRenderer(), logger: rt.logger });
}

/** auth.test once at start-up, so a wrong token fails now with a message, not on the first command. */
async function verifyToken(app: App, config: SlackConfig, deps: Parameters<typeof withRateLimit>[2]): Promise<void> {
  try {
    await withRateLimit("auth.test", () => app.init(), deps);
  } catch (e) {
    const { code, error } = describeSlackError(e);
    if (code === "slack_webapi_platform_error") {
      throw new ConfigError(`Slack rejected SLACK_BOT_TOKEN (${error ?? "error"}): use the Bot User OAuth Token (xoxb-…) from OAuth & Permissions of the installed app`);
    }
    const where = config.apiUrl ?? "https://slack.com/api/";
    throw new Error(`could not reach the Slack Web API at ${where} (${error ?? code}); check the network or SLACK_API_URL`, { cause: e });
  }
}

/** Socket Mode: apps.connections.open with the app token, then the WebSocket. */
async function connectSocket(app: App): Promise<void> {
  try {
    await app.start();
  } catch (e) {
    const { code, error } = describeSlackError(e);
    if (code === "slack_webapi_platform_error") {
      throw new ConfigError(`Slack rejected SLACK_APP_TOKEN (${error ?? "error"}): use an app-level token (xapp-…) with connections:write, and enable Socket Mode for the app`);
    }
    throw e;
  }
}

/** Whether the Socket Mode WebSocket is connected now (for /readyz), from the client's events. */
function socketState(app: App): () => boolean {
  // Bolt keeps its receiver private; the Socket Mode client on it reports connects and drops.
  const client = (app as unknown as { receiver?: { client?: { on(event: string, fn: () => void): void } } }).receiver?.client;
  if (!client) return () => true;
  let connected = true; // app.start() resolved: connected
  client.on("connected", () => (connected = true));
  client.on("reconnecting", () => (connected = false));
  client.on("disconnected", () => (connected = false));
  return () => connected;
}
