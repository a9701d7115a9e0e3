// Breakdowns read a metric through its split form (sums per group and owner, then combined) where
// it has one. Each group's figure must equal the metric's own value over the group's rows exactly:
// the reference here is the registry's `value` under a plain GROUP BY, written independently of
// fetchGrouped, on the demo data (every record kind, many groups).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchGrouped, type GroupBy } from "../../src/data/kpi-queries.ts";
import { fetchRolledUpGrouped } from "../../src/data/rollups.ts";
import { fetchFigures } from "../../src/data/figures.ts";
import { seedDemo } from "../../src/data/seed/demo.ts";
import { DEFAULT_METRIC_PARAMS, METRICS, isRolledUp, type MetricId, type RolledMetric } from "../../src/metrics/index.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";

const NOW = new Date("2026-11-26T12:00:00Z");
const WINDOW = { start: new Date("2026-04-01T00:00:00Z"), end: new Date("2026-10-01T00:00:00Z"), timeZone: "UTC" };
const SPLIT = (Object.keys(METRICS) as MetricId[]).filter((m) => {
  const s = METRICS[m].source;
  return typeof s !== "string" && s.split !== undefined;
});
const FIELD: Record<string, string> = { deals: "product", tickets: "channel", campaigns: "channel", activities: "type" };

const got0 = (n: number | undefined) => n ?? 0;

describe.each(backends)("split metric values on %s", (backend) => {
  let db: TestDatabase;
  let ids: number[];
  let teamOf: Map<number, string>;
  beforeAll(async () => {
    db = await freshDatabase(backend);
    await seedDemo(db, { now: NOW });
    const users = await db.prisma.user.findMany({ select: { id: true, teamId: true } });
    ids = users.map((u) => u.id);
    teamOf = new Map(users.map((u) => [u.id, String(u.teamId ?? "none")]));
  }, 120_000);
  afterAll(() => db?.dispose());

  it("covers the additive and ratio metrics, not the medians", () => {
    expect(SPLIT).toEqual(expect.arrayContaining(["sales", "winrate", "avgdeal", "csat", "cpl", "roi", "sla", "resrate", "tickets"]));
    expect(SPLIT).not.toContain("cycle");
    expect(SPLIT).not.toContain("frt");
  });

  it("by team from the rollups (pending changes included) equals the raw rows' figures", async () => {
    const rolled = (Object.keys(METRICS) as MetricId[]).filter((m): m is RolledMetric => isRolledUp(m));
    expect(rolled).toEqual(expect.arrayContaining(["sales", "winrate", "activities"]));
    // A change not folded into the rollups yet: a deal won mid-window, an activity.
    const [rep] = await db.prisma.user.findMany({ where: { role: "rep", team: { name: "East" } }, take: 1 });
    await db.prisma.deal.create({ data: { externalId: "split-new", ownerId: rep!.id, customer: "X", amount: 123_456n, currency: "USD", status: "won", createdAt: new Date("2026-05-02T10:00:00Z"), closedAt: new Date("2026-06-03T10:00:00Z") } });
    await db.prisma.activity.create({ data: { externalId: "split-act", ownerId: rep!.id, type: "call", occurredAt: new Date("2026-06-03T11:00:00Z") } });
    // A window with partial days at both ends (read raw) around whole months and days.
    for (const window of [WINDOW, { start: new Date("2026-04-03T15:30:00Z"), end: new Date("2026-09-17T08:00:00Z"), timeZone: "UTC" }]) {
      // The asker sees East one by one: East's people are not counted as hidden contributors.
      const seen = ids.filter((id) => teamOf.get(id) === String(rep!.teamId));
      const fast = await fetchRolledUpGrouped(db.prisma, rolled, ids, window, teamOf, seen);
      for (const m of rolled) {
        const want = (await fetchGrouped(db.prisma, m, ids, window, { kind: "owner", keys: teamOf }, { seen }))!;
        expect(got0(want.perGroup!.get(String(rep!.teamId))?.hidden), `${m}: East hides nobody from its manager`).toBe(0);
        expect(want.totalHidden).toBe(want.totalContributors! - (want.perGroup!.get(String(rep!.teamId))?.contributors ?? 0));
        const got = fast.get(m)!;
        const same = (a: number | null | undefined, b: number | null) => (a === null || b === null ? a === b : Math.abs(a! - b) <= 1e-12 * Math.abs(b));
        expect(same(got.total, want.total), `${m} total ${got.total} vs ${want.total}`).toBe(true);
        expect(got.totalCount).toBe(want.totalCount);
        expect(got.totalContributors).toBe(want.totalContributors);
        expect(got.totalHidden).toBe(want.totalHidden);
        expect([...got.perGroup!.keys()].sort()).toEqual([...want.perGroup!.keys()].sort());
        for (const [k, g] of want.perGroup!) {
          const h = got.perGroup!.get(k)!;
          expect(same(h.value, g.value), `${m} ${k}: ${h.value} vs ${g.value}`).toBe(true);
          expect([h.n, h.contributors, h.hidden]).toEqual([g.n, g.contributors, g.hidden]);
        }
      }
    }
  });

  it.each(["week", "month", "quarter"] as const)("by %s from the rollups equals the raw rows' figures per bucket", async (grain) => {
    const rolled = (Object.keys(METRICS) as MetricId[]).filter((m): m is RolledMetric => isRolledUp(m));
    const window = { start: new Date("2026-01-01T00:00:00Z"), end: new Date("2026-11-26T12:00:00Z"), timeZone: "UTC" };
    const seen = ids.slice(0, 10);
    const [fast] = await fetchFigures(db.prisma, ids, [{ metrics: rolled, window, groupBy: { kind: "time", grain } }], { seen });
    const [slow] = await fetchFigures(db.prisma, ids, [{ metrics: rolled, window, groupBy: { kind: "time", grain } }], { source: "raw", seen });
    const same = (a: number | null | undefined, b: number | null | undefined) => (a == null || b == null ? a === b : Math.abs(a - b) <= 1e-12 * Math.abs(b));
    for (const m of rolled) {
      const [got, want] = [fast!.get(m)!, slow!.get(m)!];
      expect(same(got.total, want.total), `${m} total`).toBe(true);
      expect([got.totalCount, got.totalContributors, got.totalHidden]).toEqual([want.totalCount, want.totalContributors, want.totalHidden]);
      expect([...got.perGroup!.keys()]).toEqual(expect.arrayContaining([...want.perGroup!.keys()]));
      expect(got.perGroup!.size).toBe(want.perGroup!.size);
      for (const [k, g] of want.perGroup!) {
        const h = got.perGroup!.get(k)!;
        expect(same(h.value, g.value), `${m} ${k}: ${h.value} vs ${g.value}`).toBe(true);
        expect([h.n, h.contributors, h.hidden], `${m} ${k}`).toEqual([g.n, g.contributors, g.hidden]);
      }
    }
  });

  it("a sum's contributors are the owners whose part is not 0 (a campaign with no leads adds nobody)", async () => {
    const owner = await db.prisma.user.create({ data: { email: "zero-leads@demo.test", name: "Zero Leads", role: "rep" } });
    await db.prisma.campaign.create({ data: { externalId: "split-zero", name: "Nothing yet", channel: "webinar", startDate: new Date("2026-05-05T00:00:00Z"), spend: 100n, leads: 0, conversions: 0, revenue: 0n, ownerId: owner.id } });
    const all = [...ids, owner.id];
    const perPerson = new Map(all.map((id) => [id, String(id)]));
    const leads = (await fetchGrouped(db.prisma, "leads", all, WINDOW, { kind: "owner", keys: perPerson }))!;
    expect(leads.perGroup!.get(String(owner.id))).toMatchObject({ value: 0, n: 1, contributors: 0, hidden: 0 });
    // Spend is not 0: the same campaign makes them a contributor to spend.
    const spend = (await fetchGrouped(db.prisma, "spend", all, WINDOW, { kind: "owner", keys: perPerson }))!;
    expect(spend.perGroup!.get(String(owner.id))).toMatchObject({ value: 100, contributors: 1 });
    await db.prisma.campaign.delete({ where: { externalId: "split-zero" } });
    await db.prisma.user.delete({ where: { id: owner.id } });
  });

  it.each(SPLIT)("%s: every group and the total equal the metric's value over their rows", async (metric) => {
    const s = METRICS[metric].source;
    if (typeof s === "string") throw new Error("no SQL source");
    const cast = s.isDate ? "date" : "timestamp";
    const [from, to] = s.isDate ? ["2026-04-01", "2026-10-01"] : ["2026-04-01 00:00:00", "2026-10-01 00:00:00"];
    const where = `${s.time} >= $1::${cast} AND ${s.time} < $2::${cast} AND ${s.owner} = ANY($3::int[]) AND ${s.where}`;
    const value = s.value("", DEFAULT_METRIC_PARAMS);
    const field = FIELD[METRICS[metric].records]!;
    const cases: [GroupBy, string][] = [
      // Campaigns all belong to Marketing: grouped by person rather than by team.
      METRICS[metric].records === "campaigns"
        ? [{ kind: "owner", keys: new Map(ids.map((id) => [id, String(id)])) }, `${s.owner}::text`]
        : [{ kind: "owner", keys: teamOf }, `(SELECT "teamId"::text FROM "User" u WHERE u.id = ${s.owner})`],
      [{ kind: "time", grain: "month" }, `to_char(date_trunc('month', ${s.time}), 'YYYY-MM')`],
    ];
    if (metric !== "activities") cases.push([{ kind: "field", dim: field === "type" ? "type" : (field as "product" | "channel") }, `COALESCE(${field}::text, '')`]);
    for (const [by, key] of cases) {
      const got = await fetchGrouped(db.prisma, metric, ids, WINDOW, by);
      const want = await db.prisma.$queryRawUnsafe<{ key: string; value: number | null; n: number }[]>(
        `SELECT COALESCE(${key}, 'none') AS key, ${value} AS value, count(*)::int AS n FROM ${s.table} WHERE ${where} GROUP BY 1`,
        from, to, ids,
      );
      const [total] = await db.prisma.$queryRawUnsafe<{ value: number | null }[]>(`SELECT ${value} AS value FROM ${s.table} WHERE ${where}`, from, to, ids);
      expect(want.length, `${metric} by ${by.kind}: groups in the demo`).toBeGreaterThan(1);
      expect(got!.total, `${metric} total`).toBe(total!.value === null ? null : Number(total!.value));
      expect(got!.perGroup!.size).toBe(want.length);
      for (const w of want) {
        const g = got!.perGroup!.get(w.key);
        expect(g?.value, `${metric} by ${by.kind} ${w.key}`).toBe(w.value === null ? null : Number(w.value));
        expect(g?.n).toBe(Number(w.n));
      }
    }
  });
});
