// The delivery ledger: a row per (subscription, period) written before sending, marked after.
// Replicas race on the unique key; the winner sends. A row left "pending" by a process that
// died between writing and sending is taken over once its claim is older than the lease.
import type { PrismaClient } from "../data/db.ts";
import { sqlTimestamp as ts } from "../time/sql.ts";

/** How long a pending claim protects a send in progress before another replica may take it. */
export const CLAIM_LEASE_MS = 10 * 60_000;

// Claims are stamped and compared with the database's clock, never the run's logical "now"
// (`digests --due --now <past>` must not look stale to a live replica).
const DB_NOW = `(now() AT TIME ZONE 'UTC')`;

export type Claim = { id: bigint; attempts: number } | null;

/**
 * Claim the delivery of one digest period. Returns the ledger row when this process should send
 * it, null when it was sent, failed permanently, or another live process is sending it.
 */
export async function claimDelivery(prisma: PrismaClient, subscriptionId: number, periodKey: string, fireAt: Date, holder: string, leaseMs = CLAIM_LEASE_MS): Promise<Claim> {
  const inserted = await prisma.$queryRawUnsafe<{ id: bigint; attempts: number }[]>(
    `INSERT INTO "Delivery" ("subscriptionId", "periodKey", "fireAt", status, attempts, "claimedBy", "claimedAt")
     VALUES ($1, $2, $3::timestamp, 'pending', 1, $4, ${DB_NOW})
     ON CONFLICT ("subscriptionId", "periodKey") DO NOTHING
     RETURNING id, attempts`,
    subscriptionId, periodKey, ts(fireAt), holder,
  );
  if (inserted[0]) return inserted[0];
  // Someone claimed it before: take it over only if that claim went stale while still pending.
  const taken = await prisma.$queryRawUnsafe<{ id: bigint; attempts: number }[]>(
    `UPDATE "Delivery" SET attempts = attempts + 1, "claimedBy" = $3, "claimedAt" = ${DB_NOW}
     WHERE "subscriptionId" = $1 AND "periodKey" = $2 AND status = 'pending'
       AND "claimedAt" < ${DB_NOW} - make_interval(secs => $4::float8 / 1000)
     RETURNING id, attempts`,
    subscriptionId, periodKey, holder, leaseMs,
  );
  return taken[0] ?? null;
}

/** Pending rows whose fire is older than the catch-up window: given up, with their ids. */
export async function expireStale(prisma: PrismaClient, olderThan: Date): Promise<{ id: bigint; subscriptionId: number; periodKey: string }[]> {
  return prisma.$queryRawUnsafe(
    `UPDATE "Delivery" SET status = 'expired' WHERE status = 'pending' AND "fireAt" < $1::timestamp
     RETURNING id, "subscriptionId", "periodKey"`,
    ts(olderThan),
  );
}

export async function markSent(prisma: PrismaClient, id: bigint, now: Date): Promise<void> {
  await prisma.delivery.update({ where: { id }, data: { status: "sent", sentAt: now, error: null } });
}

/** A permanent failure ends the row; a transient one leaves it pending for the next attempt. */
export async function markFailed(prisma: PrismaClient, id: bigint, error: string, permanent: boolean): Promise<void> {
  // A transient failure releases the claim at once, so the next sweep retries it.
  await prisma.delivery.update({
    where: { id },
    data: permanent ? { status: "failed", error: error.slice(0, 1000) } : { error: error.slice(0, 1000), claimedAt: new Date(0) },
  });
}

/**
 * A stopping process hands back what it still holds: its pending delivery claims (so another
 * replica's next sweep takes them at once, not after CLAIM_LEASE_MS) and its scheduler leases.
 * Returns how many of each. Called after the grace period, once no send of this process is
 * expected to finish.
 */
export async function releaseHeld(prisma: PrismaClient, holder: string): Promise<{ claims: number; leases: number }> {
  const claims = await prisma.delivery.updateMany({ where: { status: "pending", claimedBy: holder }, data: { claimedAt: new Date(0) } });
  const leases = await prisma.schedulerLease.deleteMany({ where: { holder } });
  return { claims: claims.count, leases: leases.count };
}
