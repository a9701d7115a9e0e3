// Service breakdowns by the ticket fields (category, priority, channel) and ticket value filters:
// each group recomputed here from the ticket rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBot, type Bot } from "../../src/bot.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";
import { loadHandmade, type Handmade } from "../support/handmade.ts";

const NOW = new Date("2026-10-05T09:00:00Z");
const CATS = ["billing", "billing", "login", "login", "shipping", "billing"];
const PRIO = ["high", "low", "low", "high", "low", "high"];
const CHAN = ["email", "phone", "email", "chat", "phone", "email"];
const CSAT = [2, 1, 5, 4, 5, 3];

describe.each(backends)("ticket dimensions on %s", (backend) => {
  let db: TestDatabase;
  let h: Handmade;
  let bot: Bot;
  beforeAll(async () => {
    db = await freshDatabase(backend);
    h = await loadHandmade(db.prisma);
    await db.prisma.ticket.deleteMany();
    await db.prisma.ticket.createMany({
      data: CATS.map((category, i) => ({
        externalId: `tk${i}`, agentId: h.c, openedAt: new Date(`2026-08-0${i + 1}T00:00:00Z`), firstResponseAt: new Date(`2026-08-0${i + 1}T01:00:00Z`),
        resolvedAt: new Date(`2026-08-0${i + 1}T05:00:00Z`), csat: CSAT[i]!, category, priority: PRIO[i]!, channel: CHAN[i]!,
      })),
    });
    bot = createBot({ prisma: db.prisma, now: () => NOW, timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD" });
  });
  afterAll(() => db?.dispose());
  const ask = (text: string) => bot.handle({ platform: "slack", userId: "UADA", text, where: "C1" });
  const meanCsat = async (where: object) => {
    const rows = await db.prisma.ticket.findMany({ where });
    const rated = rows.map((r) => r.csat).filter((c): c is number => c !== null);
    return rated.reduce((a, b) => a + b, 0) / rated.length;
  };

  it.each([
    ["org csat by category q3-2026", "category"],
    ["org csat by priority q3-2026", "priority"],
    ["org csat by channel q3-2026", "channel"],
    ["全公司 满意度 按类别 2026年第三季度", "category"],
    ["全公司 满意度 按优先级 2026年第三季度", "priority"],
    ["全公司 满意度 按渠道 2026年第三季度", "channel"],
  ] as const)("%s: each group's CSAT is the mean of its tickets' ratings", async (text, field) => {
    const r = await ask(text);
    expect(r.kind, r.summary).toBe("answer");
    const groups = r.figures?.breakdown?.groups ?? [];
    const values = [...new Set((await db.prisma.ticket.findMany()).map((t) => t[field]))];
    expect(groups.map((g) => g.key).sort()).toEqual(values.sort());
    for (const g of groups) expect(g.value).toBeCloseTo(await meanCsat({ [field]: g.key }), 10);
  });

  it("a snapshot (backlog) by month is refused with a reason, not an internal error", async () => {
    const r = await ask("org backlog by month q3-2026");
    expect(r.kind).toBe("error");
    expect(r.summary).toContain("cannot be broken down");
  });

  it("filters tickets by a category value, and suggests an existing value for a typo", async () => {
    const r = await ask("org csat q3-2026 category billing");
    expect(r.figures?.total).toBeCloseTo(await meanCsat({ category: "billing" }), 10);
    const zh = await ask("全公司 满意度 2026年第三季度 优先级 high");
    expect(zh.figures?.total).toBeCloseTo(await meanCsat({ priority: "high" }), 10);
    const zhCategory = await ask("全公司 满意度 2026年第三季度 类别 login");
    expect(zhCategory.figures?.total).toBeCloseTo(await meanCsat({ category: "login" }), 10);
    const typo = await ask("org csat q3-2026 category biling");
    expect(typo.kind).toBe("error");
    expect(typo.summary).toContain("billing");
  });
});
