// Real Activities posted to the real /api/messages (CloudAdapter, HTTP on loopback), the real core
// on PGlite, replies received by a fake Bot Connector.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createChartRenderer } from "../../src/charts/index.ts";
import { findConversation, findPersonalConversation } from "../../src/data/conversations.ts";
import { freshDatabase, type TestDatabase } from "../support/databases.ts";
import { loadHandmade } from "../support/handmade.ts";
import { AdaptiveCard15 } from "./support/adaptive-card.ts";
import { startFakeConnector, type FakeConnector } from "./support/fake-connector.ts";
import { cardOf, channelMention, elements, MEMBERS, personalMessage, startTeams, testCore, USERS, type Started } from "./support/harness.ts";

let db: TestDatabase;
let fake: FakeConnector;
let teams: Started;
let core: ReturnType<typeof testCore>;
const renderer = createChartRenderer();

beforeAll(async () => {
  db = await freshDatabase("pglite");
  await loadHandmade(db.prisma);
  fake = await startFakeConnector();
  for (const m of MEMBERS) fake.members.set(m.id, m);
  core = testCore(db);
  teams = await startTeams(db, core, { renderer });
});
afterAll(async () => {
  await teams?.stop();
  await fake?.close();
  await db?.dispose();
});
beforeEach(() => fake.reset());

const texts = (card: Record<string, any>) => elements(card).filter((e) => e.type === "TextBlock").map((e) => e.text as string);

describe("a message in a personal chat", () => {
  it("gets an Adaptive Card with the expected facts, flags and chart image", async () => {
    const res = await teams.post(personalMessage(fake.url, USERS.mia, "kpi team alpha sales q3-2026"));
    expect(res.status).toBe(200);
    const [sent] = await fake.waitForSent(1);
    expect(sent!.conversationId).toBe("a:personal-29:mia");
    const card = cardOf(sent!.activity)!;
    expect(() => AdaptiveCard15.parse(card)).not.toThrow();
    expect(card.body[0].text).toBe("Sales · Team Alpha · Q3 2026");
    const facts = elements(card).find((e) => e.type === "FactSet")!.facts;
    expect(facts).toContainEqual({ title: "Total", value: "$6,000  ▲ +1100.0%" });
    expect(facts).toContainEqual({ title: "People", value: "3" });
    expect(texts(card)).toContain("⚠ **Ann Lee**: quota attainment 50%");
    expect(texts(card)).toContain("★ **Bo Chen 陈博**: quota attainment 200%");
    const images = elements(card).filter((e) => e.type === "Image");
    expect(images.length).toBe(2);
    expect(images[0]!.url).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
    expect(images[0]!.altText).toMatch(/^Bar chart: Sales · Team Alpha · Q3 2026 \(3 reps\)/);
    const table = elements(card).find((e) => e.type === "Table")!;
    expect(table.rows.slice(1).map((r: any) => r.cells[1].items[0].text)).toEqual(["Ann Lee", "Bo Chen 陈博", "Cy Park"]);
  });

  it("finds the CRM rep by the email TeamsInfo.getMember returns (local mode: unauthenticated, so no link is written)", async () => {
    // The authenticated link is tested in test/security/teams-identity-link.test.ts.
    expect(await db.prisma.user.findUnique({ where: { email: "mia@acme.test" }, select: { teamsUserId: true } })).toEqual({ teamsUserId: null });
    expect(core.calls.at(-1)).toMatchObject({ platform: "teams", userId: "aad-mia", email: "mia@acme.test", authenticated: false });
    // The directory answer is cached per adapter: a second message needs no second lookup.
    await teams.post(personalMessage(fake.url, USERS.mia, "kpi help"));
    await fake.waitForSent(1);
    expect(fake.attempts.filter((a) => a.method === "GET")).toEqual([]);
  });

  it("accepts the command with a leading slash too", async () => {
    await teams.post(personalMessage(fake.url, USERS.ann, "/kpi me sales q3-2026"));
    const [sent] = await fake.waitForSent(1);
    expect(cardOf(sent!.activity)!.body[0].text).toBe("Sales · Ann Lee · Q3 2026");
  });

  it("answers in a conversation whose id is longer than the core keeps", async () => {
    const id = `a:${"x".repeat(250)}`;
    await teams.post(personalMessage(fake.url, USERS.ann, "me sales q3-2026", { conversation: { id, conversationType: "personal", tenantId: "tenant-1" } }));
    const [sent] = await fake.waitForSent(1);
    expect(sent!.conversationId).toBe(id);
    expect(cardOf(sent!.activity)!.body[0].text).toBe("Sales · Ann Lee · Q3 2026");
  });

  it("tells someone who is not in the CRM how to get linked", async () => {
    await teams.post(personalMessage(fake.url, USERS.stranger, "kpi me"));
    const [sent] = await fake.waitForSent(1);
    expect(texts(cardOf(sent!.activity)!).join(" ")).toMatch(/reps list|add your email/i);
  });
});

describe("a message in a channel", () => {
  it("has the @-mention stripped and is parsed like any other command", async () => {
    await teams.post(channelMention(fake.url, USERS.ann, "team alpha sales q3-2026"));
    const [sent] = await fake.waitForSent(1);
    expect(core.calls.at(-1)!.text).toBe("team alpha sales q3-2026");
    // A rep sees only aggregates of her team: a shareable answer, posted in the channel's thread.
    expect(sent!.conversationId).toBe("19:team-general@thread.tacv2;messageid=1700000000000");
    const card = cardOf(sent!.activity)!;
    expect(card.body[0].text).toBe("Sales · Team Alpha · Q3 2026");
    expect(JSON.stringify(card)).not.toContain("Bo Chen");
    // The channel itself (not the thread) is remembered for later digests.
    expect(await findConversation(db.prisma, "teams", "19:team-general@thread.tacv2")).toMatchObject({ scope: "channel", userId: null });
  });

  it("never puts a rep's private figures in the channel: they go to the asker's personal chat", async () => {
    await teams.post(channelMention(fake.url, USERS.mia, "team alpha sales q3-2026"));
    const sent = await fake.waitForSent(2);
    const inChannel = sent.filter((s) => s.conversationId.startsWith("19:"));
    const inPersonal = sent.filter((s) => s.conversationId.startsWith("a:"));
    expect(inChannel).toHaveLength(1);
    expect(inChannel[0]!.activity.attachments ?? []).toEqual([]);
    expect(inChannel[0]!.activity.text).toMatch(/private chat/);
    for (const name of ["Ann Lee", "Bo Chen", "Cy Park", "$4,000", "$2,000", "$6,000"]) expect(JSON.stringify(inChannel[0]!.activity)).not.toContain(name);
    // Mia has a personal chat on record from the first test: it is reused, none is created.
    expect(fake.created).toEqual([]);
    expect(inPersonal).toHaveLength(1);
    expect(inPersonal[0]!.conversationId).toBe("a:personal-29:mia");
    expect(JSON.stringify(cardOf(inPersonal[0]!.activity))).toContain("Ann Lee");
  });

  it("opens a personal chat when none is stored, and remembers it", async () => {
    await db.prisma.conversationRef.deleteMany({ where: { userId: "aad-mia" } });
    await teams.post(channelMention(fake.url, USERS.mia, "team alpha deals q3-2026"));
    const sent = await fake.waitForSent(2);
    expect(fake.created).toHaveLength(1);
    expect(fake.created[0]).toMatchObject({ isGroup: false, members: [{ id: "29:mia" }], tenantId: "tenant-1", bot: { id: "28:kpi-bot" } });
    const personal = sent.find((s) => s.conversationId === "a:personal-29:mia")!;
    expect(cardOf(personal.activity)!.body[0].text).toMatch(/^Deals won · Team Alpha/);
    expect(sent.find((s) => s.conversationId.startsWith("19:"))!.activity.attachments ?? []).toEqual([]);
    expect(await findPersonalConversation(db.prisma, "teams", "aad-mia")).toMatchObject({ conversationId: "a:personal-29:mia", scope: "personal" });
  });

  it("opens a new personal chat when the stored one no longer works", async () => {
    expect(await findPersonalConversation(db.prisma, "teams", "aad-mia")).not.toBeNull();
    fake.failNext(1, 403); // the stored chat refuses (app removed and added again)
    await teams.post(channelMention(fake.url, USERS.mia, "team alpha sales q3-2026"));
    const sent = await fake.waitForSent(2);
    expect(fake.created).toHaveLength(1);
    expect(sent.find((s) => s.conversationId === "a:personal-29:mia")).toBeDefined();
    expect(sent.find((s) => s.conversationId.startsWith("19:"))!.activity.text).toMatch(/sent it to you in our private chat/);
  });

  it("says so in the channel, without figures, when no personal chat can be opened", async () => {
    await db.prisma.conversationRef.deleteMany({ where: { userId: "aad-mia" } });
    fake.refuseNewChats = true;
    await teams.post(channelMention(fake.url, USERS.mia, "team alpha sales q3-2026"));
    const [sent] = await fake.waitForSent(1);
    expect(fake.attempts.some((a) => a.method === "POST" && a.path === "/v3/conversations" && a.status === 403)).toBe(true);
    expect(sent!.conversationId.startsWith("19:")).toBe(true);
    expect(sent!.activity.text).toMatch(/cannot open a private chat/);
    expect(JSON.stringify(sent!.activity)).not.toMatch(/Ann Lee|\$4,000|\$6,000/);
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.sent).toHaveLength(1);
  });
});

describe("sharing a private answer in the channel it was asked in", () => {
  const askInChannel = async (user: typeof USERS.mia, text: string) => {
    await teams.post(channelMention(fake.url, user, text));
    const sent = await fake.waitForSent(2);
    return cardOf(sent.find((s) => s.conversationId.startsWith("a:"))!.activity)!;
  };

  it("offers the asker a Post in channel button that posts the answer there, marked as shared", async () => {
    const card = await askInChannel(USERS.mia, "team alpha sales q3-2026");
    const button = card.actions[0];
    expect(button).toMatchObject({ type: "Action.Submit", title: "Post in channel", data: { kpiShare: "team alpha sales q3-2026", kpiChannel: "19:team-general@thread.tacv2" } });
    fake.reset();
    await teams.post(personalMessage(fake.url, USERS.mia, "", { text: undefined, value: button.data }));
    const sent = await fake.waitForSent(2);
    const inChannel = sent.find((s) => s.conversationId === "19:team-general@thread.tacv2")!;
    const shared = cardOf(inChannel.activity)!;
    // Aggregates and the top performer's name (leaderboards are off): no per-rep table, no low flag.
    expect(JSON.stringify(shared)).toContain("$6,000");
    expect(JSON.stringify(shared)).toContain("Bo Chen 陈博");
    expect(JSON.stringify(shared)).not.toContain("Ann Lee");
    expect(texts(shared)).toContain("Shared by Mia");
    expect(texts(shared).some((t) => /Private/.test(t))).toBe(false);
    expect(sent.find((s) => s.conversationId === "a:personal-29:mia")!.activity.text).toBe("Posted in the channel.");
  });

  it("checks access again when the button is pressed", async () => {
    const card = await askInChannel(USERS.mia, "team alpha sales q3-2026");
    const alpha = await db.prisma.team.findUniqueOrThrow({ where: { name: "Alpha" } });
    const mia = await db.prisma.user.findUniqueOrThrow({ where: { email: "mia@acme.test" } });
    await db.prisma.team.update({ where: { id: alpha.id }, data: { managerId: null } });
    const beta = await db.prisma.team.findUniqueOrThrow({ where: { name: "Beta" } });
    await db.prisma.user.update({ where: { id: mia.id }, data: { role: "rep", teamId: beta.id } });
    try {
      fake.reset();
      await teams.post(personalMessage(fake.url, USERS.mia, "", { text: undefined, value: card.actions[0].data }));
      const [sent] = await fake.waitForSent(1);
      expect(sent!.conversationId).toBe("a:personal-29:mia");
      expect(texts(cardOf(sent!.activity)!)).toContain("Nothing was posted to the channel.");
      await new Promise((r) => setTimeout(r, 100));
      expect(fake.sent.filter((s) => s.conversationId.startsWith("19:"))).toEqual([]);
    } finally {
      await db.prisma.team.update({ where: { id: alpha.id }, data: { managerId: mia.id } });
      await db.prisma.user.update({ where: { id: mia.id }, data: { role: "manager", teamId: alpha.id } });
    }
  });

  it("does not post when, asked again, the answer has become about the presser alone", async () => {
    // No scope: a manager's default is her team, a rep's is herself.
    const card = await askInChannel(USERS.mia, "sales q3-2026");
    expect(card.body[0].text).toBe("Sales · Team Alpha · Q3 2026");
    const alpha = await db.prisma.team.findUniqueOrThrow({ where: { name: "Alpha" } });
    const mia = await db.prisma.user.findUniqueOrThrow({ where: { email: "mia@acme.test" } });
    await db.prisma.team.update({ where: { id: alpha.id }, data: { managerId: null } });
    await db.prisma.user.update({ where: { id: mia.id }, data: { role: "rep" } });
    try {
      fake.reset();
      await teams.post(personalMessage(fake.url, USERS.mia, "", { text: undefined, value: card.actions[0].data }));
      const [sent] = await fake.waitForSent(1);
      expect(sent!.activity.text).toBe("Answers about yourself stay private, so this was not posted.");
      await new Promise((r) => setTimeout(r, 100));
      expect(fake.sent.filter((s) => s.conversationId.startsWith("19:"))).toEqual([]);
    } finally {
      await db.prisma.team.update({ where: { id: alpha.id }, data: { managerId: mia.id } });
      await db.prisma.user.update({ where: { id: mia.id }, data: { role: "manager" } });
    }
  });

  it("offers no button for an answer about the asker alone", async () => {
    const card = await askInChannel(USERS.ann, "me sales q3-2026");
    expect(card.body[0].text).toBe("Sales · Ann Lee · Q3 2026");
    expect((card.actions ?? []).some((a: any) => "kpiShare" in a.data)).toBe(false);
  });

  it("refuses a button pressed by someone else or with an edited command", async () => {
    const card = await askInChannel(USERS.mia, "team alpha sales q3-2026");
    const data = card.actions[0].data;
    fake.reset();
    await teams.post(personalMessage(fake.url, USERS.ann, "", { text: undefined, value: data }));
    await teams.post(personalMessage(fake.url, USERS.mia, "", { text: undefined, value: { ...data, kpiShare: "team beta sales q3-2026" } }));
    await teams.post(personalMessage(fake.url, USERS.mia, "", { text: undefined, value: { ...data, kpiChannel: "19:other@thread.tacv2" } }));
    const sent = await fake.waitForSent(3);
    expect(sent.map((s) => s.conversationId)).toEqual(["a:personal-29:ann", "a:personal-29:mia", "a:personal-29:mia"]);
    for (const s of sent) expect(s.activity.text).toMatch(/made for someone else/);
  });
});

describe("a follow-up button (Action.Submit)", () => {
  it("runs the command its data carries", async () => {
    await teams.post(personalMessage(fake.url, USERS.mia, "team alpha sales q3-2026"));
    const [first] = await fake.waitForSent(1);
    const action = cardOf(first!.activity)!.actions.find((a: any) => a.title === "Win rate");
    expect(action.data.kpiCommand).toBe('/kpi team "Alpha" winrate q3-2026');
    // Teams posts a submit as a message with the action's data as value and no text.
    await teams.post(personalMessage(fake.url, USERS.mia, "", { text: undefined, value: action.data }));
    const [second] = await fake.waitForSent(1, 1);
    expect(cardOf(second!.activity)!.body[0].text).toBe("Win rate · Team Alpha · Q3 2026");
  });
});
