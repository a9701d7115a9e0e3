import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../src/data/seed/demo.ts";
import { benchDealId, hasLargeDataset, seedLarge, type LargeSummary } from "../../src/data/seed/large.ts";
import { SeedError } from "../../src/data/seed/markers.ts";
import type { SqlRunner } from "../../src/data/migrate.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";

const now = new Date("2026-11-26T15:00:00Z");
const DAY = 86_400_000;
// Big enough for the shapes below (seasonality, win rates, ~2 activities per deal) to show; the
// sizes that matter for speed are measured by `npm run bench`, not here.
const DEALS = 5_000;
const small = { deals: DEALS, reps: 50, now };

async function benchDigest(sql: SqlRunner) {
  const [row] = await sql.query<{ deals: string; activities: string; won: string }>(
    `SELECT (SELECT md5(string_agg(concat_ws('|', d."externalId", u.email, d.customer, d.amount, d.status, d."createdAt", d."closedAt"), ',' ORDER BY d."externalId"))
               FROM "Deal" d JOIN "User" u ON u.id = d."ownerId" WHERE d."externalId" LIKE 'bench-%') AS deals,
            (SELECT md5(string_agg(concat_ws('|', a."externalId", a.type, a."occurredAt"), ',' ORDER BY a."externalId"))
               FROM "Activity" a WHERE a."externalId" LIKE 'bench-%') AS activities,
            (SELECT sum(amount)::text FROM "Deal" WHERE status = 'won' AND "externalId" LIKE 'bench-%') AS won`,
  );
  return row!;
}

/** Secondary indexes and foreign keys of the bulk-loaded tables, as the catalog describes them. */
async function schemaShape(sql: SqlRunner): Promise<string[]> {
  const rows = await sql.query<{ def: string }>(
    `SELECT indexdef AS def FROM pg_indexes WHERE tablename IN ('Deal', 'Activity')
     UNION ALL
     SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid IN ('"Deal"'::regclass, '"Activity"'::regclass)
     ORDER BY 1`,
  );
  return rows.map((r) => r.def);
}

describe.each(backends)("benchmark dataset on %s", (backend) => {
  let db: TestDatabase;
  let summary: LargeSummary;
  let shapeBefore: string[];

  beforeAll(async () => {
    db = await freshDatabase(backend);
    shapeBefore = await schemaShape(db.sql);
    expect(await hasLargeDataset(db, small.deals)).toBe(false);
    summary = await seedLarge(db, small);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it("loads exactly the requested deals and reps, about two activities per deal, and quarterly quotas", async () => {
    expect(summary.counts).toMatchObject({ deals: DEALS, reps: 50, teams: 1 + 3, users: 1 + 3 + 50, quotas: 50 * 10 });
    expect(summary.counts.activities).toBeGreaterThan(DEALS * 2 * 0.97);
    expect(summary.counts.activities).toBeLessThan(DEALS * 2 * 1.03);
    const [c] = await db.sql.query<Record<string, number>>(
      `SELECT (SELECT count(*)::int FROM "Deal") AS deals, (SELECT count(*)::int FROM "Activity") AS activities,
              (SELECT count(*)::int FROM "User" WHERE role = 'rep') AS reps, (SELECT count(*)::int FROM "Quota") AS quotas`,
    );
    expect(c).toEqual({ deals: DEALS, activities: summary.counts.activities, reps: 50, quotas: 500 });
    expect(BigInt((await benchDigest(db.sql)).won)).toBe(summary.wonAmount);
  });

  it("is marked so a later run can tell it is loaded", async () => {
    expect(await hasLargeDataset(db, DEALS)).toBe(true);
    expect(await hasLargeDataset(db, DEALS, 50)).toBe(true);
    expect(await hasLargeDataset(db, DEALS, 500)).toBe(false);
    expect(await hasLargeDataset(db, 1_000_000)).toBe(false);
    expect(await hasLargeDataset(db, DEALS - 1)).toBe(false);
    expect(benchDealId(20_000)).toBe("bench-deal-000020000");
  });

  it("restores every index and foreign key it set aside for the load", async () => {
    expect(await schemaShape(db.sql)).toEqual(shapeBefore);
  });

  it("has CRM shapes: org and teams with managers, dated deals with 20–40 % wins, activities during their deal", async () => {
    const [t] = await db.sql.query<{ teams: number; unmanaged: number; orphans: number; repsWithoutManager: number }>(
      `SELECT count(*) FILTER (WHERE t."parentId" = org.id)::int AS teams,
              count(*) FILTER (WHERE t."managerId" IS NULL)::int AS unmanaged,
              count(*) FILTER (WHERE t.id <> org.id AND t."parentId" IS DISTINCT FROM org.id)::int AS orphans,
              (SELECT count(*)::int FROM "User" WHERE role = 'rep' AND ("managerId" IS NULL OR "teamId" IS NULL)) AS "repsWithoutManager"
       FROM "Team" t, "Team" org WHERE org.name = 'Bench Org'`,
    );
    expect(t).toEqual({ teams: 3, unmanaged: 0, orphans: 0, repsWithoutManager: 0 });

    const [d] = await db.sql.query<{ bad: number; won: number; lost: number; open: number; q4: number; q2: number; owners: number }>(
      `SELECT count(*) FILTER (WHERE amount < 50000 OR "createdAt" < $2 OR "createdAt" > $1 OR "closedAt" > $1
                                  OR "closedAt" <= "createdAt" OR (status = 'open') <> ("closedAt" IS NULL))::int AS bad,
              count(*) FILTER (WHERE status = 'won')::int AS won, count(*) FILTER (WHERE status = 'lost')::int AS lost,
              count(*) FILTER (WHERE status = 'open')::int AS open,
              count(*) FILTER (WHERE "createdAt" >= '2025-10-01' AND "createdAt" < '2026-01-01')::int AS q4,
              count(*) FILTER (WHERE "createdAt" >= '2025-04-01' AND "createdAt" < '2025-07-01')::int AS q2,
              count(DISTINCT "ownerId")::int AS owners
       FROM "Deal"`,
      [now, new Date(now.getTime() - 730 * DAY)],
    );
    expect(d!.bad).toBe(0);
    expect(d!.won / (d!.won + d!.lost)).toBeGreaterThan(0.2);
    expect(d!.won / (d!.won + d!.lost)).toBeLessThan(0.4);
    expect(d!.open).toBeGreaterThan(0);
    expect(d!.q4).toBeGreaterThan(d!.q2 * 1.15);
    expect(d!.owners).toBe(50);

    const [a] = await db.sql.query<{ bad: number }>(
      `SELECT count(*)::int AS bad FROM "Activity" a JOIN "Deal" d ON d.id = a."dealId"
       WHERE a."ownerId" <> d."ownerId" OR a."occurredAt" < d."createdAt" OR a."occurredAt" > coalesce(d."closedAt", $1)`,
      [now],
    );
    expect(a!.bad).toBe(0);
  });

  it("is deterministic: reloading gives identical rows; another seed gives other totals", async () => {
    const before = await benchDigest(db.sql);
    const again = await seedLarge(db, small);
    expect(again).toEqual(summary);
    expect(await benchDigest(db.sql)).toEqual(before);

    const other = await seedLarge(db, { ...small, seed: 7 });
    expect(other.counts.deals).toBe(DEALS);
    expect(other.wonAmount).not.toBe(summary.wonAmount);
    await seedLarge(db, small); // leave the default dataset for the next test
  });

  it("coexists with the demo: each can be (re)loaded without touching the other", async () => {
    const bench = await benchDigest(db.sql);
    const demo = await seedDemo(db, { now });
    expect(await benchDigest(db.sql)).toEqual(bench);
    await seedDemo(db, { now, replace: true });
    expect(await benchDigest(db.sql)).toEqual(bench);
    expect(await hasLargeDataset(db, DEALS, 50)).toBe(true);

    await seedLarge(db, small);
    const [n] = await db.sql.query<{ deals: number; users: number }>(
      `SELECT (SELECT count(*)::int FROM "Deal" WHERE "externalId" LIKE 'demo-%') AS deals,
              (SELECT count(*)::int FROM "User" WHERE email LIKE '%@demo.kpi-bot.dev') AS users`,
    );
    expect(n).toEqual({ deals: demo.counts.deals, users: demo.counts.users });
    expect(await benchDigest(db.sql)).toEqual(bench);
  });

  it("rejects options out of range with a SeedError", async () => {
    await expect(seedLarge(db, { deals: 0, now })).rejects.toThrow(SeedError);
    await expect(seedLarge(db, { deals: 10, activities: 10_000, now })).rejects.toThrow(/100 activities per deal/);
    expect(await hasLargeDataset(db, DEALS, 50)).toBe(true);
  });

  it("loads with the indexes in place when the table already holds more deals than the load", async () => {
    // The demo (about 3,000 deals) is still there from the test above.
    const s = await seedLarge(db, { deals: 2_000, reps: 10, now });
    expect(s.counts).toMatchObject({ deals: 2_000, reps: 10, users: 1 + 1 + 10 });
    expect(await hasLargeDataset(db, 2_000, 10)).toBe(true);
    expect(await hasLargeDataset(db, DEALS)).toBe(false);
    expect(await schemaShape(db.sql)).toEqual(shapeBefore);
  });
});
