// Digests through the real Slack sender into the fake Slack Web API, and the `digests --due` CLI.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBot } from "../../src/bot.ts";
import { runDue, type RunnerDeps } from "../../src/digests/runner.ts";
import { backends, freshDatabase } from "../support/databases.ts";
import { loadHandmade } from "../support/handmade.ts";
import { startFakeSlack } from "./support/fake-slack.ts";
import { NOW, startHarness, type Harness } from "./support/harness.ts";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");

describe("digests into Slack", () => {
  let hs: Harness;
  let deps: RunnerDeps;
  const MONDAY = new Date("2026-11-30T09:00:00Z");
  beforeAll(async () => {
    hs = await startHarness();
    const engine = { prisma: hs.db.prisma, now: () => MONDAY, timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD" };
    deps = { ...engine, bot: createBot(engine), senders: { slack: hs.running.sender! }, holder: "t" };
    void NOW;
  });
  afterAll(() => hs?.stop());

  const subscribe = (destination: string, priv: boolean, query: string) =>
    hs.db.prisma.subscription.create({
      data: { ownerId: hs.h.manager, platform: "slack", destination, private: priv, cadence: "weekly", day: 1, time: "09:00", timeZone: "UTC", query },
    });

  it("posts a channel digest with chat.postMessage and its chart in the thread", async () => {
    // A channel sees a group's series only with five contributors: three more sellers in Alpha,
    // and sales for five people in the week the digest covers (2026-11-23 … 29).
    const p = hs.db.prisma;
    const extra = await Promise.all(["dee", "eli", "fay"].map((n) => p.user.create({ data: { email: `${n}@acme.test`, name: n, role: "rep", teamId: hs.h.alpha } })));
    await p.deal.createMany({
      data: [hs.h.a, hs.h.b, ...extra.map((u) => u.id)].map((ownerId, i) => ({
        externalId: `digest-${i}`, ownerId, customer: "C", amount: BigInt(100_000 * (i + 1)), status: "won" as const,
        createdAt: new Date("2026-11-01T00:00:00Z"), closedAt: new Date(`2026-11-2${4 + (i % 3)}T10:00:00Z`),
      })),
    });
    const sub = await subscribe("C0DIGEST", false, `team "Alpha" sales`);
    const summary = await runDue(deps, MONDAY, { alerts: false });
    expect(summary.sent).toBe(1);
    const post = hs.fake.callsOf("chat.postMessage").find((c) => c.args.channel === "C0DIGEST")!;
    expect(JSON.stringify(post.args.blocks)).toContain("Weekly digest");
    const upload = [...hs.fake.files.values()].find((f) => f.channel === "C0DIGEST");
    expect(upload?.uploaded).toBe(true);
    expect(upload?.threadTs).toBeDefined();
    expect(hs.fake.callsOf("chat.update").some((c) => c.args.channel === "C0DIGEST")).toBe(true);
    // The second sweep finds it in the ledger.
    await runDue(deps, new Date(MONDAY.getTime() + 60_000), { alerts: false });
    expect(hs.fake.callsOf("chat.postMessage").filter((c) => c.args.channel === "C0DIGEST")).toHaveLength(1);
    await hs.db.prisma.subscription.update({ where: { id: sub.id }, data: { active: false } });
  });

  it("sends a private digest to the owner's DM", async () => {
    const sub = await subscribe("UMIA", true, "me");
    await runDue(deps, MONDAY, { alerts: false });
    expect(hs.fake.callsOf("conversations.open").some((c) => c.args.users === "UMIA")).toBe(true);
    expect(hs.fake.callsOf("chat.postMessage").some((c) => c.args.channel === "DUMIA")).toBe(true);
    await hs.db.prisma.subscription.update({ where: { id: sub.id }, data: { active: false } });
  });

  it("an archived channel is a permanent failure: recorded, paused, owner told", async () => {
    const sub = await subscribe("C0GONE", false, `team "Alpha" deals`);
    hs.fake.fail.set("chat.postMessage", "is_archived");
    try {
      const summary = await runDue(deps, MONDAY, { alerts: false });
      expect(summary.failed).toBe(1);
    } finally {
      hs.fake.fail.delete("chat.postMessage");
    }
    const row = await hs.db.prisma.delivery.findFirstOrThrow({ where: { subscriptionId: sub.id } });
    expect([row.status, row.error]).toEqual(["failed", "is_archived"]);
    expect((await hs.db.prisma.subscription.findUniqueOrThrow({ where: { id: sub.id } })).active).toBe(false);
  });
});

describe.each(backends.filter((b) => b === "postgres"))("npm run digests -- --due on %s", () => {
  it("sends what is due once, however often it runs", async () => {
    const db = await freshDatabase("postgres");
    const fake = await startFakeSlack();
    try {
      const h = await loadHandmade(db.prisma);
      await db.prisma.subscription.create({
        data: { ownerId: h.manager, platform: "slack", destination: "C0CLI", private: false, cadence: "weekly", day: 1, time: "09:00", timeZone: "UTC", query: `team "Alpha" sales` },
      });
      const env = { ...process.env, DATABASE_URL: db.url!, SLACK_BOT_TOKEN: "xoxb-cli", SLACK_API_URL: fake.apiUrl, LOG_LEVEL: "error", KPI_ADAPTERS: "" };
      const args = ["--import", "tsx", "scripts/digests.ts", "--due", "--now", "2026-11-30T09:05:00Z"];
      const first = await run(process.execPath, args, { cwd: root, env });
      expect(first.stdout).toMatch(/1 digest\(s\) sent/);
      const [second, third] = await Promise.all([run(process.execPath, args, { cwd: root, env }), run(process.execPath, args, { cwd: root, env })]);
      expect(second.stdout + third.stdout).toMatch(/0 digest\(s\) sent.*[\s\S]*0 digest\(s\) sent/);
      expect(fake.callsOf("chat.postMessage").filter((c) => c.args.channel === "C0CLI")).toHaveLength(1);
    } finally {
      await fake.close();
      await db.dispose();
    }
  }, 120_000);
});
