// Conversation references stored on installation/conversation updates survive a restart of the
// adapter (a new CloudAdapter on the same database) and carry proactive sends (digests).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createChartRenderer } from "../../src/charts/index.ts";
import { findConversation } from "../../src/data/conversations.ts";
import { textReply, type Reply } from "../../src/reply.ts";
import { freshDatabase, type TestDatabase } from "../support/databases.ts";
import { loadHandmade } from "../support/handmade.ts";
import { startFakeConnector, type FakeConnector } from "./support/fake-connector.ts";
import { createSender } from "../../adapters/teams/index.ts";
import { CHANNEL_ID, cardOf, channelMention, conversationUpdate, installationUpdate, MEMBERS, startTeams, TEAM, testCore, testRuntime, USERS } from "./support/harness.ts";

let db: TestDatabase;
let fake: FakeConnector;
const renderer = createChartRenderer();

beforeAll(async () => {
  db = await freshDatabase("pglite");
  await loadHandmade(db.prisma);
  fake = await startFakeConnector();
  for (const m of MEMBERS) fake.members.set(m.id, m);
});
afterAll(async () => {
  await fake?.close();
  await db?.dispose();
});
beforeEach(() => fake.reset());

const digest: Reply = { ...textReply("answer", "en", "Weekly digest · Team Alpha", "Sales $6,000 this quarter."), visibility: "shareable" };

describe("conversation references", () => {
  it("are stored on installationUpdate and reach the conversation after a restart", async () => {
    const first = await startTeams(db, testCore(db), { renderer });
    expect((await first.post(installationUpdate(fake.url, USERS.ann, "personal"))).status).toBe(200);
    expect((await first.post(installationUpdate(fake.url, USERS.mia, "team"))).status).toBe(200);
    await first.stop();
    expect(fake.sent).toEqual([]);

    // A new process: new HTTP host, new CloudAdapter, same database.
    const second = await startTeams(db, testCore(db), { renderer });
    try {
      expect(await second.running.sendProactive("a:personal-29:ann", { ...digest, visibility: "private" })).toEqual({ ok: true });
      expect(await second.running.sendProactive(CHANNEL_ID, digest)).toEqual({ ok: true });
      const sent = await fake.waitForSent(2);
      expect(sent.map((s) => s.conversationId)).toEqual(["a:personal-29:ann", CHANNEL_ID]);
      expect(cardOf(sent[0]!.activity)!.body[0].text).toBe("Weekly digest · Team Alpha");
      expect(sent[1]!.activity).toMatchObject({ from: { id: "28:kpi-bot" }, conversation: { id: CHANNEL_ID } });
    } finally {
      await second.stop();
    }
  });

  it("are stored on conversationUpdate (bot added to a team) and forgotten when it is removed", async () => {
    await db.prisma.conversationRef.deleteMany({});
    const t = await startTeams(db, testCore(db), { renderer });
    try {
      await t.post(conversationUpdate(fake.url, USERS.mia, "added"));
      expect(await findConversation(db.prisma, "teams", CHANNEL_ID)).toMatchObject({ scope: "channel", userId: null, reference: { serviceUrl: fake.url, conversation: { id: CHANNEL_ID }, bot: { id: "28:kpi-bot" } } });
      await t.post(conversationUpdate(fake.url, USERS.mia, "removed"));
      expect(await findConversation(db.prisma, "teams", CHANNEL_ID)).toBeNull();
      expect(await t.running.sendProactive(CHANNEL_ID, digest)).toMatchObject({ ok: false, error: "unknown_conversation" });
    } finally {
      await t.stop();
    }
  });

  it("of every channel of a team are forgotten when the bot leaves the team, other teams' kept", async () => {
    await db.prisma.conversationRef.deleteMany({});
    const t = await startTeams(db, testCore(db), { renderer });
    const inChannel = (channel: string, team: { id: string; name: string }) => {
      const a = channelMention(fake.url, USERS.mia, "help");
      return { ...a, conversation: { ...a.conversation, id: `${channel};messageid=1700000000001` }, channelData: { ...a.channelData, team, channel: { id: channel, name: channel } } };
    };
    const other = { id: "19:other-general@thread.tacv2", name: "Service" };
    try {
      await t.post(conversationUpdate(fake.url, USERS.mia, "added"));
      await t.post(inChannel("19:pipeline@thread.tacv2", TEAM));
      await t.post(inChannel(other.id, other));
      expect(await findConversation(db.prisma, "teams", "19:pipeline@thread.tacv2")).toMatchObject({ scope: "channel", groupId: TEAM.id });
      await t.post(conversationUpdate(fake.url, USERS.mia, "removed"));
      expect(await findConversation(db.prisma, "teams", CHANNEL_ID)).toBeNull();
      expect(await findConversation(db.prisma, "teams", "19:pipeline@thread.tacv2")).toBeNull();
      expect(await t.running.sendProactive("19:pipeline@thread.tacv2", digest)).toMatchObject({ ok: false, error: "unknown_conversation" });
      expect(await findConversation(db.prisma, "teams", other.id)).toMatchObject({ groupId: other.id });
      // The app uninstalled from the other team (installationUpdate in team scope) does the same.
      const removal = installationUpdate(fake.url, USERS.mia, "team", "remove");
      await t.post({ ...removal, conversation: { ...removal.conversation, id: other.id }, channelData: { ...removal.channelData, team: other } });
      expect(await findConversation(db.prisma, "teams", other.id)).toBeNull();
    } finally {
      await t.stop();
    }
  });

  it("are forgotten when the app is uninstalled", async () => {
    const t = await startTeams(db, testCore(db), { renderer });
    try {
      await t.post(installationUpdate(fake.url, USERS.ann, "personal"));
      expect(await findConversation(db.prisma, "teams", "a:personal-29:ann")).toMatchObject({ scope: "personal", userId: "aad-ann" });
      await t.post(installationUpdate(fake.url, USERS.ann, "personal", "remove"));
      expect(await findConversation(db.prisma, "teams", "a:personal-29:ann")).toBeNull();
    } finally {
      await t.stop();
    }
  });

  it("never carry a private reply into a channel", async () => {
    const t = await startTeams(db, testCore(db), { renderer });
    try {
      await t.post(installationUpdate(fake.url, USERS.mia, "team"));
      const r = await t.running.sendProactive(CHANNEL_ID, { ...digest, visibility: "private" });
      expect(r).toMatchObject({ ok: false, error: "private_reply_to_shared_conversation" });
      expect(fake.sent).toEqual([]);
    } finally {
      await t.stop();
    }
  });

  it("report a failed send instead of throwing", async () => {
    const t = await startTeams(db, testCore(db), { renderer, retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 2 } });
    try {
      await t.post(installationUpdate(fake.url, USERS.ann, "personal"));
      fake.failNext(2, 502);
      expect(await t.running.sendProactive("a:personal-29:ann", digest)).toMatchObject({ ok: false, error: "send_failed" });
    } finally {
      await t.stop();
    }
  });

  describe("the digest sender", () => {
    it("delivers a private digest to the owner's personal chat by their Teams user id, and a channel digest by conversation id", async () => {
      await db.prisma.conversationRef.deleteMany({});
      const t = await startTeams(db, testCore(db), { renderer });
      try {
        await t.post(installationUpdate(fake.url, USERS.ann, "personal"));
        await t.post(installationUpdate(fake.url, USERS.mia, "team"));
        fake.reset();
        expect(await t.running.sender.send({ platform: "teams", address: "aad-ann", private: true }, { ...digest, visibility: "private" })).toEqual({ ok: true });
        expect(await t.running.sender.send({ platform: "teams", address: CHANNEL_ID, private: false }, digest)).toEqual({ ok: true });
        expect((await fake.waitForSent(2)).map((s) => s.conversationId)).toEqual(["a:personal-29:ann", CHANNEL_ID]);
      } finally {
        await t.stop();
      }
    });

    it("works without a running server (npm run digests -- --due), from the stored references", async () => {
      fake.reset();
      const sender = await createSender(testRuntime(db, testCore(db)), { renderer, env: { PUBLIC_URL: "http://unused" } });
      expect(await sender.send({ platform: "teams", address: CHANNEL_ID, private: false }, digest)).toEqual({ ok: true });
      const [sent] = await fake.waitForSent(1);
      expect(sent!.conversationId).toBe(CHANNEL_ID);
    });

    it("calls missing chats, private-to-channel and a removed bot permanent, throttling not", async () => {
      const t = await startTeams(db, testCore(db), { renderer, retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 2 } });
      try {
        await t.post(installationUpdate(fake.url, USERS.ann, "personal"));
        await t.post(installationUpdate(fake.url, USERS.mia, "team"));
        expect(await t.running.sender.send({ platform: "teams", address: "aad-nobody", private: true }, digest)).toMatchObject({ ok: false, permanent: true });
        expect(await t.running.sender.send({ platform: "teams", address: CHANNEL_ID, private: false }, { ...digest, visibility: "private" })).toMatchObject({ ok: false, permanent: true });
        fake.failNext(1, 403);
        expect(await t.running.sender.send({ platform: "teams", address: CHANNEL_ID, private: false }, digest)).toMatchObject({ ok: false, permanent: true });
        fake.failNext(2, 429);
        expect(await t.running.sender.send({ platform: "teams", address: CHANNEL_ID, private: false }, digest)).toMatchObject({ ok: false, permanent: false });
        expect(await t.running.sender.send({ platform: "slack", address: "C1", private: false }, digest)).toMatchObject({ ok: false, permanent: true });
      } finally {
        await t.stop();
      }
    });
  });
});
