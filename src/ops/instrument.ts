// Counts and times every command that goes through the bot, whichever adapter sent it: wraps
// `handle` (parse → reply) without the core knowing about metrics.
import type { Bot } from "../bot.ts";
import type { Metrics } from "./metrics.ts";

/**
 * The same bot, recording each handled request in `metrics`: requests by adapter and reply
 * kind, denials, and the parse → reply latency (stage "reply").
 */
export function instrumentBot(bot: Bot, metrics: Metrics): Bot {
  return {
    ...bot,
    async handle(req) {
      const started = performance.now();
      const reply = await bot.handle(req);
      const adapter = typeof req?.platform === "string" ? req.platform : "unknown";
      metrics.requests.inc({ adapter, kind: reply.kind });
      if (reply.kind === "denied") metrics.denials.inc({ adapter });
      metrics.answerSeconds.observe({ adapter, stage: "reply" }, (performance.now() - started) / 1000);
      return reply;
    },
  };
}
