// Quota milestones (`alert me quota milestones`): a private note the first time the quota
// period's attainment reaches 50 %, 90 %, 100 %, 120 %, each once per period, through the alert
// ledger. The CRM rows are written here; every expected figure is recomputed from those rows.
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBot, type Bot } from "../../src/bot.ts";
import { openDatabase, type Database } from "../../src/data/db.ts";
import { formatValue } from "../../src/format/index.ts";
import { createScheduleDesk } from "../../src/digests/desk.ts";
import { newlyReached, recordMilestones } from "../../src/digests/milestones.ts";
import { checkAlerts, type RunnerDeps } from "../../src/digests/runner.ts";
import type { PrismaClient } from "../../src/data/db.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";
import { recordingSender } from "./support/recording-sender.ts";

type People = { meg: number; rae: number; sam: number; tia: number; wes: number; east: number };

/** Team East (manager Meg; reps Rae, Sam, Tia) and team West (rep Wes); quotas for Q4 2026. */
async function loadPeople(prisma: PrismaClient): Promise<People> {
  const meg = await prisma.user.create({ data: { email: "meg@m.test", name: "Meg", role: "manager", slackUserId: "UMEG" } });
  const east = await prisma.team.create({ data: { name: "East", managerId: meg.id } });
  const west = await prisma.team.create({ data: { name: "West" } });
  await prisma.user.update({ where: { id: meg.id }, data: { teamId: east.id } });
  const rep = (email: string, name: string, teamId: number, slackUserId: string) => prisma.user.create({ data: { email, name, role: "rep", teamId, slackUserId } });
  const rae = await rep("rae@m.test", "Rae", east.id, "URAE");
  const sam = await rep("sam@m.test", "Sam", east.id, "USAM");
  const tia = await rep("tia@m.test", "Tia", east.id, "UTIA");
  const wes = await rep("wes@m.test", "Wes", west.id, "UWES");
  return { meg: meg.id, rae: rae.id, sam: sam.id, tia: tia.id, wes: wes.id, east: east.id };
}

/** The deals and quotas written, kept to recompute the figures independently. */
type Written = { deals: { id: string; ownerId: number; amount: number; status: "won" | "lost"; closedAt: Date }[]; quotas: { ownerId: number; from: string; to: string; amount: number }[] };

function writer(prisma: PrismaClient) {
  const written: Written = { deals: [], quotas: [] };
  let n = 0;
  return {
    written,
    async deal(ownerId: number, amount: number, closedAt: string, status: "won" | "lost" = "won") {
      const id = `m${++n}`;
      const closed = new Date(closedAt);
      await prisma.deal.create({ data: { externalId: id, ownerId, customer: "C", amount: BigInt(amount), status, createdAt: new Date(closed.getTime() - 86_400_000), closedAt: closed } });
      written.deals.push({ id, ownerId, amount, status, closedAt: closed });
      return id;
    },
    async lose(id: string) {
      await prisma.deal.updateMany({ where: { externalId: id }, data: { status: "lost" } });
      written.deals.find((d) => d.id === id)!.status = "lost";
    },
    async quota(ownerId: number, from: string, to: string, amount: number) {
      await prisma.quota.create({ data: { ownerId, periodStart: new Date(from), periodEnd: new Date(to), amount: BigInt(amount) } });
      written.quotas.push({ ownerId, from, to, amount });
    },
  };
}

/** Won and quota of these people for the period from..to, up to `now`: from the rows written, by hand. */
function recompute(w: Written, owners: number[], from: string, to: string, now: Date) {
  const start = new Date(`${from}T00:00:00Z`);
  const end = new Date(new Date(`${to}T00:00:00Z`).getTime() + 86_400_000);
  const quotaOf = new Map<number, number>();
  for (const q of w.quotas) if (owners.includes(q.ownerId) && q.from === from && q.to === to) quotaOf.set(q.ownerId, (quotaOf.get(q.ownerId) ?? 0) + q.amount);
  // Attainment counts the people with a quota: their won sales over their quotas.
  const won = w.deals
    .filter((d) => quotaOf.has(d.ownerId) && d.status === "won" && d.closedAt >= start && d.closedAt < end && d.closedAt < now)
    .reduce((s, d) => s + d.amount, 0);
  const quota = [...quotaOf.values()].reduce((s, q) => s + q, 0);
  return { won, quota, attainment: won / quota };
}

const money = (v: number) => formatValue(v, "currency", "en", "USD");
const pct = (v: number) => formatValue(v, "percent", "en", "USD");

describe.each(backends)("quota milestones on %s", (backend) => {
  let db: TestDatabase;
  let p: People;
  let w: ReturnType<typeof writer>;
  let clock = new Date("2026-11-15T12:00:00Z");
  let bot: Bot;
  beforeAll(async () => {
    db = await freshDatabase(backend);
    p = await loadPeople(db.prisma);
    w = writer(db.prisma);
    const deps = { prisma: db.prisma, now: () => clock, timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD" };
    bot = createBot({ ...deps, schedules: createScheduleDesk(deps) });
    // Q4 2026 quotas ($1,000 each in cents); Wes has one too.
    for (const id of [p.rae, p.sam, p.tia, p.wes]) await w.quota(id, "2026-10-01", "2026-12-31", 100_000);
  });
  afterAll(() => db?.dispose());

  const ask = (userId: string, text: string) => bot.handle({ platform: "slack", userId, text, where: "C-EAST" });
  const runner = (senders: RunnerDeps["senders"], holder = "test", b = bot, prisma = db.prisma): RunnerDeps => ({ prisma, bot: b, senders, holder, timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD" });
  const notesOf = (sent: ReturnType<typeof recordingSender>["sent"], ref: string) => sent.filter((s) => s.reply.title.endsWith(` ${ref}`));

  it("counts a milestone from the sums themselves, and reaching several at once reaches each", () => {
    expect(newlyReached(49_999, 100_000, 0)).toEqual([]);
    expect(newlyReached(50_000, 100_000, 0)).toEqual([50]);
    expect(newlyReached(95_000, 100_000, 0)).toEqual([50, 90]);
    expect(newlyReached(95_000, 100_000, 90)).toEqual([]);
    expect(newlyReached(120_000, 100_000, 50)).toEqual([90, 100, 120]);
    expect(newlyReached(10, 0, 0)).toEqual([]);
  });

  it("a rep sets milestones on themself (en and zh); one on a team they can't see is denied and not stored", async () => {
    const set = await ask("URAE", "/kpi alert me quota milestones");
    expect(set.kind).toBe("answer");
    expect(set.summary).toMatch(/^Milestones A\d+ set: me · Quota attainment milestones 50\/90\/100\/120%\./);
    const zh = await ask("USAM", "/kpi 提醒 我 配额 里程碑");
    expect(zh.summary).toMatch(/^已设置里程碑提醒 A\d+：me · 配额完成率 里程碑 50\/90\/100\/120%/);
    const before = await db.prisma.alert.count();
    const denied = await ask("UWES", "/kpi alert team east quota milestones");
    expect(denied.kind).toBe("denied");
    expect(await db.prisma.alert.count()).toBe(before);
    expect(await db.prisma.auditLog.count({ where: { decision: "denied", reason: "milestones" } })).toBe(1);
    // Notes are private: `here` is refused.
    expect((await ask("UMEG", "/kpi alert team east quota milestones here")).kind).toBe("error");
  });

  it("the first pass of 50% sends one private note with figures recomputed from the rows; later checks send nothing more", async () => {
    const { sender, sent } = recordingSender();
    const a = await db.prisma.alert.findFirstOrThrow({ where: { ownerId: p.rae, op: "milestones" } });
    const ref = `A${a.id}`;
    clock = new Date("2026-11-15T12:00:00Z");
    await w.deal(p.rae, 30_000, "2026-10-20T10:00:00Z");
    await w.deal(p.rae, 9_000, "2026-09-20T10:00:00Z"); // last quarter: not counted
    await w.deal(p.rae, 15_000, "2026-11-01T10:00:00Z", "lost"); // lost: not counted
    await checkAlerts(runner({ slack: sender }), clock);
    expect(notesOf(sent, ref)).toHaveLength(0);
    await w.deal(p.rae, 25_000, "2026-11-10T10:00:00Z");
    await checkAlerts(runner({ slack: sender }), clock);
    await checkAlerts(runner({ slack: sender }), clock);
    const notes = notesOf(sent, ref);
    expect(notes).toHaveLength(1);
    const want = recompute(w.written, [p.rae], "2026-10-01", "2026-12-31", clock);
    expect(want).toEqual({ won: 55_000, quota: 100_000, attainment: 0.55 });
    // 15 Nov to 31 Dec, today included: 16 + 31 days.
    expect(notes[0]!.reply.summary).toBe(`me · Quota attainment reached 50%: ${pct(want.attainment)} (won ${money(want.won)} of ${money(want.quota)} quota), 2026-10-01..2026-12-31, 47 days left.`);
    expect(notes[0]!.to).toEqual({ platform: "slack", address: "URAE", private: true });
    expect(notes[0]!.reply.visibility).toBe("private");
    const events = await db.prisma.alertEvent.findMany({ where: { alertId: a.id } });
    expect(events.map((e) => [e.milestone, e.status, Number(e.won), Number(e.quota), e.daysLeft])).toEqual([[50, "sent", want.won, want.quota, 47]]);
  });

  it("a milestone reached is never sent again in the period, even when attainment dips and rises again", async () => {
    const { sender, sent } = recordingSender();
    const a = await db.prisma.alert.findFirstOrThrow({ where: { ownerId: p.rae, op: "milestones" } });
    const dip = await w.deal(p.rae, 5_001, "2026-11-12T10:00:00Z");
    await w.lose(dip);
    const big = w.written.deals.find((d) => d.amount === 25_000)!.id;
    await w.lose(big); // 30 %
    await checkAlerts(runner({ slack: sender }), clock);
    expect(recompute(w.written, [p.rae], "2026-10-01", "2026-12-31", clock).attainment).toBeCloseTo(0.3, 12);
    await w.deal(p.rae, 30_000, "2026-11-14T10:00:00Z"); // 60 % again
    await checkAlerts(runner({ slack: sender }), clock);
    expect(notesOf(sent, `A${a.id}`)).toHaveLength(0);
    expect(await db.prisma.alertEvent.count({ where: { alertId: a.id } })).toBe(1);
    const listed = await ask("URAE", "/kpi alerts");
    expect(listed.table?.rows.find((r) => r[0] === `A${a.id}`)?.slice(1, 4)).toEqual(["me · Quota attainment milestones 50/90/100/120%", "50% reached · 2026-10-01..2026-12-31", "60%"]);
  });

  it("a team's attainment jumping over several milestones sends one note naming the highest, to a manager of the team", async () => {
    const set = await ask("UMEG", "/kpi alert team east quota milestones");
    expect(set.summary).toMatch(/^Milestones A\d+ set: team "East" · Quota attainment/);
    const a = await db.prisma.alert.findFirstOrThrow({ where: { ownerId: p.meg, op: "milestones" } });
    const { sender, sent } = recordingSender();
    const team = [p.rae, p.sam, p.tia];
    const first = recompute(w.written, team, "2026-10-01", "2026-12-31", clock);
    expect(first.attainment).toBeCloseTo(0.2, 12); // Rae's 60 000 of 300 000
    await checkAlerts(runner({ slack: sender }), clock);
    expect(notesOf(sent, `A${a.id}`)).toHaveLength(0);
    await w.deal(p.sam, 110_000, "2026-11-13T10:00:00Z");
    await w.deal(p.tia, 107_000, "2026-11-14T10:00:00Z");
    await w.deal(p.wes, 900_000, "2026-11-14T10:00:00Z"); // West: not the team's
    const want = recompute(w.written, team, "2026-10-01", "2026-12-31", clock);
    expect(want).toEqual({ won: 277_000, quota: 300_000, attainment: 277_000 / 300_000 });
    await checkAlerts(runner({ slack: sender }), clock);
    await checkAlerts(runner({ slack: sender }), clock);
    const notes = notesOf(sent, `A${a.id}`);
    expect(notes.map((n) => n.reply.summary)).toEqual([
      `team "East" · Quota attainment reached 90%: ${pct(want.attainment)} (won ${money(want.won)} of ${money(want.quota)} quota), 2026-10-01..2026-12-31, 47 days left.`,
    ]);
    expect(notes[0]!.to).toEqual({ platform: "slack", address: "UMEG", private: true });
    const events = await db.prisma.alertEvent.findMany({ where: { alertId: a.id }, orderBy: { seq: "asc" } });
    expect(events.map((e) => [e.seq, e.milestone, e.status])).toEqual([[1, 50, "superseded"], [2, 90, "sent"]]);
    // Sam, who set his in Chinese, passed 100 % with the same deal: one note, in Chinese.
    const sam = await db.prisma.alert.findFirstOrThrow({ where: { ownerId: p.sam, op: "milestones" } });
    const his = recompute(w.written, [p.sam], "2026-10-01", "2026-12-31", clock);
    expect(his.attainment).toBeCloseTo(1.1, 12);
    const zh = notesOf(sent, `A${sam.id}`);
    expect(zh.map((n) => n.reply.title)).toEqual([`配额里程碑 A${sam.id}`]);
    expect(zh[0]!.reply.summary).toBe(
      `me · 配额完成率 已达到 100%：${formatValue(his.attainment, "percent", "zh", "USD")}（已赢单 ${formatValue(his.won, "currency", "zh", "USD")}，配额 ${formatValue(his.quota, "currency", "zh", "USD")}），2026-10-01..2026-12-31，剩余 47 天。`,
    );
    expect(zh[0]!.to).toEqual({ platform: "slack", address: "USAM", private: true });
    // Removing it: only its owner (or an admin); then it is no longer listed or checked.
    expect((await ask("URAE", `/kpi unsubscribe A${sam.id}`)).kind).toBe("error");
    expect((await ask("USAM", `/kpi 退订 A${sam.id}`)).summary).toBe(`已删除 A${sam.id}。`);
    expect((await ask("USAM", "/kpi 我的提醒")).summary).toMatch(/^还没有/);
  });

  it("a note recorded by a process that died before sending it is sent once, after the claim's lease", async () => {
    const a = await db.prisma.alert.findFirstOrThrow({ where: { ownerId: p.rae, op: "milestones" } });
    // As if the recorder died right after its commit: Rae's 90 % recorded, never sent.
    const e = await recordMilestones(db.prisma, a.id, { attainment: 0.95, won: 95_000, quota: 100_000, currency: "USD", periodKey: "2026-10-01..2026-12-31", daysLeft: 47 }, clock);
    expect(e?.milestone).toBe(90);
    const { sender, sent } = recordingSender();
    await checkAlerts(runner({ slack: sender }), clock);
    expect(notesOf(sent, `A${a.id}`)).toHaveLength(0); // the live claim is respected
    await new Promise((r) => setTimeout(r, 30));
    await checkAlerts({ ...runner({ slack: sender }), claimLeaseMs: 10 }, clock);
    await checkAlerts({ ...runner({ slack: sender }), claimLeaseMs: 10 }, clock);
    expect(notesOf(sent, `A${a.id}`).map((n) => n.reply.summary)).toEqual([`me · Quota attainment reached 90%: ${pct(0.95)} (won ${money(95_000)} of ${money(100_000)} quota), 2026-10-01..2026-12-31, 47 days left.`]);
    // A transient failure is retried by a later check, and sent once.
    let failed = 0;
    const flaky = recordingSender((to) => (to.address === "URAE" && failed++ === 0 ? { ok: false, permanent: false, error: "timeout" } : { ok: true }));
    await w.deal(p.rae, 50_000, "2026-11-15T10:00:00Z"); // 110 % (60 000 real + 50 000)
    // (The failed send releases its claim: the same check's retry pass, or a later one, resends it.)
    await checkAlerts({ ...runner({ slack: flaky.sender }), claimLeaseMs: 10 }, clock);
    await checkAlerts({ ...runner({ slack: flaky.sender }), claimLeaseMs: 10 }, clock);
    await checkAlerts({ ...runner({ slack: flaky.sender }), claimLeaseMs: 10 }, clock);
    expect(failed).toBeGreaterThan(1);
    expect(notesOf(flaky.sent, `A${a.id}`).map((n) => /reached (\d+)%/.exec(n.reply.summary)?.[1])).toEqual(["100"]);
  });

  it("a new quota period starts over; the period is the quota's (a monthly one), else the current quarter", async () => {
    const a = await db.prisma.alert.findFirstOrThrow({ where: { ownerId: p.rae, op: "milestones" } });
    const { sender, sent } = recordingSender();
    // January 2027: no quota in force for Rae → the current quarter, Q1 2027; no quota, no figure.
    clock = new Date("2027-01-10T12:00:00Z");
    await w.deal(p.rae, 70_000, "2027-01-05T10:00:00Z");
    await checkAlerts(runner({ slack: sender }), clock);
    expect(notesOf(sent, `A${a.id}`)).toHaveLength(0);
    expect((await bot.answerFor(p.rae, "me quota", "asker", "test", { quotaPeriod: true })).figures?.period.label).toBe("Q1 2027");
    // A monthly quota for January: that is the period in force.
    await w.quota(p.rae, "2027-01-01", "2027-01-31", 100_000);
    await checkAlerts(runner({ slack: sender }), clock);
    const want = recompute(w.written, [p.rae], "2027-01-01", "2027-01-31", clock);
    expect(want).toEqual({ won: 70_000, quota: 100_000, attainment: 0.7 });
    expect(notesOf(sent, `A${a.id}`).map((n) => n.reply.summary)).toEqual([
      `me · Quota attainment reached 50%: ${pct(0.7)} (won ${money(70_000)} of ${money(100_000)} quota), 2027-01-01..2027-01-31, 22 days left.`,
    ]);
    const events = await db.prisma.alertEvent.findMany({ where: { alertId: a.id, periodKey: "2027-01-01..2027-01-31" } });
    expect(events.map((e) => e.milestone)).toEqual([50]);
  });

  it("two checkers on one database at once (two replicas) record and send each milestone once", async () => {
    const second: Database | null = db.url ? await openDatabase({ kind: "postgres", url: db.url }) : null;
    try {
      const prisma2 = second?.prisma ?? db.prisma;
      const deps2 = { prisma: prisma2, now: () => clock, timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD" };
      const bot2 = createBot(deps2);
      expect((await ask("UTIA", "/kpi alert me quota milestones")).kind).toBe("answer");
      const a = await db.prisma.alert.findFirstOrThrow({ where: { ownerId: p.tia, op: "milestones" } });
      await w.quota(p.tia, "2027-01-01", "2027-01-31", 100_000);
      const { sender, sent } = recordingSender();
      const r1 = runner({ slack: sender }, "replica-a");
      const r2 = runner({ slack: sender }, "replica-b", bot2, prisma2);
      // Attainment climbs 30 % → 55 % → 95 % → 101 % → 130 %, both replicas checking at every step.
      for (const amount of [30_000, 25_000, 40_000, 6_000, 29_000]) {
        await w.deal(p.tia, amount, "2027-01-08T10:00:00Z");
        await Promise.all([checkAlerts(r1, clock), checkAlerts(r2, clock), checkAlerts(r1, clock), checkAlerts(r2, clock)]);
      }
      const notes = notesOf(sent, `A${a.id}`).map((n) => /reached (\d+)%/.exec(n.reply.summary)?.[1]);
      expect(notes).toEqual(["50", "90", "100", "120"]);
      const events = await db.prisma.alertEvent.findMany({ where: { alertId: a.id, periodKey: "2027-01-01..2027-01-31" }, orderBy: { seq: "asc" } });
      expect(events.map((e) => [e.milestone, e.status])).toEqual([[50, "sent"], [90, "sent"], [100, "sent"], [120, "sent"]]);
    } finally {
      await second?.close();
    }
  });

  it("an owner who may no longer see the team gets the alert paused and is told, once", async () => {
    const a = await db.prisma.alert.findFirstOrThrow({ where: { ownerId: p.meg, op: "milestones" } });
    const other = await db.prisma.user.create({ data: { email: "ola@m.test", name: "Ola", role: "manager" } });
    await db.prisma.team.update({ where: { id: p.east }, data: { managerId: other.id } });
    await db.prisma.user.update({ where: { id: p.meg }, data: { teamId: null } });
    const { sender, sent } = recordingSender();
    await checkAlerts(runner({ slack: sender }), clock);
    await checkAlerts(runner({ slack: sender }), clock);
    expect((await db.prisma.alert.findUniqueOrThrow({ where: { id: a.id } })).active).toBe(false);
    const told = sent.filter((s) => s.to.address === "UMEG");
    expect(told).toHaveLength(1);
    expect(told[0]!.reply.kind).toBe("error");
    expect((await ask("UMEG", `/kpi unsubscribe A${a.id}`)).kind).toBe("error");
  });
});

// A checker process killed between recording a milestone and sending its note (PostgreSQL only:
// PGlite is one process's database).
describe.each(backends.filter((b) => b === "postgres"))("a quota milestone checker killed mid-send on %s", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase("postgres");
  });
  afterAll(() => db?.dispose());

  it("after a restart the note goes out once", async () => {
    const p = await loadPeople(db.prisma);
    const w = writer(db.prisma);
    await w.quota(p.rae, "2026-10-01", "2026-12-31", 100_000);
    await w.deal(p.rae, 60_000, "2026-11-02T10:00:00Z");
    const a = await db.prisma.alert.create({ data: { ownerId: p.rae, platform: "slack", destination: "URAE", private: true, query: "me", metric: "quota", op: "milestones", threshold: 0 } });
    const now = new Date("2026-11-15T12:00:00Z");
    const child = spawn(process.execPath, ["--import", "tsx", "test/digests/support/crash-milestones.ts"], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      env: { ...process.env, CRASH_DATABASE_URL: db.url!, CRASH_NOW: now.toISOString() },
      stdio: ["ignore", "pipe", "inherit"],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => d.toString().includes("SENDING") && resolve());
      child.on("exit", (code) => reject(new Error(`checker exited early (${code})`)));
    });
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    expect((await db.prisma.alertEvent.findMany({ where: { alertId: a.id } })).map((e) => [e.milestone, e.status])).toEqual([[50, "pending"]]);

    const deps = { prisma: db.prisma, now: () => now, timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD" };
    const { sender, sent } = recordingSender();
    const restarted: RunnerDeps = { ...deps, bot: createBot(deps), senders: { slack: sender }, holder: "restarted" };
    await checkAlerts(restarted, now); // the dead claim protects the send for the lease
    expect(sent).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 400));
    await checkAlerts({ ...restarted, claimLeaseMs: 300 }, now);
    await checkAlerts({ ...restarted, claimLeaseMs: 300 }, now);
    const want = recompute(w.written, [p.rae], "2026-10-01", "2026-12-31", now);
    expect(sent.map((s) => s.reply.summary)).toEqual([`me · Quota attainment reached 50%: ${pct(want.attainment)} (won ${money(want.won)} of ${money(want.quota)} quota), 2026-10-01..2026-12-31, 47 days left.`]);
    expect((await db.prisma.alertEvent.findMany({ where: { alertId: a.id } })).map((e) => [e.milestone, e.status])).toEqual([[50, "sent"]]);
  });
});
