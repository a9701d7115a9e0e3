// Applies the committed prisma/migrations at start-up, offline, on PGlite and PostgreSQL alike.
// Rows in _prisma_migrations are written exactly as `prisma migrate deploy` writes them (same
// columns, sha256 checksums), so the CLI on a connected machine agrees with what ran here.
import { randomUUID } from "node:crypto";
import { readMigrations, type Migration } from "./migrations.ts";

/** The minimal SQL surface the runner needs; both database backends provide it. */
export interface SqlRunner {
  /** Run statements (may be several, no parameters). */
  exec(sql: string): Promise<void>;
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Run fn with exclusive access, in one transaction. */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
}

const ledgerDdl = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

// Any constant works; it only has to be the same for every replica of this app.
const MIGRATION_LOCK_KEY = 72_160_511;

export class MigrationError extends Error {}

export type MigrateResult = { applied: string[]; alreadyApplied: number };

/**
 * Apply every migration not yet recorded. Replicas starting at once serialise on an advisory
 * lock; a migration already applied with a different checksum is refused (edited history).
 */
export async function applyMigrations(db: SqlRunner, migrations?: Migration[]): Promise<MigrateResult> {
  const all = migrations ?? (await readMigrations());
  return db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
    await tx.exec(ledgerDdl);
    const rows = await tx.query<{ migration_name: string; checksum: string; finished_at: unknown; rolled_back_at: unknown }>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
    );
    const done = new Map(rows.filter((r) => r.finished_at !== null && r.rolled_back_at === null).map((r) => [r.migration_name, r.checksum]));
    const failed = rows.filter((r) => r.finished_at === null && r.rolled_back_at === null);
    if (failed.length > 0) {
      throw new MigrationError(`migration ${failed[0]!.migration_name} started but never finished; inspect the database, then mark it rolled back`);
    }
    const applied: string[] = [];
    for (const m of all) {
      const recorded = done.get(m.name);
      if (recorded !== undefined) {
        if (recorded !== m.checksum) {
          throw new MigrationError(`migration ${m.name} was changed after it was applied (checksum differs); add a new migration instead`);
        }
        continue;
      }
      await tx.exec(m.sql);
      await tx.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
         VALUES ($1, $2, now(), $3, now(), 1)`,
        [randomUUID(), m.checksum, m.name],
      );
      applied.push(m.name);
    }
    return { applied, alreadyApplied: all.length - applied.length };
  });
}

/** Migrations of this build not (successfully) applied to the database: empty when it is up to date (for /readyz). */
export async function pendingMigrations(db: Pick<SqlRunner, "query">, migrations?: Migration[]): Promise<string[]> {
  const all = migrations ?? (await readMigrations());
  const rows = await db.query<{ migration_name: string }>(
    `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  const done = new Set(rows.map((r) => r.migration_name));
  return all.map((m) => m.name).filter((name) => !done.has(name));
}
