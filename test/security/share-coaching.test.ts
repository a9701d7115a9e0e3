// Issue 12 item 5: a manager's "Post to channel" of `team east sales last-quarter` published the
// per-rep table and the low flags with quota attainment and advice ("James Turner — quota
// attainment 23.1% → …") to the channel. Coaching is private: a shared answer never carries low
// flags, their reasons or advice, and per-person rows only with KPI_SHARE_LEADERBOARD=true
// (default off: aggregates and top performers' names only). Both platforms, one rule (src/share.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBot } from "../../src/bot.ts";
import { ConfigError, loadConfig } from "../../src/config.ts";
import type { Reply } from "../../src/reply.ts";
import { forChannel } from "../../src/share.ts";
import { freshDatabase, type TestDatabase } from "../support/databases.ts";
import { loadHandmade } from "../support/handmade.ts";
import { shareClick, send, startHarness, type Harness } from "../slack/support/harness.ts";
import { startFakeConnector, type FakeConnector } from "../teams/support/fake-connector.ts";
import { cardOf, channelMention, MEMBERS, personalMessage, startTeams, testCore, USERS, type Started } from "../teams/support/harness.ts";
import { addEastTeam, EAST_LOW, EAST_TOP } from "./support/east.ts";

const COMMAND = "team east sales last-quarter";
const NOW = new Date("2026-11-26T12:00:00Z");

/** What the private answer holds that a channel must never see, whatever the setting. */
function coaching(reply: Reply): string[] {
  const low = reply.flags.filter((f) => f.kind === "low");
  expect(low.map((f) => f.subject)).toEqual([EAST_LOW]);
  return ["⚠", "flagged low", "quota attainment", "MADs", ...reply.flags.flatMap((f) => [f.reason, f.advice]), `${EAST_LOW}: activities`];
}

let privateReply: Reply;
beforeAll(async () => {
  const db = await freshDatabase("pglite");
  const h = await loadHandmade(db.prisma);
  await addEastTeam(db.prisma, h.manager, h.org);
  const bot = createBot({ prisma: db.prisma, now: () => NOW, timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD" });
  privateReply = await bot.handle({ platform: "slack", userId: "UMIA", text: COMMAND });
  await db.dispose();
});

describe("KPI_SHARE_LEADERBOARD", () => {
  it("is off unless set to true (or 1), and refuses anything else with a message", () => {
    expect(loadConfig({}).KPI_SHARE_LEADERBOARD).toBe(false);
    expect(loadConfig({ KPI_SHARE_LEADERBOARD: "" }).KPI_SHARE_LEADERBOARD).toBe(false);
    expect(loadConfig({ KPI_SHARE_LEADERBOARD: "false" }).KPI_SHARE_LEADERBOARD).toBe(false);
    expect(loadConfig({ KPI_SHARE_LEADERBOARD: "true" }).KPI_SHARE_LEADERBOARD).toBe(true);
    expect(loadConfig({ KPI_SHARE_LEADERBOARD: "1" }).KPI_SHARE_LEADERBOARD).toBe(true);
    expect(() => loadConfig({ KPI_SHARE_LEADERBOARD: "yes please" })).toThrow(ConfigError);
    expect(() => loadConfig({ KPI_SHARE_LEADERBOARD: "yes please" })).toThrow(/KPI_SHARE_LEADERBOARD: must be true or false/);
  });
});

describe("forChannel (src/share.ts)", () => {
  it("the private answer does have the coaching (the attack's starting point)", () => {
    const json = JSON.stringify(privateReply);
    for (const s of coaching(privateReply)) expect(json).toContain(s);
  });

  it("leaderboards off: no flags, reasons, advice, follow-ups, table, per-person chart or rows; top performers named", () => {
    const shared = forChannel(privateReply, { leaderboard: false });
    const json = JSON.stringify(shared);
    for (const s of coaching(privateReply)) expect(json).not.toContain(s);
    expect(json).not.toContain(EAST_LOW);
    expect(shared.table).toBeUndefined();
    expect(shared.flags).toEqual([]);
    expect(shared.followUps).toEqual([]);
    expect(shared.charts.map((c) => c.kind)).toEqual(["trend"]);
    expect(shared.figures?.rows).toEqual([]);
    expect(shared.facts).toContainEqual({ label: "Top performers", value: EAST_TOP });
    expect(shared.facts[0]).toEqual(privateReply.facts[0]);
    expect(shared.summary).toBe("Team East: Sales $577,100 in Q3 2026 across 5 reps.");
  });

  it("leaderboards on: the ranking stays, without the flag column, low marks or coaching", () => {
    const shared = forChannel(privateReply, { leaderboard: true });
    const json = JSON.stringify(shared);
    for (const s of coaching(privateReply)) expect(json).not.toContain(s);
    expect(shared.table?.columns).toEqual(["#", "Name", "Sales", "Change"]);
    expect(shared.table?.rows.map((r) => r[1])).toContain(EAST_LOW);
    const bars = shared.charts.find((c) => c.kind === "bar");
    expect(bars?.kind === "bar" && bars.bars.every((b) => b.flag !== "low")).toBe(true);
  });

  it("works the same in Chinese", () => {
    const zh: Reply = { ...privateReply, lang: "zh", summary: "团队 East：2026 年第三季度 销售额 $577,100，共 5 人。1 人偏低，1 人优秀。" };
    expect(forChannel(zh, { leaderboard: false }).summary).toBe("团队 East：2026 年第三季度 销售额 $577,100，共 5 人。");
  });
});

/** Everything the bot sent to Slack after `from` (posts, updates, uploads), as one string. */
const slackTraffic = (H: Harness, from: number) => JSON.stringify(H.fake.calls.slice(from).map((c) => c.args));


describe.each([
  ["off", false],
  ["on", true],
])("Slack: Mia shares `team east sales last-quarter`, leaderboards %s", (_label, leaderboard) => {
  let H: Harness;
  beforeAll(async () => {
    H = await startHarness({ leaderboard });
    await addEastTeam(H.db.prisma, H.h.manager, H.h.org);
  });
  afterAll(() => H?.stop());

  it("posts the answer without coaching, per-person rows only with leaderboards", async () => {
    const from = H.fake.calls.length;
    const click = shareClick(H.fake, "UMIA", COMMAND);
    expect((await send(H.base, click)).status).toBe(200);
    const confirm = await H.fake.waitFor(() => H.fake.responses.find((r) => String(r.body.text).startsWith("Posted to")));
    expect(confirm.status).toBe(200);
    await H.fake.waitFor(() => H.fake.calls.slice(from).some((c) => c.method === "chat.update"));
    const posted = slackTraffic(H, from);
    expect(posted).toContain("$577,100");
    expect(posted).toContain(EAST_TOP);
    for (const s of coaching(privateReply)) expect(posted).not.toContain(JSON.stringify(s).slice(1, -1));
    if (leaderboard) {
      expect(posted).toContain(EAST_LOW);
      expect(posted).toContain("```");
    } else {
      expect(posted).not.toContain(EAST_LOW);
      expect(posted).not.toContain("```");
      // Only the trend chart (the group's total over time) is uploaded.
      expect(H.fake.calls.slice(from).filter((c) => c.method === "files.getUploadURLExternal").map((c) => c.args.filename)).toEqual(["kpi-trend-1.png"]);
    }
  });
});

describe("Teams: Mia shares `team east sales last-quarter` (leaderboards off)", () => {
  let db: TestDatabase;
  let fake: FakeConnector;
  let teams: Started;
  beforeAll(async () => {
    db = await freshDatabase("pglite");
    const h = await loadHandmade(db.prisma);
    await addEastTeam(db.prisma, h.manager, h.org);
    fake = await startFakeConnector();
    for (const m of MEMBERS) fake.members.set(m.id, m);
    teams = await startTeams(db, testCore(db));
  });
  afterAll(async () => {
    await teams?.stop();
    await fake?.close();
    await db?.dispose();
  });

  it("posts the card in the channel without coaching or the per-rep table", async () => {
    await teams.post(channelMention(fake.url, USERS.mia, COMMAND));
    const asked = await fake.waitForSent(2);
    const card = cardOf(asked.find((s) => s.conversationId.startsWith("a:"))!.activity)!;
    // The private card is the full answer, with its button.
    expect(JSON.stringify(card)).toContain(EAST_LOW);
    const button = (card.actions as { data: Record<string, string> }[]).find((a) => "kpiShare" in a.data)!;
    fake.reset();
    await teams.post(personalMessage(fake.url, USERS.mia, "", { text: undefined, value: button.data }));
    const sent = await fake.waitForSent(2);
    const inChannel = sent.find((s) => s.conversationId === "19:team-general@thread.tacv2");
    expect(inChannel, JSON.stringify(sent.map((s) => s.activity.text))).toBeDefined();
    const posted = JSON.stringify(inChannel!.activity);
    expect(posted).toContain("$577,100");
    expect(posted).toContain(EAST_TOP);
    expect(posted).not.toContain(EAST_LOW);
    expect(posted).not.toContain('"type":"Table"');
    for (const s of coaching(privateReply)) expect(posted).not.toContain(JSON.stringify(s).slice(1, -1));
  });
});
