// Environment → typed configuration, validated once at start-up with messages a person can act on.
import { z } from "zod";
import { TimeZone } from "./command/schema.ts";

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== "" ? v.trim() : undefined));

const timeZone = z.string().refine((tz) => TimeZone.safeParse(tz).success, { message: "must be an IANA time zone such as UTC or Asia/Shanghai" });

export const ConfigSchema = z.object({
  DATABASE_URL: optionalString.pipe(
    z.string().regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://").optional(),
  ),
  KPI_DATA_DIR: z.string().default("./.data"),
  /** Console and `npm run ask`: where `csv` / `xlsx` answers are written (`ask --out` overrides). */
  KPI_EXPORT_DIR: z.string().min(1).default("./exports"),
  KPI_TIMEZONE: timeZone.default("UTC"),
  KPI_FISCAL_YEAR_START_MONTH: z.coerce.number().int().min(1).max(12).default(1),
  KPI_CURRENCY: z.string().regex(/^[A-Z]{3}$/, "must be a 3-letter ISO currency code").default("USD"),
  KPI_NOW: optionalString.pipe(z.iso.datetime({ offset: true }).optional()),
  KPI_USER: optionalString,
  KPI_ADAPTERS: optionalString,
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Digests missed while no replica ran are sent late within this many hours, then skipped. */
  KPI_DIGEST_CATCHUP_HOURS: z.coerce.number().min(1, "must be at least 1 (retries and DST-skipped times need it)").max(24 * 14).default(6),
  /** Scheduled messages per second per platform workspace (chat platforms limit bursts). */
  KPI_DIGEST_RATE_PER_SEC: z.coerce.number().positive().max(1000).default(5),
  /** When threshold alerts are checked (cron, workspace time zone). */
  KPI_ALERT_CRON: z.string().refine((v) => v.trim().split(/\s+/).length >= 5, "must be a cron expression, e.g. '0 * * * *'").default("0 * * * *"),
  /** When every configured CRM source (HUBSPOT_TOKEN, Salesforce) syncs (cron, workspace time zone). */
  KPI_SYNC_CRON: z.string().refine((v) => v.trim().split(/\s+/).length >= 5, "must be a cron expression, e.g. '*/10 * * * *'").default("*/10 * * * *"),
  /**
   * "Post to channel" may carry per-person rows (tables, bars) only when true; off (the default),
   * a shared answer has aggregates and top performers' names only.
   */
  KPI_SHARE_LEADERBOARD: optionalString
    .pipe(z.enum(["true", "false", "1", "0"], { error: "must be true or false" }).optional())
    .transform((v) => v === "true" || v === "1"),
  /** Answers computed at once per process; more wait in a queue (see README "Under load"). */
  KPI_MAX_ANSWERS: z.coerce.number().int().min(1, "must be at least 1").max(256).default(6),
  /** Answers waiting beyond KPI_MAX_ANSWERS; past this a request gets "busy, try again". */
  KPI_MAX_QUEUED_ANSWERS: z.coerce.number().int().min(0).max(100_000).default(200),
  /** Worker threads drawing charts; unset: one less than the cores, 1 to 4. */
  KPI_CHART_THREADS: optionalString.pipe(z.string().regex(/^\d+$/, "must be a whole number").optional()).transform((v) => (v === undefined ? undefined : Number(v))).pipe(z.number().int().min(1, "must be at least 1").max(64).optional()),
  /** Audit rows (who asked what) older than this many days are deleted daily. */
  KPI_AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1, "must be at least 1 day").max(36500).default(365),
  /** SLA attainment: a ticket's first response must come within this many minutes of opening. */
  KPI_SLA_FIRST_RESPONSE_MINUTES: z.coerce.number().int("must be a whole number of minutes").min(1).max(7 * 24 * 60).default(60),
  /** When set, GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: optionalString,
  /** On SIGTERM/SIGINT, how long in-flight answers and deliveries may take before the process exits anyway. */
  KPI_SHUTDOWN_GRACE_S: z.coerce.number().min(0).max(600).default(20),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {}

/** Parse the environment; throws ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = ConfigSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}

/** The clock: KPI_NOW when set (reproducible answers), else the real time. */
export function clockFrom(config: Pick<Config, "KPI_NOW">): () => Date {
  const fixed = config.KPI_NOW ? new Date(config.KPI_NOW) : undefined;
  return fixed ? () => new Date(fixed) : () => new Date();
}
