// Scorecards (issue 14) on a small generated CRM of sales, service and marketing teams: every line
// checked against figures recomputed here from the raw rows (never through the code under test),
// on PGlite and PostgreSQL; access and privacy cases; the --json schema; Slack and Teams rendering.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBot, type Bot } from "../../src/bot.ts";
import { Reply, type ScorecardLine } from "../../src/reply.ts";
import { fetchGrouped, fetchGroupedFamily } from "../../src/data/kpi-queries.ts";
import { createScheduleDesk } from "../../src/digests/desk.ts";
import { checkAlerts, composeDigest, type RunnerDeps } from "../../src/digests/runner.ts";
import { StoredSubscription } from "../../src/digests/stored.ts";
import { recordingSender } from "../digests/support/recording-sender.ts";
import { replyToBlocks } from "../../adapters/slack/blocks.ts";
import { replyToCard } from "../../adapters/teams/card.ts";
import { renderReply } from "../../adapters/console/render.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";
import { blockKitProblems } from "../slack/support/block-kit.ts";
import { AdaptiveCard15 } from "../teams/support/adaptive-card.ts";

const NOW = new Date("2026-11-26T12:00:00Z");
const DAY = 86_400_000;
const at = (iso: string) => new Date(iso);
const Q3 = { start: at("2026-07-01T00:00:00Z"), end: at("2026-10-01T00:00:00Z") };
const Q2 = { start: at("2026-04-01T00:00:00Z"), end: at("2026-07-01T00:00:00Z") };

type Ids = Record<string, number>;

/** Sales teams A (3 reps), B (3), C (2: small), D (4), E (3: loses most), won deals per rep in Q3. */
const SALES: Record<string, { reps: number; wins: (i: number) => number }> = {
  A: { reps: 3, wins: () => 5 },
  B: { reps: 3, wins: () => 6 },
  C: { reps: 2, wins: () => 4 },
  D: { reps: 4, wins: (i) => (i % 2 ? 6 : 5) },
  E: { reps: 3, wins: () => 1 },
};

/** A small deterministic generator (no Math.random: the same CRM on every run and backend). */
function lcg(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

async function load(db: TestDatabase): Promise<Ids> {
  const p = db.prisma;
  const rnd = lcg(7);
  const ids: Ids = {};
  ids.admin = (await p.user.create({ data: { email: "admin@x.test", name: "Admin", role: "admin" } })).id;
  const boss = await p.user.create({ data: { email: "boss@x.test", name: "Boss", role: "manager" } });
  ids.boss = boss.id;
  const sales = await p.team.create({ data: { name: "Sales", function: "sales" } });
  const deals: { externalId: string; ownerId: number; customer: string; amount: bigint | null; status: "won" | "lost" | "open"; createdAt: Date; closedAt: Date | null }[] = [];
  const activities: { externalId: string; ownerId: number; type: "call" | "meeting" | "email" | "other"; occurredAt: Date }[] = [];
  const quotas: { ownerId: number; periodStart: Date; periodEnd: Date; amount: bigint }[] = [];
  let n = 0;
  for (const [name, spec] of Object.entries(SALES)) {
    const team = await p.team.create({ data: { name, parentId: sales.id, ...(name === "A" && { managerId: boss.id }) } });
    ids[name] = team.id;
    for (let i = 0; i < spec.reps; i++) {
      const key = `${name.toLowerCase()}${i + 1}`;
      const u = await p.user.create({ data: { email: `${key}@x.test`, name: key.toUpperCase(), role: "rep", teamId: team.id, startedAt: at("2020-01-01T00:00:00Z") } });
      ids[key] = u.id;
      for (const [period, wins] of [[Q3, spec.wins(i)], [Q2, 5]] as const) {
        for (let k = 0; k < 10; k++) {
          const closedAt = new Date(period.start.getTime() + (k * 9 + 1) * DAY + Math.floor(rnd() * 20) * 3600_000);
          const cycle = 5 + Math.floor(rnd() * 60);
          deals.push({ externalId: `d${++n}`, ownerId: u.id, customer: "C", amount: BigInt(Math.round(500 + rnd() * 5000) * 100), status: k < wins ? "won" : "lost", createdAt: new Date(closedAt.getTime() - cycle * DAY), closedAt });
        }
        // Open at the period's end (one closes later, one never), one without an amount.
        deals.push({ externalId: `d${++n}`, ownerId: u.id, customer: "C", amount: BigInt(Math.round(1000 + rnd() * 9000) * 100), status: "open", createdAt: new Date(period.start.getTime() + 10 * DAY), closedAt: null });
        deals.push({ externalId: `d${++n}`, ownerId: u.id, customer: "C", amount: BigInt(Math.round(1000 + rnd() * 9000) * 100), status: "won", createdAt: new Date(period.start.getTime() + 20 * DAY), closedAt: new Date(period.end.getTime() + 200 * DAY) });
        deals.push({ externalId: `d${++n}`, ownerId: u.id, customer: "C", amount: null, status: "open", createdAt: new Date(period.start.getTime() + 30 * DAY), closedAt: null });
        for (let k = 0; k < 4 + Math.floor(rnd() * 12); k++) {
          activities.push({ externalId: `a${++n}`, ownerId: u.id, type: (["call", "meeting", "email", "other"] as const)[k % 4]!, occurredAt: new Date(period.start.getTime() + (k * 6 + 1) * DAY) });
        }
        // Quotas for the whole quarter (all but one rep of D, who has none).
        if (key !== "d4") quotas.push({ ownerId: u.id, periodStart: period.start, periodEnd: new Date(period.end.getTime() - DAY), amount: BigInt(Math.round(20_000 + rnd() * 20_000) * 100) });
      }
    }
  }
  await p.deal.createMany({ data: deals });
  await p.activity.createMany({ data: activities });
  await p.quota.createMany({ data: quotas });

  // Service: two teams of three agents; S2 slower and less satisfied.
  const service = await p.team.create({ data: { name: "Service", function: "service" } });
  const tickets: { externalId: string; agentId: number; openedAt: Date; firstResponseAt: Date | null; resolvedAt: Date | null; csat: number | null }[] = [];
  for (const [name, slow] of [["S1", 1], ["S2", 3]] as const) {
    const team = await p.team.create({ data: { name, parentId: service.id } });
    ids[name] = team.id;
    for (let i = 0; i < 3; i++) {
      const key = `${name.toLowerCase()}_${i + 1}`;
      const u = await p.user.create({ data: { email: `${key}@x.test`, name: key.toUpperCase(), role: "rep", teamId: team.id, startedAt: at("2020-01-01T00:00:00Z") } });
      ids[key] = u.id;
      for (const period of [Q3, Q2]) {
        for (let k = 0; k < 8; k++) {
          const openedAt = new Date(period.start.getTime() + (k * 10 + 2) * DAY + Math.floor(rnd() * 600) * 60_000);
          tickets.push({
            externalId: `t${++n}`, agentId: u.id, openedAt,
            firstResponseAt: k === 7 ? null : new Date(openedAt.getTime() + Math.floor(slow * (5 + rnd() * 60)) * 60_000),
            resolvedAt: k === 6 ? null : new Date(openedAt.getTime() + Math.floor(slow * (2 + rnd() * 30)) * 3600_000),
            csat: k === 5 ? null : Math.max(1, Math.min(5, Math.round(5 - slow * rnd() * 1.5))),
          });
        }
      }
    }
  }
  await p.ticket.createMany({ data: tickets });

  // Marketing: one team of three.
  const growth = await p.team.create({ data: { name: "Growth", function: "marketing" } });
  ids.Growth = growth.id;
  const campaigns: { externalId: string; name: string; channel: string; startDate: Date; spend: bigint; leads: number; conversions: number; revenue: bigint; ownerId: number }[] = [];
  for (const key of ["m1", "m2", "m3"]) {
    const u = await p.user.create({ data: { email: `${key}@x.test`, name: key.toUpperCase(), role: "rep", teamId: growth.id, startedAt: at("2020-01-01T00:00:00Z") } });
    ids[key] = u.id;
    for (const period of [Q3, Q2]) {
      for (let k = 0; k < 3; k++) {
        campaigns.push({
          externalId: `c${++n}`, name: `C${n}`, channel: ["email", "social", "search"][k]!, startDate: new Date(period.start.getTime() + (k * 20 + 3) * DAY),
          spend: BigInt(Math.round(1000 + rnd() * 4000) * 100), leads: 10 + Math.floor(rnd() * 90), conversions: Math.floor(rnd() * 10), revenue: BigInt(Math.round(rnd() * 9000) * 100), ownerId: u.id,
        });
      }
    }
  }
  await p.campaign.createMany({ data: campaigns });
  return ids;
}

/** percentile_cont(0.5), computed here. */
function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

describe.each(backends)("scorecards (%s)", (backend) => {
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
  const linesOf = (r: Reply) => new Map((r.figures!.scorecard as ScorecardLine[]).map((l) => [l.metric, l]));

  const people = (team: string) => Array.from({ length: SALES[team]!.reps }, (_, i) => ids[`${team.toLowerCase()}${i + 1}`]!);

  /** The sales metrics over some owners and a period, from the rows. */
  async function salesFigures(owners: number[], period: { start: Date; end: Date }) {
    const closed = await db.prisma.deal.findMany({ where: { ownerId: { in: owners }, status: { in: ["won", "lost"] }, closedAt: { gte: period.start, lt: period.end } } });
    const won = closed.filter((d) => d.status === "won");
    const open = await db.prisma.deal.findMany({ where: { ownerId: { in: owners }, createdAt: { lt: period.end }, OR: [{ closedAt: null }, { closedAt: { gte: period.end } }] } });
    const acts = await db.prisma.activity.count({ where: { ownerId: { in: owners }, type: { in: ["call", "meeting", "email"] }, occurredAt: { gte: period.start, lt: period.end } } });
    const quotas = await db.prisma.quota.findMany({ where: { ownerId: { in: owners }, periodStart: period.start } });
    const salesOf = (id: number) => sum(won.filter((d) => d.ownerId === id).map((d) => Number(d.amount)));
    return {
      sales: sum(won.map((d) => Number(d.amount))),
      winrate: closed.length ? won.length / closed.length : null,
      avgdeal: won.length ? sum(won.map((d) => Number(d.amount))) / won.length : null,
      cycle: median(won.map((d) => (d.closedAt!.getTime() - d.createdAt.getTime()) / DAY)),
      pipeline: sum(open.map((d) => Number(d.amount ?? 0n))),
      activities: acts,
      quota: quotas.length ? sum(quotas.map((q) => salesOf(q.ownerId))) / sum(quotas.map((q) => Number(q.amount))) : null,
    };
  }

  const SALES_LINES = ["sales", "winrate", "avgdeal", "cycle", "pipeline", "activities", "quota"] as const;

  it.each([["en", "team D scorecard q3-2026"], ["zh", "团队 D 计分卡 q3-2026"]])("%s: a sales team's scorecard: each key metric over its rows, the previous quarter, its rank among the five teams", async (_lang, text) => {
    const r = await ask("admin", text);
    const lines = linesOf(r);
    expect([...lines.keys()]).toEqual([...SALES_LINES]);
    const now = await salesFigures(people("D"), Q3);
    const before = await salesFigures(people("D"), Q2);
    const peers = await Promise.all(Object.keys(SALES).map(async (t) => ({ t, f: await salesFigures(people(t), Q3) })));
    for (const m of SALES_LINES) {
      const line = lines.get(m)!;
      expect(line.value, m).toBeCloseTo(now[m]!, 6);
      expect(line.previous, m).toBeCloseTo(before[m]!, 6);
      const lower = m === "cycle";
      const values = peers.map((p) => p.f[m]!);
      const better = values.filter((v) => (lower ? v < now[m]! - 1e-9 : v > now[m]! + 1e-9)).length;
      expect(line.rank, m).toBe(better + 1);
      expect(line.of, m).toBe(5);
    }
    expect(r.visibility).toBe("shareable");
    expect(r.about).toBe("group");
  });

  it("flags the team that loses most, privately, with the reason and group advice; never in a channel", async () => {
    const r = await ask("admin", "team E scorecard q3-2026");
    const winrate = linesOf(r).get("winrate")!;
    expect(winrate.flag).toBe("low");
    expect(winrate.rank).toBe(5);
    expect(r.flags.find((f) => f.kind === "low")!.reason).toMatch(/10(\.0)?%/);
    expect(r.visibility).toBe("private");
    const channel = Reply.parse(await bot.answerFor(ids.admin!, "team E scorecard q3-2026", "channel", "test"));
    expect(linesOf(channel).get("winrate")!.flag).toBeNull();
    expect(channel.flags.filter((f) => f.kind === "low")).toEqual([]);
    expect(linesOf(channel).get("winrate")!.value).toBeCloseTo(0.1, 10);
  });

  it("a person's scorecard: their own figures, ranked in their team's distribution where they may see it", async () => {
    const r = await ask("admin", "rep D2 scorecard q3-2026");
    const lines = linesOf(r);
    const own = await salesFigures([ids.d2!], Q3);
    const team = await Promise.all(people("D").map((id) => salesFigures([id], Q3)));
    for (const m of ["sales", "winrate", "activities"] as const) {
      expect(lines.get(m)!.value, m).toBeCloseTo(own[m]!, 6);
      expect(lines.get(m)!.rank, m).toBe(team.filter((f) => f[m]! > own[m]! + 1e-9).length + 1);
      expect(lines.get(m)!.of, m).toBe(4);
    }
    expect(lines.get("previous" as never)).toBeUndefined();
    expect(lines.get("sales")!.previous).toBeCloseTo((await salesFigures([ids.d2!], Q2)).sales, 6);
    expect(r.visibility).toBe("private");
    expect(r.about).toBe("person");
  });

  it("me scorecard: a rep gets their own figures but no rank in a team too small to hide the others", async () => {
    const r = await ask("a1", "me scorecard q3-2026");
    const own = await salesFigures([ids.a1!], Q3);
    const lines = linesOf(r);
    expect(lines.get("sales")!.value).toBe(own.sales);
    expect(lines.get("quota")!.value).toBeCloseTo(own.quota!, 10);
    expect([...lines.values()].every((l) => l.rank === null && l.flag === null)).toBe(true);
    expect(r.about).toBe("self");
  });

  it("service and marketing scorecards have their function's metrics, recomputed from tickets and campaigns", async () => {
    const r = await ask("admin", "team S2 scorecard q3-2026");
    const lines = linesOf(r);
    expect([...lines.keys()]).toEqual(["csat", "frt", "resolution"]);
    const agents = [1, 2, 3].map((i) => ids[`s2_${i}`]!);
    const t = await db.prisma.ticket.findMany({ where: { agentId: { in: agents } } });
    const inQ3 = (d: Date | null) => d !== null && d >= Q3.start && d < Q3.end;
    const resolved = t.filter((x) => inQ3(x.resolvedAt));
    expect(lines.get("csat")!.value).toBeCloseTo(sum(resolved.filter((x) => x.csat !== null).map((x) => x.csat!)) / resolved.filter((x) => x.csat !== null).length, 10);
    expect(lines.get("frt")!.value).toBeCloseTo(median(t.filter((x) => inQ3(x.openedAt) && x.firstResponseAt).map((x) => (x.firstResponseAt!.getTime() - x.openedAt.getTime()) / 60_000))!, 6);
    expect(lines.get("resolution")!.value).toBeCloseTo(median(resolved.map((x) => (x.resolvedAt!.getTime() - x.openedAt.getTime()) / 3_600_000))!, 6);
    expect(lines.get("csat")!.of).toBe(2);

    const g = linesOf(await ask("admin", "team Growth scorecard q3-2026"));
    expect([...g.keys()]).toEqual(["leads", "conversion", "cpl", "roi"]);
    const c = (await db.prisma.campaign.findMany()).filter((x) => x.startDate >= Q3.start && x.startDate < Q3.end);
    const spend = sum(c.map((x) => Number(x.spend)));
    const leads = sum(c.map((x) => x.leads));
    expect(g.get("leads")!.value).toBe(leads);
    expect(g.get("conversion")!.value).toBeCloseTo(sum(c.map((x) => x.conversions)) / leads, 10);
    expect(g.get("cpl")!.value).toBeCloseTo(spend / leads, 6);
    expect(g.get("roi")!.value).toBeCloseTo((sum(c.map((x) => Number(x.revenue))) - spend) / spend, 10);
    // A team without peers of its function has no rank.
    expect(g.get("leads")!.rank).toBeNull();
  });

  it("the org's scorecard covers every function, over everyone's rows", async () => {
    const r = await ask("admin", "org scorecard q3-2026");
    const lines = linesOf(r);
    expect([...lines.keys()]).toEqual([...SALES_LINES, "csat", "frt", "resolution", "leads", "conversion", "cpl", "roi"]);
    const all = await salesFigures(Object.keys(SALES).flatMap(people), Q3);
    expect(lines.get("sales")!.value).toBe(all.sales);
    expect(lines.get("winrate")!.value).toBeCloseTo(all.winrate!, 10);
    expect(lines.get("pipeline")!.value).toBe(all.pipeline);
    expect(lines.get("quota")!.value).toBeCloseTo(all.quota!, 10);
  });

  it("access: a rep's own small team is withheld line by line; another team is denied; a manager sees the org's aggregates", async () => {
    const c = await ask("c1", "team C scorecard q3-2026");
    expect([...linesOf(c).values()].every((l) => l.value === null && l.previous === null)).toBe(true);
    expect(c.table!.rows[0]![1]).toMatch(/withheld/);
    const d = await ask("d1", "team D scorecard q3-2026");
    expect(linesOf(d).get("sales")!.value).toBe((await salesFigures(people("D"), Q3)).sales);
    const other = await bot.handle({ platform: "console", userId: "d1@x.test", text: "team B scorecard q3-2026" });
    expect(other.kind).toBe("denied");
    expect(other.figures).toBeUndefined();
    const boss = linesOf(await ask("boss", "org scorecard q3-2026"));
    expect(boss.get("sales")!.value).toBe((await salesFigures(Object.keys(SALES).flatMap(people), Q3)).sales);
    const rep = await bot.handle({ platform: "console", userId: "a1@x.test", text: "org scorecard q3-2026" });
    expect(rep.kind).toBe("denied");
  });

  it("parses scorecard only on its own: with a metric or a breakdown it is a conflict", async () => {
    for (const text of ["team D scorecard sales", "team D scorecard by month", "团队 D 计分卡 销售额"]) {
      const r = await bot.handle({ platform: "console", userId: "admin@x.test", text });
      expect(r.kind, text).toBe("error");
    }
  });

  it("renders as a table in the console, in Block Kit and in an Adaptive Card 1.5", async () => {
    const r = await ask("admin", "org scorecard q3-2026");
    const text = renderReply(r);
    expect(text).toMatch(/Win rate/);
    expect(text).toMatch(/CSAT/);
    const { blocks } = replyToBlocks(r, { charts: [] });
    expect(blockKitProblems(blocks)).toEqual([]);
    expect(JSON.stringify(blocks)).toMatch(/Win rate/);
    const card = replyToCard(r);
    expect(() => AdaptiveCard15.parse(card)).not.toThrow();
    expect(JSON.stringify(card)).toMatch(/ROI/);
  });

  it("one grouped statement per family gives each metric what its own grouped statement gives", async () => {
    const keys = new Map(Object.keys(SALES).flatMap((t) => people(t).map((id) => [id, t] as const)));
    const owners = [...keys.keys()];
    const window = { ...Q3, timeZone: "UTC" };
    const family = await fetchGroupedFamily(db.prisma, ["sales", "winrate", "avgdeal", "cycle"], owners, window, keys);
    for (const m of ["sales", "winrate", "avgdeal", "cycle"] as const) {
      const alone = await fetchGrouped(db.prisma, m, owners, window, { kind: "owner", keys });
      expect(family.get(m)!.total, m).toBeCloseTo(alone!.total!, 6);
      for (const [k, g] of alone!.perGroup!) {
        expect(family.get(m)!.perGroup!.get(k)!.value, `${m} ${k}`).toBeCloseTo(g.value!, 6);
        expect(family.get(m)!.perGroup!.get(k)!.contributors).toBe(g.contributors);
      }
    }
  });

  describe("in digests and alerts", () => {
    let desked: Bot;
    const slack = (who: string, text: string, where = "C-SALES") => desked.handle({ platform: "slack", userId: `U-${who}`, email: `${who}@x.test`, text, where });
    const runner = (senders: RunnerDeps["senders"]): RunnerDeps => ({ prisma: db.prisma, bot: desked, senders, holder: "test", timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD", claimLeaseMs: 10 });
    beforeAll(() => {
      const deps = { prisma: db.prisma, now: () => NOW, timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD" };
      desked = createBot({ ...deps, schedules: createScheduleDesk(deps) });
    });

    it("a channel digest of a breakdown lists every group as a channel may see it (a 2-person team withheld)", async () => {
      const r = await slack("admin", "subscribe weekly org winrate by team");
      expect(r.kind, r.summary).toBe("answer");
      const sub = StoredSubscription.parse(await db.prisma.subscription.findFirstOrThrow({ where: { query: { contains: "by team" } } }));
      expect(sub.query).toBe("org winrate by team");
      expect(sub.private).toBe(false);
      const period = { start: Q3.start, end: Q3.end, label: "Q3 2026", grain: "quarter" as const };
      const digest = Reply.parse(await composeDigest({ bot: desked, timeZone: "UTC", fiscalYearStartMonth: 1 }, sub, period));
      const groups = new Map(digest.figures!.breakdown!.groups.map((g) => [g.label, g]));
      expect([...groups.keys()].sort()).toEqual(["A", "B", "C", "D", "E"]);
      expect(groups.get("C")!.value).toBeNull();
      const e = await salesFigures(people("E"), Q3);
      expect(groups.get("E")!.value).toBeCloseTo(e.winrate!, 10);
      // Per-rep groups are personal figures: never to a channel.
      expect((await slack("admin", "subscribe weekly org winrate by rep")).kind).toBe("error");
    });

    it("a scorecard digest to a channel carries the scorecard without coaching flags", async () => {
      expect((await slack("admin", "subscribe weekly team E scorecard")).kind).toBe("answer");
      const sub = StoredSubscription.parse(await db.prisma.subscription.findFirstOrThrow({ where: { query: { contains: "scorecard" } } }));
      expect(sub.query).toBe('team "E" scorecard');
      const period = { start: Q3.start, end: Q3.end, label: "Q3 2026", grain: "quarter" as const };
      const digest = Reply.parse(await composeDigest({ bot: desked, timeZone: "UTC", fiscalYearStartMonth: 1 }, sub, period));
      const winrate = linesOf(digest).get("winrate")!;
      expect(winrate.value).toBeCloseTo(0.1, 10);
      expect(winrate.flag).toBeNull();
      expect(digest.flags.filter((f) => f.kind === "low")).toEqual([]);
    });

    it("an alert on a breakdown fires once for the group that crosses, names it, and clears it once", async () => {
      // The last 30 days: every team wins 1 of 2 closed deals, E none of 2.
      const recent = Object.keys(SALES).flatMap((t) => people(t).map((id) => ({ t, id })));
      let n = 0;
      await db.prisma.deal.createMany({
        data: recent.flatMap(({ t, id }) => [0, 1].map((k) => ({
          externalId: `recent${++n}`, ownerId: id, customer: "C", amount: 100_000n, status: (t !== "E" && k === 0 ? "won" : "lost") as "won" | "lost",
          createdAt: new Date(NOW.getTime() - 40 * DAY), closedAt: new Date(NOW.getTime() - (5 + k) * DAY),
        }))),
      });
      const r = await slack("admin", "alert org winrate by team below 15% private");
      expect(r.kind, r.summary).toBe("answer");
      const alert = await db.prisma.alert.findFirstOrThrow({ where: { query: "org by team" } });
      const { sender, sent } = recordingSender();
      await checkAlerts(runner({ slack: sender }), NOW);
      await checkAlerts(runner({ slack: sender }), NOW);
      const mine = () => sent.filter((x) => x.reply.title.endsWith(`A${alert.id}`));
      expect(mine().length).toBe(1);
      expect(mine()[0]!.reply.summary).toMatch(/· E/);
      expect(mine()[0]!.to.private).toBe(true);
      const events = await db.prisma.alertEvent.findMany({ where: { alertId: alert.id } });
      expect(events.map((e) => [e.groupLabel, e.kind, e.value])).toEqual([["E", "fired", 0]]);
      // E wins both of two more: 2 of 4, above the threshold; the others stay where they were.
      await db.prisma.deal.createMany({
        data: people("E").flatMap((id) => [0, 1].map(() => ({ externalId: `recent${++n}`, ownerId: id, customer: "C", amount: 100_000n, status: "won" as const, createdAt: new Date(NOW.getTime() - 40 * DAY), closedAt: new Date(NOW.getTime() - 3 * DAY) }))),
      });
      await checkAlerts(runner({ slack: sender }), NOW);
      await checkAlerts(runner({ slack: sender }), NOW);
      expect(mine().map((x) => x.reply.summary.split(":")[0])).toEqual(["Alert", "Cleared"]);
      expect(mine()[1]!.reply.summary).toMatch(/· E/);
      const groups = await db.prisma.alertGroup.findMany({ where: { alertId: alert.id } });
      expect(groups.filter((g) => g.state === "firing")).toEqual([]);
      expect(groups.map((g) => g.label).sort()).toEqual(["A", "B", "C", "D", "E"]);
    });
  });
});
