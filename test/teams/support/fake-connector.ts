// A small fake of the Bot Connector service (what Teams' serviceUrl points at), on loopback: it
// records the bot's messages, creates personal chats, answers member lookups, and can answer
// failures (429, 412, 502, 504) for the next few sends.
import http from "node:http";
import type { AddressInfo } from "node:net";

export type Sent = {
  conversationId: string;
  /** Set when the bot replied to an activity (POST …/activities/:id). */
  replyToId?: string | undefined;
  activity: Record<string, any>;
  at: number;
};

export type Attempt = { method: string; path: string; status: number; at: number };

export type Member = { id: string; name: string; aadObjectId?: string; email?: string; userPrincipalName?: string };

export type FakeConnector = {
  url: string;
  /** Activities the bot sent that were accepted, in order. */
  sent: Sent[];
  /** Every request, failed ones included. */
  attempts: Attempt[];
  /** Bodies of POST /v3/conversations (personal chats the bot opened). */
  created: Record<string, any>[];
  /** Members by user id (29:…), for GET …/members/:id. */
  members: Map<string, Member>;
  /** When true, POST /v3/conversations answers 403 (the app is not installed for that user). */
  refuseNewChats: boolean;
  /** Answer the next `count` activity sends with `status` (and optional headers). */
  failNext(count: number, status: number, headers?: Record<string, string>): void;
  /** Resolves once `count` activities were accepted since `since` (an index into sent). */
  waitForSent(count: number, since?: number, timeoutMs?: number): Promise<Sent[]>;
  reset(): void;
  close(): Promise<void>;
};

export async function startFakeConnector(): Promise<FakeConnector> {
  const sent: Sent[] = [];
  const attempts: Attempt[] = [];
  const created: Record<string, any>[] = [];
  const members = new Map<string, Member>();
  let failures: { status: number; headers: Record<string, string> }[] = [];
  let nextId = 0;

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const body = raw ? JSON.parse(raw) : undefined;
    const url = new URL(req.url ?? "/", "http://x");
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    const reply = (status: number, json?: unknown, headers: Record<string, string> = {}) => {
      attempts.push({ method: req.method ?? "", path: url.pathname, status, at: performance.now() });
      res.writeHead(status, { "content-type": "application/json", ...headers }).end(json === undefined ? "" : JSON.stringify(json));
    };
    // /v3/conversations[/:id[/activities[/:replyTo]] | /members/:userId]
    if (parts[0] !== "v3" || parts[1] !== "conversations") return reply(404, { error: { code: "NotFound" } });
    if (req.method === "POST" && parts.length === 2) {
      if (fake.refuseNewChats) return reply(403, { error: { code: "BotNotInConversationRoster", message: "The bot is not part of the conversation roster." } });
      created.push(body);
      const id = `a:personal-${body?.members?.[0]?.id ?? "unknown"}`;
      return reply(200, { id, serviceUrl: "", activityId: "" });
    }
    const conversationId = parts[2]!;
    if (req.method === "POST" && parts[3] === "activities") {
      const failure = failures.shift();
      if (failure) return reply(failure.status, { error: { code: "Throttled", message: "fake failure" } }, failure.headers);
      sent.push({ conversationId, replyToId: parts[4], activity: body, at: performance.now() });
      return reply(200, { id: `act-${++nextId}` });
    }
    if (req.method === "GET" && parts[3] === "members" && parts[4]) {
      const m = members.get(parts[4]);
      return m ? reply(200, m) : reply(404, { error: { code: "MemberNotFoundInConversation", message: "not a member" } });
    }
    return reply(404, { error: { code: "NotFound" } });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  const fake: FakeConnector = {
    url,
    refuseNewChats: false,
    sent,
    attempts,
    created,
    members,
    failNext(count, status, headers = {}) {
      failures.push(...Array.from({ length: count }, () => ({ status, headers })));
    },
    async waitForSent(count, since = 0, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (sent.length - since < count) {
        if (Date.now() > deadline) throw new Error(`fake connector: expected ${count} sent activities, got ${sent.length - since}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return sent.slice(since, since + count);
    },
    reset() {
      fake.refuseNewChats = false;
      sent.length = 0;
      attempts.length = 0;
      created.length = 0;
      failures = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}
