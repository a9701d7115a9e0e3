// GET /metrics: the process's Prometheus registry, behind an optional bearer token.
import { timingSafeEqual, createHash } from "node:crypto";
import type { Metrics } from "../../src/ops/metrics.ts";
import type { Handler } from "./server.ts";

const digest = (s: string) => createHash("sha256").update(s).digest();

/**
 * The /metrics handler. With `token` set (METRICS_TOKEN), a request without
 * `Authorization: Bearer <token>` gets 401; compared in constant time.
 */
export function metricsHandler(metrics: Metrics, token?: string): Handler {
  const expected = token ? digest(`Bearer ${token}`) : undefined;
  return async (req, res) => {
    if (expected) {
      const given = req.headers.authorization;
      if (typeof given !== "string" || !timingSafeEqual(digest(given), expected)) {
        res.writeHead(401, { "www-authenticate": 'Bearer realm="metrics"' }).end();
        return;
      }
    }
    const body = await metrics.registry.metrics();
    res.writeHead(200, { "content-type": metrics.registry.contentType }).end(body);
  };
}
