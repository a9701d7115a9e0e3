// The door in front of Bolt's HTTP receiver: read the body (bounded), check Slack's signature,
// parse what the body is (adapters/slack/payloads.ts), drop Slack's retries and replays, and
// hand Bolt only well-formed requests this app serves. Whatever arrives, the answer is a status
// code: malformed but signed input gets 400, never an exception inside Bolt.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Logger } from "../../src/log.ts";
import type { SeenRequests } from "../../src/data/seen-requests.ts";
import type { Handler } from "../http/server.ts";
import { classify } from "./payloads.ts";
import { REPLAY_WINDOW_SECONDS } from "./replay-window.ts";

/** Slack's bodies are a few kB (a block_actions payload carries its message); far below this. */
export const MAX_BODY_BYTES = 1024 * 1024;

export type GateOptions = {
  signingSecret: string;
  logger: Logger;
  /** Requests already served, shared by every replica (the runtime's port). */
  seen: SeenRequests;
  nowMs?: () => number;
  maxBodyBytes?: number;
};

/** The Slack signature of a body: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}`. */
export function slackSignature(secret: string, timestamp: string, body: Buffer): string {
  return "v0=" + createHmac("sha256", secret).update(`v0:${timestamp}:`).update(body).digest("hex");
}

function signatureMatches(secret: string, timestamp: string, body: Buffer, given: string): boolean {
  const expected = Buffer.from(slackSignature(secret, timestamp, body));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The body, or why there is none; stream errors (a client hanging up) end here, not in the process. */
async function readBody(req: IncomingMessage, max: number): Promise<Buffer | "too_large" | "aborted"> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > max) return "too_large";
      chunks.push(chunk as Buffer);
    }
  } catch {
    return "aborted";
  }
  return Buffer.concat(chunks);
}

const header = (req: IncomingMessage, name: string) => {
  const v = req.headers[name];
  return typeof v === "string" ? v : undefined;
};

/**
 * @example
 * http.route("/slack/events", replayWindow(slackGate(receiver.requestListener, { signingSecret, logger, seen }), { logger }), "POST");
 */
export function slackGate(next: Handler, options: GateOptions): Handler {
  const nowMs = options.nowMs ?? Date.now;
  const { logger } = options;
  return async (req, res) => {
    const refuse = (status: number, reason: string) => {
      logger.warn("slack_request_rejected", { reason, status });
      if (!res.headersSent) res.writeHead(status, status === 413 ? { connection: "close" } : {}).end();
    };
    const body = await readBody(req, options.maxBodyBytes ?? MAX_BODY_BYTES);
    if (body === "aborted") return void res.destroy();
    if (body === "too_large") return refuse(413, "body_too_large");
    const timestamp = header(req, "x-slack-request-timestamp")?.trim() ?? "";
    const signature = header(req, "x-slack-signature") ?? "";
    if (!/^\d{1,12}$/.test(timestamp) || !signatureMatches(options.signingSecret, timestamp, body, signature)) return refuse(401, "bad_signature");

    // Slack retries an event it thinks was not acknowledged; the first delivery is being served.
    const retry = header(req, "x-slack-retry-num");
    if (retry !== undefined) {
      logger.info("slack_retry_acknowledged", { retry: retry.slice(0, 8), reason: header(req, "x-slack-retry-reason")?.slice(0, 40) });
      return void res.writeHead(200).end();
    }

    const mediaType = (header(req, "content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    const inbound = classify(mediaType, body.toString("utf8"));
    switch (inbound.kind) {
      case "malformed":
        return refuse(400, inbound.reason);
      case "ignore":
        logger.info("slack_request_ignored", { what: inbound.what });
        return void res.writeHead(200).end();
      case "answer":
        return void (inbound.body ? res.writeHead(200, { "content-type": "application/json" }).end(inbound.body) : res.writeHead(200).end());
      case "serve":
        break;
    }

    // A replay within the window: the same timestamp and body (so the same signature) again.
    const key = `slack:${timestamp}:${createHash("sha256").update(body).digest("base64url")}`;
    const expiresAt = new Date((Number(timestamp) + REPLAY_WINDOW_SECONDS + 60) * 1000);
    const first = await options.seen.firstSeen(key, expiresAt, new Date(nowMs()));
    if (!first) {
      logger.warn("slack_request_replayed", { what: inbound.what });
      return void res.writeHead(200).end();
    }

    // Bolt reads this buffered body instead of the (consumed) stream, and only parsed fields are in it.
    Object.assign(req, { rawBody: Buffer.from(inbound.body) });
    req.headers["content-type"] = inbound.contentType;
    return next(req, res);
  };
}
