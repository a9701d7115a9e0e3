// node-cron's RunCoordinator backed by the database: the first replica to write the lease row for
// a (task, fire time) key runs it; the others skip. Leases expire so a key can never wedge.
import type { RunCoordinator } from "node-cron";
import type { PrismaClient } from "../data/db.ts";
import { sqlTimestamp as ts } from "../time/sql.ts";

export function databaseCoordinator(prisma: PrismaClient, holder: string, now: () => Date = () => new Date()): RunCoordinator {
  return {
    async shouldRun(key: string, ttlMs: number): Promise<boolean> {
      const at = now();
      const rows = await prisma.$queryRawUnsafe<{ key: string }[]>(
        `INSERT INTO "SchedulerLease" (key, holder, "expiresAt") VALUES ($1, $2, $3::timestamp)
         ON CONFLICT (key) DO UPDATE SET holder = EXCLUDED.holder, "expiresAt" = EXCLUDED."expiresAt"
           WHERE "SchedulerLease"."expiresAt" < $4::timestamp
         RETURNING key`,
        key.slice(0, 300), holder, ts(new Date(at.getTime() + Math.max(ttlMs, 60_000))), ts(at),
      );
      return rows.length === 1;
    },
  };
}

/** Drop expired leases (housekeeping; called by the sweep). */
export async function pruneLeases(prisma: PrismaClient, now: Date): Promise<number> {
  const r = await prisma.schedulerLease.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - 24 * 3_600_000) } } });
  return r.count;
}
