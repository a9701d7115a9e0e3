// The bot's one HTTP server (Slack's HTTP mode, Teams' /api/messages, chart links, health,
// readiness, metrics), on PORT. Adapters register routes; this file knows nothing about Slack or Teams.
import http from "node:http";
import type { AddressInfo } from "node:net";

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

export type HttpHost = {
  /** Register a handler for an exact path (any method unless given). */
  route(path: string, handler: Handler, method?: "GET" | "POST"): void;
  /** Register a handler for every path under a prefix, e.g. "/charts/". */
  prefix(prefix: string, handler: Handler): void;
  listen(port: number, host?: string): Promise<number>;
  /**
   * Shutting down: from now on every request but /healthz and /metrics gets 503 (Retry-After: 1),
   * /readyz included, so load balancers and Slack's retries go to another replica.
   */
  stopAccepting(): void;
  close(): Promise<void>;
  readonly server: http.Server;
};

export type HttpOptions = {
  /** Whether the database answers; /healthz says 200 or 503 from it. */
  health: () => Promise<boolean>;
  /** Whether this replica should get traffic; /readyz says 200 or 503 from it, with the checks. Unset: as health. */
  ready?: () => Promise<Readiness>;
  logger?: { error(event: string, data?: object): void };
};

/** `checks` names each condition (database, migrations, each adapter) and whether it holds. */
export type Readiness = { ok: boolean; checks: Record<string, boolean> };

const within = <T>(p: Promise<T>, ms: number, fallback: T): Promise<T> =>
  Promise.race([p.catch(() => fallback), new Promise<T>((r) => setTimeout(() => r(fallback), ms).unref())]);

/** Paths that keep answering while the host stops accepting: liveness and the scrape. */
const WHILE_STOPPING = new Set(["/healthz", "/metrics"]);

export function createHttpHost(options: HttpOptions): HttpHost {
  const exact = new Map<string, { handler: Handler; method?: string }>();
  const prefixes: { prefix: string; handler: Handler }[] = [];
  let stopping = false;
  exact.set("/healthz", {
    method: "GET",
    handler: async (_req, res) => {
      const ok = await within(options.health(), 2000, false);
      res.writeHead(ok ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify({ ok, database: ok ? "up" : "down" }));
    },
  });
  exact.set("/readyz", {
    method: "GET",
    handler: async (_req, res) => {
      const ready = options.ready ?? (async () => ({ ok: await options.health(), checks: {} }));
      const r = await within(ready(), 2000, { ok: false, checks: { timely: false } });
      res.writeHead(r.ok ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify(r));
    },
  });
  const server = http.createServer(async (req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    if (stopping && !WHILE_STOPPING.has(path)) {
      res.writeHead(503, { "retry-after": "1", connection: "close", "content-type": "application/json" }).end(JSON.stringify({ ok: false, stopping: true }));
      return;
    }
    const hit = exact.get(path);
    const handler = hit && (!hit.method || hit.method === req.method) ? hit.handler : prefixes.find((p) => path.startsWith(p.prefix))?.handler;
    if (!handler) {
      res.writeHead(hit ? 405 : 404).end();
      return;
    }
    try {
      await handler(req, res);
    } catch (e) {
      // One request's bug ends that request (500, or the connection if the answer had begun), never the process.
      options.logger?.error("http_handler_failed", { path, error: e instanceof Error ? e.message.slice(0, 300) : String(e).slice(0, 300) });
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    }
  });
  return {
    server,
    route(path, handler, method) {
      exact.set(path, { handler, ...(method ? { method } : {}) });
    },
    prefix(prefix, handler) {
      prefixes.push({ prefix, handler });
    },
    listen(port, host = "0.0.0.0") {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
      });
    },
    stopAccepting() {
      stopping = true;
    },
    close() {
      return new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      });
    },
  };
}
