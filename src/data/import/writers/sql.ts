/** Set-based SQL helpers for the import writers: one statement per batch, arrays as parameters. */
import type { SqlRunner } from "../../migrate.ts";
import type { PersonRef } from "../kinds/fields.ts";
import type { WriteCounts } from "./writer.ts";

/**
 * A column of the batch: its name in the table, the SQL type of its values as sent (a built-in
 * type, so both drivers can serialise the array), an optional cast to the column's own type
 * (enums), and one value per row. `field`: the CSV column it comes from, for the report's count
 * of changed fields (none for the key). `keep`: per row, keep the stored value of an existing
 * row (its cell was blank or its column absent); a new row takes `values` all the same.
 */
export type Column = {
  name: string;
  type: "text" | "int" | "bigint" | "smallint" | "date" | "timestamp(3)" | "float8";
  cast?: string;
  values: readonly unknown[];
  field?: string;
  keep?: readonly boolean[];
};

function q(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Per row, in input order: inserted, or the CSV fields an update changed and cleared (set to null). */
export type RowWrite = { inserted: boolean; changed: string[]; cleared: string[] };

/** Column → its keep flags: whether each row keeps the stored value of `field`. */
export function kept(keep: readonly ReadonlySet<string>[], field: string): boolean[] {
  return keep.map((k) => k.has(field));
}

/**
 * INSERT … SELECT FROM unnest(…) ON CONFLICT (conflict) DO UPDATE, touching only rows whose
 * values differ, so re-importing the same data writes nothing. Existing rows are read (and
 * locked) first, for the values kept and to say which fields each update changed.
 */
export async function upsertRows(tx: SqlRunner, table: string, conflict: readonly string[], columns: readonly Column[]): Promise<RowWrite[]> {
  const n = columns[0]?.values.length ?? 0;
  if (n === 0) return [];
  const params: unknown[] = [];
  const p = (v: unknown, type: string) => `$${params.push(v)}::${type}[]`;
  const arrays = columns.map((c) => p(c.values, c.type));
  const aliases = columns.map((_, i) => `c${i}`);
  const keeps = columns.flatMap((c, i) => (c.keep ? [{ i, alias: `k${i}`, array: p(c.keep, "bool") }] : []));
  const byName = new Map(columns.map((c, i) => [c.name, i]));
  const conflictAlias = conflict.map((name) => aliases[byName.get(name)!]!);
  const incoming = (i: number) => (columns[i]!.cast ? `u.${aliases[i]}::${columns[i]!.cast}` : `u.${aliases[i]}`);
  const merged = columns.map((c, i) =>
    c.keep ? `CASE WHEN u.k${i} AND o.${q(conflict[0]!)} IS NOT NULL THEN o.${q(c.name)} ELSE ${incoming(i)} END` : incoming(i),
  );
  const updatable = columns.filter((c) => !conflict.includes(c.name));
  const tracked = columns.map((c, i) => ({ c, i })).filter(({ c }) => c.field !== undefined && !conflict.includes(c.name));
  const join = conflict.map((name, j) => `o.${q(name)} = u.${conflictAlias[j]}`).join(" AND ");
  const sql = `WITH u AS (
      SELECT * FROM unnest(${[...arrays, ...keeps.map((k) => k.array)].join(", ")}) WITH ORDINALITY AS u(${[...aliases, ...keeps.map((k) => k.alias)].join(", ")}, i)
    ), o AS (
      SELECT t.* FROM ${q(table)} t WHERE (${conflict.map((c) => `t.${q(c)}`).join(", ")}) IN (SELECT ${conflictAlias.join(", ")} FROM u)
      ORDER BY ${conflict.map((c) => `t.${q(c)}`).join(", ")} FOR UPDATE
    ), m AS (
      SELECT u.i, o.${q(conflict[0]!)} IS NOT NULL AS existed, ${merged.map((e, i) => `${e} AS v${i}`).join(", ")}${tracked.map(({ c, i }) => `, o.${q(c.name)} AS o${i}`).join("")}
      FROM u LEFT JOIN o ON ${join}
    ), w AS (
      INSERT INTO ${q(table)} (${columns.map((c) => q(c.name)).join(", ")}) SELECT ${columns.map((_, i) => `v${i}`).join(", ")} FROM m ORDER BY i
      ON CONFLICT (${conflict.map(q).join(", ")}) DO UPDATE SET ${updatable.map((c) => `${q(c.name)} = EXCLUDED.${q(c.name)}`).join(", ")}
      WHERE ROW(${updatable.map((c) => `${q(table)}.${q(c.name)}`).join(", ")}) IS DISTINCT FROM ROW(${updatable.map((c) => `EXCLUDED.${q(c.name)}`).join(", ")})
      RETURNING 1
    )
    SELECT existed${tracked.map(({ i }) => `, existed AND v${i}::text IS DISTINCT FROM o${i}::text AS d${i}, v${i} IS NULL AS n${i}`).join("")} FROM m ORDER BY i`;
  const rows = await tx.query<Record<string, boolean>>(sql, params);
  return rows.map((r) => {
    const changed = tracked.filter(({ i }) => r[`d${i}`]).map(({ c }) => c.field!);
    return { inserted: !r.existed, changed, cleared: tracked.filter(({ c, i }) => r[`d${i}`] && r[`n${i}`] && changed.includes(c.field!)).map(({ c }) => c.field!) };
  });
}

/** Adds a field set by a second statement (rows `i`, 1-based) to the updates' changes. */
export function alsoChanged(written: RowWrite[], rows: readonly { i: string | number; cleared: boolean }[], field: string): RowWrite[] {
  for (const r of rows) {
    const w = written[Number(r.i) - 1]!;
    if (w.inserted) continue;
    w.changed.push(field);
    if (r.cleared) w.cleared.push(field);
  }
  return written;
}

/** Counts for a batch from what upsertRows returned. */
export function countWrites(rows: readonly RowWrite[]): WriteCounts {
  const inserted = rows.filter((w) => w.inserted).length;
  const updated = rows.filter((w) => !w.inserted && w.changed.length > 0).length;
  return { inserted, updated, unchanged: rows.length - inserted - updated };
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

/** "  Ada   LOVELACE " → "ada lovelace": how names are compared (case and spaces ignored). */
export function nameKey(name: string): string {
  return name.trim().replace(/\s+/g, " ").toLowerCase();
}

/** SQL twin of nameKey. */
const NAME_KEY = `lower(regexp_replace(btrim("name"), '\\s+', ' ', 'g'))`;

/** A person a row names, found, or why not (the candidates when the name is not unique). */
export type PersonMatch = { ok: true; id: number } | { ok: false; reason: string; message: string };

/**
 * Resolve emails and full names to user ids. A name must match exactly one person (case and
 * spaces ignored); otherwise the answer lists the candidates: every namesake's email, or the
 * people sharing a word of the name (at most 5).
 */
export async function personIds(tx: SqlRunner, refs: readonly PersonRef[], hint: string): Promise<(ref: PersonRef) => PersonMatch> {
  const byEmail = await userIds(tx, refs.flatMap((r) => ("email" in r ? [r.email] : [])));
  const names = [...new Set(refs.flatMap((r) => ("name" in r ? [nameKey(r.name)] : [])))];
  const byName = new Map<string, { id: number; email: string; name: string }[]>();
  if (names.length > 0) {
    const rows = await tx.query<{ key: string; id: number; email: string; name: string }>(
      `SELECT ${NAME_KEY} AS key, "id", "email", "name" FROM "User" WHERE ${NAME_KEY} = ANY($1::text[]) ORDER BY "email"`,
      [names],
    );
    for (const r of rows) byName.set(r.key, [...(byName.get(r.key) ?? []), { id: Number(r.id), email: r.email, name: r.name }]);
  }
  const unknownNames = names.filter((n) => !byName.has(n));
  const near = new Map<string, string[]>();
  for (const n of unknownNames.slice(0, 50)) {
    const words = n.split(" ").filter((w) => w.length >= 2);
    if (words.length === 0) continue;
    const rows = await tx.query<{ name: string; email: string }>(
      `SELECT "name", "email" FROM "User" WHERE string_to_array(${NAME_KEY}, ' ') && $1::text[] ORDER BY "name", "email" LIMIT 5`,
      [words],
    );
    near.set(n, rows.map((r) => `${r.name} <${r.email}>`));
  }
  return (ref) => {
    if ("email" in ref) {
      const id = byEmail.get(ref.email);
      return id === undefined ? { ok: false, ...unknownUser("", ref.email, hint) } : { ok: true, id };
    }
    const found = byName.get(nameKey(ref.name)) ?? [];
    if (found.length === 1) return { ok: true, id: found[0]!.id };
    if (found.length > 1) {
      return {
        ok: false,
        reason: "ambiguous name",
        message: `${found.length} people are named "${ref.name}" (${found.map((f) => f.email).join(", ")}): give the email instead`,
      };
    }
    const candidates = near.get(nameKey(ref.name)) ?? [];
    return {
      ok: false,
      reason: "unknown rep",
      message: `no rep named "${ref.name}" (${candidates.length > 0 ? `did you mean ${candidates.join(", ")}? ` : ""}${hint})`,
    };
  };
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
