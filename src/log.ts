// Structured logs: one JSON line per event on stderr, pino's shape without pino (not installed):
// levels debug < info < warn < error, `child(bindings)` for fields every line of a request
// carries. Secrets are redacted on the way out, by key and by value; still, never pass tokens or
// users' message text.

export type LogLevel = "debug" | "info" | "warn" | "error";
export type Level = LogLevel | "silent";

export type LogFn = (event: string, data?: object) => void;

export type Logger = {
  /** Detail for finding a bug; off by default. */
  debug: LogFn;
  /** Things that happened as they should (started, sent). */
  info: LogFn;
  /** Refused or odd input the bot handled (a rejected request, a bad stored row skipped). */
  warn: LogFn;
  /** Failures someone should look at (an outage, a bug). */
  error: LogFn;
  /** A logger adding `bindings` to every line (e.g. a request id). */
  child(bindings: object): Logger;
};

const RANK: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 };

/** Keys whose values are never written. */
export const SECRET_KEY = /token|secret|password|passwd|authorization|cookie|signature|api[-_]?key|credential|private[-_]?key/i;

/** Values that are credentials wherever they appear: Slack tokens, bearer headers, JWTs. */
const SECRET_VALUES: RegExp[] = [
  /\bxox[abposre]-[A-Za-z0-9-]+/g,
  /\bxapp-[A-Za-z0-9-]+/g,
  // HubSpot private app tokens
  /\bpat-[a-z]{2,3}\d?-[A-Za-z0-9-]+/g,
  // Salesforce session ids / access tokens: the org id, "!", the session
  /\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._-]+/g,
  /\bBearer\s+[A-Za-z0-9._~+/=-]+/gi,
  /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
];

export const REDACTED = "[redacted]";
const MAX_DEPTH = 6;

/** A string with every credential-looking part replaced. */
export function redactText(s: string): string {
  return SECRET_VALUES.reduce((acc, re) => acc.replace(re, REDACTED), s);
}

/**
 * A JSON-safe copy of `value` with secrets replaced: keys matching SECRET_KEY lose their value,
 * strings lose credential-looking parts; Errors become { type, message, code?, stack? }.
 *
 * redact({ token: "xoxb-1", note: "Bearer abc" }); // => { token: "[redacted]", note: "[redacted]" }
 */
export function redact(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === "string") return redactText(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (value === null || typeof value === "boolean") return value;
  if (typeof value !== "object") return undefined; // functions, symbols, undefined: not data
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  if (seen.has(value)) return "[circular]";
  if (depth >= MAX_DEPTH) return "[nested]";
  seen.add(value);
  try {
    if (value instanceof Error) {
      const code = (value as { code?: unknown }).code;
      return {
        type: value.name,
        message: redactText(value.message),
        ...(code !== undefined ? { code: redact(code, depth + 1, seen) } : {}),
        ...(value.stack ? { stack: redactText(value.stack) } : {}),
        ...(value.cause !== undefined ? { cause: redact(value.cause, depth + 1, seen) } : {}),
      };
    }
    if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
    if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1, seen) ?? null);
    if (value instanceof Map) return redact(Object.fromEntries(value), depth, seen);
    if (value instanceof Set) return redact([...value], depth, seen);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = SECRET_KEY.test(k) ? REDACTED : redact(v, depth + 1, seen);
      if (r !== undefined) out[k] = r;
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/** A Logger over any sink: `data` reaching it carries the bindings of every child() on the way. */
export function loggerFrom(write: (level: LogLevel, event: string, data: object | undefined) => void, bindings?: object): Logger {
  const at = (level: LogLevel): LogFn => (event, data) => write(level, event, bindings ? { ...bindings, ...data } : data);
  return {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    child: (more) => loggerFrom(write, { ...bindings, ...more }),
  };
}

/** A logger writing nothing (tests, tools that print their own output). */
export function silentLogger(): Logger {
  return loggerFrom(() => {});
}

/**
 * The process logger: events at `level` and above, one JSON line each on `out`, redacted:
 * {"at":"2026-11-30T09:00:00.000Z","level":"warn","event":"slack_request_rejected","reason":"stale"}
 */
export function createLogger(level: Level = "info", out: NodeJS.WritableStream = process.stderr): Logger {
  return loggerFrom((lvl, event, data) => {
    if (RANK[lvl] < RANK[level]) return;
    const line: Record<string, unknown> = { at: new Date().toISOString(), level: lvl, event: redactText(event) };
    const fields = data === undefined ? {} : (redact(data) as Record<string, unknown>);
    // Data never overwrites the envelope.
    for (const [k, v] of Object.entries(fields)) if (!(k in line)) line[k] = v;
    out.write(JSON.stringify(line) + "\n");
  });
}
