// Process-level safety net for the long-running bot: an error no request handler caught is
// logged and the process keeps serving Slack, Teams and the scheduler. Only a storm of uncaught
// exceptions (the process is evidently broken, e.g. a failing dependency throwing from timers)
// counts as fatal: then `onFatal` shuts down cleanly and a supervisor can restart it.
import type { Logger } from "../src/log.ts";

export type GuardOptions = {
  logger: Logger;
  onFatal: (reason: string) => void;
  nowMs?: () => number;
  /** More than `count` uncaught exceptions within `windowMs` is fatal. */
  storm?: { count: number; windowMs: number };
};

export const DEFAULT_STORM = { count: 10, windowMs: 60_000 };

const describe = (e: unknown) =>
  e instanceof Error ? { error: e.message.slice(0, 300), name: e.name, stack: e.stack?.split("\n").slice(1, 4).join(" | ").slice(0, 400) } : { error: String(e).slice(0, 300) };

/**
 * Install the handlers on `proc` (the process); returns a function that removes them.
 *
 * @example
 * const unguard = guardProcess(process, { logger, onFatal: (reason) => shutdown(1, reason) });
 */
export function guardProcess(proc: NodeJS.EventEmitter, options: GuardOptions): () => void {
  const nowMs = options.nowMs ?? Date.now;
  const storm = options.storm ?? DEFAULT_STORM;
  const recent: number[] = [];
  let fatal = false;
  const onRejection = (reason: unknown) => options.logger.error("unhandled_rejection", describe(reason));
  const onException = (e: unknown, origin: unknown) => {
    options.logger.error("uncaught_exception", { ...describe(e), origin: String(origin) });
    const now = nowMs();
    recent.push(now);
    while (recent.length > 0 && recent[0]! <= now - storm.windowMs) recent.shift();
    if (recent.length > storm.count && !fatal) {
      fatal = true;
      options.onFatal("uncaught_exception_storm");
    }
  };
  proc.on("unhandledRejection", onRejection);
  proc.on("uncaughtException", onException);
  return () => {
    proc.off("unhandledRejection", onRejection);
    proc.off("uncaughtException", onException);
  };
}
