// A digest subscribed from a Teams channel and delivered there through the stored conversation
// reference, once, into the fake Bot Connector.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBot } from "../../src/bot.ts";
import { createChartRenderer } from "../../src/charts/index.ts";
import { createScheduleDesk } from "../../src/digests/desk.ts";
import { runDue } from "../../src/digests/runner.ts";
import { freshDatabase, type TestDatabase } from "../support/databases.ts";
import { loadHandmade } from "../support/handmade.ts";
import { startFakeConnector, type FakeConnector } from "./support/fake-connector.ts";
import { CHANNEL_ID, cardOf, channelMention, installationUpdate, MEMBERS, startTeams, USERS, type Started } from "./support/harness.ts";

let db: TestDatabase;
let fake: FakeConnector;
let teams: Started;
let clock = new Date("2026-11-26T12:00:00Z");
const engine = () => ({ prisma: db.prisma, now: () => clock, timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD" });

beforeAll(async () => {
  db = await freshDatabase("pglite");
  await loadHandmade(db.prisma);
  fake = await startFakeConnector();
  for (const m of MEMBERS) fake.members.set(m.id, m);
  teams = await startTeams(db, createBot({ ...engine(), schedules: createScheduleDesk(engine()) }), { renderer: createChartRenderer() });
});
afterAll(async () => {
  await teams?.stop();
  await fake?.close();
  await db?.dispose();
});

describe("digests in Teams", () => {
  it("a manager subscribes a channel; the digest arrives there once", async () => {
    await teams.post(installationUpdate(fake.url, USERS.mia, "team"));
    const res = await teams.post(channelMention(fake.url, USERS.mia, "subscribe weekly team sales mon 09:00"));
    expect(res.status).toBe(200);
    const sub = await db.prisma.subscription.findFirstOrThrow({ where: { platform: "teams" } });
    expect([sub.destination, sub.private]).toEqual([CHANNEL_ID, false]);
    fake.reset();

    clock = new Date("2026-11-30T09:00:00Z");
    const deps = { ...engine(), bot: createBot(engine()), senders: { teams: teams.running.sender }, holder: "t" };
    expect((await runDue(deps, clock, { alerts: false })).sent).toBe(1);
    expect((await runDue(deps, new Date(clock.getTime() + 300_000), { alerts: false })).sent).toBe(0);
    const sent = await fake.waitForSent(1);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.conversationId).toBe(CHANNEL_ID);
    expect(cardOf(sent[0]!.activity)!.body[0].text).toMatch(/^Weekly digest · Sales · Team Alpha · week of 2026-11-23/);
  });
});
