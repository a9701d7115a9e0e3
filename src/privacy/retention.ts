/**
 * Audit log retention: rows older than `KPI_AUDIT_RETENTION_DAYS` are deleted (daily, on one
 * replica through the scheduler's coordinator). The audit log is the only personal record the
 * bot writes by itself (who asked what), so it is the one with a time limit.
 */
import type { PrismaClient } from "../data/db.ts";

const DAY_MS = 86_400_000;

/** The instant before which audit rows are deleted: `now − days`. */
export function auditCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

/**
 * Delete audit rows older than `days` days before `now`; returns how many went.
 *
 * @example
 * await pruneAudit(prisma, new Date("2026-12-06T03:17:00Z"), 365); // rows before 2025-12-06T03:17Z
 */
export async function pruneAudit(prisma: PrismaClient, now: Date, days: number): Promise<number> {
  const r = await prisma.auditLog.deleteMany({ where: { at: { lt: auditCutoff(now, days) } } });
  return r.count;
}
