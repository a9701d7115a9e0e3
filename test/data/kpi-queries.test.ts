import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attainment, fetchMetric, fetchMetrics, fetchQuotaAmounts } from "../../src/data/kpi-queries.ts";
import type { MetricId as MetricKey } from "../../src/metrics/index.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";
import { loadHandmade, Q3, type Handmade } from "../support/handmade.ts";

describe.each(backends)("metric SQL on %s (hand-computed answers)", (backend) => {
  let db: TestDatabase;
  let h: Handmade;
  let reps: number[];
  beforeAll(async () => {
    db = await freshDatabase(backend);
    h = await loadHandmade(db.prisma);
    reps = [h.a, h.b, h.c];
  });
  afterAll(() => db?.dispose());

  const q = (m: MetricKey, w = Q3) => fetchMetric(db.prisma, m, reps, w);

  it("sales sums won amounts closed in the period", async () => {
    const f = await q("sales");
    expect(f.perRep.get(h.a)).toBe(400000);
    expect(f.perRep.get(h.b)).toBe(200000);
    expect(f.perRep.has(h.c)).toBe(false);
    expect(f.total).toBe(600000);
  });
  it("deals counts won deals closed in the period", async () => {
    const f = await q("deals");
    expect([f.perRep.get(h.a), f.perRep.get(h.b), f.total]).toEqual([2, 1, 3]);
  });
  it("winrate is won / (won + lost) over all closed deals, not a mean of reps", async () => {
    const f = await q("winrate");
    expect(f.perRep.get(h.a)).toBeCloseTo(2 / 3, 12);
    expect(f.perRep.get(h.b)).toBeCloseTo(1 / 3, 12);
    expect(f.perRep.get(h.c)).toBe(0);
    expect(f.total).toBeCloseTo(3 / 7, 12);
  });
  it("avgdeal is the mean won amount", async () => {
    const f = await q("avgdeal");
    expect([f.perRep.get(h.a), f.perRep.get(h.b), f.total]).toEqual([200000, 200000, 200000]);
  });
  it("cycle is the median days from creation to close of won deals", async () => {
    const f = await q("cycle");
    expect(f.perRep.get(h.a)).toBeCloseTo(30, 9);
    expect(f.perRep.get(h.b)).toBeCloseTo(10, 9);
    expect(f.total).toBeCloseTo(20, 9);
  });
  it("pipeline sums deals open at the end of the period, even if closed later", async () => {
    const f = await q("pipeline");
    expect(f.perRep.get(h.b)).toBe(700000);
    expect(f.perRep.get(h.c)).toBe(400000);
    expect(f.perRep.has(h.a)).toBe(false);
    expect(f.total).toBe(1100000);
  });
  it("activities counts activities in the period, in the workspace time zone", async () => {
    const utc = await q("activities");
    expect([utc.perRep.get(h.a), utc.perRep.get(h.b), utc.total]).toEqual([3, 1, 4]);
    const shanghai = await q("activities", { ...Q3, start: new Date("2026-06-30T16:00:00Z"), end: new Date("2026-09-30T16:00:00Z"), timeZone: "Asia/Shanghai" });
    // 06-30T10:00Z is still June in Shanghai (18:00); 09-30T23:30Z is already October there.
    expect(shanghai.perRep.get(h.a)).toBe(2);
  });
  it("quota attainment is sales / quota, quotas pro rata for partial periods", async () => {
    const f = await q("quota");
    expect(f.perRep.get(h.a)).toBeCloseTo(0.5, 12);
    expect(f.perRep.get(h.b)).toBeCloseTo(2, 12);
    expect(f.total).toBeCloseTo(600000 / 900000, 12);
    const aug = await q("quota", { start: new Date("2026-08-01T00:00:00Z"), end: new Date("2026-09-01T00:00:00Z"), timeZone: "UTC" });
    // Bo: 200000 won in August against 100000 × 31/92 of the quarter's quota.
    expect(aug.perRep.get(h.b)).toBeCloseTo(200000 / ((100000 * 31) / 92), 9);
    expect(aug.perRep.get(h.a)).toBe(0);
  });
  it("service metrics: csat mean, frt median minutes, resolution median hours", async () => {
    expect((await q("csat")).perRep.get(h.c)).toBe(4);
    expect((await q("frt")).perRep.get(h.c)).toBeCloseTo(60, 9);
    expect((await q("resolution")).perRep.get(h.c)).toBeCloseTo(7, 9);
  });
  it("marketing metrics over campaigns starting in the period", async () => {
    expect((await q("leads")).total).toBe(100);
    expect((await q("conversion")).total).toBeCloseTo(0.2, 12);
    expect((await q("cpl")).total).toBe(1500);
    expect((await q("roi")).total).toBeCloseTo(1, 12);
  });
  it("campaigns starting today count in a period clipped at now", async () => {
    const clipped = { start: new Date("2026-09-01T00:00:00Z"), end: new Date("2026-09-30T12:00:00Z"), timeZone: "UTC" };
    expect((await q("leads", clipped)).total).toBe(50); // Autumn starts 09-30, today
  });
  it("weekly series per scope and per rep, weeks starting Monday", async () => {
    const f = await fetchMetric(db.prisma, "sales", reps, Q3, { series: "perRep" });
    expect(f.series.map((p) => [p.bucket.toISOString().slice(0, 10), p.value])).toEqual([
      ["2026-07-06", 100000], // Sat 07-11 → week of Mon 07-06
      ["2026-07-20", 300000],
      ["2026-08-10", 200000],
    ]);
    expect(f.seriesPerRep.get(h.b)?.map((p) => p.value)).toEqual([200000]);
    expect(f.total).toBe(600000);
  });
  it("fetchMetrics shares one scan per table yet agrees with fetchMetric for every metric", async () => {
    const all: MetricKey[] = ["sales", "deals", "winrate", "avgdeal", "cycle", "activities", "csat", "frt", "resolution", "leads", "conversion", "cpl", "roi", "pipeline", "quota"];
    const many = await fetchMetrics(db.prisma, all, reps, Q3);
    for (const m of all) {
      const one = await q(m);
      const got = many.get(m)!;
      expect(got.total, m).toBeCloseTo(one.total ?? NaN, 9);
      expect([...got.perRep.entries()].sort(), m).toEqual([...one.perRep.entries()].sort());
    }
  });
  it("quota amounts are pro rata and attainment divides sales by them", async () => {
    const aug = { start: new Date("2026-08-01T00:00:00Z"), end: new Date("2026-09-01T00:00:00Z"), timeZone: "UTC" };
    const quotas = await fetchQuotaAmounts(db.prisma, reps, aug);
    expect(quotas.get(h.a)).toBeCloseTo((800000 * 31) / 92, 6);
    expect(quotas.has(h.c)).toBe(false);
    const a = attainment(await fetchMetric(db.prisma, "sales", reps, aug), quotas);
    expect(a.perRep.get(h.b)).toBeCloseTo(200000 / ((100000 * 31) / 92), 9);
  });
  it("no reps, no query", async () => {
    const f = await fetchMetric(db.prisma, "sales", [], Q3);
    expect(f.total).toBeNull();
  });
});
