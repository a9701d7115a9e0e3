// Refuse Slack requests whose timestamp is more than 5 minutes from now, in either direction,
// before Bolt verifies the signature (Bolt refuses old timestamps but accepts far-future ones).
import type { Handler } from "../http/server.ts";
import type { Logger } from "../../src/log.ts";

export const REPLAY_WINDOW_SECONDS = 5 * 60;

/**
 * @example
 * http.route("/slack/events", replayWindow(receiver.requestListener, { logger }), "POST");
 */
export function replayWindow(next: Handler, options: { logger: Logger; nowMs?: () => number; windowSeconds?: number }): Handler {
  const nowMs = options.nowMs ?? Date.now;
  const window = options.windowSeconds ?? REPLAY_WINDOW_SECONDS;
  return (req, res) => {
    const raw = req.headers["x-slack-request-timestamp"];
    const signature = req.headers["x-slack-signature"];
    const ts = typeof raw === "string" && /^\d{1,12}$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
    const reason =
      Number.isNaN(ts) ? "missing_or_bad_timestamp"
      : Math.abs(nowMs() / 1000 - ts) > window ? "timestamp_outside_window"
      : typeof signature !== "string" || !signature.startsWith("v0=") ? "missing_signature"
      : undefined;
    if (reason) {
      options.logger.warn("slack_request_rejected", { reason });
      req.resume();
      res.writeHead(401).end();
      return;
    }
    return next(req, res);
  };
}
