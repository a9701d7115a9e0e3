/**
 * Removing one dataset without touching the other: everything except the benchmark rows (for the
 * demo's `replace`), or only the benchmark rows (before a benchmark reload). The audit log is
 * kept in both cases; its references to removed users become null.
 */
import type { SqlRunner } from "../migrate.ts";
import { BENCH_EMAIL_LIKE, BENCH_ORG_TEAM, BENCH_TEAM_PREFIX } from "./markers.ts";

const benchUsers = `SELECT id FROM "User" WHERE email LIKE $1`;

/** Delete every CRM row that is not part of the benchmark dataset. */
export async function wipeAllButBench(tx: SqlRunner): Promise<void> {
  const p = [BENCH_EMAIL_LIKE];
  await tx.query(`DELETE FROM "Activity" WHERE "ownerId" NOT IN (${benchUsers})`, p);
  await tx.query(`DELETE FROM "Quota" WHERE "ownerId" NOT IN (${benchUsers})`, p);
  await tx.query(`DELETE FROM "Ticket" WHERE "agentId" NOT IN (${benchUsers})`, p);
  await tx.query(`DELETE FROM "Deal" WHERE "ownerId" NOT IN (${benchUsers})`, p);
  await tx.query(`DELETE FROM "Campaign" WHERE "ownerId" IS NULL OR "ownerId" NOT IN (${benchUsers})`, p);
  await tx.query(`DELETE FROM "User" WHERE email NOT LIKE $1`, p);
  await tx.query(`DELETE FROM "Team" WHERE name <> $1 AND name NOT LIKE $2`, [BENCH_ORG_TEAM, `${BENCH_TEAM_PREFIX}%`]);
}

/** Delete the benchmark dataset, fast when it is the only data there is. */
export async function wipeBench(tx: SqlRunner): Promise<void> {
  const [others] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM "User" WHERE email NOT LIKE $1`, [BENCH_EMAIL_LIKE]);
  const p = [BENCH_EMAIL_LIKE];
  if ((others?.n ?? 0) === 0) {
    // Every activity, quota, ticket and deal belongs to a user, and all users are benchmark users.
    await tx.exec(`TRUNCATE "Activity", "Quota", "Ticket", "Deal"`);
  } else {
    await tx.query(`DELETE FROM "Activity" WHERE "ownerId" IN (${benchUsers})`, p);
    await tx.query(`DELETE FROM "Quota" WHERE "ownerId" IN (${benchUsers})`, p);
    await tx.query(`DELETE FROM "Ticket" WHERE "agentId" IN (${benchUsers})`, p);
    await tx.query(`DELETE FROM "Deal" WHERE "ownerId" IN (${benchUsers})`, p);
  }
  await tx.query(`DELETE FROM "Campaign" WHERE "ownerId" IN (${benchUsers})`, p);
  await tx.query(`DELETE FROM "User" WHERE email LIKE $1`, p);
  await tx.query(`DELETE FROM "Team" WHERE name = $1 OR name LIKE $2`, [BENCH_ORG_TEAM, `${BENCH_TEAM_PREFIX}%`]);
}
