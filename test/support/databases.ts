// Database tests run on embedded PGlite always, and also on the PostgreSQL server named by
// TEST_DATABASE_URL when it is set (each test file gets a fresh database there).
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type Database, type DatabaseTarget, type OpenOptions } from "../../src/data/db.ts";

export type Backend = "pglite" | "postgres";

export const backends: Backend[] = process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

/** `url`: the connection string of a PostgreSQL test database (for a second connection or process). */
export type TestDatabase = Database & { dispose(): Promise<void>; url?: string };

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new, empty database of that backend (migrated unless asked not to). */
export async function freshDatabase(backend: Backend, options: OpenOptions = {}): Promise<TestDatabase> {
  if (backend === "pglite") {
    const db = await openDatabase({ kind: "pglite", dataDir: null }, options);
    return Object.assign(db, { dispose: () => db.close() });
  }
  const name = `kpi_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  const target: DatabaseTarget = { kind: "postgres", url: url.toString() };
  const db = await openDatabase(target, options);
  return Object.assign(db, {
    url: target.url,
    async dispose() {
      await db.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  });
}
