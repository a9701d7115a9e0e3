// Stored schedules and alerts are parsed when read: a corrupted row is paused and logged, and the
// scheduler, the runner and the list commands carry on with the others.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBot, type Bot } from "../../src/bot.ts";
import { createScheduleDesk } from "../../src/digests/desk.ts";
import { checkAlerts, runDue, type RunnerDeps } from "../../src/digests/runner.ts";
import { startScheduler } from "../../src/digests/scheduler.ts";
import { StoredAlert, StoredSubscription } from "../../src/digests/stored.ts";
import { loggerFrom, type LogLevel } from "../../src/log.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";
import { loadHandmade, type Handmade } from "../support/handmade.ts";
import { recordingSender } from "./support/recording-sender.ts";

// Monday 2026-10-05 09:00 UTC: every weekly Monday 09:00 subscription is due.
const MONDAY = new Date("2026-10-05T09:00:00Z");

const subscription = {
  id: 1, ownerId: 2, platform: "slack", destination: "C-GOOD", private: false,
  cadence: "weekly", day: 1, time: "09:00", timeZone: "UTC", query: `team "Alpha" sales`, lang: "en",
};
const alert = {
  id: 1, ownerId: 2, platform: "slack", destination: "UMIA", private: true,
  query: `team "Alpha"`, metric: "winrate", op: "below", threshold: 0.2, lang: "en", state: "clear", lastValue: null,
};

/** One corruption per field the scheduler relies on, and the path its issue names. */
const badSubscriptions: [Record<string, unknown>, string][] = [
  [{ timeZone: "Mars/Olympus" }, "timeZone"],
  [{ cadence: "daily" }, "cadence"],
  [{ time: "25:99" }, "time"],
  [{ day: 9 }, "day"],
  [{ lang: "fr" }, "lang"],
  [{ platform: "fax" }, "platform"],
  [{ query: "   " }, "query"],
];
const badAlerts: [Record<string, unknown>, string][] = [
  [{ metric: "bogus" }, "metric"],
  [{ op: "sideways" }, "op"],
  [{ state: "melted" }, "state"],
];

describe("stored row schemas", () => {
  it("accept what the desk writes", () => {
    expect(StoredSubscription.safeParse(subscription).success).toBe(true);
    expect(StoredSubscription.safeParse({ ...subscription, cadence: "monthly", day: 28, timeZone: "Asia/Shanghai", lang: "zh", platform: "teams" }).success).toBe(true);
    expect(StoredAlert.safeParse(alert).success).toBe(true);
  });

  it.each(badSubscriptions)("reject a subscription with %o at its field", (bad, path) => {
    const r = StoredSubscription.safeParse({ ...subscription, ...bad });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join("."))).toContain(path);
  });

  it.each(badAlerts)("reject an alert with %o at its field", (bad, path) => {
    const r = StoredAlert.safeParse({ ...alert, ...bad });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join("."))).toContain(path);
  });
});

describe.each(backends)("corrupted schedule rows on %s", (backend) => {
  let db: TestDatabase;
  let h: Handmade;
  let bot: Bot;
  const logs: { level: LogLevel; event: string; data: Record<string, unknown> }[] = [];
  const logger = loggerFrom((level, event, data) => void logs.push({ level, event, data: { ...data } }));
  beforeAll(async () => {
    db = await freshDatabase(backend);
    h = await loadHandmade(db.prisma);
    const deps = { prisma: db.prisma, now: () => MONDAY, timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD", logger };
    bot = createBot({ ...deps, schedules: createScheduleDesk(deps) });
  });
  afterAll(() => db?.dispose());

  const runner = (senders: RunnerDeps["senders"]): RunnerDeps => ({
    prisma: db.prisma, bot, senders, holder: "test", timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD", logger,
  });
  const row = (extra: Record<string, unknown>) => {
    const { id: _id, ownerId: _owner, ...fields } = { ...subscription, ...extra };
    return db.prisma.subscription.create({ data: { ...(fields as typeof subscription), ownerId: h.manager } });
  };
  // One at a time: ids in the order of badSubscriptions.
  const insertBad = async () => {
    const rows = [];
    for (const [bad] of badSubscriptions) rows.push(await row(bad));
    return rows;
  };
  const paused = (event: string) => logs.filter((l) => l.event === event && l.level === "warn");

  it("the runner delivers the good subscription and pauses each bad one, logging why", async () => {
    const good = await row({});
    const bad = await insertBad();
    const { sender, sent } = recordingSender();
    const summary = await runDue(runner({ slack: sender }), MONDAY, { alerts: false });
    expect(summary.sent).toBe(1);
    expect(sent.map((s) => s.to.address)).toEqual(["C-GOOD"]);
    expect((await db.prisma.subscription.findUniqueOrThrow({ where: { id: good.id } })).active).toBe(true);
    const still = await db.prisma.subscription.findMany({ where: { id: { in: bad.map((b) => b.id) } } });
    expect(still.every((s) => !s.active)).toBe(true);
    const warned = paused("subscription_invalid_paused");
    expect(warned.map((l) => l.data.subscription)).toEqual(bad.map((b) => b.id));
    expect(warned.map((l) => (l.data.issues as string[])[0]!.split(":")[0])).toEqual(badSubscriptions.map(([, path]) => path));
    // The stored values themselves (they may be user text) are not logged.
    expect(JSON.stringify(warned)).not.toContain("Mars/Olympus");
    // Paused rows are not read again: a second run logs nothing new.
    await runDue(runner({ slack: sender }), new Date(MONDAY.getTime() + 60_000), { alerts: false });
    expect(paused("subscription_invalid_paused")).toHaveLength(bad.length);
  });

  it("the scheduler starts with the good subscriptions and pauses the bad ones", async () => {
    const bad = await insertBad();
    const { sender } = recordingSender();
    const scheduler = startScheduler(runner({ slack: sender }), { now: () => MONDAY, reloadMs: 3_600_000 });
    try {
      await scheduler.startup;
      const active = await db.prisma.subscription.findMany({ where: { active: true } });
      expect(active).toHaveLength(1);
      expect(scheduler.taskNames()).toEqual([`digest-S${active[0]!.id}`]);
      expect(await db.prisma.subscription.count({ where: { id: { in: bad.map((b) => b.id) }, active: true } })).toBe(0);
    } finally {
      await scheduler.stop();
    }
  });

  it("the owner's subscription list shows the good ones and pauses the bad ones", async () => {
    const bad = await insertBad();
    const list = await bot.handle({ platform: "slack", userId: "UMIA", text: "subscriptions", where: "C-GOOD" });
    expect(list.kind).toBe("answer");
    expect(list.table?.rows.map((r) => r[0])).toEqual((await db.prisma.subscription.findMany({ where: { active: true } })).map((s) => `S${s.id}`));
    expect(await db.prisma.subscription.count({ where: { id: { in: bad.map((b) => b.id) }, active: true } })).toBe(0);
  });

  it("alert checks and the alert list skip bad alert rows, pausing and logging each", async () => {
    const make = (extra: Record<string, unknown>) => {
      const { id: _id, ownerId: _owner, lastValue: _last, ...fields } = { ...alert, ...extra };
      return db.prisma.alert.create({ data: { ...(fields as Omit<typeof alert, "id" | "ownerId" | "lastValue">), ownerId: h.manager } });
    };
    const good = await make({});
    const bad = [];
    for (const [b] of badAlerts) bad.push(await make(b));
    const { sender } = recordingSender();
    await checkAlerts(runner({ slack: sender }), MONDAY);
    expect((await db.prisma.alert.findUniqueOrThrow({ where: { id: good.id } })).lastCheckedAt).not.toBeNull();
    expect(await db.prisma.alert.count({ where: { id: { in: bad.map((b) => b.id) }, active: true } })).toBe(0);
    const warned = paused("alert_invalid_paused");
    expect(warned.map((l) => l.data.alert)).toEqual(bad.map((b) => b.id));
    expect(warned.map((l) => (l.data.issues as string[])[0]!.split(":")[0])).toEqual(badAlerts.map(([, path]) => path));

    const more = await make({ metric: "nonsense" });
    const list = await bot.handle({ platform: "slack", userId: "UMIA", text: "alerts", where: "C-GOOD" });
    expect(list.kind).toBe("answer");
    expect(list.table?.rows.map((r) => r[0])).toEqual([`A${good.id}`]);
    expect((await db.prisma.alert.findUniqueOrThrow({ where: { id: more.id } })).active).toBe(false);
  });
});
