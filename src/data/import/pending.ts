/**
 * Team managers waiting for their person: a teams file may name a manager (email or full name)
 * nobody is yet. The team is imported with `Team.pendingManager` holding what the file said, and
 * the manager is set as soon as a reps file brings that person (in the same run or a later one).
 */
import type { SqlRunner } from "../migrate.ts";

export type PendingTeam = { team: string; manager: string };

/** SQL: how names are compared (as nameKey in writers/sql.ts: case and runs of spaces ignored). */
const key = (expr: string) => `lower(regexp_replace(btrim(${expr}), '\\s+', ' ', 'g'))`;

/**
 * Set every pending manager that now matches one person: by email (case-insensitive) when the
 * pending text has an "@", else by full name when exactly one person has it. Returns how many
 * teams got their manager.
 */
export async function settlePendingManagers(tx: Pick<SqlRunner, "query">): Promise<number> {
  const rows = await tx.query<{ id: number }>(
    `WITH wanted AS (
       SELECT t."id", t."pendingManager" AS p FROM "Team" t WHERE t."pendingManager" IS NOT NULL
     ), found AS (
       SELECT w."id", min(u."id") AS manager, count(*) AS n
       FROM wanted w JOIN "User" u
         ON CASE WHEN position('@' in w.p) > 0 THEN lower(u."email") = lower(btrim(w.p)) ELSE ${key('u."name"')} = ${key("w.p")} END
       GROUP BY w."id"
     )
     UPDATE "Team" t SET "managerId" = f.manager, "pendingManager" = NULL
     FROM found f WHERE t."id" = f."id" AND f.n = 1
     RETURNING t."id"`,
  );
  return rows.length;
}

/** Teams still waiting for their manager, by name. */
export async function pendingManagers(tx: Pick<SqlRunner, "query">): Promise<PendingTeam[]> {
  return tx.query<PendingTeam>(`SELECT "name" AS team, "pendingManager" AS manager FROM "Team" WHERE "pendingManager" IS NOT NULL ORDER BY "name"`);
}
