// The composition root shared by every entry point: config → database (migrated) → bot.
import { createBot, type Bot } from "./bot.ts";
import { clockFrom, loadConfig, type Config } from "./config.ts";
import { openDatabase, targetFromEnv, type Database } from "./data/db.ts";
import { startRollupFolder } from "./data/rollups.ts";
import { createStores } from "./data/stores.ts";
import { createSeenRequests, type SeenRequests } from "./data/seen-requests.ts";
import { ensureDemoData } from "./data/seed/demo.ts";
import { createScheduleDesk } from "./digests/desk.ts";
import { createLogger, type Logger } from "./log.ts";
import { instrumentBot } from "./ops/instrument.ts";
import { createMetrics, type Metrics } from "./ops/metrics.ts";
import type { Stores } from "./ports.ts";
import type { Admission } from "./admission.ts";
import type { ChartRenderer } from "./charts/index.ts";

/** `stores`, `seenRequests`: the ports adapters keep their own state through (never `db` directly). */
export type Runtime = {
  config: Config; db: Database; bot: Bot; stores: Stores; now: () => Date; logger: Logger; notes: string[];
  /** Slack requests already served (replay window), shared by every replica through the database. */
  seenRequests: SeenRequests;
  /** Chat adapters' chart renderer (a worker pool in production); absent: each adapter makes its own. */
  charts?: ChartRenderer;
  /** Bounds the answers in flight per process (chat adapters); absent: unbounded. */
  admission?: Admission;
  /** This process's Prometheus registry (long-running entry points only; `bot` records into it). */
  metrics?: Metrics;
  close(): Promise<void>;
};

/** `metrics`: make a registry for this process (GET /metrics) and count every command into it. */
export type RuntimeOptions = { env?: NodeJS.ProcessEnv; now?: string | undefined; demo?: boolean; metrics?: boolean };

/** Open the configured database (migrating it), load the demo on an empty embedded one, build the bot. */
export async function startRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const config = loadConfig(options.env ?? process.env);
  if (options.now) config.KPI_NOW = new Date(options.now).toISOString();
  const now = clockFrom(config);
  const logger = createLogger(config.LOG_LEVEL);
  const db = await openDatabase(targetFromEnv(config));
  const notes: string[] = [];
  if (db.migrations && db.migrations.applied.length > 0) notes.push(`applied ${db.migrations.applied.length} migration(s)`);
  if (options.demo !== false) {
    const demo = await ensureDemoData(db, now());
    if (demo.seeded) notes.push(`loaded the demo CRM into the empty embedded database (${db.where})`);
  }
  const engine = {
    prisma: db.prisma,
    now,
    timeZone: config.KPI_TIMEZONE,
    fiscalYearStartMonth: config.KPI_FISCAL_YEAR_START_MONTH,
    currency: config.KPI_CURRENCY,
    metricParams: { slaMinutes: config.KPI_SLA_FIRST_RESPONSE_MINUTES },
  };
  const core = createBot({ ...engine, logger, schedules: createScheduleDesk({ ...engine, logger }) });
  const metrics = options.metrics
    ? createMetrics({
        sources: {
          rollupDeltasPending: async () => (await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "RollupDelta"`))[0]?.n ?? 0,
          ...(db.poolInUse ? { poolInUse: db.poolInUse } : {}),
        },
      })
    : undefined;
  const bot = metrics ? instrumentBot(core, metrics) : core;
  const folder = startRollupFolder(db.sql, { onError: (e) => logger.error("rollup_fold_failed", { error: e instanceof Error ? e.message : String(e) }) });
  return {
    config, db, bot, stores: createStores(db.prisma), now, logger, notes,
    seenRequests: createSeenRequests(db.prisma),
    ...(metrics ? { metrics } : {}),
    async close() {
      await folder.stop();
      await db.close();
    },
  };
}
