// Breakdown cases for `npm run bench` (issue 14): `org sales by team last-quarter`, `org winrate by
// product last-quarter` and `org sales by month` end to end through handle(), each timed
// alternately with the single GROUP BY statement that computes the same groups (its floor).
// The large dataset carries 20 products and 8 regions; one loaded before it did gets them once
// (a deterministic function of the id), before timing.
import type { Database } from "../src/data/db.ts";
import { BENCH_EMAIL_DOMAIN } from "../src/data/seed/markers.ts";
import { sqlTimestamp } from "../src/time/sql.ts";
import { summarise, timePaired, type Case } from "./harness.ts";

export async function breakdownCases(db: Database, label: string, now: () => Date, runs: number, window: { start: Date; end: Date }, emit: (c: Case) => void): Promise<void> {
  const missing = await db.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM "Deal" WHERE product IS NULL LIMIT 1) x`);
  if (Number(missing[0]!.n) > 0) {
    await db.sql.exec(`UPDATE "Deal" SET product = 'Product ' || lpad((1 + (id::bigint * 7919) % 20)::text, 2, '0'), region = 'Region ' || (1 + (id::bigint * 104729) % 8) WHERE product IS NULL`);
    await db.sql.exec(`VACUUM ANALYZE "Deal"`);
  }
  const admin = "bench-admin@kpi-dim.test";
  await db.prisma.user.upsert({ where: { email: admin }, create: { email: admin, name: "Bench Admin", role: "admin" }, update: {} });
  const { createBot } = await import("../src/bot.ts");
  const bot = createBot({ prisma: db.prisma, now, timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD" });
  const reps = (await db.prisma.user.findMany({ where: { email: { endsWith: `@${BENCH_EMAIL_DOMAIN}` }, role: "rep" }, select: { id: true, teamId: true } }));
  const ids = reps.map((r) => r.id);
  const teams = reps.map((r) => String(r.teamId));
  const [qs, qe] = [sqlTimestamp(window.start), sqlTimestamp(window.end)];
  const n = now();
  // `by month` without a period covers this year (to now: nothing has closed after it).
  const [ms, me] = [sqlTimestamp(new Date(Date.UTC(n.getUTCFullYear(), 0, 1))), sqlTimestamp(n)];
  const cases: [string, string, () => Promise<unknown>][] = [
    ["org sales by team last-quarter", "team", () => db.prisma.$queryRawUnsafe(
      `SELECT g.key, sum(amount)::float8 FROM "Deal" JOIN unnest($3::int[], $4::text[]) AS g(rep, key) ON g.rep = "ownerId"
       WHERE status = 'won' AND "closedAt" >= $1::timestamp AND "closedAt" < $2::timestamp GROUP BY 1`, qs, qe, ids, teams)],
    ["org winrate by product last-quarter", "product", () => db.prisma.$queryRawUnsafe(
      `SELECT product, avg(CASE WHEN status = 'won' THEN 1 ELSE 0 END)::float8 FROM "Deal"
       WHERE status IN ('won', 'lost') AND "closedAt" >= $1::timestamp AND "closedAt" < $2::timestamp AND "ownerId" = ANY($3::int[]) GROUP BY 1`, qs, qe, ids)],
    ["org sales by month", "month", () => db.prisma.$queryRawUnsafe(
      `SELECT to_char(date_trunc('month', "closedAt"), 'YYYY-MM'), sum(amount)::float8 FROM "Deal"
       WHERE status = 'won' AND "closedAt" >= $1::timestamp AND "closedAt" < $2::timestamp AND "ownerId" = ANY($3::int[]) GROUP BY 1`, ms, me, ids)],
  ];
  for (const [text, by, floor] of cases) {
    const request = { platform: "console" as const, userId: admin, text: `/kpi ${text}` };
    const check = await bot.handle(request);
    if (check.kind !== "answer" || check.figures?.breakdown?.by !== by) throw new Error(`bench breakdown did not answer: ${check.title} ${check.summary}`);
    const { samples, floor: floors } = await timePaired(() => bot.handle(request), floor, runs);
    emit(summarise(`${label}: /kpi ${text} via handle() (${check.figures.breakdown.groups.length} groups)`, samples, floors));
  }
}
