// Exported answers (`kpi … csv|xlsx` in Teams) at short-lived signed links:
// /exports/<id>?exp=<unix s>&sig=<HMAC>. The bytes live in the runtime's ExportFileStore (the
// database) with their expiry, so any replica serves a link another minted; a link is a bearer
// token for one file, so it is sent only to the asker, privately, and expires in minutes.
import { createHmac, randomBytes } from "node:crypto";
import type { ExportFileStore, StoredFile } from "../../src/ports.ts";
import type { Handler } from "../http/server.ts";
import { checkSignedLink } from "./signed-link.ts";

export const EXPORT_PREFIX = "/exports/";

export type ExportLinks = {
  /** How long a link works. */
  ttlMs: number;
  /** Store a file and return its signed download URL under the public base, and when it expires. */
  put(file: StoredFile): Promise<{ url: string; expiresAt: Date }>;
  /** GET /exports/<id>?exp&sig: 200 with the file, 403 bad signature, 410 expired, 404 unknown. */
  handler: Handler;
};

export type ExportLinkOptions = {
  files: ExportFileStore;
  secret: Buffer;
  publicUrl: string;
  ttlMs: number;
  /** Wall clock in ms (links expire in real time, not on the bot's KPI_NOW clock). */
  clock?: () => number;
};

/**
 * The signature of a download link: base64url HMAC-SHA256 over "export.<id>.<exp>".
 *
 * @example
 * signExport(Buffer.from("k".repeat(32)), "abc", 1767225600) // => 43 base64url characters
 */
export function signExport(secret: Buffer, id: string, exp: number): string {
  return createHmac("sha256", secret).update(`export.${id}.${exp}`).digest("base64url");
}

const PATH = /^\/exports\/([A-Za-z0-9_-]{16,64})$/;

/** RFC 6266 / 5987: an ASCII fallback and the UTF-8 name, so Chinese titles survive. */
function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export function createExportLinks(options: ExportLinkOptions): ExportLinks {
  const { files, secret, publicUrl, ttlMs } = options;
  const clock = options.clock ?? Date.now;
  return {
    ttlMs,
    async put(file) {
      const now = clock();
      const id = randomBytes(18).toString("base64url");
      const exp = Math.floor((now + ttlMs) / 1000);
      const expiresAt = new Date(exp * 1000);
      await files.put(id, file, expiresAt, new Date(now));
      return { url: `${publicUrl}${EXPORT_PREFIX}${id}?exp=${exp}&sig=${signExport(secret, id, exp)}`, expiresAt };
    },
    async handler(req, res) {
      const link = checkSignedLink(req, res, PATH, (id, exp) => signExport(secret, id, exp), clock);
      if (!link) return;
      const { id, now } = link;
      const file = await files.get(id, new Date(now));
      if (!file) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, {
        "content-type": file.mimeType,
        "content-length": file.bytes.length,
        "content-disposition": contentDisposition(file.filename),
        // Personal figures: never kept by a shared cache, nor by the browser beyond this download.
        "cache-control": "private, no-store",
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
      });
      res.end(req.method === "HEAD" ? undefined : file.bytes);
    },
  };
}
