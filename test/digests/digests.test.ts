import { spawn } from "node:child_process";
import path from "node:path";
import { openDatabase, type Database } from "../../src/data/db.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBot, type Bot } from "../../src/bot.ts";
import cron from "node-cron";
import { databaseCoordinator } from "../../src/digests/coordinator.ts";
import { startScheduler } from "../../src/digests/scheduler.ts";
import { createScheduleDesk } from "../../src/digests/desk.ts";
import { CLAIM_LEASE_MS, claimDelivery } from "../../src/digests/ledger.ts";
import { checkAlerts, composeDigest, recordAlertValue, runDue, type RunnerDeps } from "../../src/digests/runner.ts";
import { digestPeriod, firesBetween, type Schedule } from "../../src/digests/schedule.ts";
import { StoredSubscription } from "../../src/digests/stored.ts";
import { isShareable, Reply } from "../../src/reply.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";
import { loadHandmade, type Handmade } from "../support/handmade.ts";
import { recordingSender } from "./support/recording-sender.ts";

// Monday 2026-10-05 09:00 UTC; the digest covers the week Mon 09-28 – Mon 10-05.
const MONDAY = new Date("2026-10-05T09:00:00Z");

describe.each(backends)("digests and alerts on %s", (backend) => {
  let db: TestDatabase;
  let h: Handmade;
  let clock = MONDAY;
  let bot: Bot;
  beforeAll(async () => {
    db = await freshDatabase(backend);
    h = await loadHandmade(db.prisma);
    const deps = { prisma: db.prisma, now: () => clock, timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD" };
    bot = createBot({ ...deps, schedules: createScheduleDesk(deps) });
  });
  afterAll(() => db?.dispose());

  const ask = (userId: string, text: string, where = "C-ALPHA") => bot.handle({ platform: "slack", userId, text, where });
  const runner = (senders: RunnerDeps["senders"], holder = "test"): RunnerDeps => ({
    prisma: db.prisma, bot, senders, holder, timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD",
  });

  it("a manager subscribes a channel; a rep may not, but may subscribe privately to their own standing", async () => {
    clock = new Date("2026-10-01T12:00:00Z");
    const ok = await ask("UMIA", "/kpi subscribe weekly team sales mon 09:00");
    expect(ok.kind).toBe("answer");
    expect(ok.summary).toMatch(/Subscribed S\d+: team "Alpha" sales, Mondays 09:00 UTC, in this channel\. First delivery: 2026-10-05 09:00/);
    // Sharing it would subscribe again: confirmations are never shareable.
    expect(isShareable(ok)).toBe(false);
    const audited = await db.prisma.auditLog.count({ where: { decision: "denied", reason: "subscribe" } });
    expect((await ask("UANN", "subscribe weekly team sales")).kind).toBe("denied");
    expect(await db.prisma.auditLog.count({ where: { decision: "denied", reason: "subscribe" } })).toBe(audited + 1);
    const mine = await ask("UANN", "subscribe weekly me");
    expect(mine.summary).toMatch(/privately/);
    const list = await ask("UMIA", "subscriptions");
    expect(list.table?.rows).toHaveLength(1);
    expect((await ask("UANN", "subscribe weekly me here")).summary).toMatch(/Only managers and admins/);
    expect((await ask("UMIA", "subscribe weekly me here")).summary).toMatch(/can't go to a channel/);
  });

  it("sends each due digest once, however often and from however many runners the sweep runs", async () => {
    const { sender, sent } = recordingSender();
    clock = MONDAY;
    const [a, b] = await Promise.all([runDue(runner({ slack: sender }, "r1"), MONDAY), runDue(runner({ slack: sender }, "r2"), MONDAY)]);
    expect(a.sent + b.sent).toBe(2);
    await runDue(runner({ slack: sender }, "r3"), new Date(MONDAY.getTime() + 60_000));
    expect(sent).toHaveLength(2);
    const channel = sent.find((s) => s.to.address === "C-ALPHA")!;
    Reply.parse(channel.reply);
    expect(channel.reply.title).toMatch(/^Weekly digest · Sales · Team Alpha · week of 2026-09-28$/);
    // A channel audience gets aggregates only: no names, no per-rep table or flags.
    expect(channel.reply.table).toBeUndefined();
    expect(JSON.stringify(channel.reply)).not.toContain("Ann Lee");
    const personal = sent.find((s) => s.to.private)!;
    expect(personal.to.address).toBe("UANN");
    expect(personal.reply.facts[0]?.label).toBe("You");
    const rows = await db.prisma.delivery.findMany();
    expect(rows.every((r) => r.status === "sent" && r.periodKey === "W2026-09-28")).toBe(true);
  });

  it("a digest covers the week in the subscription's zone, whatever the workspace's", async () => {
    const sub = StoredSubscription.parse(await db.prisma.subscription.create({
      data: { ownerId: h.manager, platform: "slack", destination: "UMIA", private: true, cadence: "weekly", day: 1, time: "09:00", timeZone: "Asia/Shanghai", query: `team "Alpha" sales`, active: false },
    }));
    const reply = await composeDigest({ bot, timeZone: "UTC", fiscalYearStartMonth: 1 }, sub, digestPeriod(sub, new Date("2026-11-30T01:00:00Z")));
    // Monday 23 – Monday 30 November, Shanghai midnights.
    expect([reply.figures?.period.start, reply.figures?.period.end]).toEqual(["2026-11-22T16:00:00.000Z", "2026-11-29T16:00:00.000Z"]);
  });

  it("a Chinese subscription gets a Chinese digest", async () => {
    const sub = StoredSubscription.parse(await db.prisma.subscription.create({
      data: { ownerId: h.manager, platform: "slack", destination: "UMIA", private: true, cadence: "weekly", day: 1, time: "09:00", timeZone: "UTC", query: `team "Alpha" sales`, lang: "zh", active: false },
    }));
    const reply = await composeDigest({ bot, timeZone: "UTC", fiscalYearStartMonth: 1 }, sub, digestPeriod(sub, MONDAY));
    expect(reply.lang).toBe("zh");
    expect(reply.title).toMatch(/^周报 · 前 3 名 · 销售额 · 团队 Alpha/);
  });

  it("catches up a fire missed while down within the window, and skips older ones", async () => {
    const { sender, sent } = recordingSender();
    // Next Monday's 09:00 fire; the bot comes back at 13:00.
    const late = new Date("2026-10-12T13:00:00Z");
    await runDue({ ...runner({ slack: sender }), catchUpMs: 6 * 3_600_000 }, late);
    expect(sent.map((s) => s.reply.title)).toEqual([expect.stringContaining("week of 2026-10-05"), expect.stringContaining("week of 2026-10-05")]);
    const { sender: s2, sent: sent2 } = recordingSender();
    await runDue({ ...runner({ slack: s2 }), catchUpMs: 3_600_000 }, new Date("2026-10-19T13:00:00Z"));
    expect(sent2).toHaveLength(0);
  });

  it("resumes a delivery whose process died between the ledger write and the send, once", async () => {
    const sub = await db.prisma.subscription.findFirstOrThrow({ where: { private: false } });
    const fire = new Date("2026-10-26T09:00:00Z");
    // The dead process's claim.
    expect(await claimDelivery(db.prisma, sub.id, "W2026-10-19", fire, "dead")).not.toBeNull();
    const { sender, sent } = recordingSender();
    // While the claim is fresh nobody else sends (the claimant may still be sending).
    await runDue({ ...runner({ slack: sender }), catchUpMs: 3_600_000 }, new Date(fire.getTime() + 60_000), { alerts: false });
    expect(sent.filter((s) => s.to.address === "C-ALPHA")).toHaveLength(0);
    // After the lease (real time, shortened here) the restarted bot takes it over and delivers it, once.
    expect(CLAIM_LEASE_MS).toBe(600_000);
    await new Promise((r) => setTimeout(r, 250));
    const later = new Date(fire.getTime() + 120_000);
    await runDue({ ...runner({ slack: sender }), catchUpMs: 3_600_000, claimLeaseMs: 200 }, later, { alerts: false });
    await runDue({ ...runner({ slack: sender }), catchUpMs: 3_600_000, claimLeaseMs: 200 }, later, { alerts: false });
    expect(sent.filter((s) => s.to.address === "C-ALPHA")).toHaveLength(1);
    const row = await db.prisma.delivery.findFirstOrThrow({ where: { subscriptionId: sub.id, periodKey: "W2026-10-19" } });
    expect([row.status, row.attempts]).toEqual(["sent", 2]);
  });

  it("records a permanent failure, pauses the subscription and tells its owner", async () => {
    const sub = await db.prisma.subscription.findFirstOrThrow({ where: { private: false, active: true } });
    const { sender, sent } = recordingSender((to) => (to.address === "C-ALPHA" ? { ok: false, permanent: true, error: "channel_not_found" } : { ok: true }));
    await runDue({ ...runner({ slack: sender }), catchUpMs: 3_600_000 }, new Date("2026-11-02T09:00:00Z"), { alerts: false });
    const row = await db.prisma.delivery.findFirstOrThrow({ where: { subscriptionId: sub.id, periodKey: "W2026-10-26" } });
    expect([row.status, row.error]).toEqual(["failed", "channel_not_found"]);
    expect((await db.prisma.subscription.findUniqueOrThrow({ where: { id: sub.id } })).active).toBe(false);
    expect(sent.find((s) => s.to.address === "UMIA")?.reply.summary).toMatch(/could not be delivered to C-ALPHA: channel_not_found/);
  });

  it("alerts fire once per crossing and once per clearing (hysteresis)", async () => {
    const r = await ask("UMIA", "/kpi alert team winrate below 20% private");
    expect(r.summary).toMatch(/Alert A\d+ set: team "Alpha" · Win rate below 20%/);
    const alert = await db.prisma.alert.findFirstOrThrow({ where: { ownerId: h.manager } });
    expect(alert.threshold).toBeCloseTo(0.2, 12);
    const series = [0.3, 0.15, 0.1, 0.12, 0.25, 0.3, 0.19, 0.21, 0.18];
    const changes = [];
    let t = new Date("2026-11-01T00:00:00Z").getTime();
    for (const v of series) changes.push((await recordAlertValue(db.prisma, alert.id, v, new Date((t += 3_600_000))))?.kind ?? null);
    expect(changes).toEqual([null, "fired", null, null, "cleared", null, "fired", "cleared", "fired"]);
    const events = await db.prisma.alertEvent.findMany({ where: { alertId: alert.id }, orderBy: { seq: "asc" } });
    expect(events.map((e) => [e.seq, e.kind])).toEqual([[1, "fired"], [2, "cleared"], [3, "fired"], [4, "cleared"], [5, "fired"]]);
    // Checking evaluates the real figure too: over the 30 days to 1 Nov, Alpha won its only
    // closed deal (Cy, 5 Oct), a 100% win rate, so the firing alert clears: a sixth event.
    // Sending drains the pending events once.
    // (Those five were recorded without being sent, as if their recorder had died: once their
    // claims are stale, the next check sends them.)
    const { sender, sent } = recordingSender();
    clock = new Date(t + 60_000);
    await new Promise((r) => setTimeout(r, 20));
    await checkAlerts({ ...runner({ slack: sender }), claimLeaseMs: 10 }, clock);
    await checkAlerts({ ...runner({ slack: sender }), claimLeaseMs: 10 }, clock);
    const mine = sent.filter((s) => s.reply.title.startsWith(`KPI alert A${alert.id}`));
    expect(mine.map((s) => s.reply.summary.split(":")[0]).sort()).toEqual(["Alert", "Alert", "Alert", "Cleared", "Cleared", "Cleared"]);
    expect(mine.some((s) => /now 100%/.test(s.reply.summary))).toBe(true);
    expect(mine.every((s) => s.to.private && s.to.address === "UMIA")).toBe(true);
  });

  it("lists and removes subscriptions and alerts; only the owner (or an admin) may remove", async () => {
    const subs = await db.prisma.subscription.findMany({ where: { active: true } });
    const annSub = subs.find((s) => s.ownerId === h.a)!;
    expect((await ask("UMIA", `unsubscribe S${annSub.id}`)).kind).toBe("error");
    expect((await ask("UANN", `unsubscribe S${annSub.id}`)).summary).toBe(`Removed S${annSub.id}.`);
    const alerts = await ask("UMIA", "alerts");
    expect(alerts.table?.rows[0]?.slice(2, 4)).toEqual(["clear", "100%"]);
    const a = await db.prisma.alert.findFirstOrThrow({ where: { ownerId: h.manager } });
    expect((await ask("UADA", `unsubscribe A${a.id}`)).summary).toBe(`Removed A${a.id}.`);
  });

  it("the scheduler keeps one node-cron task per active subscription and stops cleanly", async () => {
    const { sender } = recordingSender();
    const scheduler = startScheduler(runner({ slack: sender }, "sched"), { now: () => clock, reloadMs: 3_600_000, auditRetentionDays: 365 });
    await scheduler.startup;
    const active = await db.prisma.subscription.findMany({ where: { active: true } });
    expect(scheduler.taskNames().sort()).toEqual(active.map((s) => `digest-S${s.id}`).sort());
    expect([...cron.getTasks().values()].map((t) => t.name)).toEqual(expect.arrayContaining(["digest-sweep", "alert-check", "audit-retention", ...scheduler.taskNames()]));
    await scheduler.stop();
    expect([...cron.getTasks().values()].filter((t) => t.name?.startsWith("digest-") || t.name === "alert-check" || t.name === "audit-retention")).toEqual([]);
  });

  it("the database coordinator elects exactly one runner per task and fire time", async () => {
    const c1 = databaseCoordinator(db.prisma, "r1", () => MONDAY);
    const c2 = databaseCoordinator(db.prisma, "r2", () => MONDAY);
    const votes = await Promise.all([c1.shouldRun("digest-S1:2026-10-05T09:00:00.000Z", 60_000), c2.shouldRun("digest-S1:2026-10-05T09:00:00.000Z", 60_000)]);
    expect(votes.filter(Boolean)).toHaveLength(1);
    expect(await c2.shouldRun("digest-S1:2026-10-12T09:00:00.000Z", 60_000)).toBe(true);
    // An expired lease can be taken again.
    const later = databaseCoordinator(db.prisma, "r3", () => new Date(MONDAY.getTime() + 3_600_000));
    expect(await later.shouldRun("digest-S1:2026-10-05T09:00:00.000Z", 60_000)).toBe(true);
  });
});

// Several replicas against one PostgreSQL database: exactly-once delivery, and a process killed
// between the ledger write and the send. PostgreSQL only (PGlite is one process's database).
const postgres = backends.filter((b) => b === "postgres");
const root = path.resolve(import.meta.dirname, "../..");

describe.each(postgres)("replicas sharing one %s database", () => {
  let db: TestDatabase;
  let second: Database;
  let h: Handmade;
  beforeAll(async () => {
    db = await freshDatabase("postgres");
    h = await loadHandmade(db.prisma);
    // The second replica: its own connection pool to the same database.
    second = await openDatabase({ kind: "postgres", url: db.url! });
  });
  afterAll(async () => {
    await second?.close();
    await db?.dispose();
  });

  const deps = (database: Database, holder: string, senders: RunnerDeps["senders"]): RunnerDeps => {
    const base = { prisma: database.prisma, now: () => new Date(), timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD" };
    return { ...base, bot: createBot(base), senders, holder, catchUpMs: 6 * 3_600_000 };
  };

  it("two schedulers, many fires: every (subscription, period) is delivered exactly once", async () => {
    const zones = ["UTC", "Asia/Shanghai", "America/New_York", "Europe/London"];
    const created = [];
    for (let i = 0; i < 12; i++) {
      created.push(await db.prisma.subscription.create({
        data: {
          ownerId: h.manager, platform: "slack", destination: `C${i % 4}`, private: false,
          cadence: i % 3 === 0 ? "monthly" : "weekly", day: i % 3 === 0 ? 1 + (i % 28) : 1 + (i % 7), time: `0${i % 10}:30`,
          timeZone: zones[i % zones.length]!, query: `team "Alpha" sales`,
        },
      }));
    }
    const { sender, sent } = recordingSender();
    const start = new Date("2026-09-01T00:00:00Z");
    const end = new Date("2026-11-01T00:00:00Z");
    const a = deps(db, "replica-a", { slack: sender });
    const b = deps(second, "replica-b", { slack: sender });
    for (let t = start.getTime() + 6 * 3_600_000; t <= end.getTime(); t += 6 * 3_600_000) {
      await Promise.all([runDue(a, new Date(t), { alerts: false }), runDue(b, new Date(t), { alerts: false })]);
    }
    const expected = created.reduce((n, s) => n + firesBetween(s as Schedule & typeof s, start, end).length, 0);
    expect(expected).toBeGreaterThan(60);
    expect(sent).toHaveLength(expected);
    const ledger = await db.prisma.delivery.findMany({ where: { subscriptionId: { in: created.map((s) => s.id) } } });
    expect(ledger).toHaveLength(expected);
    expect(new Set(ledger.map((r) => `${r.subscriptionId}/${r.periodKey}`)).size).toBe(expected);
    expect(new Set(ledger.map((r) => r.claimedBy))).toEqual(new Set(["replica-a", "replica-b"]));
    await db.prisma.subscription.updateMany({ where: { id: { in: created.map((s) => s.id) } }, data: { active: false } });
  });

  it("a process killed between the ledger write and the send: after restart the digest goes out once", async () => {
    const sub = await db.prisma.subscription.create({
      data: { ownerId: h.manager, platform: "slack", destination: "C-KILL", private: false, cadence: "weekly", day: 1, time: "09:00", timeZone: "UTC", query: `team "Alpha" sales` },
    });
    const fire = new Date("2026-11-09T09:00:00Z");
    const child = spawn(process.execPath, ["--import", "tsx", "test/digests/support/crash-runner.ts"], {
      cwd: root,
      env: { ...process.env, CRASH_DATABASE_URL: db.url!, CRASH_NOW: new Date(fire.getTime() + 60_000).toISOString() },
      stdio: ["ignore", "pipe", "inherit"],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => d.toString().includes("SENDING") && resolve());
      child.on("exit", (code) => reject(new Error(`runner exited early (${code})`)));
    });
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    const pending = await db.prisma.delivery.findFirstOrThrow({ where: { subscriptionId: sub.id } });
    expect(pending.status).toBe("pending");

    const { sender, sent } = recordingSender();
    const restarted = deps(second, "restarted", { slack: sender });
    // The dead claim protects the send for the lease (real time; shortened to 300 ms here).
    expect(CLAIM_LEASE_MS).toBeGreaterThan(60_000);
    const after = new Date(fire.getTime() + 120_000);
    await runDue({ ...restarted, claimLeaseMs: CLAIM_LEASE_MS }, after, { alerts: false });
    expect(sent.filter((s) => s.to.address === "C-KILL")).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 400));
    await runDue({ ...restarted, claimLeaseMs: 300 }, after, { alerts: false });
    await runDue({ ...restarted, claimLeaseMs: 300 }, new Date(after.getTime() + 60_000), { alerts: false });
    expect(sent.filter((s) => s.to.address === "C-KILL")).toHaveLength(1);
    const done = await db.prisma.delivery.findFirstOrThrow({ where: { subscriptionId: sub.id } });
    expect([done.status, done.attempts, done.claimedBy]).toEqual(["sent", 2, "restarted"]);
  });
});
