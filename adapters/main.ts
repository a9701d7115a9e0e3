// `npm start`: runs every adapter whose credentials are set, or the console when none is.
// KPI_ADAPTERS (comma list of slack, teams, console) chooses explicitly.
import { parseArgs } from "node:util";
import { ConfigError } from "../src/config.ts";
import { MigrationError } from "../src/data/migrate.ts";
import { startRuntime, type Runtime } from "../src/runtime.ts";
import { createAdmission } from "../src/admission.ts";
import { createPooledChartRenderer } from "../src/charts/index.ts";
import { runConsole } from "./console/console.ts";
import { processHolder, startScheduler } from "../src/digests/index.ts";
import { checkAlerts } from "../src/digests/runner.ts";
import { startSyncSchedule } from "../src/sync/schedule.ts";
import { configuredSources } from "../src/sync/sources.ts";
import { chooseAdapters, listenAddress, type Running } from "./choose.ts";
import { createHttpHost, type HttpHost } from "./http/server.ts";
import { metricsHandler } from "./http/metrics.ts";
import { pendingMigrations } from "../src/data/migrate.ts";
import { readMigrations } from "../src/data/migrations.ts";
import { guardProcess } from "./process-guard.ts";

async function startChatAdapter(name: "slack" | "teams", rt: Runtime, http: HttpHost): Promise<Running> {
  // Loaded on demand so a console-only start never loads Bolt or botbuilder.
  const mod: { start(rt: Runtime, http: HttpHost): Promise<Running> } =
    name === "slack" ? await import("./slack/index.ts") : await import("./teams/index.ts");
  return mod.start(rt, http);
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { now: { type: "string" } }, allowPositionals: false });
  if (values.now && Number.isNaN(Date.parse(values.now))) {
    console.error(`error: --now '${values.now}' is not a date-time; use ISO 8601, e.g. 2026-10-15T09:00:00Z`);
    return 2;
  }
  const choice = chooseAdapters(process.env);
  if (!choice.ok) {
    console.error(`error: ${choice.error}`);
    return 2;
  }
  // A configured CRM source fills the database: no demo CRM on an empty one then.
  const sync = configuredSources(process.env);
  if (sync.errors.length > 0) {
    console.error(`error: ${sync.errors.join("; ")}`);
    return 2;
  }
  const serving = choice.adapters.some((a) => a !== "console");
  const rt = await startRuntime({ now: values.now, metrics: serving, ...(sync.sources.length > 0 ? { demo: false } : {}) });
  const chat = choice.adapters.filter((a): a is "slack" | "teams" => a !== "console");
  if (chat.length === 0) {
    try {
      await runConsole(rt);
      return 0;
    } finally {
      await rt.close();
    }
  }
  // Chat adapters share one chart worker pool and one bound on answers in flight (README "Under load").
  const charts = createPooledChartRenderer(rt.config.KPI_CHART_THREADS === undefined ? {} : { threads: rt.config.KPI_CHART_THREADS });
  rt.charts = charts;
  rt.admission = createAdmission({ concurrent: rt.config.KPI_MAX_ANSWERS, queued: rt.config.KPI_MAX_QUEUED_ANSWERS });
  const running: Running[] = [];
  let started = false;
  let stopping = false;
  // This build's migrations, read from disk once (readiness compares the database with them).
  const migrationFiles = readMigrations();
  const databaseUp = async () => (await rt.db.sql.query("SELECT 1")).length === 1;
  const http = createHttpHost({
    health: databaseUp,
    // Ready: the database answers, every migration of this build is applied, every adapter has
    // started (Socket Mode: connected), and the process is not shutting down.
    ready: async () => {
      const [database, migrations] = await Promise.all([databaseUp().catch(() => false), migrationFiles.then((m) => pendingMigrations(rt.db.sql, m)).then((p) => p.length === 0, () => false)]);
      const adapters = Object.fromEntries(chat.map((name) => {
        const r = running.find((x) => x.name === name);
        return [`adapter_${name}`, started && r !== undefined && (r.ready?.() ?? true)];
      }));
      const checks = { database, migrations, ...adapters, accepting: !stopping };
      return { ok: Object.values(checks).every(Boolean), checks };
    },
    logger: rt.logger,
  });
  if (rt.metrics) http.route("/metrics", metricsHandler(rt.metrics, rt.config.METRICS_TOKEN), "GET");
  for (const name of chat) running.push(await startChatAdapter(name, rt, http));
  started = true;
  const port = await http.listen(rt.config.PORT, listenAddress(running));
  const address = (http.server.address() as { address?: string } | null)?.address;
  rt.logger.info("started", { adapters: chat, address, port, database: rt.db.where });
  // From here on an error no handler caught is logged and the bot keeps serving
  // (adapters/process-guard.ts); only a storm of them stops it, cleanly, with exit code 1.
  let exitCode = 0;
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const unguard = guardProcess(process, {
    logger: rt.logger,
    onFatal: (reason) => {
      rt.logger.error("shutting_down", { reason });
      exitCode = 1;
      stop();
    },
  });
  process.once("SIGINT", () => stop());
  process.once("SIGTERM", () => stop());
  // Digests and alerts go out through the running adapters' senders; every replica runs a
  // scheduler, and the database makes sure each delivery happens once.
  const senders = Object.fromEntries(running.flatMap((r) => (r.sender ? [[r.name, r.sender]] : [])));
  const runnerDeps = {
    prisma: rt.db.prisma, bot: rt.bot, senders, holder: processHolder(), logger: rt.logger,
    timeZone: rt.config.KPI_TIMEZONE, fiscalYearStartMonth: rt.config.KPI_FISCAL_YEAR_START_MONTH, currency: rt.config.KPI_CURRENCY,
    catchUpMs: rt.config.KPI_DIGEST_CATCHUP_HOURS * 3_600_000, ratePerSec: rt.config.KPI_DIGEST_RATE_PER_SEC,
  };
  const scheduler = startScheduler(runnerDeps, { now: rt.now, alertCron: rt.config.KPI_ALERT_CRON, auditRetentionDays: rt.config.KPI_AUDIT_RETENTION_DAYS });
  // Live CRM sync (README: Live CRM sync): a run that changed data re-checks alerts at once.
  const syncing = startSyncSchedule(
    {
      db: rt.db, sources: sync.sources, holder: runnerDeps.holder, currency: rt.config.KPI_CURRENCY, timeZone: rt.config.KPI_TIMEZONE, logger: rt.logger,
      ...(rt.metrics ? { metrics: rt.metrics } : {}),
      onChanged: () => checkAlerts(runnerDeps, rt.now()),
    },
    rt.config.KPI_SYNC_CRON,
  );
  scheduler.startup.then(
    (s) => rt.logger.info("digests_caught_up", s),
    (e: unknown) => rt.logger.error("digests_catch_up_failed", { error: e instanceof Error ? e.message : String(e) }),
  );
  await (choice.adapters.includes("console") ? Promise.race([runConsole(rt), stopped]) : stopped);
  // Graceful shutdown: refuse new work (503; Socket Mode disconnects), let answers and
  // deliveries in flight finish within the grace period, hand back this replica's claims and
  // leases, close the database.
  stopping = true;
  const graceMs = rt.config.KPI_SHUTDOWN_GRACE_S * 1000;
  const deadline = Date.now() + graceMs;
  rt.logger.info("stopping", { grace_s: rt.config.KPI_SHUTDOWN_GRACE_S });
  http.stopAccepting();
  const left = () => Math.max(0, deadline - Date.now());
  await syncing.stop();
  await Promise.all([scheduler.stop(graceMs), ...running.map((r) => r.stop(left()).catch((e: unknown) => rt.logger.error("adapter_stop_failed", { adapter: r.name, error: String(e) })))]);
  await http.close();
  await charts.close();
  await rt.close();
  rt.logger.info("stopped", { within_grace: Date.now() <= deadline });
  unguard();
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof ConfigError || e instanceof MigrationError) {
      console.error(`error: ${e.message}`);
      process.exit(2);
    }
    console.error(e);
    process.exit(1);
  },
);
