// The in-process scheduler: a node-cron task per subscription in its own time zone, coordinated
// across replicas through the database (distributed runs with a lease row per task and fire),
// plus a sweep that catches what cron cannot see (missed fires while down, DST-skipped times,
// transient failures to retry) and checks alerts. The ledger keeps every delivery single.
import cron, { type ScheduledTask } from "node-cron";
import { databaseCoordinator, pruneLeases } from "./coordinator.ts";
import { releaseHeld } from "./ledger.ts";
import { checkAlerts, runDue, type RunnerDeps, type RunSummary } from "./runner.ts";
import { cronExpression } from "./schedule.ts";
import { activeSubscriptions } from "./stored.ts";
import { pruneAudit } from "../privacy/retention.ts";

export type SchedulerOptions = {
  now?: () => Date;
  /** How often other replicas' subscription changes are picked up. */
  reloadMs?: number;
  /** Sweep for due digests and retries (cron expression). */
  sweepCron?: string;
  /** Alert checks (cron expression). */
  alertCron?: string;
  /** Delete audit rows older than this many days, daily at 03:17 (workspace zone); unset: never. */
  auditRetentionDays?: number;
};

export type Scheduler = {
  /**
   * Stop: no new run or claim starts, claims waiting for their turn are released, runs in
   * progress get `graceMs` to finish; then whatever this process still holds (pending claims,
   * leases) is released for the other replicas. Returns what was released.
   */
  stop(graceMs?: number): Promise<{ claims: number; leases: number }>;
  reload(): Promise<void>;
  startup: Promise<RunSummary>;
  taskNames(): string[];
};

export function startScheduler(deps: RunnerDeps, options: SchedulerOptions = {}): Scheduler {
  const now = options.now ?? (() => new Date());
  const coordinator = databaseCoordinator(deps.prisma, deps.holder, now);
  const tasks = new Map<number, { signature: string; task: ScheduledTask }>();
  let stopping = false;
  // One pacer per platform for the whole process, across runs.
  const run: RunnerDeps = { ...deps, pacers: deps.pacers ?? new Map(), stopping: () => stopping || (deps.stopping?.() ?? false) };
  const common = { distributed: true, runCoordinator: coordinator, distributedLease: 10 * 60_000, noOverlap: true } as const;
  // Work in progress, so stop() can let sends finish and mark the ledger before the database closes.
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => {});
    return p;
  };

  // Single flight: a run in progress absorbs further kicks and runs once more when done.
  let current: Promise<unknown> | null = null;
  let again = false;
  function kick(): Promise<unknown> {
    if (stopping) return Promise.resolve();
    if (current) {
      again = true;
      return current;
    }
    current = track(
      (async () => {
        do {
          again = false;
          await runDue(run, now(), { alerts: false });
        } while (again);
      })().finally(() => {
        current = null;
      }),
    );
    return current;
  }

  async function reload(): Promise<void> {
    const subs = await activeSubscriptions(deps.prisma, deps.logger);
    const seen = new Set<number>();
    for (const sub of subs) {
      seen.add(sub.id);
      const signature = `${cronExpression(sub)}|${sub.timeZone}`;
      if (tasks.get(sub.id)?.signature === signature) continue;
      await tasks.get(sub.id)?.task.destroy();
      // A subscription's task only wakes the runner at its instant in its zone: the 1,000 tasks
      // of Monday 09:00 coalesce into one run, which shares answers and the workspace pacing.
      const task = cron.schedule(cronExpression(sub), () => kick(), { ...common, timezone: sub.timeZone, name: `digest-S${sub.id}` });
      tasks.set(sub.id, { signature, task });
    }
    for (const [id, { task }] of tasks) {
      if (!seen.has(id)) {
        await task.destroy();
        tasks.delete(id);
      }
    }
  }

  const sweep = cron.schedule(options.sweepCron ?? "*/5 * * * *", () => track(kick().then(() => pruneLeases(deps.prisma, now()))), { ...common, name: "digest-sweep" });
  const alerts = cron.schedule(options.alertCron ?? "0 * * * *", () => track(checkAlerts(run, now())), {
    ...common,
    name: "alert-check",
    timezone: deps.timeZone,
  });
  const retentionDays = options.auditRetentionDays;
  const retention =
    retentionDays === undefined
      ? null
      : cron.schedule(
          "17 3 * * *",
          () =>
            track(
              pruneAudit(deps.prisma, now(), retentionDays)
                .then((deleted) => deps.logger?.info("audit_retention", { deleted, days: retentionDays }))
                .catch((e: unknown) => deps.logger?.error("audit_retention_failed", { error: String(e) })),
            ),
          { ...common, name: "audit-retention", timezone: deps.timeZone },
        );
  const timer = setInterval(() => void reload().catch((e: unknown) => deps.logger?.error("scheduler_reload_failed", { error: String(e) })), options.reloadMs ?? 60_000);
  timer.unref();

  // Catch up at start-up: fires missed while no replica was running, within the window.
  const startup = track(reload().then(() => runDue(run, now(), { alerts: false, logMissed: true })));

  return {
    startup,
    reload,
    taskNames: () => [...tasks.keys()].map((id) => `digest-S${id}`),
    async stop(graceMs = 20_000) {
      stopping = true;
      clearInterval(timer);
      await sweep.destroy();
      await alerts.destroy();
      await retention?.destroy();
      for (const { task } of tasks.values()) await task.destroy();
      tasks.clear();
      // No new work starts now; let what is running finish (bounded), so no claim is left pending.
      let timeout: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((r) => (timeout = setTimeout(r, graceMs)))]);
      clearTimeout(timeout);
      const released = await releaseHeld(deps.prisma, deps.holder).catch((e: unknown) => {
        deps.logger?.error("scheduler_release_failed", { error: e instanceof Error ? e.message : String(e) });
        return { claims: 0, leases: 0 };
      });
      deps.logger?.info("scheduler_stopped", { released_claims: released.claims, released_leases: released.leases, unfinished: inFlight.size });
      return released;
    },
  };
}
