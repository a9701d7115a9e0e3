// Issue 16 (operators): graceful shutdown. SIGTERM to a real `npm start` process mid-answer: new
// requests get 503, the answer in flight is delivered, exit code 0. A digest claimed by a
// stopping replica is handed back, and the other replica delivers it without waiting out the lease.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBot } from "../../src/bot.ts";
import { DEMO_MANAGER_EMAIL } from "../../src/data/seed/demo-org.ts";
import { CLAIM_LEASE_MS } from "../../src/digests/ledger.ts";
import { runDue, type RunnerDeps } from "../../src/digests/runner.ts";
import { startScheduler } from "../../src/digests/scheduler.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";
import { loadHandmade, type Handmade } from "../support/handmade.ts";
import { recordingSender } from "../digests/support/recording-sender.ts";
import { startFakeSlack } from "../slack/support/fake-slack.ts";
import { send, SECRET, slashCommand } from "../slack/support/harness.ts";

describe("npm start (adapters/main.ts, Slack over HTTP) on SIGTERM", () => {
  it("refuses new requests with 503, delivers the answer in flight, and exits 0", async () => {
    const fake = await startFakeSlack();
    const dir = await mkdtemp(path.join(tmpdir(), "kpi-ops-stop-"));
    // The asker is new to the bot: the core asks Slack for their email (users.info), which the
    // fake holds for 2 s; SIGTERM arrives in that window, before the core has answered.
    fake.emails.set("U0OPSSTOP1", DEMO_MANAGER_EMAIL);
    fake.delays.set("users.info", 2000);
    const child = spawn(process.execPath, ["--import", "tsx", "adapters/main.ts"], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      env: {
        ...process.env, KPI_ADAPTERS: "slack", SLACK_BOT_TOKEN: "xoxb-test-token", SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl,
        PORT: "0", KPI_DATA_DIR: dir, DATABASE_URL: "", LOG_LEVEL: "info", SLACK_APP_TOKEN: "", SLACK_MODE: "", KPI_SHUTDOWN_GRACE_S: "15",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    let exitedAt = 0;
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => ((exitedAt = performance.now()), resolve(code))));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        child.stderr.on("data", (c: Buffer) => {
          stderr += c.toString();
          const m = /"event":"started"[^\n]*"port":(\d+)/.exec(stderr);
          if (m) resolve(Number(m[1]));
        });
        void exited.then((code) => reject(new Error(`exited with ${code}: ${stderr.slice(-2000)}`)));
      });
      const base = `http://127.0.0.1:${port}`;
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect((await ready.json()) as object).toMatchObject({ ok: true, checks: { database: true, migrations: true, adapter_slack: true, accepting: true } });

      const body = slashCommand(fake, "U0OPSSTOP1", "team sales q3-2026");
      expect((await send(base, body)).status).toBe(200);
      await fake.waitFor(() => fake.arrived.includes("users.info"));
      child.kill("SIGTERM");
      await fake.waitFor(() => stderr.includes('"event":"stopping"'));
      // Stopping: new work is refused, readiness says so, liveness still answers.
      expect((await send(base, slashCommand(fake, "U0OPSSTOP1", "me"))).status).toBe(503);
      expect((await fetch(`${base}/readyz`)).status).toBe(503);
      expect(fake.responses).toHaveLength(0);

      expect(await exited).toBe(0);
      // The answer in flight reached Slack, accepted, before the process ended.
      const answers = fake.responses.filter((r) => r.user === "U0OPSSTOP1");
      expect(answers).toHaveLength(1);
      expect(answers[0]!.status).toBe(200);
      expect(answers[0]!.at).toBeLessThan(exitedAt);
      expect(JSON.stringify(answers[0]!.body)).not.toMatch(/went wrong/i);
      expect(stderr).toMatch(/"event":"stopped"[^\n]*"within_grace":true/);
      expect(stderr).toMatch(/"event":"reply_delivered"/);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe.each(backends)("a replica stopping with a digest claimed, on %s", (backend) => {
  let db: TestDatabase;
  let h: Handmade;
  beforeAll(async () => {
    db = await freshDatabase(backend);
    h = await loadHandmade(db.prisma);
  });
  afterAll(() => db?.dispose());

  const FIRE = new Date("2026-10-05T09:00:00Z");
  const deps = (holder: string, senders: RunnerDeps["senders"]): RunnerDeps => {
    const base = { prisma: db.prisma, now: () => new Date(FIRE.getTime() + 60_000), timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD" };
    return { ...base, bot: createBot(base), senders, holder, catchUpMs: 3_600_000 };
  };

  it("hands its claim back on stop, so the other replica delivers it at once", async () => {
    const sub = await db.prisma.subscription.create({
      data: { ownerId: h.manager, platform: "slack", destination: "C-STOP", private: false, cadence: "weekly", day: 1, time: "09:00", timeZone: "UTC", query: `team "Alpha" sales` },
    });
    // Replica A's send never completes (a hung platform call).
    let calledA = 0;
    const hung = { send: () => ((calledA++, new Promise<never>(() => {}))) };
    const a = startScheduler(deps("replica-a", { slack: hung }), { now: () => new Date(FIRE.getTime() + 60_000) });
    const row = async () => db.prisma.delivery.findFirst({ where: { subscriptionId: sub.id } });
    for (let i = 0; i < 400 && calledA === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(calledA).toBe(1);
    expect((await row())?.claimedBy).toBe("replica-a");

    // Replica B's sweep while A holds the claim: nothing (A may still be sending).
    const { sender, sent } = recordingSender();
    await runDue(deps("replica-b", { slack: sender }), new Date(FIRE.getTime() + 120_000), { alerts: false });
    expect(sent).toHaveLength(0);

    const started = Date.now();
    const released = await a.stop(300);
    expect(released.claims).toBe(1);
    await runDue(deps("replica-b", { slack: sender }), new Date(FIRE.getTime() + 180_000), { alerts: false });
    expect(sent.map((s) => s.to.address)).toEqual(["C-STOP"]);
    expect(Date.now() - started).toBeLessThan(CLAIM_LEASE_MS / 10);
    const after = await row();
    expect([after?.status, after?.claimedBy, after?.attempts]).toEqual(["sent", "replica-b", 2]);
  }, 60_000);

  it("takes no new claim once stopping", async () => {
    const sub = await db.prisma.subscription.create({
      data: { ownerId: h.manager, platform: "slack", destination: "C-LATE", private: false, cadence: "weekly", day: 1, time: "09:00", timeZone: "UTC", query: `team "Alpha" sales` },
    });
    const { sender, sent } = recordingSender();
    const summary = await runDue({ ...deps("replica-c", { slack: sender }), stopping: () => true }, new Date(FIRE.getTime() + 60_000), { alerts: false });
    expect(sent).toHaveLength(0);
    expect(summary.skipped).toBeGreaterThanOrEqual(1);
    expect(await db.prisma.delivery.count({ where: { subscriptionId: sub.id } })).toBe(0);
  });
});
