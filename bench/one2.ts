import { openDatabase } from "../src/data/db.ts";
import { fetchRolledUpMany } from "../src/data/rollups.ts";
import { fetchQuotaAmounts } from "../src/data/kpi-queries.ts";
const db = await openDatabase({ kind: "postgres", url: "postgres://postgres@127.0.0.1:5432/kpi_bench" });
const ids = (await db.prisma.user.findMany({ where: { role: "rep", email: { endsWith: "@bench.kpi-bot.dev" } }, select: { id: true } })).map((u) => u.id);
const w = { start: new Date("2026-07-01T00:00:00Z"), end: new Date("2026-10-01T00:00:00Z"), timeZone: "UTC" };
const pw = { start: new Date("2026-04-01T00:00:00Z"), end: new Date("2026-07-01T00:00:00Z"), timeZone: "UTC" };
async function t(name: string, fn: () => Promise<unknown>, n = 100) {
  for (let i = 0; i < 10; i++) await fn();
  const xs: number[] = [];
  for (let i = 0; i < n; i++) { const a = performance.now(); await fn(); xs.push(performance.now() - a); }
  xs.sort((a, b) => a - b);
  console.log(name.padEnd(40), xs[Math.floor(n / 2)]!.toFixed(2));
}
const floorSql = `SELECT "ownerId", sum(amount)::float8 FROM "Deal" WHERE status = 'won' AND "closedAt" >= $1::timestamp AND "closedAt" < $2::timestamp AND "ownerId" = ANY($3::int[]) GROUP BY 1`;
const comb = () => fetchRolledUpMany(db.prisma, ids, [{ metrics: ["sales", "activities", "winrate", "avgdeal"], window: w, series: "total" }, { metrics: ["sales"], window: pw }]);
const totals = () => fetchRolledUpMany(db.prisma, ids, [{ metrics: ["sales", "activities", "winrate", "avgdeal"], window: w }, { metrics: ["sales"], window: pw }]);
const series = () => fetchRolledUpMany(db.prisma, ids, [{ metrics: ["sales"], window: w, series: "total" }]);
await t("floor", () => db.prisma.$queryRawUnsafe(floorSql, "2026-07-01 00:00:00", "2026-10-01 00:00:00", ids));
await t("combined", comb);
await t("totals only (cur+prev)", totals);
await t("series+cur totals", series);
await t("quota", () => fetchQuotaAmounts(db.prisma, ids, w));
await t("combined || quota", () => Promise.all([comb(), fetchQuotaAmounts(db.prisma, ids, w)]));
await t("select 1", () => db.prisma.$queryRawUnsafe("select 1"));
await t("users 500", () => db.prisma.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true, teamId: true } }));
await db.close();
