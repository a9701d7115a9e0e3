// Several replicas against one PostgreSQL database: exactly-once delivery, and a process killed
// between the ledger write and the send. PostgreSQL only (PGlite is one process's database).
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBot } from "../../src/bot.ts";
import { openDatabase, type Database } from "../../src/data/db.ts";
import { CLAIM_LEASE_MS } from "../../src/digests/ledger.ts";
import { runDue, type RunnerDeps } from "../../src/digests/runner.ts";
import { firesBetween, type Schedule } from "../../src/digests/schedule.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";
import { loadHandmade, type Handmade } from "../support/handmade.ts";
import { recordingSender } from "./support/recording-sender.ts";

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
