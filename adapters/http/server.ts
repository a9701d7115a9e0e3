// The bot's one HTTP server (Slack's HTTP mode, Teams' /api/messages, chart links, health), on PORT.
// Adapters register routes; this file knows nothing about Slack or Teams.
import http from "node:http";
import type { AddressInfo } from "node:net";

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

export type HttpHost = {
  /** Register a handler for an exact path (any method unless given). */
  route(path: string, handler: Handler, method?: "GET" | "POST"): void;
  /** Register a handler for every path under a prefix, e.g. "/charts/". */
  prefix(prefix: string, handler: Handler): void;
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
  readonly server: http.Server;
};

export type HttpOptions = {
  /** Whether the database answers; /healthz says 200 or 503 from it. */
  health: () => Promise<boolean>;
  logger?: { error(event: string, data?: object): void };
};

export function createHttpHost(options: HttpOptions): HttpHost {
  const exact = new Map<string, { handler: Handler; method?: string }>();
  const prefixes: { prefix: string; handler: Handler }[] = [];
  exact.set("/healthz", {
    method: "GET",
    handler: async (_req, res) => {
      const ok = await Promise.race([options.health().catch(() => false), new Promise<boolean>((r) => setTimeout(() => r(false), 2000).unref())]);
      res.writeHead(ok ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify({ ok, database: ok ? "up" : "down" }));
    },
  });
  const server = http.createServer(async (req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
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
    close() {
      return new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      });
    },
  };
}
