// Structured logs: one JSON line per event on stderr. Never pass tokens or users' message text.
import type { Logger } from "./bot.ts";

export type Level = "debug" | "info" | "warn" | "error" | "silent";

export function createLogger(level: Level = "info", out: NodeJS.WritableStream = process.stderr): Logger {
  const rank = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 } as const;
  const write = (lvl: Exclude<Level, "silent">, event: string, data?: object) => {
    if (rank[lvl] < rank[level]) return;
    out.write(JSON.stringify({ at: new Date().toISOString(), level: lvl, event, ...data }) + "\n");
  };
  return { info: (e, d) => write("info", e, d), error: (e, d) => write("error", e, d) };
}
