import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBot, type Bot } from "../src/bot.ts";
import { METRIC_IDS } from "../src/metrics/index.ts";
import { Reply } from "../src/reply.ts";
import { backends, freshDatabase, type TestDatabase } from "./support/databases.ts";
import { loadHandmade, type Handmade } from "./support/handmade.ts";

const NOW = new Date("2026-11-26T12:00:00Z");

describe.each(backends)("handle() on %s", (backend) => {
  let db: TestDatabase;
  let h: Handmade;
  let bot: Bot;
  beforeAll(async () => {
    db = await freshDatabase(backend);
    h = await loadHandmade(db.prisma);
    bot = createBot({ prisma: db.prisma, now: () => NOW, timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD" });
  });
  afterAll(() => db?.dispose());

  const ask = async (userId: string, text: string, platform: "console" | "slack" | "teams" = "console") => {
    const reply = await bot.handle({ platform, userId, text });
    expect(() => Reply.parse(reply)).not.toThrow();
    return reply;
  };

  it("answers a manager's team question with per-rep figures equal to the hand-computed ones", async () => {
    const r = await ask("mia@acme.test", "/kpi team alpha sales q3-2026");
    expect(r.kind).toBe("answer");
    expect(r.facts.find((f) => f.label === "Total")?.value).toBe("$6,000");
    expect(r.table?.rows.map((row) => [row[1], row[2]])).toEqual([["Ann Lee", "$4,000"], ["Bo Chen 陈博", "$2,000"], ["Cy Park", "$0"]]);
    expect(r.visibility).toBe("private");
    expect(r.charts.map((c) => c.kind)).toContain("bar");
  });

  it("uses the manager's own team and this month by default", async () => {
    const r = await ask("mia@acme.test", "/kpi");
    expect(r.kind).toBe("answer");
    expect(r.title).toContain("Team Alpha");
    expect(r.title).toContain("2026-11");
  });

  it("lets a rep see their own numbers and rank but not another rep's", async () => {
    const me = await ask("UANN", "me sales q3-2026", "slack");
    expect(me.kind).toBe("answer");
    expect(me.facts[0]).toMatchObject({ label: "You", value: "$4,000" });
    // Three sellers: own figure, median and rank together would give the other two away.
    expect(me.facts.some((f) => f.label === "Percentile")).toBe(false);
    expect(me.facts.find((f) => f.label === "Team median")?.value).toMatch(/withheld/);
    // Their manager sees the rank.
    const seen = await ask("mia@acme.test", "rep ann@acme.test sales q3-2026");
    expect(seen.facts.some((f) => f.value.startsWith("1 of 3"))).toBe(true);
    expect(me.table).toBeUndefined();
    // A distribution would list teammates' values: a rep gets none; their manager does.
    const pipeline = await ask("UANN", "me pipeline q3-2026", "slack");
    expect(pipeline.charts).toEqual([]);
    expect(JSON.stringify(pipeline)).not.toMatch(/700000/); // Bo's pipeline; the team median is allowed
    const managed = await ask("mia@acme.test", "rep ann@acme.test pipeline q3-2026");
    expect(managed.charts.map((c) => c.kind)).toEqual(["distribution"]);
    // Someone they may not see is not confirmed to exist: the same reply as a made-up name.
    const other = await ask("UANN", "rep bo@acme.test sales q3-2026", "slack");
    const nobody = await ask("UANN", "rep nobody@acme.test sales q3-2026", "slack");
    expect(other.kind).toBe("error");
    expect(other.summary.replace("bo@acme.test", "X")).toBe(nobody.summary.replace("nobody@acme.test", "X"));
    expect(JSON.stringify(other)).not.toContain("Bo Chen");
  });

  it("does not rank a manager among the reps they lead when they ask about themselves", async () => {
    // Alpha is a sales team, so everyone in it is someone sales applies to — but Mia manages it.
    await db.prisma.team.update({ where: { id: h.alpha }, data: { function: "sales" } });
    try {
      const r = await ask("mia@acme.test", "me sales q3-2026");
      expect(r.facts[0]).toMatchObject({ label: "You", value: "$0" });
      expect(r.facts.some((f) => f.label === "Percentile")).toBe(false);
      // The median of Ann ($4,000), Bo ($2,000) and Cy ($0): the reps alone.
      expect(r.facts.find((f) => f.label === "Team median")?.value).toBe("$2,000");
    } finally {
      await db.prisma.team.update({ where: { id: h.alpha }, data: { function: null } });
    }
  });

  it("gives a rep only aggregates of their team: no names, no per-rep table, no flags", async () => {
    const r = await ask("ann@acme.test", "team alpha sales q3-2026");
    expect(r.kind).toBe("answer");
    expect(r.table).toBeUndefined();
    expect(r.flags).toEqual([]);
    expect(JSON.stringify(r)).not.toContain("Bo Chen");
    expect(r.visibility).toBe("shareable");
  });

  it("denies a rep other teams and the org, and writes the denial to the audit log", async () => {
    const before = await db.prisma.auditLog.count({ where: { decision: "denied" } });
    expect((await ask("ann@acme.test", "team beta sales q3-2026")).kind).toBe("denied");
    expect((await ask("ann@acme.test", "org sales q3-2026")).kind).toBe("denied");
    expect(await db.prisma.auditLog.count({ where: { decision: "denied" } })).toBe(before + 2);
  });

  it("lets the top manager see nested teams and an admin everything", async () => {
    expect((await ask("otto@acme.test", "team beta sales q3-2026")).table?.rows.map((r) => r[1])).toEqual(["Xu Ming 徐明"]);
    const org = await ask("ada@acme.test", "org deals q3-2026");
    expect(org.facts.find((f) => f.label === "Total")?.value).toBe("4");
  });

  it("tells an unknown user how to get linked, and audits it", async () => {
    const r = await ask("U_NOBODY", "team alpha sales", "slack");
    expect(r.kind).toBe("unlinked");
    expect(r.summary).toMatch(/reps list/);
    expect(await db.prisma.auditLog.count({ where: { decision: "unlinked" } })).toBeGreaterThan(0);
  });

  it("finds a rep by name, handle or platform id (adapters turn mentions into @<platform id>)", async () => {
    for (const who of ['"Bo Chen 陈博"', "@bo", "bo@acme.test"]) {
      const r = await ask("mia@acme.test", `rep ${who} deals q3-2026`);
      expect(r.kind, who).toBe("answer");
      expect(r.facts[0]?.value).toBe("1");
    }
    const ann = await ask("mia@acme.test", "rep @UANN deals q3-2026");
    expect(ann.facts[0]?.value).toBe("2");
    expect((await ask("mia@acme.test", "rep @aad-ann deals q3-2026")).facts[0]?.value).toBe("2");
  });

  it("withholds aggregates over fewer than 3 people with a value from aggregate-only askers", async () => {
    // Only Cy has rated tickets in Alpha: the team's CSAT would be Cy's own.
    const csat = await ask("ann@acme.test", "team alpha csat q3-2026");
    expect(csat.facts.find((f) => f.label === "Overall CSAT")?.value).toMatch(/withheld/);
    expect(csat.figures?.total).toBeNull();
    expect(JSON.stringify(csat)).not.toContain("4 / 5");
    // Their manager sees it.
    expect((await ask("mia@acme.test", "team alpha csat q3-2026")).facts.find((f) => f.label === "Overall CSAT")?.value).toMatch(/^4(\.0+)? \/ 5$/);
    const compare = await ask("ann@acme.test", "compare team alpha csat q2-2026 vs q3-2026");
    expect(compare.facts.map((f) => f.value)).not.toContain("4 / 5");
  });

  it("does not link a platform account by email to someone linked to another account", async () => {
    const r = await bot.handle({ platform: "slack", userId: "U_EVIL", email: "ann@acme.test", text: "me sales q3-2026" });
    expect(r.kind).toBe("unlinked");
  });

  it("treats % and _ in a name literally, and never lists emails of other people", async () => {
    const r = await ask("ann@acme.test", 'rep "%" deals q3-2026');
    expect(r.kind).toBe("error");
    expect(r.summary).not.toMatch(/@acme\.test/);
    const many = await ask("ann@acme.test", 'rep "o" deals q3-2026');
    expect(many.summary).not.toMatch(/@acme\.test/);
  });

  it("never gives a channel one person's figures, whoever asks", async () => {
    const r = await bot.answerFor(h.admin, "rep ann@acme.test sales q3-2026", "channel", "test");
    expect(r.kind).toBe("denied");
    const team = await bot.answerFor(h.admin, "team alpha sales q3-2026", "channel", "test");
    expect(team.kind).toBe("answer");
    expect(team.table).toBeUndefined();
    expect(team.figures?.rows).toEqual([]);
  });

  it("says whom an answer is about, so adapters keep answers about the asker private", async () => {
    expect((await ask("UANN", "me sales q3-2026", "slack")).about).toBe("self");
    expect((await ask("UANN", "sales q3-2026", "slack")).about).toBe("self"); // a rep's default scope
    expect((await ask("UANN", "compare rep ann@acme.test sales q2-2026 vs q3-2026", "slack")).about).toBe("self");
    expect((await ask("mia@acme.test", "rep ann@acme.test sales q3-2026")).about).toBe("person");
    expect((await ask("mia@acme.test", "team alpha sales q3-2026")).about).toBe("group");
  });

  it("suggests the closest team for a typo", async () => {
    const r = await ask("ada@acme.test", "team alpah sales q3-2026");
    expect(r.kind).toBe("error");
    expect(r.summary).toContain("did you mean 'Alpha'");
  });

  it("answers in Chinese when asked in Chinese", async () => {
    const r = await ask("mia@acme.test", "团队 Alpha 销售额 2026年Q3");
    expect(r.lang).toBe("zh");
    expect(r.kind).toBe("answer");
    expect(r.facts[0]?.label).toBe("合计");
  });

  it("turns a parse error into a friendly reply naming the closest word", async () => {
    const r = await ask("mia@acme.test", "team alpha salse q3");
    expect(r.kind).toBe("error");
    expect(r.summary).toMatch(/salse/);
    expect(r.summary).toMatch(/sales/);
  });

  it("compares two periods", async () => {
    const r = await ask("mia@acme.test", "compare team alpha sales q2-2026 vs q3-2026");
    expect(r.kind).toBe("answer");
    expect(r.facts.map((f) => f.value).slice(0, 2)).toEqual(["$500", "$6,000"]);
    expect(r.facts.map((f) => f.label)).toContain("Team median (Q2 2026)");
    expect(r.facts[1]?.delta?.direction).toBe("up");
  });

  it("offers follow-up commands that the parser reads back and that answer", async () => {
    const r = await ask("mia@acme.test", "team alpha winrate q3-2026");
    expect(r.followUps.length).toBeGreaterThan(1);
    for (const f of r.followUps) {
      const next = await ask("mia@acme.test", f.command);
      expect(next.kind, f.command).toBe("answer");
    }
  });

  it("forecasts a running quarter from the weekly trend, counting empty weeks as zero", async () => {
    const mid = createBot({ prisma: db.prisma, now: () => new Date("2026-08-20T00:00:00Z"), timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD" });
    const r = await mid.handle({ platform: "console", userId: "mia@acme.test", text: "team alpha sales this quarter" });
    expect(r.kind).toBe("answer");
    const trend = r.charts.find((c) => c.kind === "trend");
    if (trend?.kind !== "trend") throw new Error("no trend chart");
    // Whole weeks only: 06-29 (the quarter starts on Wednesday 07-01) and 08-17 (running) are left
    // out; sales in weeks 07-06, 07-20 and 08-10.
    expect(trend.points.map((p) => p.label)).toEqual(["2026-07-06", "2026-07-13", "2026-07-20", "2026-07-27", "2026-08-03", "2026-08-10"]);
    expect(trend.points.map((p) => p.value)).toEqual([100000, 0, 300000, 0, 0, 200000]);
    // The forecast covers the rest of the running week and every week to the quarter's end.
    expect(trend.forecast?.map((p) => p.label)).toEqual(["2026-08-17", "2026-08-24", "2026-08-31", "2026-09-07", "2026-09-14", "2026-09-21", "2026-09-28"]);
    expect(r.facts.find((f) => f.label === "Forecast to period end")?.value).toMatch(/^\$[\d,]+ \(95% interval/);
  });

  it("lists metrics and help", async () => {
    expect((await ask("ann@acme.test", "metrics")).table?.rows).toHaveLength(METRIC_IDS.length);
    expect((await ask("ann@acme.test", "help")).kind).toBe("help");
  });

  it("never crashes on hostile input and never lets it reach SQL", async () => {
    for (const text of ["'; DROP TABLE \"Deal\"; --", "😀".repeat(2500), "\u0000\u0007\u001b[2J", "rep '; DELETE FROM \"User\" --", "team \" OR 1=1 --"]) {
      const r = await ask("ada@acme.test", text);
      expect(["error", "answer", "denied"]).toContain(r.kind);
    }
    expect(await db.prisma.deal.count()).toBe(11);
    expect(await db.prisma.user.count()).toBe(7);
  });
});
