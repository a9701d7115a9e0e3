// Requests already served, remembered in the database until they expire: every replica sees the
// same set, so a replayed request is dropped whichever replica it reaches.
import type { PrismaClient } from "./db.ts";

export type SeenRequests = {
  /**
   * Remember `key` until `expiresAt`; true when no live entry had it (serve the request), false
   * for a duplicate. One INSERT … ON CONFLICT: of two concurrent callers exactly one gets true.
   *
   * @example
   * if (!(await seen.firstSeen(`slack:${ts}:${bodyHash}`, new Date((ts + 360) * 1000)))) return ack();
   */
  firstSeen(key: string, expiresAt: Date, now?: Date): Promise<boolean>;
  /** Delete entries that expired before `now`; returns how many. */
  forgetExpired(now: Date): Promise<number>;
};

export function createSeenRequests(prisma: PrismaClient): SeenRequests {
  return {
    async firstSeen(key, expiresAt, now = new Date()) {
      // An expired entry not cleaned up yet does not count: it is taken over (same statement).
      const changed = await prisma.$executeRaw`
        INSERT INTO "SeenRequest" ("key", "expiresAt") VALUES (${key}, ${expiresAt})
        ON CONFLICT ("key") DO UPDATE SET "expiresAt" = EXCLUDED."expiresAt"
        WHERE "SeenRequest"."expiresAt" <= ${now}`;
      return changed === 1;
    },
    async forgetExpired(now) {
      return prisma.$executeRaw`DELETE FROM "SeenRequest" WHERE "expiresAt" <= ${now}`;
    },
  };
}
