/**
 * The bot's sync: every configured source on KPI_SYNC_CRON, one replica at a time (the database
 * run coordinator per fire, and the sync's own lease per source), and a run that changed
 * something re-checks alerts right away, so an alert can fire minutes after the CRM changes.
 */
import cron, { type ScheduledTask } from "node-cron";
import type { Database } from "../data/db.ts";
import { databaseCoordinator } from "../digests/coordinator.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../ops/metrics.ts";
import { syncSource, type SyncReport } from "./run.ts";
import type { Source } from "./source.ts";

export const DEFAULT_SYNC_CRON = "*/10 * * * *";

export type SyncScheduleDeps = {
  db: Pick<Database, "sql" | "prisma">;
  sources: readonly Source[];
  holder: string;
  currency: string;
  timeZone: string;
  logger?: Logger;
  now?: () => Date;
  /** Counts runs by outcome and restarts the source's lag (GET /metrics). */
  metrics?: Pick<Metrics, "recordSync">;
  /** Called after a run that created, updated, deleted or deactivated anything (alert re-check). */
  onChanged?: (report: SyncReport) => Promise<unknown>;
};

/** One scheduled run of one source: sync, log the outcome, re-check alerts when data changed. */
export async function runScheduledSync(deps: SyncScheduleDeps, source: Source): Promise<SyncReport> {
  const report = await syncSource(deps.db, source, { currency: deps.currency, timeZone: deps.timeZone, holder: deps.holder, ...(deps.logger ? { logger: deps.logger } : {}), ...(deps.now ? { now: deps.now } : {}) });
  const counts = Object.fromEntries(report.objects.map((o) => [o.object, { read: o.read, created: o.created, updated: o.updated, deleted: o.deleted, refused: o.refused }]));
  const log = report.outcome === "failed" ? deps.logger?.error : deps.logger?.info;
  // Only a completed run restarts the lag; another replica's run (busy) is its own to count; a
  // refused run (demo data present) is a failure an operator should see.
  if (report.outcome !== "busy") deps.metrics?.recordSync(source.name, report.outcome === "synced");
  log?.("sync_run", { source: source.name, outcome: report.outcome, problem: report.problem, changed: report.changed, ms: Math.round(report.elapsedMs), objects: counts });
  if (report.changed && deps.onChanged) {
    try {
      await deps.onChanged(report);
    } catch (e) {
      deps.logger?.error("sync_alert_check_failed", { source: source.name, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return report;
}

/** A cron task per source; stop() waits for runs in progress. */
export function startSyncSchedule(deps: SyncScheduleDeps, expression: string = DEFAULT_SYNC_CRON): { stop(): Promise<void> } {
  const coordinator = databaseCoordinator(deps.db.prisma, deps.holder, deps.now);
  const running = new Set<Promise<unknown>>();
  const tasks: ScheduledTask[] = deps.sources.map((source) =>
    cron.schedule(
      expression,
      () => {
        const p = runScheduledSync(deps, source).catch((e: unknown) => deps.logger?.error("sync_run_crashed", { source: source.name, error: e instanceof Error ? e.message : String(e) }));
        running.add(p);
        void p.finally(() => running.delete(p));
        return p;
      },
      { name: `sync-${source.name}`, timezone: deps.timeZone, distributed: true, runCoordinator: coordinator, distributedLease: 10 * 60_000, noOverlap: true },
    ),
  );
  return {
    async stop() {
      for (const t of tasks) await t.destroy();
      await Promise.allSettled([...running]);
    },
  };
}
