// `people forget`: a person's identity leaves the bot; what others' figures depend on stays (or,
// with records, goes). Expected figures are recomputed here from the handmade rows.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createBot, type Bot } from "../../src/bot.ts";
import { createScheduleDesk } from "../../src/digests/desk.ts";
import { forgetPerson, describeForget, regexLiteral } from "../../src/privacy/forget.ts";
import { auditCutoff, pruneAudit } from "../../src/privacy/retention.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";
import { loadHandmade, Q3, type Handmade } from "../support/handmade.ts";

const NOW = new Date("2026-10-05T09:00:00Z");

describe("regexLiteral", () => {
  it("escapes every regular-expression character so a name matches only itself", () => {
    const name = "Ann (Lee) [x]. * + ? ^ $ { } | \\";
    expect(new RegExp(regexLiteral(name)).test(name)).toBe(true);
    expect(new RegExp(`^${regexLiteral("a.b")}$`).test("axb")).toBe(false);
  });
});

describe.each(backends)("forgetting a person on %s", (backend) => {
  let db: TestDatabase;
  let h: Handmade;
  let bot: Bot;
  beforeEach(async () => {
    db = await freshDatabase(backend);
    h = await loadHandmade(db.prisma);
    const deps = { prisma: db.prisma, now: () => NOW, timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD" };
    bot = createBot({ ...deps, schedules: createScheduleDesk(deps) });
    // Ann's traces: answers she asked, a mention of her in the admin's command, a private digest,
    // an alert, and her private conversation.
    await ask("UANN", "me sales q3-2026");
    await ask("UADA", "rep ann@acme.test sales q3-2026");
    await ask("UADA", 'rep "Ann Lee" winrate q3-2026');
    await ask("UANN", "subscribe weekly me sales", "D-ANN");
    await ask("UMIA", "alert team alpha sales below 1000");
    await db.prisma.alert.create({ data: { ownerId: h.a, platform: "slack", destination: "UANN", private: true, query: "me", metric: "sales", op: "below", threshold: 1 } });
    await db.prisma.conversationRef.create({ data: { platform: "slack", conversationId: "D-ANN", scope: "personal", userId: "UANN", reference: {} } });
    await db.prisma.conversationRef.create({ data: { platform: "teams", conversationId: "a:ann", scope: "personal", userId: "aad-ann", reference: {} } });
    await db.prisma.conversationRef.create({ data: { platform: "slack", conversationId: "D-MIA", scope: "personal", userId: "UMIA", reference: {} } });
  });
  afterEach(() => db?.dispose());

  const ask = (userId: string, text: string, where = "C-ALPHA") => bot.handle({ platform: "slack", userId, text, where });
  /** Q3 won amount of Alpha's members, straight from the deal rows. */
  const alphaWonQ3 = async () => {
    const members = (await db.prisma.user.findMany({ where: { teamId: h.alpha } })).map((u) => u.id);
    const deals = await db.prisma.deal.findMany({ where: { ownerId: { in: members }, status: "won", closedAt: { gte: Q3.start, lt: Q3.end } } });
    return deals.reduce((s, d) => s + Number(d.amount), 0);
  };
  const annTraces = async () => ({
    subscriptions: await db.prisma.subscription.count({ where: { ownerId: h.a } }),
    alerts: await db.prisma.alert.count({ where: { ownerId: h.a } }),
    refs: await db.prisma.conversationRef.count({ where: { userId: { in: ["UANN", "aad-ann"] } } }),
    auditLinked: await db.prisma.auditLog.count({ where: { OR: [{ userId: h.a }, { platformUserId: "UANN" }] } }),
    mentions: await db.prisma.auditLog.count({
      where: { OR: [{ command: { contains: "ann@acme.test", mode: "insensitive" } }, { command: { contains: "ann lee", mode: "insensitive" } }] },
    }),
  });

  it("keeps the records under an inactive pseudonym and removes every identity trace", async () => {
    const before = await annTraces();
    expect(before).toMatchObject({ subscriptions: 1, refs: 2 });
    expect(before.alerts).toBeGreaterThanOrEqual(1);
    expect(before.auditLinked).toBeGreaterThanOrEqual(2);
    expect(before.mentions).toBe(2);
    const dealsBefore = await db.prisma.deal.count({ where: { ownerId: h.a } });
    // A team export naming her, waiting behind a Teams download link.
    await db.prisma.exportFile.create({ data: { id: "x".repeat(24), filename: "kpi-sales.csv", mimeType: "text/csv", bytes: new Uint8Array(Buffer.from("Ann Lee,ann@acme.test,4000")), expiresAt: new Date(NOW.getTime() + 60_000) } });

    const r = await forgetPerson(db, "ANN@acme.test");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const s = r.summary;
    expect(s.pseudonym).toMatch(/^forgotten-[0-9a-f]{10}$/);
    expect(s).toMatchObject({ email: "ann@acme.test", withRecords: false, dryRun: false, chatLinks: 2, conversations: 2, subscriptions: 1, auditMentions: 2 });
    expect(s.records.deals).toBe(dealsBefore);

    expect(await annTraces()).toEqual({ subscriptions: 0, alerts: 0, refs: 0, auditLinked: 0, mentions: 0 });
    expect(await db.prisma.exportFile.count()).toBe(0);
    const ann = await db.prisma.user.findUniqueOrThrow({ where: { id: h.a } });
    expect(ann).toMatchObject({ name: s.pseudonym, email: `${s.pseudonym}@forgotten.invalid`, slackUserId: null, teamsUserId: null, active: false });
    // Others' traces are untouched; the admin's commands now name the pseudonym.
    expect(await db.prisma.conversationRef.count({ where: { userId: "UMIA" } })).toBe(1);
    const adminRows = await db.prisma.auditLog.findMany({ where: { userId: h.admin } });
    expect(adminRows.map((a) => a.command).filter((c) => c.includes(s.pseudonym))).toHaveLength(2);
    expect(await db.prisma.auditLog.count({ where: { platformUserId: s.pseudonym } })).toBe(before.auditLinked);
    // The records stay: deals are still there, and nobody can name Ann any more.
    expect(await db.prisma.deal.count({ where: { ownerId: h.a } })).toBe(dealsBefore);
    const asked = await ask("UADA", "rep ann@acme.test sales q3-2026");
    expect(asked.kind).toBe("error");
    const team = await ask("UADA", "team alpha sales q3-2026");
    expect(JSON.stringify(team.table?.rows ?? [])).not.toContain("Ann");
    expect(JSON.stringify(team.figures?.rows ?? [])).not.toContain(s.pseudonym);
    // History stays: Alpha's Q3 total still counts Ann's wins (600000 from the rows), unranked.
    expect(await alphaWonQ3()).toBe(600000);
    expect(team.figures?.total).toBe(600000);
    expect(team.figures?.members).toBe(2);
    // Breakdowns count them the same way: the Alpha group and the total agree with plain answers.
    const byTeam = await ask("UADA", "org sales by team q3-2026");
    const org = await ask("UADA", "org sales q3-2026");
    expect(byTeam.figures?.breakdown?.groups.find((g) => g.label === "Alpha")?.value).toBe(600000);
    expect(byTeam.figures?.total).toBe(org.figures?.total);
    expect(describeForget(s)).toContain(`forgot ann@acme.test → ${s.pseudonym}`);
    // A second request finds nobody.
    const again = await forgetPerson(db, `${s.pseudonym}@forgotten.invalid`);
    expect(again).toEqual({ ok: false, error: `${s.pseudonym}@forgotten.invalid was already forgotten` });
  });

  it("with records: deletes what the person owned and the person, and rollups follow", async () => {
    const expected = (await alphaWonQ3()) - 400000; // Ann's Q3 wins: 100000 + 300000
    const r = await forgetPerson(db, "ann@acme.test", { withRecords: true });
    expect(r.ok && r.summary.records).toEqual({ deals: 4, activities: 4, tickets: 0, quotas: 1, campaigns: 0 });
    expect(await db.prisma.user.findUnique({ where: { id: h.a } })).toBeNull();
    for (const model of ["deal", "activity", "quota"] as const) {
      expect(await (db.prisma[model] as { count(a: object): Promise<number> }).count({ where: { ownerId: h.a } })).toBe(0);
    }
    expect(await alphaWonQ3()).toBe(expected);
    const team = await ask("UADA", "team alpha sales q3-2026");
    expect(team.figures?.total).toBe(expected);
    expect(await db.prisma.auditLog.count({ where: { command: { contains: "ann", mode: "insensitive" } } })).toBe(0);
  });

  it("a dry run changes nothing and says what it would do", async () => {
    const before = await annTraces();
    const r = await forgetPerson(db, "ann@acme.test", { dryRun: true, withRecords: true });
    expect(r.ok && r.summary.dryRun).toBe(true);
    expect(r.ok && describeForget(r.summary)).toContain("dry run: nothing was changed");
    expect(await annTraces()).toEqual(before);
    expect(await db.prisma.deal.count({ where: { ownerId: h.a } })).toBe(4);
  });

  it("refuses what is not a known email, naming what to type", async () => {
    expect(await forgetPerson(db, "nobody@acme.test")).toEqual({ ok: false, error: "no person has the email 'nobody@acme.test' (matched exactly, ignoring case)" });
    const r = await forgetPerson(db, "Ann Lee");
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/forget takes the person's email/);
  });

  it("retention deletes exactly the audit rows older than the cutoff", async () => {
    const cutoff = auditCutoff(NOW, 30);
    expect(cutoff.toISOString()).toBe("2026-09-05T09:00:00.000Z");
    await db.prisma.auditLog.createMany({
      data: [
        { at: new Date(cutoff.getTime() - 1), platform: "slack", platformUserId: "UOLD", command: "old", decision: "allowed" },
        { at: cutoff, platform: "slack", platformUserId: "UEDGE", command: "edge", decision: "allowed" },
      ],
    });
    const total = await db.prisma.auditLog.count();
    expect(await pruneAudit(db.prisma, NOW, 30)).toBe(1);
    expect(await db.prisma.auditLog.count()).toBe(total - 1);
    expect(await db.prisma.auditLog.count({ where: { platformUserId: "UEDGE" } })).toBe(1);
  });
});
