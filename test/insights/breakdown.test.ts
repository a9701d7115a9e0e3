// Breakdowns (issue 14, first slice) on a small generated CRM, every figure checked against a
// recomputation here from the raw rows (not through the code under test), on PGlite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBot, type Bot } from "../../src/bot.ts";
import { Reply, type BreakdownGroup } from "../../src/reply.ts";
import { replyToBlocks } from "../../adapters/slack/blocks.ts";
import { replyToCard } from "../../adapters/teams/card.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";
import { blockKitProblems } from "../slack/support/block-kit.ts";
import { AdaptiveCard15 } from "../teams/support/adaptive-card.ts";

const NOW = new Date("2026-11-26T12:00:00Z");
const DAY = 86_400_000;
const at = (iso: string) => new Date(iso);

type Ids = Record<string, number>;

/** Sales (parent) → teams A (3 reps, 5 of 10 won), B (3, 6), C (2, 4: a small team), D (4, 5 or 6), E (3, 1); Growth (marketing). */
const TEAMS: Record<string, { reps: number; wins: (i: number) => number }> = {
  A: { reps: 3, wins: () => 5 },
  B: { reps: 3, wins: () => 6 },
  C: { reps: 2, wins: () => 4 },
  D: { reps: 4, wins: (i) => (i % 2 ? 6 : 5) },
  E: { reps: 3, wins: () => 1 },
};

async function load(db: TestDatabase): Promise<Ids> {
  const p = db.prisma;
  const ids: Ids = {};
  ids.admin = (await p.user.create({ data: { email: "admin@x.test", name: "Admin", role: "admin" } })).id;
  const boss = await p.user.create({ data: { email: "boss@x.test", name: "Boss", role: "manager" } });
  const sales = await p.team.create({ data: { name: "Sales", function: "sales" } });
  const deals: { externalId: string; ownerId: number; customer: string; amount: bigint; status: "won" | "lost"; createdAt: Date; closedAt: Date }[] = [];
  let n = 0;
  for (const [name, spec] of Object.entries(TEAMS)) {
    const team = await p.team.create({ data: { name, parentId: sales.id, ...(name === "A" && { managerId: boss.id }) } });
    ids[name] = team.id;
    for (let i = 0; i < spec.reps; i++) {
      const key = `${name.toLowerCase()}${i + 1}`;
      const u = await p.user.create({ data: { email: `${key}@x.test`, name: key.toUpperCase(), role: "rep", teamId: team.id, startedAt: at("2020-01-01T00:00:00Z") } });
      ids[key] = u.id;
      // Q3: 10 closed deals, `wins` of them won; Q2: 10 closed, 5 won (for the deltas).
      for (const [start, wins] of [["2026-07-01", spec.wins(i)], ["2026-04-01", 5]] as const) {
        for (let k = 0; k < 10; k++) {
          const closedAt = new Date(Date.parse(`${start}T10:00:00Z`) + k * 9 * DAY);
          deals.push({ externalId: `d${++n}`, ownerId: u.id, customer: "C", amount: BigInt((1000 + n * 7) * 100), status: k < wins ? "won" : "lost", createdAt: new Date(closedAt.getTime() - 20 * DAY), closedAt });
        }
      }
    }
  }
  await p.deal.createMany({ data: deals });
  const growth = await p.team.create({ data: { name: "Growth", function: "marketing" } });
  for (const key of ["m1", "m2", "m3"]) ids[key] = (await p.user.create({ data: { email: `${key}@x.test`, name: key.toUpperCase(), role: "rep", teamId: growth.id, startedAt: at("2020-01-01T00:00:00Z") } })).id;
  const campaigns = [
    ["email", "m1", 100_000n, 40], ["email", "m2", 150_000n, 50], ["email", "m3", 90_000n, 30],
    ["social", "m1", 300_000n, 20], ["social", "m2", 120_000n, 10],
    ["search", "m3", 200_000n, 25],
  ] as const;
  await p.campaign.createMany({
    data: campaigns.map(([channel, owner, spend, leads], i) => ({ externalId: `c${i}`, name: `C${i}`, channel, startDate: at(`2026-0${7 + (i % 3)}-1${i}`), spend, leads, conversions: 1, revenue: 0n, ownerId: ids[owner]! })),
  });
  return ids;
}

describe.each(backends)("breakdowns (%s)", (backend) => {
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
    expect(r.kind, r.summary).toBe("answer");
    return Reply.parse(r);
  };
  const groupsOf = (r: Reply) => new Map((r.figures!.breakdown!.groups as BreakdownGroup[]).map((g) => [g.label, g]));

  /** Closed deals of Q3 or Q2 2026 per team name, from the rows. */
  async function closedByTeam(start: string, end: string) {
    const rows = await db.prisma.deal.findMany({ where: { closedAt: { gte: at(start), lt: at(end) } }, select: { ownerId: true, status: true, amount: true } });
    const teamOf = new Map<number, string>();
    for (const [name, spec] of Object.entries(TEAMS)) for (let i = 0; i < spec.reps; i++) teamOf.set(ids[`${name.toLowerCase()}${i + 1}`]!, name);
    const out = new Map<string, { won: number; closed: number; sales: number; owners: Set<number> }>();
    for (const r of rows) {
      const t = teamOf.get(r.ownerId)!;
      const x = out.get(t) ?? { won: 0, closed: 0, sales: 0, owners: new Set() };
      x.closed++;
      if (r.status === "won") {
        x.won++;
        x.sales += Number(r.amount);
        x.owners.add(r.ownerId);
      }
      out.set(t, x);
    }
    return out;
  }

  it.each([["en", "org winrate by team q3-2026"], ["zh", "公司 赢单率 按团队 q3-2026"]])("%s: a team's win rate is its won over its closed deals, with the delta and the low team flagged", async (_lang, text) => {
    const r = await ask("admin", text);
    const q3 = await closedByTeam("2026-07-01T00:00:00Z", "2026-10-01T00:00:00Z");
    const q2 = await closedByTeam("2026-04-01T00:00:00Z", "2026-07-01T00:00:00Z");
    const g = groupsOf(r);
    expect([...g.keys()].sort()).toEqual(["A", "B", "C", "D", "E"]);
    for (const [name, x] of q3) {
      expect(g.get(name)!.value).toBeCloseTo(x.won / x.closed, 10);
      expect(g.get(name)!.delta).toBeCloseTo(x.won / x.closed - q2.get(name)!.won / q2.get(name)!.closed, 10);
      expect(g.get(name)!.share).toBeNull(); // a rate is not additive
    }
    expect(g.get("D")!.value).toBeCloseTo(22 / 40, 10);
    expect(g.get("E")!.flag).toBe("low");
    expect([...g.values()].filter((x) => x.flag !== null).map((x) => x.label)).toEqual(["E"]);
    expect(r.flags[0]!.subject).toBe("E");
    expect(r.flags[0]!.reason).toMatch(/10(\.0)?%/);
    expect(r.charts[0]!.kind).toBe("bar");
    // The bar chart is sorted best first.
    const bars = r.charts[0]!.kind === "bar" ? r.charts[0]!.bars.map((b) => b.value) : [];
    expect(bars).toEqual([...bars].sort((a, b) => b - a));
  });

  it.each([["en", "org sales by month 2026"], ["zh", "公司 销售额 按月 2026"]])("%s: sales by month are the won amounts per calendar month, ISO keys, shares summing to 1", async (_lang, text) => {
    const r = await ask("admin", text);
    const rows = await db.prisma.deal.findMany({ where: { status: "won", closedAt: { gte: at("2026-01-01T00:00:00Z"), lt: at("2027-01-01T00:00:00Z") } }, select: { amount: true, closedAt: true } });
    const byMonth = new Map<string, number>();
    for (const d of rows) byMonth.set(d.closedAt!.toISOString().slice(0, 7), (byMonth.get(d.closedAt!.toISOString().slice(0, 7)) ?? 0) + Number(d.amount));
    const groups = r.figures!.breakdown!.groups;
    expect(r.figures!.breakdown!.by).toBe("month");
    // Every month of the running year so far, empty ones at $0.
    const months = Array.from({ length: 11 }, (_, i) => `2026-${String(i + 1).padStart(2, "0")}`);
    expect(groups.map((x) => x.key)).toEqual(months);
    expect(new Map(groups.map((x) => [x.key, x.value]))).toEqual(new Map(months.map((m) => [m, byMonth.get(m) ?? 0])));
    expect(groups.reduce((s, x) => s + x.share!, 0)).toBeCloseTo(1, 10);
    // Each month's delta is against the month before.
    expect(groups[1]!.delta).toBe(groups[1]!.value! - groups[0]!.value!);
    expect(r.charts[0]!.kind).toBe("trend");
    // The running month (November) is partial: the line is fitted to January–October, and the
    // forecast covers November and December, by least squares computed here.
    const chart = r.charts[0]!;
    if (chart.kind !== "trend") throw new Error("not a trend");
    expect(chart.trend?.length).toBe(groups.length - 1);
    const ys = groups.slice(0, -1).map((x) => x.value!);
    const xm = (ys.length - 1) / 2;
    const ym = ys.reduce((a, b) => a + b, 0) / ys.length;
    const slope = ys.reduce((a, y, x) => a + (x - xm) * (y - ym), 0) / ys.reduce((a, _y, x) => a + (x - xm) ** 2, 0);
    expect(chart.forecast!.map((f) => f.label)).toEqual(["2026-11", "2026-12"]);
    chart.forecast!.forEach((f, i) => expect(f.value).toBeCloseTo(Math.max(0, ym + slope * (10 + i - xm)), 6));
  });

  it.each([["en", "org leads by channel q3-2026"], ["zh", "公司 线索 按渠道 q3-2026"]])("%s: leads by campaign channel", async (_lang, text) => {
    const r = await ask("admin", text);
    const rows = await db.prisma.campaign.findMany({ select: { channel: true, leads: true } });
    const want = new Map<string, number>();
    for (const c of rows) want.set(c.channel, (want.get(c.channel) ?? 0) + c.leads);
    expect(new Map(r.figures!.breakdown!.groups.map((x) => [x.key, x.value]))).toEqual(want);
    const cpl = await ask("admin", "org cpl by channel q3-2026");
    const spend = await db.prisma.campaign.findMany({ where: { channel: "social" }, select: { spend: true, leads: true } });
    expect(groupsOf(cpl).get("social")!.value).toBeCloseTo(spend.reduce((s, c) => s + Number(c.spend), 0) / spend.reduce((s, c) => s + c.leads, 0), 10);
  });

  it("refuses by channel for a metric without channels, with a way out", async () => {
    const r = await bot.handle({ platform: "console", userId: "admin@x.test", text: "org sales by channel q3-2026" });
    expect(r.kind).toBe("error");
    expect(r.summary).toMatch(/by team/);
  });

  it("a manager sees their own team in full and a small team they do not manage withheld; the admin sees it", async () => {
    const q3 = await closedByTeam("2026-07-01T00:00:00Z", "2026-10-01T00:00:00Z");
    const boss = groupsOf(await ask("boss", "org sales by team q3-2026"));
    expect(boss.get("A")!.value).toBe(q3.get("A")!.sales);
    expect(boss.get("B")!.value).toBe(q3.get("B")!.sales);
    expect(q3.get("C")!.owners.size).toBe(2);
    expect(boss.get("C")).toMatchObject({ value: null, share: null, delta: null, flag: null, members: 2 });
    const admin = groupsOf(await ask("admin", "org sales by team q3-2026"));
    expect(admin.get("C")!.value).toBe(q3.get("C")!.sales);
  });

  it("a rep's team broken down by rep shows only the rep's own figure", async () => {
    const r = await ask("a1", "team A sales by rep q3-2026");
    const g = groupsOf(r);
    const own = await db.prisma.deal.findMany({ where: { ownerId: ids.a1!, status: "won", closedAt: { gte: at("2026-07-01T00:00:00Z"), lt: at("2026-10-01T00:00:00Z") } }, select: { amount: true } });
    expect(g.get("A1")!.value).toBe(own.reduce((s, d) => s + Number(d.amount), 0));
    expect(g.get("A2")!.value).toBeNull();
    expect(g.get("A3")!.value).toBeNull();
    expect(r.visibility).toBe("private");
  });

  it("a rep's own team by month: a series, so withheld unless 5 teammates besides them contribute; withheld in a 2-person team", async () => {
    const e = await ask("e1", "team E sales by month q3-2026");
    const july = await db.prisma.deal.findMany({ where: { status: "won", ownerId: { in: [ids.e1!, ids.e2!, ids.e3!] }, closedAt: { gte: at("2026-07-01T00:00:00Z"), lt: at("2026-08-01T00:00:00Z") } }, select: { amount: true, ownerId: true } });
    expect(new Set(july.map((d) => d.ownerId)).size).toBe(3);
    // e1 sees their own months: July minus theirs would be two teammates' sales.
    expect(e.figures!.breakdown!.groups.every((g) => g.value === null)).toBe(true);
    expect(e.facts.some((f) => /Trend|Forecast/.test(f.label))).toBe(false);
    const admin = await ask("admin", "team E sales by month q3-2026");
    expect(admin.figures!.breakdown!.groups.find((g) => g.key === "2026-07")!.value).toBe(july.reduce((s, d) => s + Number(d.amount), 0));
    const c = await ask("c1", "team C sales by month q3-2026");
    expect(c.figures!.breakdown!.groups.length).toBeGreaterThan(0);
    expect(c.figures!.breakdown!.groups.every((g) => g.value === null && g.share === null)).toBe(true);
    expect(c.figures!.total).toBeNull();
  });

  it("renders in Slack and Teams through the existing table rendering (weekly groups)", async () => {
    const r = await ask("admin", "org sales by week 2026");
    expect(r.figures!.breakdown!.groups.length).toBeGreaterThan(5);
    expect(r.figures!.breakdown!.groups[0]!.key).toMatch(/^2026-W\d\d$/);
    const { blocks } = replyToBlocks(r, { charts: [] });
    expect(blockKitProblems(blocks)).toEqual([]);
    expect(() => AdaptiveCard15.parse(replyToCard(r))).not.toThrow();
  });

  it("puts rows in the local week of the workspace time zone (Pacific/Kiritimati, UTC+14: 10:00Z is midnight the next day)", async () => {
    const local = createBot({ prisma: db.prisma, now: () => NOW, timeZone: "Pacific/Kiritimati", fiscalYearStartMonth: 1, currency: "USD" });
    const r = Reply.parse(await local.handle({ platform: "console", userId: "admin@x.test", text: "org sales by week 2026-07-01..2026-09-30" }));
    const rows = await db.prisma.deal.findMany({ where: { status: "won", closedAt: { gte: at("2026-06-30T10:00:00Z"), lt: at("2026-09-30T10:00:00Z") } }, select: { amount: true, closedAt: true } });
    /** ISO week of a calendar date (y, m, d), computed here. */
    const isoWeek = (t: Date) => {
      const d = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()));
      const dow = d.getUTCDay() || 7;
      d.setUTCDate(d.getUTCDate() + 4 - dow);
      const week = Math.ceil(((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY + 1) / 7);
      return `${d.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
    };
    const want = new Map<string, number>();
    for (const d of rows) {
      const k = isoWeek(new Date(d.closedAt!.getTime() + 14 * 3600_000));
      want.set(k, (want.get(k) ?? 0) + Number(d.amount));
    }
    expect(new Map(r.figures!.breakdown!.groups.filter((g) => g.value !== 0).map((g) => [g.key, g.value]))).toEqual(want);
    // Every week of the range is there, 2026-W27 (29 June) to 2026-W40.
    expect(r.figures!.breakdown!.groups.map((g) => g.key)).toEqual(Array.from({ length: 14 }, (_, i) => `2026-W${27 + i}`));
    // A Sunday 10:00Z close is Monday in Kiritimati: the weeks' figures differ from UTC's.
    const utc = await ask("admin", "org sales by week 2026-07-01..2026-09-30");
    expect(utc.figures!.breakdown!.groups.map((g) => g.value)).not.toEqual(r.figures!.breakdown!.groups.map((g) => g.value));
  });

  it("a rep sees their own figures by month in full (one contributor: themselves)", async () => {
    const r = await ask("a1", "me sales by month q3-2026");
    const own = await db.prisma.deal.findMany({ where: { ownerId: ids.a1!, status: "won", closedAt: { gte: at("2026-07-01T00:00:00Z"), lt: at("2026-10-01T00:00:00Z") } }, select: { amount: true, closedAt: true } });
    const want = new Map(["2026-07", "2026-08", "2026-09"].map((m) => [m, own.filter((d) => d.closedAt!.toISOString().startsWith(m)).reduce((s, d) => s + Number(d.amount), 0)]));
    expect(new Map(r.figures!.breakdown!.groups.map((g) => [g.key, g.value]))).toEqual(want);
    expect(r.visibility).toBe("private");
  });
});
