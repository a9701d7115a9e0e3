/**
 * The sync's own rows: cursors (SyncCursor, one per source and object) and the run lease (a
 * SchedulerLease row `sync:<source>`) that keeps two processes — bot replicas or a command-line
 * run — from syncing the same source at once.
 */
import type { SqlRunner } from "../data/migrate.ts";
import { sqlTimestamp } from "../time/sql.ts";
import type { SourceName } from "./source.ts";

type Sql = Pick<SqlRunner, "query">;

export async function readCursors(sql: Sql, source: SourceName): Promise<Map<string, string>> {
  const rows = await sql.query<{ object: string; cursor: string }>(`SELECT "object", "cursor" FROM "SyncCursor" WHERE "source" = $1`, [source]);
  return new Map(rows.map((r) => [r.object, r.cursor]));
}

/** Store an object's cursor; call inside the transaction that writes the rows it covers. */
export async function writeCursor(tx: Sql, source: SourceName, object: string, cursor: string, at: Date): Promise<void> {
  await tx.query(
    `INSERT INTO "SyncCursor" ("source", "object", "cursor", "updatedAt") VALUES ($1, $2, $3, $4::timestamp)
     ON CONFLICT ("source", "object") DO UPDATE SET "cursor" = EXCLUDED."cursor", "updatedAt" = EXCLUDED."updatedAt"`,
    [source, object, cursor, sqlTimestamp(at)],
  );
}

export function leaseKey(source: SourceName): string {
  return `sync:${source}`;
}

/**
 * Take (or renew, for the same holder) the source's lease until `now + ttlMs`. False: another
 * holder has a lease that has not expired.
 */
export async function takeLease(sql: Sql, source: SourceName, holder: string, now: Date, ttlMs: number): Promise<boolean> {
  const rows = await sql.query<{ key: string }>(
    `INSERT INTO "SchedulerLease" ("key", "holder", "expiresAt") VALUES ($1, $2, $3::timestamp)
     ON CONFLICT ("key") DO UPDATE SET "holder" = EXCLUDED."holder", "expiresAt" = EXCLUDED."expiresAt"
       WHERE "SchedulerLease"."expiresAt" < $4::timestamp OR "SchedulerLease"."holder" = EXCLUDED."holder"
     RETURNING "key"`,
    [leaseKey(source), holder, sqlTimestamp(new Date(now.getTime() + ttlMs)), sqlTimestamp(now)],
  );
  return rows.length === 1;
}

export async function releaseLease(sql: Sql, source: SourceName, holder: string): Promise<void> {
  await sql.query(`DELETE FROM "SchedulerLease" WHERE "key" = $1 AND "holder" = $2`, [leaseKey(source), holder]);
}
