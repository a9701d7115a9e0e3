// The new service and marketing metrics by their en/zh words, `/kpi metrics` listing them, and what
// "revenue" means per scope (attributed campaign revenue for marketing, sales otherwise).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBot, type Bot } from "../src/bot.ts";
import { parseCommand } from "../src/command/index.ts";
import { Reply } from "../src/reply.ts";
import { backends, freshDatabase, type TestDatabase } from "./support/databases.ts";

const NOW = new Date("2026-11-26T12:00:00Z");
const ctx = { now: NOW, timeZone: "UTC", fiscalYearStartMonth: 1 };

const metricOf = (text: string) => {
  const r = parseCommand(text, ctx);
  if (!r.ok || (r.command.kind !== "query" && r.command.kind !== "compare")) throw new Error(`${text}: ${JSON.stringify(r)}`);
  return { metric: r.command.metric, word: r.command.metricWord, lang: r.command.lang };
};

describe("service and marketing metric words", () => {
  it.each([
    ["/kpi org tickets last-quarter", "tickets"],
    ["/kpi org ticket volume", "tickets"],
    ["/kpi team support backlog", "backlog"],
    ["/kpi org open tickets", "backlog"],
    ["/kpi org resolution rate", "resrate"],
    ["/kpi org resolution", "resolution"],
    ["/kpi org sla attainment", "sla"],
    ["/kpi org satisfied share", "satisfied"],
    ["/kpi org spend ytd", "spend"],
    ["/kpi org conversions", "conversions"],
    ["/kpi org conversion", "conversion"],
    ["/kpi org attributed revenue", "attributed"],
    ["/kpi org campaign revenue", "attributed"],
    ["/kpi org roas", "roas"],
    ["/kpi org cost per acquisition", "cpa"],
    ["/kpi org cpa by team", "cpa"],
  ])("%s → %s", (text, id) => {
    expect(metricOf(text).metric).toBe(id);
    expect(metricOf(text).lang).toBe("en");
  });

  it.each([
    ["/kpi 公司 工单量", "tickets"],
    ["/kpi 公司 积压工单", "backlog"],
    ["/kpi 公司 解决率", "resrate"],
    ["/kpi 公司 响应达标率", "sla"],
    ["/kpi 公司 好评率", "satisfied"],
    ["/kpi 公司 营销花费", "spend"],
    ["/kpi 公司 转化数", "conversions"],
    ["/kpi 公司 转化率", "conversion"],
    ["/kpi 公司 归因收入", "attributed"],
    ["/kpi 公司 广告支出回报率", "roas"],
    ["/kpi 公司 单次转化成本", "cpa"],
    ["/kpi 公司积压工单上季度", "backlog"],
  ])("%s → %s", (text, id) => {
    expect(metricOf(text).metric).toBe(id);
    expect(metricOf(text).lang).toBe("zh");
  });

  it("marks the ambiguous word revenue (收入, 营收), and only it", () => {
    expect(metricOf("/kpi org revenue")).toMatchObject({ metric: "sales", word: "revenue" });
    expect(metricOf("/kpi 公司 收入")).toMatchObject({ metric: "sales", word: "revenue" });
    expect(metricOf("/kpi 公司 营收")).toMatchObject({ metric: "sales", word: "revenue" });
    expect(metricOf("/kpi org sales").word).toBeUndefined();
    expect(metricOf("/kpi org campaign revenue").word).toBeUndefined();
    expect(metricOf("/kpi compare q2-2026 vs q3-2026 revenue")).toMatchObject({ metric: "sales", word: "revenue" });
  });
});

describe.each(backends)("what revenue means, through handle() on %s", (backend) => {
  let db: TestDatabase;
  let bot: Bot;
  beforeAll(async () => {
    db = await freshDatabase(backend);
    const p = db.prisma;
    const growth = await p.team.create({ data: { name: "Growth", function: "marketing" } });
    const east = await p.team.create({ data: { name: "East", function: "sales" } });
    await p.user.create({ data: { email: "ada@met.test", name: "Ada", role: "admin" } });
    const seller = await p.user.create({ data: { email: "sam@met.test", name: "Sam", teamId: east.id } });
    const marketer = await p.user.create({ data: { email: "mo@met.test", name: "Mo", teamId: growth.id } });
    await p.deal.create({ data: { externalId: "d1", ownerId: seller.id, customer: "X", amount: 5_000_00n, status: "won", createdAt: new Date("2026-07-01T00:00:00Z"), closedAt: new Date("2026-08-01T00:00:00Z") } });
    await p.campaign.create({
      data: { externalId: "c1", name: "Webinar", channel: "webinar", startDate: new Date("2026-08-01T00:00:00Z"), spend: 4_000_00n, leads: 50, conversions: 8, revenue: 12_000_00n, ownerId: marketer.id },
    });
    bot = createBot({ prisma: p, now: () => NOW, timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD" });
  }, 120_000);
  afterAll(() => db?.dispose());

  const ask = async (text: string) => {
    const reply = await bot.handle({ platform: "console", userId: "ada@met.test", text });
    expect(() => Reply.parse(reply)).not.toThrow();
    expect(reply.kind).toBe("answer");
    return reply;
  };
  const total = (r: Reply) => r.facts.find((f) => f.label === "Total" || f.label === "合计")?.value;

  it("a marketing team's revenue is its attributed campaign revenue", async () => {
    const r = await ask("/kpi team growth revenue q3-2026");
    expect(r.figures?.metric).toBe("attributed");
    expect(total(r)).toBe("$12,000");
  });
  it("a person in a marketing team: attributed revenue too", async () => {
    const r = await ask("/kpi rep mo@met.test revenue q3-2026");
    expect(r.figures?.metric).toBe("attributed");
  });
  it("a sales team's revenue is won sales", async () => {
    const r = await ask("/kpi team east revenue q3-2026");
    expect(r.figures?.metric).toBe("sales");
    expect(total(r)).toBe("$5,000");
    expect(r.summary).not.toContain("attributed");
  });
  it("org-wide revenue is sales, and the answer says so and offers attributed revenue", async () => {
    const r = await ask("/kpi org revenue q3-2026");
    expect(r.figures?.metric).toBe("sales");
    expect(total(r)).toBe("$5,000");
    expect(r.summary).toContain("won sales");
    expect(r.followUps[0]).toEqual({ label: "Attributed revenue", command: "/kpi org attributed" });
    const zh = await ask("/kpi 公司 营收 q3-2026");
    expect(zh.figures?.metric).toBe("sales");
    expect(zh.summary).toContain("归因收入");
  });
  it("in Chinese too: 收入 of a marketing team is attributed revenue", async () => {
    const r = await ask("/kpi 团队 growth 收入 q3-2026");
    expect(r.figures?.metric).toBe("attributed");
  });
  it("sales and attributed always mean themselves, whatever the scope", async () => {
    expect((await ask("/kpi team growth sales q3-2026")).figures?.metric).toBe("sales");
    const a = await ask("/kpi org attributed q3-2026");
    expect(a.figures?.metric).toBe("attributed");
    expect(total(a)).toBe("$12,000");
    expect(a.summary).not.toContain("won sales");
  });
  it("ROAS and CPA of the marketing team are revenue / spend and spend / conversions", async () => {
    expect((await ask("/kpi team growth roas q3-2026")).figures?.total).toBeCloseTo(12_000 / 4_000, 12);
    expect((await ask("/kpi team growth cpa q3-2026")).figures?.total).toBeCloseTo(4_000_00 / 8, 9);
  });
  it("/kpi metrics lists every new metric", async () => {
    const r = await bot.handle({ platform: "console", userId: "ada@met.test", text: "/kpi metrics" });
    const text = JSON.stringify(r);
    for (const id of ["tickets", "backlog", "resrate", "sla", "satisfied", "spend", "conversions", "attributed", "roas", "cpa"]) expect(text).toContain(id);
  });
});
