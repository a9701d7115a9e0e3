/** Set-based SQL helpers for the import writers: one statement per batch, arrays as parameters. */
import type { SqlRunner } from "../../migrate.ts";
import type { WriteCounts } from "./writer.ts";

/**
 * A column of the batch: its name in the table, the SQL type of its values as sent (a built-in
 * type, so both drivers can serialise the array), an optional cast to the column's own type
 * (enums), and one value per row.
 */
export type Column = { name: string; type: "text" | "int" | "bigint" | "smallint" | "date" | "timestamp(3)"; cast?: string; values: readonly unknown[] };

function q(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * INSERT … SELECT FROM unnest(…) ON CONFLICT (conflict) DO UPDATE, touching only rows whose
 * values differ, so re-importing the same data writes nothing. Returns, per written row,
 * whether it was inserted and the value of `keyColumn` (rows left unchanged are not returned).
 */
export async function upsertRows(
  tx: SqlRunner,
  table: string,
  conflict: readonly string[],
  columns: readonly Column[],
  keyColumn?: string,
): Promise<{ inserted: boolean; key: string | null }[]> {
  if (columns.length === 0 || columns[0]!.values.length === 0) return [];
  const names = columns.map((c) => q(c.name)).join(", ");
  const arrays = columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(", ");
  const aliases = columns.map((_, i) => `c${i}`);
  const selected = columns.map((c, i) => (c.cast ? `${aliases[i]}::${c.cast}` : aliases[i])).join(", ");
  const updatable = columns.filter((c) => !conflict.includes(c.name));
  const set = updatable.map((c) => `${q(c.name)} = EXCLUDED.${q(c.name)}`).join(", ");
  const current = updatable.map((c) => `${q(table)}.${q(c.name)}`).join(", ");
  const incoming = updatable.map((c) => `EXCLUDED.${q(c.name)}`).join(", ");
  const sql =
    `INSERT INTO ${q(table)} (${names}) SELECT ${selected} FROM unnest(${arrays}) AS u(${aliases.join(", ")}) ` +
    `ON CONFLICT (${conflict.map(q).join(", ")}) DO UPDATE SET ${set} ` +
    `WHERE ROW(${current}) IS DISTINCT FROM ROW(${incoming}) ` +
    `RETURNING (xmax = 0) AS inserted, ${keyColumn ? `${q(keyColumn)}::text` : "NULL::text"} AS key`;
  return tx.query<{ inserted: boolean; key: string | null }>(sql, columns.map((c) => c.values));
}

/** Counts for a batch of `n` rows from the rows an upsert returned. */
export function countWrites(n: number, written: readonly { inserted: boolean }[]): WriteCounts {
  const inserted = written.filter((w) => w.inserted).length;
  const updated = written.length - inserted;
  return { inserted, updated, unchanged: n - inserted - updated };
}

/** User ids by lowercased email, for the emails that exist. */
export async function userIds(tx: SqlRunner, emails: Iterable<string | null>): Promise<Map<string, number>> {
  const wanted = [...new Set([...emails].filter((e): e is string => e !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await tx.query<{ email: string; id: number }>(
    `SELECT lower("email") AS email, "id" FROM "User" WHERE lower("email") = ANY($1::text[])`,
    [wanted],
  );
  return new Map(rows.map((r) => [r.email, Number(r.id)]));
}

/** Row ids by a unique text column (Campaign.externalId, Deal.externalId, Team.name). */
export async function idsBy(
  tx: SqlRunner,
  table: "Campaign" | "Deal" | "Team",
  column: "externalId" | "name",
  keys: Iterable<string | null>,
): Promise<Map<string, number>> {
  const wanted = [...new Set([...keys].filter((k): k is string => k !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await tx.query<{ key: string; id: number }>(
    `SELECT ${q(column)} AS key, "id" FROM ${q(table)} WHERE ${q(column)} = ANY($1::text[])`,
    [wanted],
  );
  return new Map(rows.map((r) => [r.key, Number(r.id)]));
}

/** A row that names someone who is not in the database. */
export function unknownUser(column: string, email: string, hint: string) {
  return { column, reason: "unknown rep", message: `no rep with email ${email} (${hint})` };
}

/**
 * Does following `parentOf` up from `start` come back to `self`? (A cycle in a team tree or a
 * reporting line.) Stops after `limit` steps on a pre-existing cycle that does not involve self.
 */
export function leadsBackTo(self: string, start: string | null, parentOf: ReadonlyMap<string, string | null>, limit = 10_000): boolean {
  let at = start;
  for (let i = 0; at !== null && i < limit; i++) {
    if (at === self) return true;
    at = parentOf.get(at) ?? null;
  }
  return false;
}
