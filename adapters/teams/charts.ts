// Chart PNGs at short-lived signed URLs: /charts/<id>.png?exp=<unix s>&sig=<HMAC>. The bytes live
// in the runtime's ChartImageStore (the database) with their expiry, so any replica can serve a
// link another replica minted.
import { createHmac, randomBytes } from "node:crypto";
import type { ChartImageStore } from "../../src/ports.ts";
import type { Handler } from "../http/server.ts";
import { checkSignedLink } from "./signed-link.ts";

export const CHART_PREFIX = "/charts/";

export type ChartStore = {
  /** Store a PNG and return its signed URL under the public base. */
  put(png: Buffer): Promise<string>;
  /** GET /charts/<id>.png?exp&sig: 200 with the PNG, 403 bad signature, 410 expired, 404 unknown. */
  handler: Handler;
};

export type ChartStoreOptions = {
  images: ChartImageStore;
  secret: Buffer;
  publicUrl: string;
  ttlMs: number;
  /** Wall clock in ms (not the bot's KPI_NOW clock: links expire in real time). */
  clock?: () => number;
};

/**
 * The signature of a chart link: base64url HMAC-SHA256 over "<id>.<exp>".
 *
 * @example
 * signChart(Buffer.from("k".repeat(32)), "abc", 1767225600) // => 43 base64url characters
 */
export function signChart(secret: Buffer, id: string, exp: number): string {
  return createHmac("sha256", secret).update(`${id}.${exp}`).digest("base64url");
}

const PATH = /^\/charts\/([A-Za-z0-9_-]{16,64})\.png$/;

export function createChartStore(options: ChartStoreOptions): ChartStore {
  const { images, secret, publicUrl, ttlMs } = options;
  const clock = options.clock ?? Date.now;
  return {
    async put(png) {
      const now = clock();
      const id = randomBytes(18).toString("base64url");
      const exp = Math.floor((now + ttlMs) / 1000);
      await images.put(id, png, new Date(exp * 1000), new Date(now));
      return `${publicUrl}${CHART_PREFIX}${id}.png?exp=${exp}&sig=${signChart(secret, id, exp)}`;
    },
    async handler(req, res) {
      const link = checkSignedLink(req, res, PATH, (id, exp) => signChart(secret, id, exp), clock);
      if (!link) return;
      const { id, exp, now } = link;
      const body = await images.get(id, new Date(now));
      if (!body) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, {
        "content-type": "image/png",
        "content-length": body.length,
        "cache-control": `private, max-age=${Math.max(0, Math.floor((exp * 1000 - now) / 1000))}`,
        "x-content-type-options": "nosniff",
      });
      res.end(req.method === "HEAD" ? undefined : body);
    },
  };
}
