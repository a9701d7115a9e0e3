// The Teams adapter started for real (CloudAdapter, the shared HTTP host on loopback, the core on a
// test database), plus builders for the activities Teams posts to /api/messages.
import type { Metrics } from "../../../src/ops/metrics.ts";
import { randomUUID } from "node:crypto";
import { start, type TeamsRunning, type TeamsStartOptions } from "../../../adapters/teams/index.ts";
import { createHttpHost, type HttpHost } from "../../../adapters/http/server.ts";
import { createBot, type Bot, type Request } from "../../../src/bot.ts";
import { loadConfig } from "../../../src/config.ts";
import { createStores } from "../../../src/data/stores.ts";
import type { Database } from "../../../src/data/db.ts";
import { loggerFrom, type LogLevel } from "../../../src/log.ts";
import { createSeenRequests } from "../../../src/data/seen-requests.ts";
import type { Runtime } from "../../../src/runtime.ts";

export const NOW = new Date("2026-11-26T12:00:00Z");
export const BOT = { id: "28:kpi-bot", name: "kpi-bot" };
export const TENANT = "tenant-1";

export type LogLine = { level: LogLevel; event: string; data?: object };

/** A core that records what reached it. */
export function spyBot(inner: Bot): Bot & { calls: Request[] } {
  const calls: Request[] = [];
  return {
    calls,
    handle(request) {
      calls.push(request);
      return inner.handle(request);
    },
    answerFor: (...args) => inner.answerFor(...args),
  };
}

export function testCore(db: Database): Bot & { calls: Request[] } {
  return spyBot(createBot({ prisma: db.prisma, now: () => NOW, timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD" }));
}

export type Started = {
  base: string;
  host: HttpHost;
  running: TeamsRunning;
  logs: LogLine[];
  post(activity: object, headers?: Record<string, string>): Promise<Response>;
  stop(): Promise<void>;
};

/** A Runtime around a test database and core, logging into `logs`. */
export function testRuntime(db: Database, core: Bot, logs: LogLine[] = []): Runtime {
  const logger = loggerFrom((level, event, data) => void logs.push({ level, event, ...(data ? { data } : {}) }));
  return { config: loadConfig({ PORT: "0", LOG_LEVEL: "silent" }), db, bot: core, stores: createStores(db.prisma), now: () => NOW, logger, notes: [], seenRequests: createSeenRequests(db.prisma), close: async () => {} };
}

/** Listen first (so PUBLIC_URL can name the real port), then start the adapter on that host. */
export async function startTeams(db: Database, core: Bot, options: TeamsStartOptions & { env?: NodeJS.ProcessEnv; chartSecret?: string; metrics?: Metrics } = {}): Promise<Started> {
  const logs: LogLine[] = [];
  const host = createHttpHost({ health: async () => true });
  const port = await host.listen(0, "127.0.0.1");
  const base = `http://127.0.0.1:${port}`;
  const rt = { ...testRuntime(db, core, logs), ...(options.metrics ? { metrics: options.metrics } : {}) };
  // `chartSecret`: the CHART_URL_SECRET replicas share (links minted by one are served by another).
  const env = options.env ?? { PUBLIC_URL: base, ...(options.chartSecret ? { CHART_URL_SECRET: options.chartSecret } : {}) };
  const running = await start(rt, host, { retry: { maxRetries: 3, baseDelayMs: 20, maxDelayMs: 200 }, ...options, env });
  return {
    base,
    host,
    running,
    logs,
    post: (activity, headers = {}) =>
      fetch(`${base}/api/messages`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(activity) }),
    async stop() {
      await running.stop();
      await host.close();
    },
  };
}

export type User = { id: string; name: string; aadObjectId?: string };

export const USERS = {
  ann: { id: "29:ann", name: "Ann Lee", aadObjectId: "aad-ann" },
  mia: { id: "29:mia", name: "Mia", aadObjectId: "aad-mia" },
  boss: { id: "29:boss", name: "Boss", aadObjectId: "aad-boss" },
  stranger: { id: "29:who", name: "Who", aadObjectId: "aad-who" },
} satisfies Record<string, User>;

export const MEMBERS = [
  { id: "29:ann", name: "Ann Lee", aadObjectId: "aad-ann", email: "ann@acme.test", userPrincipalName: "ann@acme.test" },
  { id: "29:mia", name: "Mia", aadObjectId: "aad-mia", email: "mia@acme.test", userPrincipalName: "mia@acme.test" },
  { id: "29:boss", name: "Boss", aadObjectId: "aad-boss", email: "boss@big.test", userPrincipalName: "boss@big.test" },
];

const common = (serviceUrl: string) => ({
  channelId: "msteams",
  serviceUrl,
  recipient: BOT,
  timestamp: new Date().toISOString(),
  locale: "en-US",
});

export const personalConversation = (user: User) => ({ id: `a:personal-${user.id}`, conversationType: "personal", tenantId: TENANT });

/** A message in the user's personal chat with the bot. */
export function personalMessage(serviceUrl: string, user: User, text: string, extra: object = {}) {
  return {
    ...common(serviceUrl),
    type: "message",
    id: randomUUID(),
    from: user,
    conversation: personalConversation(user),
    channelData: { tenant: { id: TENANT } },
    text,
    ...extra,
  };
}

export const TEAM = { id: "19:team-general@thread.tacv2", name: "Sales" };
export const CHANNEL_ID = "19:team-general@thread.tacv2";

/** "@kpi-bot <text>" posted in a thread of a team channel. */
export function channelMention(serviceUrl: string, user: User, text: string, thread = "1700000000000") {
  const mention = `<at>${BOT.name}</at>`;
  return {
    ...common(serviceUrl),
    type: "message",
    id: randomUUID(),
    from: user,
    conversation: { id: `${CHANNEL_ID};messageid=${thread}`, conversationType: "channel", isGroup: true, tenantId: TENANT },
    channelData: { team: TEAM, channel: { id: CHANNEL_ID, name: "General" }, tenant: { id: TENANT } },
    text: `${mention} ${text}`,
    entities: [{ type: "mention", text: mention, mentioned: BOT }],
  };
}

export function installationUpdate(serviceUrl: string, user: User, scope: "personal" | "team", action: "add" | "remove" = "add") {
  const conversation = scope === "personal" ? personalConversation(user) : { id: CHANNEL_ID, conversationType: "channel", isGroup: true, tenantId: TENANT };
  return {
    ...common(serviceUrl),
    type: "installationUpdate",
    id: randomUUID(),
    action,
    from: user,
    conversation,
    channelData: scope === "team" ? { team: TEAM, tenant: { id: TENANT }, source: { name: "message" } } : { tenant: { id: TENANT } },
  };
}

export function conversationUpdate(serviceUrl: string, user: User, change: "added" | "removed") {
  return {
    ...common(serviceUrl),
    type: "conversationUpdate",
    id: randomUUID(),
    from: user,
    conversation: { id: CHANNEL_ID, conversationType: "channel", isGroup: true, tenantId: TENANT },
    channelData: { team: TEAM, eventType: change === "added" ? "teamMemberAdded" : "teamMemberRemoved", tenant: { id: TENANT } },
    ...(change === "added" ? { membersAdded: [BOT] } : { membersRemoved: [BOT] }),
  };
}

/** The Adaptive Card of a sent activity (or undefined). */
export function cardOf(activity: Record<string, any>): Record<string, any> | undefined {
  return activity.attachments?.find((a: { contentType: string }) => a.contentType === "application/vnd.microsoft.card.adaptive")?.content;
}

/** Every element of a card body, depth first (containers, table rows and cells included). */
export function elements(card: Record<string, any>): Record<string, any>[] {
  const out: Record<string, any>[] = [];
  const walk = (els: Record<string, any>[] | undefined) => {
    for (const e of els ?? []) {
      out.push(e);
      walk(e.items);
      walk(e.rows);
      walk(e.cells);
      walk(e.columns?.filter?.((c: Record<string, any>) => c.type === "Column"));
    }
  };
  walk(card.body);
  return out;
}
