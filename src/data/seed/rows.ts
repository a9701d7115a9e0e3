/**
 * Batched, set-based inserts of in-memory rows: each batch travels as one JSON parameter and is
 * unpacked with json_to_recordset, so a few statements load tens of thousands of rows, inside the
 * caller's transaction, on PGlite and PostgreSQL alike.
 */
import type { SqlRunner } from "../migrate.ts";

/** Rows per statement: large enough to be fast, small enough to keep each parameter modest. */
export const BATCH_ROWS = 5_000;

/**
 * Run `insertSql` once per batch of rows, with the batch as JSON in $1, and check that every row
 * was inserted. `insertSql` is an INSERT … SELECT … FROM json_to_recordset($1::json) … that ends
 * without RETURNING (a row silently dropped by a join would otherwise go unnoticed).
 */
export async function insertRows(tx: SqlRunner, table: string, insertSql: string, rows: readonly object[], batch = BATCH_ROWS): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += batch) {
    const chunk = rows.slice(i, i + batch);
    const [result] = await tx.query<{ n: number }>(`WITH ins AS (${insertSql} RETURNING 1) SELECT count(*)::int AS n FROM ins`, [
      JSON.stringify(chunk),
    ]);
    const n = result?.n ?? 0;
    if (n !== chunk.length) throw new Error(`${table}: inserted ${n} of ${chunk.length} rows (a reference did not resolve)`);
    inserted += n;
  }
  return inserted;
}

/** Run an UPDATE … FROM json_to_recordset($1::json) … with all rows at once. */
export async function updateFromRows(tx: SqlRunner, updateSql: string, rows: readonly object[]): Promise<void> {
  await tx.query(updateSql, [JSON.stringify(rows)]);
}
