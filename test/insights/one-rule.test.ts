// Issue 11's observations, each reproduced on a small generated CRM and checked against figures
// recomputed here from the raw rows (not through the code under test), plus the property that a
// comparison shows each period exactly as the plain answer does.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBot, type Bot } from "../../src/bot.ts";
import { Reply } from "../../src/reply.ts";
import { METRIC_IDS } from "../../src/metrics/index.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";

const NOW = new Date("2026-11-26T12:00:00Z");
const DAY = 86_400_000;
const at = (iso: string) => new Date(iso);

type Ids = Record<string, number>;

/**
 * Hunters (function sales): s1…s6 (s6 never sold), s7 inactive, s8 started 2026-08-15.
 * Support (function service): v1…v6 — tickets only, CSAT bunched around 3.4, first responses
 * under two minutes except v6. Solo (sales): t1 sells, t2 and t3 never do. No activities at all.
 */
async function load(db: TestDatabase): Promise<Ids> {
  const p = db.prisma;
  const ids: Ids = {};
  const admin = await p.user.create({ data: { email: "admin@x.test", name: "Admin", role: "admin" } });
  ids.admin = admin.id;
  const boss = await p.user.create({ data: { email: "boss@x.test", name: "Boss", role: "manager" } });
  const sellers = await p.team.create({ data: { name: "Hunters", function: "sales", managerId: boss.id } });
  const support = await p.team.create({ data: { name: "Support", function: "service", managerId: boss.id } });
  const solo = await p.team.create({ data: { name: "Solo", function: "sales", managerId: boss.id } });
  const person = async (key: string, teamId: number, extra: object = {}) => {
    const u = await p.user.create({ data: { email: `${key}@x.test`, name: key.toUpperCase(), role: "rep", teamId, startedAt: at("2020-01-01T00:00:00Z"), ...extra } });
    ids[key] = u.id;
  };
  for (const k of ["s1", "s2", "s3", "s4", "s5", "s6"]) await person(k, sellers.id);
  await person("s7", sellers.id, { active: false });
  await person("s8", sellers.id, { startedAt: at("2026-08-15T00:00:00Z") });
  for (const k of ["v1", "v2", "v3", "v4", "v5", "v6"]) await person(k, support.id);
  for (const k of ["t1", "t2", "t3"]) await person(k, solo.id);
  const growth = await p.team.create({ data: { name: "Growth", function: "marketing", managerId: boss.id } });
  await person("m1", growth.id);

  // Deals: weekly-ish wins for s1…s5 from 2026-02-01 to 2026-10-31, amounts varied by owner and week.
  const deals: { externalId: string; ownerId: number; customer: string; amount: bigint; status: "won" | "lost" | "open"; createdAt: Date; closedAt: Date | null }[] = [];
  let n = 0;
  for (let day = Date.parse("2026-02-01T00:00:00Z"); day < Date.parse("2026-11-01T00:00:00Z"); day += DAY) {
    const dow = new Date(day).getUTCDay();
    ["s1", "s2", "s3", "s4", "s5"].forEach((k, i) => {
      if ((dow + i) % 4 !== 0) return;
      const week = Math.floor((day - Date.parse("2026-02-01T00:00:00Z")) / (7 * DAY));
      const amount = (1000 + i * 700 + week * 40 + ((day / DAY) % 7) * 13) * 100;
      deals.push({ externalId: `d${++n}`, ownerId: ids[k]!, customer: "C", amount: BigInt(amount), status: (dow + i) % 8 === 0 ? "lost" : "won", createdAt: new Date(day - 20 * DAY), closedAt: new Date(day + 10 * 3600_000) });
    });
  }
  // The inactive seller's big win, and the new seller's first one.
  deals.push({ externalId: "inactive", ownerId: ids.s7!, customer: "C", amount: 90_000_000n, status: "won", createdAt: at("2026-07-01T00:00:00Z"), closedAt: at("2026-08-05T00:00:00Z") });
  deals.push({ externalId: "new", ownerId: ids.s8!, customer: "C", amount: 10_000n, status: "won", createdAt: at("2026-08-20T00:00:00Z"), closedAt: at("2026-09-01T00:00:00Z") });
  // Last year, for year-to-date comparisons.
  deals.push({ externalId: "last-year", ownerId: ids.s1!, customer: "C", amount: 500_000n, status: "won", createdAt: at("2025-02-01T00:00:00Z"), closedAt: at("2025-03-01T00:00:00Z") });
  // Solo: one person's single sale in a week.
  deals.push({ externalId: "solo", ownerId: ids.t1!, customer: "C", amount: 1_200_000n, status: "won", createdAt: at("2026-11-01T00:00:00Z"), closedAt: at("2026-11-10T10:00:00Z") });
  // December: a deal in euros in Solo, one in dollars in Hunters.
  deals.push({ externalId: "eur", ownerId: ids.t3!, customer: "C", amount: 500_000n, status: "won", createdAt: at("2026-11-01T00:00:00Z"), closedAt: at("2026-12-01T10:00:00Z") });
  deals.push({ externalId: "usd", ownerId: ids.s1!, customer: "C", amount: 300_000n, status: "won", createdAt: at("2026-11-01T00:00:00Z"), closedAt: at("2026-12-02T10:00:00Z") });
  await p.deal.createMany({ data: deals.map((d) => ({ ...d, currency: d.externalId === "eur" ? "EUR" : "USD" })) });
  // Campaigns in rupees: 819 paise per lead.
  await p.campaign.createMany({ data: [{ externalId: "in1", name: "Diwali", channel: "email", startDate: at("2026-08-01"), spend: 81_900n, leads: 100, conversions: 10, revenue: 200_000n, currency: "INR", ownerId: ids.m1! }] });

  // Tickets in Q3: CSAT per agent averages 3.4 … 3.5; first responses in seconds.
  const csat: Record<string, number[]> = { v1: [3, 4], v2: [3, 4, 3, 4, 3], v3: [4, 3], v4: [3, 4], v5: [3, 4], v6: [4, 3, 4, 3] };
  const frtSeconds: Record<string, number> = { v1: 49, v2: 58, v3: 66, v4: 54, v5: 62, v6: 170 };
  const tickets = Object.entries(csat).flatMap(([k, scores]) =>
    scores.map((s, i) => {
      const opened = Date.parse("2026-08-03T09:00:00Z") + i * DAY;
      return { externalId: `${k}-${i}`, agentId: ids[k]!, openedAt: new Date(opened), firstResponseAt: new Date(opened + frtSeconds[k]! * 1000), resolvedAt: new Date(opened + 3 * 3600_000), csat: s };
    }),
  );
  await p.ticket.createMany({ data: tickets });
  return ids;
}

/** Won amounts per owner over [start, end), straight from the rows (the independent side). */
async function wonByOwner(db: TestDatabase, start: string, end: string): Promise<Map<number, number>> {
  const rows = await db.prisma.deal.findMany({ where: { status: "won", closedAt: { gte: at(start), lt: at(end) } }, select: { ownerId: true, amount: true } });
  const out = new Map<number, number>();
  for (const r of rows) out.set(r.ownerId, (out.get(r.ownerId) ?? 0) + Number(r.amount));
  return out;
}

const medianOf = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? null : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

describe.each(backends)("answers that hold on real data (%s)", (backend) => {
  let db: TestDatabase;
  let ids: Ids;
  let bot: Bot;
  beforeAll(async () => {
    db = await freshDatabase(backend);
    ids = await load(db);
    bot = createBot({ prisma: db.prisma, now: () => NOW, timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD" });
  });
  afterAll(() => db?.dispose());

  const ask = async (who: string, text: string) => {
    const r = await bot.handle({ platform: "console", userId: `${who}@x.test`, text });
    expect(() => Reply.parse(r)).not.toThrow();
    return r;
  };

  it("ranks only the people a metric applies to: sellers with $0 yes, service agents and inactive people no, new people marked and never flagged", async () => {
    const r = await ask("admin", "org sales q3-2026");
    const names = r.table!.rows.map((row) => row[1]);
    // Solo is a sales team too: T2 and T3 never sold, and rank at $0.
    expect(new Set(names)).toEqual(new Set(["S1", "S2", "S3", "S4", "S5", "S6", "S8", "T1", "T2", "T3"]));
    expect(r.table!.rows.find((row) => row[1] === "S6")![2]).toBe("$0");
    expect(r.table!.rows.find((row) => row[1] === "S8")![4]).toBe("new");
    expect(r.flags.map((f) => f.subject)).not.toContain("S8");
    expect(r.figures?.members).toBe(10);
    // The inactive seller's $900,000 is not in anyone's figures.
    expect(JSON.stringify(r)).not.toContain("900,000");
  });

  it("shows the same median and member count in a plain answer and in compare (one median, one threshold)", async () => {
    const week = "2026-09-14..2026-09-20";
    const plain = await ask("boss", `team hunters sales ${week}`);
    const cmp = await ask("boss", `compare team hunters sales ${week} vs 2026-09-07..2026-09-13`);
    const side = cmp.figures!.sides![0]!;
    expect(side.median).toBe(plain.figures!.median);
    expect(side.total).toBe(plain.figures!.total);
    expect(side.members).toBe(plain.figures!.members);
    // Independently: the median over the six active sellers and the new one, $0 counted.
    const won = await wonByOwner(db, "2026-09-14T00:00:00Z", "2026-09-21T00:00:00Z");
    const members = ["s1", "s2", "s3", "s4", "s5", "s6", "s8"].map((k) => won.get(ids[k]!) ?? 0);
    expect(plain.figures!.median).toBe(medianOf(members));
  });

  it("gives no advice from data that does not exist: no activities imported → activity is not cited, and the gap is said", async () => {
    const r = await ask("admin", "team hunters sales q3-2026");
    const low = r.flags.filter((f) => f.kind === "low");
    for (const f of r.flags) expect(f.advice).not.toMatch(/Plenty of activity|Activity is low/);
    for (const f of low) expect(f.advice).toMatch(/No Activities data here/);
    expect(r.facts.some((f) => /Activities ↔/.test(f.label))).toBe(false);
  });

  it("leaves a one-day stub week out of the trend, in the text and the chart alike", async () => {
    // 2026-03-01 is a Sunday: its week (from Monday 02-23) has one day in the period.
    const r = await ask("admin", "team hunters sales 2026-03-01..2026-05-31");
    const chart = r.charts.find((c) => c.kind === "trend");
    if (chart?.kind !== "trend") throw new Error("no trend chart");
    expect(chart.points[0]!.label).toBe("2026-03-02");
    expect(chart.points.at(-1)!.label).toBe("2026-05-25"); // Monday 05-25 to Sunday 05-31: whole
    // Independent slope over whole weeks: least squares on (week index, weekly won sum).
    const ys: number[] = [];
    for (let w = Date.parse("2026-03-02T00:00:00Z"); w < Date.parse("2026-06-01T00:00:00Z"); w += 7 * DAY) {
      const won = await wonByOwner(db, new Date(w).toISOString(), new Date(w + 7 * DAY).toISOString());
      ys.push(["s1", "s2", "s3", "s4", "s5", "s6", "s8"].reduce((s, k) => s + (won.get(ids[k]!) ?? 0), 0));
    }
    expect(chart.points.map((p) => p.value)).toEqual(ys);
    const xs = ys.map((_, i) => i);
    const mx = xs.reduce((a, b) => a + b) / xs.length;
    const my = ys.reduce((a, b) => a + b) / ys.length;
    const slope = xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
    const shown = r.facts.find((f) => f.label === "Trend")!.value;
    expect(shown).toContain(`+$${Math.round(slope / 100).toLocaleString("en-US")} per week`);
  });

  it("says there is no data rather than a certain-looking zero: no r², no $0 forecast band, no rank among equals", async () => {
    const r = await ask("s6", "me sales this-quarter");
    expect(r.summary).toMatch(/No Sales recorded for You/);
    const text = JSON.stringify(r);
    expect(text).not.toMatch(/r² 1\.00/);
    expect(text).not.toMatch(/\$0 – \$0/);
    const empty = await ask("admin", "team hunters sales 2026-01");
    expect(empty.summary).toMatch(/^No Sales data for 2026-01/);
    expect(empty.facts.some((f) => f.label === "Trend" || f.label.startsWith("Forecast"))).toBe(false);
    expect(empty.flags).toEqual([]);
    const me = await ask("boss", "rep s1@x.test sales 2026-01");
    expect(me.facts.some((f) => f.label === "Percentile")).toBe(false);
  });

  it("does not flag tightly bunched scores: CSAT 3.50 against a median of 3.40 is not news", async () => {
    const r = await ask("admin", "team support csat q3-2026");
    expect(r.flags).toEqual([]);
    expect(r.facts[0]!.label).toBe("Overall CSAT");
  });

  it("writes compared numbers with enough precision to differ, and names medians as medians", async () => {
    const r = await ask("admin", "team support frt q3-2026");
    expect(r.facts[0]!.label).toBe("Median first response");
    const low = r.flags.find((f) => f.subject === "V6");
    expect(low?.kind).toBe("low");
    const [value, median] = low!.reason.match(/([\d.]+ (?:s|min)) vs team median ([\d.]+ (?:s|min))/)!.slice(1);
    expect(value).not.toBe(median);
    const cells = r.table!.rows.map((row) => row[2]);
    expect(new Set(cells).size).toBe(cells.length);
  });

  it("labels org answers as the org's and a running year against the same point of last year", async () => {
    const r = await ask("admin", "org sales ytd");
    expect(r.facts.map((f) => f.label)).toContain("Org median");
    expect(r.summary).toContain("vs same point of 2025");
  });

  it("counts contributors, not members: one person's sale is withheld from aggregate askers on every path", async () => {
    const week = "2026-11-09..2026-11-15";
    const rep = await ask("t2", `team sales ${week}`);
    expect(rep.figures?.total).toBeNull();
    expect(JSON.stringify(rep)).not.toContain("12,000");
    const cmp = await ask("t2", `compare team sales ${week} vs 2026-11-02..2026-11-08`);
    expect(JSON.stringify(cmp)).not.toContain("12,000");
    // A channel digest, whoever subscribed it.
    const digest = await bot.answerFor(ids.boss ?? (await db.prisma.user.findFirstOrThrow({ where: { email: "boss@x.test" } })).id, `team solo sales ${week}`, "channel", "digest S1");
    expect(digest.figures?.total).toBeNull();
    expect(JSON.stringify(digest)).not.toContain("12,000");
    // The manager, who may see each person, gets it.
    expect((await ask("boss", `team solo sales ${week}`)).figures?.total).toBe(1_200_000);
  });

  it("shows aggregate askers of a 3–4 contributor group the total but not the median (no differencing)", async () => {
    // Hunters in 2026-03-02..2026-03-08: fewer than five sold that week?
    const won = await wonByOwner(db, "2026-03-02T00:00:00Z", "2026-03-09T00:00:00Z");
    // s1 asks: their own figure is known to them, so only the others count.
    const contributors = ["s2", "s3", "s4", "s5"].filter((k) => (won.get(ids[k]!) ?? 0) > 0).length;
    const r = await ask("s1", "team sales 2026-03-02..2026-03-08");
    if (contributors >= 5) {
      expect(r.figures?.median).not.toBeNull();
    } else {
      expect(contributors).toBeGreaterThanOrEqual(3);
      expect(r.figures?.total).not.toBeNull();
      expect(r.figures?.median).toBeNull();
    }
  });

  it("checks the currencies of the deals actually in a pipeline (not those created after the period)", async () => {
    // Solo's euro deal was created on 2026-11-01: it is not in October's closing pipeline.
    const r = await ask("boss", "team solo pipeline 2026-10");
    expect(r.kind).toBe("answer");
  });

  it("labels money with the currency of its data and refuses to add currencies without rates", async () => {
    const cpl = await ask("admin", "team growth cpl q3-2026");
    expect(cpl.figures?.currency).toBe("INR");
    expect(cpl.facts[0]!.value).toMatch(/₹\s?8\.19/);
    expect(cpl.facts[0]!.value).not.toContain("$");
    const eur = await ask("boss", "team solo sales 2026-12");
    expect(eur.figures?.currency).toBe("EUR");
    expect(eur.facts[0]!.value).toContain("€");
    const mixed = await ask("admin", "org sales 2026-12");
    expect(mixed.kind).toBe("error");
    expect(mixed.summary).toMatch(/EUR, USD/);
    expect(mixed.summary).toMatch(/exchange rates to USD \(missing: EUR 2026-12\)/);
    // With the operator's rate for the month, the amounts are converted, then added.
    await db.prisma.exchangeRate.create({ data: { currency: "EUR", base: "USD", month: at("2026-12-01"), rate: 1.1 } });
    const converted = await ask("admin", "org sales 2026-12");
    expect(converted.kind).toBe("answer");
    expect(converted.figures?.currency).toBe("USD");
    expect(converted.figures?.total).toBeCloseTo(300_000 + 500_000 * 1.1, 6);
    const cmp = await ask("admin", "compare org sales 2026-12 vs 2026-11");
    expect(cmp.figures?.sides?.[0]?.total).toBeCloseTo(300_000 + 500_000 * 1.1, 6);
  });

  it("property: each side of `compare A vs B` equals the plain answers for A and B (total, median, members)", async () => {
    const months = ["2026-02", "2026-03", "2026-05", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"];
    const scopes = ["org", "team hunters", "team support", "team solo", "me", "rep s3@x.test"];
    const askers = ["admin", "boss", "s1", "t2"];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...askers), fc.constantFrom(...scopes), fc.constantFrom(...METRIC_IDS), fc.constantFrom(...months), fc.constantFrom(...months), async (who, scope, metric, a, b) => {
        const [pa, pb, cmp] = await Promise.all([ask(who, `${scope} ${metric} ${a}`), ask(who, `${scope} ${metric} ${b}`), ask(who, `compare ${scope} ${metric} ${a} vs ${b}`)]);
        if (pa.kind !== "answer" || pb.kind !== "answer") {
          expect(cmp.kind).not.toBe("answer");
          return;
        }
        expect(cmp.kind).toBe("answer");
        const sides = cmp.figures!.sides!;
        for (const [side, plain] of [[sides[0]!, pa], [sides[1]!, pb]] as const) {
          expect(side.total, `${who}: ${scope} ${metric} ${side.label}`).toBe(plain.figures!.total);
          if (!plain.figures!.rows.length || plain.about === "group") expect(side.median).toBe(plain.about === "group" ? plain.figures!.median : side.median);
          expect(side.members).toBe(plain.figures!.members);
        }
      }),
      { numRuns: 40, seed: 11 },
    );
  });
});
