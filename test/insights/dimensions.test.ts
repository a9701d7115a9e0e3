// Breakdowns by the records' own fields (product, region, source, segment, stage, pipeline, type,
// campaign, channel) and value filters, on generated deals and campaigns; every figure recomputed
// here from the rows read back (not through the code under test), on PGlite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBot, type Bot } from "../../src/bot.ts";
import { Reply } from "../../src/reply.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";

const NOW = new Date("2026-11-26T12:00:00Z");
const Q3 = { gte: new Date("2026-07-01T00:00:00Z"), lt: new Date("2026-10-01T00:00:00Z") };
const Q3_END = new Date("2026-10-01T00:00:00Z");
const PRODUCTS = ["GTX Pro", "GTX Lite", "Nimbus", "Atlas"];
const REGIONS = ["EMEA", "NA", "APAC"];
const SOURCES = ["webinar", "referral", "outbound"];
const SEGMENTS = ["Retail", "Finance"];
const STAGES = ["Prospecting", "Proposal", "Negotiation"];
const PIPELINES = ["New business", "Renewals"];
const TYPES = ["new", "upsell"];

type Ids = Record<string, number>;

/** A deterministic stream of numbers in [0, 1). */
function rng(seed: number) {
  let x = seed;
  return () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
}

async function load(db: TestDatabase): Promise<Ids> {
  const p = db.prisma;
  const ids: Ids = {};
  ids.admin = (await p.user.create({ data: { email: "admin@x.test", name: "Admin", role: "admin" } })).id;
  const sales = await p.team.create({ data: { name: "Sales", function: "sales" } });
  const growth = await p.team.create({ data: { name: "Growth", function: "marketing" } });
  const r = rng(7);
  const reps: number[] = [];
  for (const [name, n] of [["A", 3], ["B", 3], ["C", 2]] as const) {
    const team = await p.team.create({ data: { name, parentId: sales.id } });
    for (let i = 1; i <= n; i++) {
      const u = await p.user.create({ data: { email: `${name.toLowerCase()}${i}@x.test`, name: `${name}${i}`, role: "rep", teamId: team.id, startedAt: new Date("2020-01-01T00:00:00Z") } });
      ids[`${name.toLowerCase()}${i}`] = u.id;
      reps.push(u.id);
    }
  }
  const campaigns: number[] = [];
  // Seven campaigns at about $20 a lead, one (social) at 3× that; revenue not a multiple of spend.
  const CAMPAIGNS = [["email", 100_000, 50, 310_000], ["social", 300_000, 50, 520_000], ["search", 84_000, 40, 260_000], ["email", 80_000, 40, 250_000],
    ["events", 150_000, 75, 400_000], ["display", 95_000, 50, 330_000], ["search", 120_000, 58, 390_000]] as const;
  for (const [k, [channel, spend, leads, revenue]] of CAMPAIGNS.entries()) {
    const m = await p.user.create({ data: { email: `m${k}@x.test`, name: `M${k}`, role: "rep", teamId: growth.id, startedAt: new Date("2020-01-01T00:00:00Z") } });
    campaigns.push((await p.campaign.create({ data: { externalId: `c${k}`, name: `Camp ${k}`, channel, startDate: new Date(`2026-08-0${k + 1}T00:00:00Z`), spend: BigInt(spend), leads, conversions: 5, revenue: BigInt(revenue), ownerId: m.id } })).id);
  }
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const deals = [];
  for (let n = 0; n < 400; n++) {
    const ownerId = pick(reps);
    const product = pick(PRODUCTS);
    const createdAt = new Date(Date.UTC(2026, 4, 1) + Math.floor(r() * 150) * 86_400_000);
    const fate = r();
    // Nimbus loses more: a product with a real difference to find.
    const status = fate < 0.2 ? "open" : fate < (product === "Nimbus" ? 0.8 : 0.55) ? "lost" : "won";
    const closedAt = status === "open" ? null : new Date(createdAt.getTime() + Math.floor(r() * 40) * 86_400_000);
    deals.push({
      externalId: `d${n}`, ownerId, customer: "C", amount: BigInt(1000 + Math.floor(r() * 9000)) * 100n, status, createdAt, closedAt,
      product, region: pick(REGIONS), source: n % 7 === 0 ? null : pick(SOURCES), segment: pick(SEGMENTS), stage: status === "open" ? pick(STAGES) : status === "won" ? "Closed Won" : "Closed Lost",
      pipeline: pick(PIPELINES), type: pick(TYPES), campaignId: n % 3 === 0 ? pick(campaigns) : null,
    } as const);
  }
  await p.deal.createMany({ data: deals });
  return ids;
}

describe.each(backends)("breakdowns by field and value filters (%s)", (backend) => {
  let db: TestDatabase;
  let ids: Ids;
  let bot: Bot;
  beforeAll(async () => {
    db = await freshDatabase(backend);
    ids = await load(db);
    bot = createBot({ prisma: db.prisma, now: () => NOW, timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD" });
  }, 60_000);
  afterAll(() => db?.dispose());

  const ask = async (who: string, text: string) => {
    const r = await bot.handle({ platform: "console", userId: `${who}@x.test`, text });
    expect(r.kind, r.summary).toBe("answer");
    return Reply.parse(r);
  };
  const values = (r: Reply) => new Map(r.figures!.breakdown!.groups.map((g) => [g.label, g.value]));
  const closedQ3 = () => db.prisma.deal.findMany({ where: { closedAt: Q3 } });

  type Field = "product" | "region" | "source" | "segment" | "pipeline" | "type";
  /** Won amount per value of a field among Q3's closed deals; no value groups under "(none)". */
  async function salesBy(field: Field, where: (d: Awaited<ReturnType<typeof closedQ3>>[number]) => boolean = () => true) {
    const out = new Map<string, number>();
    for (const d of await closedQ3()) {
      if (d.status !== "won" || !where(d)) continue;
      const k = (d[field] as string | null) ?? "(none)";
      out.set(k, (out.get(k) ?? 0) + Number(d.amount));
    }
    return out;
  }

  it.each([
    ["en", "org winrate by product q3-2026"],
    ["zh", "公司 赢单率 按产品 q3-2026"],
  ])("%s: win rate by product is each product's won over its closed deals; the product that loses more ranks last", async (_l, text) => {
    const r = await ask("admin", text);
    const want = new Map<string, { won: number; closed: number }>();
    for (const d of await closedQ3()) {
      const x = want.get(d.product!) ?? { won: 0, closed: 0 };
      x.closed++;
      if (d.status === "won") x.won++;
      want.set(d.product!, x);
    }
    const got = values(r);
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [k, x] of want) expect(got.get(k)).toBeCloseTo(x.won / x.closed, 12);
    expect(r.figures!.breakdown!.by).toBe("product");
    // Nimbus loses more: last in the ranking.
    expect(r.table!.rows.at(-1)![1]).toBe("Nimbus");
  });

  it.each([
    ["region", "by region", "按地区"],
    ["source", "by source", "按来源"],
    ["segment", "by segment", "按行业"],
    ["pipeline", "by pipeline", "按销售流程"],
    ["type", "by type", "按类型"],
    ["product", "per product", "按产品"],
  ] as const)("sales %s: the won amounts per value, in en and zh", async (field, en, zh) => {
    const want = await salesBy(field);
    for (const text of [`org sales ${en} q3-2026`, `公司 销售额 ${zh} q3-2026`]) {
      const got = values(await ask("admin", text));
      const zhNone = new Map([...got].map(([k, v]) => [k === "（无）" ? "(none)" : k, v]));
      expect(zhNone, text).toEqual(want);
    }
  });

  it.each([["en", "org deals by stage q3-2026"], ["zh", "公司 成交 按阶段 q3-2026"]])("%s: deals by stage is the open pipeline at the period's end, counted per stage", async (_l, text) => {
    const r = await ask("admin", text);
    const open = await db.prisma.deal.findMany({ where: { createdAt: { lt: Q3_END }, OR: [{ closedAt: null }, { closedAt: { gte: Q3_END } }] } });
    const want = new Map<string, number>();
    for (const d of open) want.set(d.stage!, (want.get(d.stage!) ?? 0) + 1);
    expect(values(r)).toEqual(want);
    expect(r.title).toMatch(/Open deals|未关闭订单/);
    // Stages are stored as they are now: no change against a past the data does not hold.
    expect(r.figures!.breakdown!.groups.every((g) => g.delta === null)).toBe(true);
  });

  it("pipeline by region is the open amount per region at the period's end", async () => {
    const r = await ask("admin", "org pipeline by region q3-2026");
    const open = await db.prisma.deal.findMany({ where: { createdAt: { lt: Q3_END }, OR: [{ closedAt: null }, { closedAt: { gte: Q3_END } }] } });
    const want = new Map<string, number>();
    for (const d of open) want.set(d.region!, (want.get(d.region!) ?? 0) + Number(d.amount));
    expect(values(r)).toEqual(want);
  });

  it.each([["en", "org cpl by campaign q3-2026"], ["zh", "公司 单条线索成本 按活动 q3-2026"]])("%s: cost per lead by campaign, labelled with the campaign's name", async (_l, text) => {
    const r = await ask("admin", text);
    const rows = await db.prisma.campaign.findMany();
    expect(values(r)).toEqual(new Map(rows.map((c) => [c.name, Number(c.spend) / c.leads])));
  });

  it("a campaign costing 3× per lead is flagged, with advice to move its budget to the best one; spend → revenue regressed across campaigns", async () => {
    const r = await ask("admin", "org cpl by campaign q3-2026");
    const rows = await db.prisma.campaign.findMany();
    const cpl = rows.map((c) => ({ name: c.name, v: Number(c.spend) / c.leads })).sort((a, b) => a.v - b.v);
    expect(r.figures!.breakdown!.groups.filter((g) => g.flag === "low").map((g) => g.label)).toEqual(["Camp 1"]);
    const flag = r.flags.find((f) => f.subject === "Camp 1")!;
    expect(flag.advice).toContain(`to ${cpl[0]!.name}`);
    expect(flag.advice).toContain("Camp 1 ($60)");
    // A group is compared with the other groups, not with a "team".
    expect(flag.reason).toContain("the groups' median");
    // Least squares of revenue on spend, computed here: revenue per $1,000 of spend.
    const xs = rows.map((c) => Number(c.spend));
    const ys = rows.map((c) => Number(c.revenue));
    const xm = xs.reduce((a, b) => a + b) / xs.length;
    const ym = ys.reduce((a, b) => a + b) / ys.length;
    const sxy = xs.reduce((a, x, i) => a + (x - xm) * (ys[i]! - ym), 0);
    const sxx = xs.reduce((a, x) => a + (x - xm) ** 2, 0);
    const syy = ys.reduce((a, y) => a + (y - ym) ** 2, 0);
    const perK = ((sxy / sxx) * 1000).toLocaleString("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });
    const fact = r.facts.find((f) => /Spend/.test(f.label))!;
    expect(fact.value).toContain(`(r² ${((sxy * sxy) / (sxx * syy)).toFixed(2)}, 7 groups)`);
    expect(fact.value.replace(/\.00/g, "")).toContain(`brought ${perK}`);
    const zh = await ask("admin", "公司 单条线索成本 按活动 q3-2026");
    expect(zh.facts[0]!.label).toBe("花费 → 归因收入");
    expect(zh.flags[0]!.advice).toContain("转向");
  });

  it("a time breakdown without a period covers this year by month (this quarter by week)", async () => {
    const months = await ask("admin", "org sales by month");
    expect(months.title).toContain("2026");
    const keys = months.figures!.breakdown!.groups.map((g) => g.key);
    expect(keys[0]).toBe("2026-01");
    expect(keys).toContain("2026-11");
    const weeks = await ask("admin", "org sales by week");
    expect(weeks.title).toContain("Q4 2026");
    expect(weeks.figures!.breakdown!.groups.map((g) => g.key)[0]).toBe("2026-W40");
  });

  it("sales by campaign: a deal's attributed campaign, deals without one under (none)", async () => {
    const r = await ask("admin", "org sales by campaign q3-2026");
    const names = new Map((await db.prisma.campaign.findMany()).map((c) => [c.id, c.name]));
    const want = new Map<string, number>();
    for (const d of await closedQ3()) if (d.status === "won") {
      const k = d.campaignId === null ? "(none)" : names.get(d.campaignId)!;
      want.set(k, (want.get(k) ?? 0) + Number(d.amount));
    }
    expect(values(r)).toEqual(want);
  });

  it.each([
    ["en", 'org sales product "GTX Pro" q3-2026', "GTX Pro"],
    ["zh", '公司 销售额 产品 "GTX Pro" q3-2026', "GTX Pro"],
    ["en, any case", "org sales region emea q3-2026", "EMEA"],
    ["zh", "公司 销售额 地区 EMEA q3-2026", "EMEA"],
    ["en", "org sales source webinar q3-2026", "webinar"],
    ["zh", "公司 销售额 来源 webinar q3-2026", "webinar"],
    ["en", "org sales segment retail q3-2026", "Retail"],
    ["zh", "公司 销售额 行业 Finance q3-2026", "Finance"],
  ])("%s filter: the total counts only the records with that value", async (_l, text, value) => {
    const r = await ask("admin", text);
    const field = /product|产品/.test(text) ? "product" : /region|地区/.test(text) ? "region" : /segment|行业/.test(text) ? "segment" : "source";
    const want = (await closedQ3()).filter((d) => d.status === "won" && d[field] === value).reduce((s, d) => s + Number(d.amount), 0);
    expect(r.figures!.total).toBe(want);
    expect(r.title).toContain(value);
  });

  it("filters combine with a breakdown, top N, compare and dist", async () => {
    const emea = (d: { region: string | null }) => d.region === "EMEA";
    const byProduct = await ask("admin", "org sales by product region emea q3-2026");
    expect(values(byProduct)).toEqual(await salesBy("product", emea));
    const top = await ask("admin", "org sales region emea top 2 q3-2026");
    expect(top.figures!.total).toBe([...(await salesBy("region", emea)).values()].reduce((s, v) => s + v, 0));
    const cmp = await ask("admin", "compare q3-2026 vs q2-2026 org winrate product nimbus");
    const q3 = (await closedQ3()).filter((d) => d.product === "Nimbus");
    expect(JSON.stringify(cmp)).toContain(((q3.filter((d) => d.status === "won").length / q3.length) * 100).toFixed(1));
    const dist = await ask("admin", "org sales dist product nimbus q3-2026");
    expect(dist.figures!.total).toBe(q3.filter((d) => d.status === "won").reduce((s, d) => s + Number(d.amount), 0));
    const leads = await ask("admin", "公司 线索 渠道 email q3-2026");
    const camps = await db.prisma.campaign.findMany({ where: { channel: "email" } });
    expect(leads.figures!.total).toBe(camps.reduce((s, c) => s + c.leads, 0));
  });

  it("an unknown value gets the nearest existing ones; a field the metric's records lack says so", async () => {
    const r = await bot.handle({ platform: "console", userId: "admin@x.test", text: "org sales region emae q3-2026" });
    expect(r.kind).toBe("error");
    expect(r.summary).toContain("'EMEA'");
    const zh = await bot.handle({ platform: "console", userId: "admin@x.test", text: '公司 销售额 产品 "GTX" q3-2026' });
    expect(zh.kind).toBe("error");
    expect(zh.summary).toMatch(/GTX Pro|GTX Lite/);
    const csat = await bot.handle({ platform: "console", userId: "admin@x.test", text: "org csat region emea" });
    expect(csat.kind).toBe("error");
    const notBy = await bot.handle({ platform: "console", userId: "admin@x.test", text: "org csat by product" });
    expect(notBy.kind).toBe("error");
    expect(notBy.summary).toMatch(/deal metrics/);
  });

  it("a sum's total is withheld when it would give away a withheld team (total minus the teams shown)", async () => {
    const [teamA, teamB] = [await db.prisma.team.findFirstOrThrow({ where: { name: "A" } }), await db.prisma.team.findFirstOrThrow({ where: { name: "B" } })];
    const boss = await db.prisma.user.upsert({ where: { email: "boss-t@x.test" }, create: { email: "boss-t@x.test", name: "Boss T", role: "manager", teamId: teamA.id }, update: {} });
    const before = { a: teamA.managerId, b: teamB.managerId };
    await db.prisma.team.update({ where: { id: teamA.id }, data: { managerId: boss.id } });
    await db.prisma.team.update({ where: { id: teamB.id }, data: { managerId: null } });
    try {
      // A (managed) shown, B (3 people) shown, C (2 people) withheld: the total would be A + B + C.
      const r = await ask("boss-t", "org sales by team q3-2026");
      const byLabel = new Map(r.figures!.breakdown!.groups.map((g) => [g.label, g]));
      expect(byLabel.get("C")!.value).toBeNull();
      expect(byLabel.get("B")!.value).not.toBeNull();
      expect(r.figures!.total).toBeNull();
      expect(r.figures!.breakdown!.groups.every((g) => g.share === null)).toBe(true);
      // Shown partly under the manager's own rights (team A): private.
      expect(r.visibility).toBe("private");
      // Win rate is no sum: the total gives nothing away and stays.
      const w = await ask("boss-t", "org winrate by team q3-2026");
      expect(w.figures!.total).not.toBeNull();
    } finally {
      await db.prisma.team.update({ where: { id: teamA.id }, data: { managerId: before.a } });
      await db.prisma.team.update({ where: { id: teamB.id }, data: { managerId: before.b } });
    }
  });

  it("a plain answer counts a manager's direct reports in other teams as seen, not hidden", async () => {
    const teamA = await db.prisma.team.findFirstOrThrow({ where: { name: "A" } });
    const boss = await db.prisma.user.upsert({ where: { email: "boss-d@x.test" }, create: { email: "boss-d@x.test", name: "Boss D", role: "manager", teamId: teamA.id }, update: {} });
    const before = teamA.managerId;
    await db.prisma.team.update({ where: { id: teamA.id }, data: { managerId: boss.id } });
    // b1, b2 (team B) and c1 (team C) report to the boss: of the org's sellers only b3 and c2 are left.
    const reports = [ids.b1!, ids.b2!, ids.c1!];
    await db.prisma.user.updateMany({ where: { id: { in: reports } }, data: { managerId: boss.id } });
    try {
      const r = await ask("boss-d", "org sales q3-2026");
      // Org minus team A minus the three reports (all seen one by one) would be b3's and c2's sales.
      expect(r.figures!.total).toBeNull();
    } finally {
      await db.prisma.user.updateMany({ where: { id: { in: reports } }, data: { managerId: null } });
      await db.prisma.team.update({ where: { id: teamA.id }, data: { managerId: before } });
    }
  });

  it("a rep asking their team by product sees aggregates only: groups of fewer than 3 people withheld", async () => {
    const r = await ask("a1", "team A sales by product q3-2026");
    const team = [ids.a1!, ids.a2!, ids.a3!];
    const rows = (await closedQ3()).filter((d) => d.status === "won" && team.includes(d.ownerId));
    const per = new Map<string, { sum: number; owners: Set<number> }>();
    for (const d of rows) {
      const x = per.get(d.product!) ?? { sum: 0, owners: new Set() };
      x.sum += Number(d.amount);
      x.owners.add(d.ownerId);
      per.set(d.product!, x);
    }
    const got = values(r);
    // The rep sees their own figure: a group shows only with 3 contributors besides them.
    for (const [k, x] of per) expect(got.get(k), k).toBe([...x.owners].filter((o) => o !== ids.a1).length >= 3 ? x.sum : null);
    // Team C has 2 people: every product group is withheld from its rep.
    const c = await ask("c1", "team C sales by product q3-2026");
    expect(c.figures!.breakdown!.groups.every((g) => g.value === null)).toBe(true);
    // A manager of team A asking the org by product: A's people count for nothing (the manager
    // sees them one by one: the group minus A would be the outsiders' figure), so a product shows
    // only with 3 sellers outside A.
    const teamA = await db.prisma.team.findFirstOrThrow({ where: { name: "A" } });
    const boss = await db.prisma.user.upsert({ where: { email: "boss-a@x.test" }, create: { email: "boss-a@x.test", name: "Boss A", role: "manager", teamId: teamA.id }, update: {} });
    await db.prisma.team.update({ where: { id: teamA.id }, data: { managerId: boss.id } });
    // …and of team B: only C's two people are left that the manager does not see one by one.
    const teamB = await db.prisma.team.findFirstOrThrow({ where: { name: "B" } });
    await db.prisma.team.update({ where: { id: teamB.id }, data: { managerId: boss.id } });
    const m = await ask("boss-a", "org sales by product q3-2026");
    const sellers = await db.prisma.user.findMany({ where: { role: "rep" }, select: { id: true, teamId: true } });
    const inA = new Set(sellers.filter((u) => u.teamId === teamA.id || u.teamId === teamB.id).map((u) => u.id));
    const byProduct = new Map<string, { sum: number; outside: Set<number> }>();
    for (const d of (await closedQ3()).filter((d) => d.status === "won" && sellers.some((u) => u.id === d.ownerId))) {
      const x = byProduct.get(d.product!) ?? { sum: 0, outside: new Set() };
      x.sum += Number(d.amount);
      if (!inA.has(d.ownerId)) x.outside.add(d.ownerId);
      byProduct.set(d.product!, x);
    }
    const mv = values(m);
    for (const [k, x] of byProduct) expect(mv.get(k), `manager, ${k}`).toBe(x.outside.size >= 3 ? x.sum : null);
    expect([...byProduct.values()].every((x) => x.outside.size < 3 && x.outside.size > 0)).toBe(true);
    expect(m.figures!.total).toBeNull();
    // Value suggestions come only from records the asker's answer covers.
    const other = await bot.handle({ platform: "console", userId: "c1@x.test", text: "team C sales region emea" });
    expect(other.kind === "answer" || /EMEA/.test(other.summary)).toBe(true);
  });
});
