// The Teams adapter: botbuilder's CloudAdapter on POST /api/messages, chart links under /charts/,
// and a Sender for digests and alerts (stored conversation references). `start` is called by
// adapters/main.ts with the shared HTTP host; `createSender` by `npm run digests -- --due`.
import { createHmac } from "node:crypto";
import type http from "node:http";
import { CloudAdapter, type Activity, type Request as BotRequest, type Response as BotResponse } from "botbuilder";
import type { Logger } from "../../src/log.ts";
import { createChartRenderer, type ChartRenderer } from "../../src/charts/index.ts";
import type { Sender, SendOutcome } from "../../src/digests/sender.ts";
import type { Reply } from "../../src/reply.ts";
import type { Runtime } from "../../src/runtime.ts";
import type { Running } from "../choose.ts";
import type { HttpHost } from "../http/server.ts";
import { RetryingBotFrameworkAuthentication, type AuthOverrides } from "./auth.ts";
import { KpiTeamsBot } from "./bot.ts";
import { CHART_PREFIX, createChartStore, type ChartStore } from "./charts.ts";
import { createComposer } from "./compose.ts";
import { createExportLinks, EXPORT_PREFIX } from "./exports.ts";
import { loadTeamsConfig, type TeamsConfig } from "./config.ts";
import { createIdentify } from "./identity.ts";
import { createMessenger, type Messenger, type ProactiveResult } from "./messenger.ts";
import { DEFAULT_RETRY, type RetryOptions } from "./retry.ts";
import { isAllowedServiceUrl } from "./service-url.ts";

export type TeamsStartOptions = {
  /** Where the Teams variables come from (default process.env). */
  env?: NodeJS.ProcessEnv;
  retry?: RetryOptions;
  /** Wall clock for chart-link expiry (ms). */
  clock?: () => number;
  renderer?: ChartRenderer;
  /** Tests only (code, never the environment): a fake token-key endpoint and outbound credentials. */
  auth?: AuthOverrides;
};

export type TeamsRunning = Running & {
  mode: "azure" | "local";
  adapter: CloudAdapter;
  /** Send a reply to a conversation whose reference was stored (installation, message). */
  sendProactive(conversationKey: string, reply: Reply): Promise<ProactiveResult>;
  /**
   * Digests and alerts: `address` is a conversation id (channel delivery) or, when private, the
   * Teams user id the core knows (AAD object id), delivered to their stored personal chat.
   */
  sender: Sender;
};

/**
 * Failures retrying cannot fix: nowhere stored to send, a private reply for a channel, bot
 * removed (403/404), or a message Teams refuses as such (400, 413 MessageSizeTooBig).
 */
function outcome(r: ProactiveResult): SendOutcome {
  if (r.ok) return r;
  const permanent = r.error !== "send_failed" || [400, 403, 404, 413].includes(r.status ?? 0);
  return { ok: false, permanent, error: r.message };
}

function senderOf(messenger: Messenger): Sender {
  return {
    async send(to, reply) {
      if (to.platform !== "teams") return { ok: false, permanent: true, error: `not a Teams destination: ${to.platform}` };
      return outcome(to.private ? await messenger.sendToUser(to.address, reply) : await messenger.sendProactive(to.address, reply));
    },
  };
}

type Parts = {
  config: TeamsConfig;
  adapter: CloudAdapter;
  charts: ChartStore;
  messenger: Messenger;
  compose: ReturnType<typeof createComposer>;
  serviceUrlAllowed: (serviceUrl: unknown) => boolean;
  auth: RetryingBotFrameworkAuthentication;
};

/** Config, CloudAdapter (auth + retries), charts, composer, messenger: what both entries share. */
function build(rt: Runtime, options: TeamsStartOptions, logger: Logger): Parts {
  const config = loadTeamsConfig(options.env ?? process.env, rt.config.PORT);
  const auth = new RetryingBotFrameworkAuthentication(
    config,
    options.retry ?? DEFAULT_RETRY,
    {
      onRetry: (e) => logger.info("teams_connector_retry", e),
      onRefused: (e) => (e.outage ? logger.error("teams_token_keys_unavailable", { error: e.reason }) : logger.info("teams_token_refused", { reason: e.reason })),
    },
    options.auth,
  );
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context, error) => {
    logger.error("teams_turn_failed", { activity: String(context.activity.type).slice(0, 40), error: error instanceof Error ? error.message.slice(0, 300) : String(error).slice(0, 300) });
  };
  // Local mode sends wherever the (unauthenticated, loopback-only) sender says: the emulator's own
  // connector is on localhost. Azure mode sends only to Bot Framework's hosts.
  const serviceUrlAllowed = (url: unknown) => config.mode === "local" || isAllowedServiceUrl(url, config.extraServiceHosts);
  const renderer = options.renderer ?? rt.charts ?? createChartRenderer();
  const charts = createChartStore({ images: rt.stores.chartImages, secret: config.chartSecret, publicUrl: config.publicUrl, ttlMs: config.chartTtlMs, clock: options.clock });
  const compose = createComposer({ renderer, charts, logger });
  const messenger = createMessenger({ adapter, appId: config.appId, conversations: rt.stores.conversations, compose, serviceUrlAllowed, logger });
  return { config, adapter, charts, messenger, compose, serviceUrlAllowed, auth };
}

/** A Sender for digests and alerts without serving /api/messages (`npm run digests -- --due`). */
export async function createSender(rt: Runtime, options: TeamsStartOptions = {}): Promise<Sender> {
  const { config, messenger } = build(rt, options, rt.logger);
  if (!config.chartSecretShared) rt.logger.info("teams_chart_links_local_key", { message: "set CHART_URL_SECRET: without it, chart and export links made here cannot be served by the bot's replicas" });
  return senderOf(messenger);
}

const MAX_BODY_BYTES = 1 << 20;

async function readJson(req: http.IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; status: number }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return { ok: false, status: 413 };
    chunks.push(chunk as Buffer);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString("utf8")) };
  } catch {
    return { ok: false, status: 400 };
  }
}

/**
 * The Express-like response CloudAdapter.process writes to. A refusal goes out bare: the text
 * CloudAdapter would send with a 4xx/5xx is the library's error message (token details, stack
 * hints), which tells a prober which check failed.
 */
function responseShim(res: http.ServerResponse): BotResponse {
  let status = 200;
  return {
    socket: res.socket,
    status(code: number) {
      status = code;
    },
    header(name: string, value: unknown) {
      res.setHeader(name, String(value));
    },
    send(body: unknown) {
      if (res.headersSent) return;
      const json = typeof body === "object" && body !== null;
      if (status >= 400 && !json) return;
      res.writeHead(status, { "content-type": json ? "application/json" : "text/plain; charset=utf-8" });
      res.write(json ? JSON.stringify(body) : String(body));
    },
    end() {
      if (!res.headersSent) res.writeHead(status);
      res.end();
    },
  };
}

/** What CloudAdapter can take as an activity: an object with a string type (else it throws). */
function activityShaped(body: unknown): boolean {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return false;
  const type = (body as { type?: unknown }).type;
  return typeof type === "string" && type.length > 0 && type.length <= 100;
}

const isLoopback = (address: string | undefined) => address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1" || /^127\./.test(address ?? "") || /^::ffff:127\./.test(address ?? "");

export async function start(rt: Runtime, http: HttpHost, options: TeamsStartOptions = {}): Promise<TeamsRunning> {
  const logger = rt.logger;
  const { config, adapter, charts, messenger, compose, serviceUrlAllowed, auth } = build(rt, options, logger);
  const local = config.mode === "local";
  if (local) {
    logger.error("teams_local_mode", {
      message:
        "MICROSOFT_APP_ID is not set: Teams runs in LOCAL mode and /api/messages accepts requests WITHOUT authentication. " +
        `Use it with the Bot Framework Emulator or tests only; the server listens on ${config.localBind.address}` +
        (config.localBind.explicit ? " (KPI_LOCAL_MODE_BIND)." : " only (set KPI_LOCAL_MODE_BIND to change that, knowingly)."),
    });
  } else {
    logger.info("teams_azure_mode", { appType: config.appType, publicUrl: config.publicUrl });
  }
  if (!config.chartSecretShared) logger.info("teams_chart_links_local_key", { message: "chart and export links are signed with a per-process key; set CHART_URL_SECRET when running several replicas" });

  const exports = createExportLinks({ files: rt.stores.exportFiles, secret: config.exportSecret, publicUrl: config.publicUrl, ttlMs: config.exportTtlMs, clock: options.clock });
  const bot = new KpiTeamsBot({
    core: rt.bot,
    exports,
    compose,
    messenger,
    identify: createIdentify({ local, logger }),
    serviceUrlAllowed,
    shareSecret: createHmac("sha256", config.chartSecret).update("kpi-bot share buttons v1").digest(),
    shareRules: {
      policy: { leaderboard: rt.config.KPI_SHARE_LEADERBOARD },
      calendar: () => ({ now: rt.now(), timeZone: rt.config.KPI_TIMEZONE, fiscalYearStartMonth: rt.config.KPI_FISCAL_YEAR_START_MONTH }),
    },
    teamsOnly: config.mode !== "local",
    ...(config.mode !== "local" && config.appType !== "MultiTenant" && config.tenantId ? { tenantId: config.tenantId } : {}),
    metrics: rt.metrics,
    logger,
  });

  /**
   * A body that is no activity: 400 only to a sender whose token verifies, 401 to anyone else, so
   * an unauthenticated request learns nothing a missing token would not tell it.
   */
  async function malformedStatus(value: unknown, headers: http.IncomingHttpHeaders): Promise<400 | 401> {
    if (local) return 400;
    const header = typeof headers.authorization === "string" ? headers.authorization : "";
    if (!header) return 401;
    const fields = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
    const probe = { channelId: typeof fields.channelId === "string" ? fields.channelId : "", serviceUrl: typeof fields.serviceUrl === "string" ? fields.serviceUrl : "" } as Activity;
    return auth.authenticateRequest(probe, header).then(
      () => 400,
      () => 401,
    );
  }

  let stopping = false;
  const inflight = new Set<Promise<void>>();
  http.route(
    "/api/messages",
    async (req, res) => {
      if (stopping) {
        res.writeHead(503, { "retry-after": "1" }).end();
        return;
      }
      // Local mode has no authentication: unless KPI_LOCAL_MODE_BIND opened it on purpose, only
      // this machine may talk to it, whatever address the server ended up listening on.
      if (local && !config.localBind.explicit && !isLoopback(req.socket.remoteAddress)) {
        logger.error("teams_local_mode_remote_refused", { remote: String(req.socket.remoteAddress).slice(0, 60) });
        res.writeHead(403).end();
        return;
      }
      const body = await readJson(req);
      if (!body.ok && body.status === 413) {
        res.writeHead(413).end();
        return;
      }
      if (!body.ok || !activityShaped(body.value)) {
        res.writeHead(await malformedStatus(body.ok ? body.value : undefined, req.headers)).end();
        return;
      }
      const request = { body: body.value, headers: req.headers, method: req.method } as BotRequest;
      const turn = adapter.process(request, responseShim(res), (context) => bot.run(context)).catch(async (e: unknown) => {
        // CloudAdapter throws (rather than answers) on activities its own schema refuses, before
        // it authenticates.
        logger.info("teams_request_refused", { error: (e instanceof Error ? e.message : String(e)).slice(0, 200) });
        const status = await malformedStatus(body.value, req.headers);
        if (!res.headersSent) res.writeHead(status);
        res.end();
      });
      inflight.add(turn);
      try {
        await turn;
      } finally {
        inflight.delete(turn);
      }
    },
    "POST",
  );
  http.prefix(CHART_PREFIX, charts.handler);
  http.prefix(EXPORT_PREFIX, exports.handler);
  // Expired files are deleted as new ones are stored; this sweep removes the last ones too.
  const clockNow = () => new Date((options.clock ?? Date.now)());
  const sweep = setInterval(() => {
    rt.stores.exportFiles.prune(clockNow()).catch((e: unknown) => logger.error("teams_export_prune_failed", { error: e instanceof Error ? e.message.slice(0, 200) : String(e) }));
  }, 10 * 60_000);
  sweep.unref();

  return {
    name: "teams",
    mode: config.mode,
    ...(local ? { bind: config.localBind.address } : {}),
    adapter,
    sendProactive: (key, reply) => messenger.sendProactive(key, reply),
    sender: senderOf(messenger),
    async stop(graceMs?: number) {
      stopping = true;
      clearInterval(sweep);
      const done = Promise.allSettled([...inflight]);
      if (graceMs === undefined) return void (await done);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([done, new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
      clearTimeout(timer);
    },
  };
}
