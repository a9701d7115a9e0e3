// What chart and export links share: a GET of /<prefix>/<id>?exp=<unix s>&sig=<HMAC>, checked the
// same way (method, id shape, signature compared in constant time, expiry) before the bytes are read.
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * The link's id and the time of the check when the request may be served; otherwise the reply
 * is already written (405 not GET/HEAD, 404 malformed, 403 bad signature, 410 expired) and null.
 */
export function checkSignedLink(
  req: IncomingMessage,
  res: ServerResponse,
  path: RegExp,
  sign: (id: string, exp: number) => string,
  clock: () => number,
): { id: string; exp: number; now: number } | null {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD" }).end();
    return null;
  }
  const url = new URL(req.url ?? "/", "http://localhost");
  const id = path.exec(url.pathname)?.[1];
  const expText = url.searchParams.get("exp") ?? "";
  const sig = url.searchParams.get("sig") ?? "";
  if (!id || !/^\d{1,12}$/.test(expText)) {
    res.writeHead(404).end();
    return null;
  }
  const exp = Number(expText);
  const expected = Buffer.from(sign(id, exp));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    res.writeHead(403).end();
    return null;
  }
  const now = clock();
  if (exp * 1000 <= now) {
    res.writeHead(410).end();
    return null;
  }
  return { id, exp, now };
}
