// The database: embedded PGlite (default, zero setup) or PostgreSQL when DATABASE_URL is set.
// Both speak the same SQL; Prisma talks to either through a driver adapter.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "./generated/client.ts";
import { applyMigrations, type MigrateResult, type SqlRunner } from "./migrate.ts";

export type { PrismaClient };

export type DatabaseTarget =
  | { kind: "postgres"; url: string }
  | { kind: "pglite"; dataDir: string | null /* null: in memory */ };

export interface Database {
  readonly kind: DatabaseTarget["kind"];
  /** Where it lives, for logs and start-up messages (no password). */
  readonly where: string;
  readonly prisma: PrismaClient;
  /** Raw SQL outside Prisma: migrations, set-based bulk loads. Not for request paths. */
  readonly sql: SqlRunner;
  /** Bulk load with COPY FROM STDIN (CSV text chunks). */
  copyFrom(copySql: string, chunks: AsyncIterable<string> | Iterable<string>): Promise<void>;
  /** Connections checked out of the pool now (PostgreSQL only; for /metrics). */
  poolInUse?(): number;
  close(): Promise<void>;
}

export function targetFromEnv(config: { DATABASE_URL?: string | undefined; KPI_DATA_DIR: string }): DatabaseTarget {
  return config.DATABASE_URL
    ? { kind: "postgres", url: config.DATABASE_URL }
    : { kind: "pglite", dataDir: path.resolve(config.KPI_DATA_DIR, "pglite") };
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "postgres://…";
  }
}

export type OpenOptions = { migrate?: boolean };

export async function openDatabase(target: DatabaseTarget, options: OpenOptions = {}): Promise<Database & { migrations?: MigrateResult }> {
  const db = target.kind === "postgres" ? openPostgres(target.url) : await openPGlite(target.dataDir);
  if (options.migrate === false) return db;
  try {
    const migrations = await applyMigrations(db.sql);
    return Object.assign(db, { migrations });
  } catch (e) {
    await db.close();
    throw e;
  }
}

function openPostgres(url: string): Database {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on("error", () => {});
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const runner = (client: pg.Pool | pg.PoolClient): SqlRunner => ({
    async exec(sql) {
      await client.query(sql);
    },
    async query<T>(sql: string, params: unknown[] = []) {
      return (await client.query(sql, params)).rows as T[];
    },
    async transaction<T>(fn: (tx: SqlRunner) => Promise<T>) {
      const conn = await pool.connect();
      try {
        await conn.query("BEGIN");
        const out = await fn(runner(conn));
        await conn.query("COMMIT");
        return out;
      } catch (e) {
        await conn.query("ROLLBACK").catch(() => {});
        throw e;
      } finally {
        conn.release();
      }
    },
  });
  return {
    kind: "postgres",
    where: redactUrl(url),
    prisma,
    sql: runner(pool),
    poolInUse: () => pool.totalCount - pool.idleCount,
    async copyFrom(copySql, chunks) {
      const { from } = await import("pg-copy-streams");
      const conn = await pool.connect();
      try {
        const stream = conn.query(from(copySql));
        const { pipeline } = await import("node:stream/promises");
        const { Readable } = await import("node:stream");
        await pipeline(Readable.from(chunks), stream);
      } finally {
        conn.release();
      }
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function openPGlite(dataDir: string | null): Promise<Database> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  return pgliteDatabase(dataDir ? new PGlite(dataDir) : new PGlite(), dataDir ?? "memory");
}

/** A Database over a PGlite instance already created (tests start theirs from a migrated image). */
export async function pgliteDatabase(lite: PGlite, where: string): Promise<Database> {
  await lite.waitReady;
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(lite) });
  type Q = Pick<PGlite, "exec" | "query">;
  const runner = (q: Q): SqlRunner => ({
    async exec(sql) {
      await q.exec(sql);
    },
    async query<T>(sql: string, params: unknown[] = []) {
      return (await q.query<T>(sql, params)).rows;
    },
    transaction<T>(fn: (tx: SqlRunner) => Promise<T>) {
      return lite.transaction((tx) => fn(runner(tx)));
    },
  });
  return {
    kind: "pglite",
    where,
    prisma,
    sql: runner(lite),
    async copyFrom(copySql, chunks) {
      // PGlite's COPY reads from a Blob: assemble the chunks (bulk loads stay batched by the caller).
      const parts: string[] = [];
      for await (const c of chunks) parts.push(c);
      await lite.query(copySql.replace(/FROM\s+STDIN/i, "FROM '/dev/blob'"), [], { blob: new Blob(parts) });
    },
    async close() {
      await prisma.$disconnect();
      await lite.close();
    },
  };
}
