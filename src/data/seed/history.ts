/**
 * The database's memory of having held data (the DatasetMark table): once the demo was loaded or
 * removed, or anything was imported, the demo is never loaded again by itself.
 */
import type { SqlRunner } from "../migrate.ts";
import { DEMO_EMAIL_DOMAIN } from "./markers.ts";

const HELD_DATA = "held-data";

/** SQL LIKE pattern matching every demo user's email. */
export const DEMO_EMAIL_LIKE = `%@${DEMO_EMAIL_DOMAIN}`;

/** Record that this database has held data (idempotent). */
export async function markHeldData(sql: Pick<SqlRunner, "query">): Promise<void> {
  await sql.query(`INSERT INTO "DatasetMark" ("key") VALUES ($1) ON CONFLICT ("key") DO NOTHING`, [HELD_DATA]);
}

export async function hasHeldData(sql: Pick<SqlRunner, "query">): Promise<boolean> {
  const rows = await sql.query<{ key: string }>(`SELECT "key" FROM "DatasetMark" WHERE "key" = $1`, [HELD_DATA]);
  return rows.length > 0;
}

/** How many demo people the database holds (0: no demo). */
export async function countDemoUsers(sql: Pick<SqlRunner, "query">): Promise<number> {
  const [row] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "User" WHERE email LIKE $1`, [DEMO_EMAIL_LIKE]);
  return row?.n ?? 0;
}
