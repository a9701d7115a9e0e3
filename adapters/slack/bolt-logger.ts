// Bolt's and the WebClient's logs → our structured logger. Debug (which can carry payloads) is dropped.
import { LogLevel, type Logger as BoltLogger } from "@slack/bolt";
import type { Logger } from "../../src/log.ts";

const text = (msg: unknown[]) =>
  msg
    .map((m) => (m instanceof Error ? m.message : typeof m === "string" ? m : String(m)))
    .join(" ")
    .slice(0, 500);

export function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  let name = "bolt";
  return {
    debug: () => undefined,
    info: (...msg) => logger.info("slack_sdk", { source: name, message: text(msg) }),
    warn: (...msg) => logger.error("slack_sdk", { source: name, level: "warn", message: text(msg) }),
    error: (...msg) => logger.error("slack_sdk", { source: name, message: text(msg) }),
    setLevel: (l) => void (level = l),
    getLevel: () => level,
    setName: (n) => void (name = n),
  };
}
