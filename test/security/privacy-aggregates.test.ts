// Issue 12, items 4 and 12: group figures count contributors (not members) on every path, small
// groups give no median to difference against, and nobody outside what an asker may see is
// confirmed to exist — by name, email, handle or platform id.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBot, type Bot } from "../../src/bot.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";
import { loadHandmade, type Handmade } from "../support/handmade.ts";

const NOW = new Date("2026-11-26T12:00:00Z");

describe.each(backends)("privacy of group figures (%s)", (backend) => {
  let db: TestDatabase;
  let h: Handmade;
  let bot: Bot;
  beforeAll(async () => {
    db = await freshDatabase(backend);
    h = await loadHandmade(db.prisma);
    bot = createBot({ prisma: db.prisma, now: () => NOW, timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD" });
  });
  afterAll(() => db?.dispose());

  const ask = (userId: string, text: string) => bot.handle({ platform: "console", userId, text });

  it("4: a manager limited to org aggregates does not get one marketer's leads as the 'org total'", async () => {
    // Only Cy owns campaigns: the org's leads are Cy's leads.
    const r = await ask("mia@acme.test", "org leads q3-2026");
    expect(r.kind).toBe("answer");
    expect(r.figures?.total).toBeNull();
    expect(JSON.stringify(r)).not.toMatch(/\b100\b/);
    const cmp = await ask("mia@acme.test", "compare org leads q2-2026 vs q3-2026");
    expect(cmp.figures?.sides?.map((s) => s.total)).toEqual([null, null]);
    // A channel digest or alert of the same question, whoever asks, gets no more.
    const channel = await bot.answerFor(h.admin, "org leads q3-2026", "channel", "digest S9");
    expect(channel.figures?.total).toBeNull();
    // An admin, who may see each person, does.
    expect((await ask("ada@acme.test", "org leads q3-2026")).figures?.total).toBe(100);
  });

  it("4: a rep of a three-seller team gets the team total but no median, mean or rank to solve for teammates", async () => {
    // Alpha in Q3: Ann $4,000, Bo $2,000, Cy $0 → two contributors: withheld entirely.
    const q3 = await ask("ann@acme.test", "team alpha sales q3-2026");
    expect(q3.figures?.total).toBeNull();
    expect(q3.figures?.median).toBeNull();
    // Win rate: Ann, Bo and Cy all closed deals — but Ann knows her own, so only two are hidden
    // from her: the team's rate minus hers would give the other two away. Withheld.
    const wr = await ask("ann@acme.test", "team alpha winrate q3-2026");
    expect(wr.figures?.total).toBeNull();
    expect(wr.figures?.median).toBeNull();
    // In a channel (nobody's own figure is subtracted) three contributors give the total only.
    const channel = await bot.answerFor(h.admin, "team alpha winrate q3-2026", "channel", "digest S8");
    expect(channel.figures?.total).toBeCloseTo(3 / 7, 12);
    expect(channel.figures?.median).toBeNull();
    const me = await ask("ann@acme.test", "me winrate q3-2026");
    expect(me.facts.some((f) => f.label === "Percentile")).toBe(false);
    expect(me.figures?.median).toBeNull();
  });

  it("4: a manager's org total minus their own team's total does not leave one person's figure", async () => {
    // Org sales Q3: Alpha (Mia's) $6,000 and Beta's only rep Xu $10,000 (+ Cy's October win).
    const org = await ask("mia@acme.test", "org sales q3-2026");
    expect(org.figures?.total).toBeNull();
    const deals = await ask("mia@acme.test", "org deals q3-2026");
    expect(deals.figures?.total).toBeNull();
  });

  it("4: nor in a breakdown: a manager's org total by team hides Beta's single seller", async () => {
    const r = await ask("mia@acme.test", "org sales by team q3-2026");
    expect(r.kind).toBe("answer");
    const groups = r.figures?.breakdown?.groups ?? [];
    expect(groups.find((g) => g.label === "Alpha")?.value).toBe(600_000);
    expect(groups.find((g) => g.label === "Beta")?.value).toBeNull();
    expect(r.figures?.total).toBeNull();
    expect(JSON.stringify(r)).not.toMatch(/\$16,000|\$10,000/);
    // The admin sees it all.
    expect((await ask("ada@acme.test", "org sales by team q3-2026")).figures?.total).toBe(1_599_999);
  });

  it("a manager asking about themselves gets their own figure (not ranked among their reps)", async () => {
    const d = await db.prisma.deal.create({ data: { externalId: "mia-own", ownerId: h.manager, customer: "C", amount: 500_000n, status: "won", createdAt: new Date("2026-07-01T00:00:00Z"), closedAt: new Date("2026-08-03T00:00:00Z") } });
    try {
      const me = await ask("mia@acme.test", "me sales q3-2026");
      expect(me.facts[0]).toMatchObject({ label: "You", value: "$5,000" });
      expect(me.facts.some((f) => f.label === "Percentile")).toBe(false);
    } finally {
      await db.prisma.deal.delete({ where: { id: d.id } });
    }
  });

  it("12: a person outside what the asker may see is 'not found', exactly like a made-up one", async () => {
    const forms = ["bo@acme.test", "bo", "Bo Chen 陈博", "@UMIA", "xu@acme.test"];
    const nobody = await ask("ann@acme.test", "rep nobody.here@acme.test sales q3-2026");
    expect(nobody.kind).toBe("error");
    for (const who of forms) {
      const r = await ask("ann@acme.test", `rep ${who.includes(" ") ? `"${who}"` : who} sales q3-2026`);
      expect(r.kind, who).toBe("error");
      expect(r.summary.replace(who, "X"), who).toBe(nobody.summary.replace("nobody.here@acme.test", "X"));
    }
  });

  it("12: suggestions list only people the asker may see", async () => {
    // Ann may see herself only: a near-miss on a teammate's name suggests nobody else.
    const r = await ask("ann@acme.test", "rep \"Cy Prak\" sales q3-2026");
    expect(JSON.stringify(r)).not.toContain("Cy Park");
    // Their manager gets the suggestion.
    const m = await ask("mia@acme.test", "rep \"Cy Prak\" sales q3-2026");
    expect(JSON.stringify(m)).toContain("Cy Park");
  });
});
