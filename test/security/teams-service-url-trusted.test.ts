// Issue 12, item 10 (Teams): an activity's serviceUrl was trusted as given, so answers (and in
// Azure mode the bot's app token) went to http://127.0.0.1:…/attacker-collect. In Azure mode the
// bot now sends only to Bot Framework's hosts, inbound and from stored references; the fake
// connector these tests use is trusted only through the explicit KPI_TEAMS_EXTRA_SERVICE_HOSTS.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isAllowedServiceUrl } from "../../adapters/teams/service-url.ts";
import { createChartRenderer } from "../../src/charts/index.ts";
import { saveConversation } from "../../src/data/conversations.ts";
import { freshDatabase, type TestDatabase } from "../support/databases.ts";
import { loadHandmade } from "../support/handmade.ts";
import { startFakeConnector, type FakeConnector } from "../teams/support/fake-connector.ts";
import { BOT, MEMBERS, personalMessage, startTeams, testCore, USERS, type Started } from "../teams/support/harness.ts";
import { azureEnv, startTokenService, TestCredentialsFactory, type TokenService } from "../teams/support/tokens.ts";
import type { Reply } from "../../src/reply.ts";

describe("isAllowedServiceUrl", () => {
  it.each([
    "https://smba.trafficmanager.net/amer/",
    "https://smba.trafficmanager.net/teams/",
    "https://smba.infra.gcc.teams.microsoft.com/teams",
    "https://smba.infra.gov.teams.microsoft.us/teams",
    "https://smba.infra.dod.teams.microsoft.us/teams",
    "https://directline.botframework.com/",
    "https://europe.directline.botframework.com/",
    "https://token.botframework.azure.cn/",
    "https://SMBA.TrafficManager.net/emea/",
  ])("trusts Bot Framework's %s", (url) => {
    expect(isAllowedServiceUrl(url, [])).toBe(true);
  });

  it.each([
    "http://127.0.0.1:4000/attacker-collect",
    "http://smba.trafficmanager.net/amer/",
    "https://smba.trafficmanager.net:8443/amer/",
    "https://smba.trafficmanager.net.evil.example/amer/",
    "https://evil.example/smba.trafficmanager.net/",
    "https://evilbotframework.com/",
    "https://botframework.com.evil.example/",
    "https://user:pw@smba.trafficmanager.net/amer/",
    "https://[::1]/",
    "file:///etc/passwd",
    "not a url",
    "",
  ])("refuses %s", (url) => {
    expect(isAllowedServiceUrl(url, [])).toBe(false);
  });

  it("refuses what is not a string", () => {
    for (const v of [undefined, null, 42, {}, ["https://smba.trafficmanager.net/"]]) expect(isAllowedServiceUrl(v, [])).toBe(false);
  });

  it("trusts loopback only when the host is listed explicitly, with its port", () => {
    expect(isAllowedServiceUrl("http://127.0.0.1:4000/", ["127.0.0.1:4000"])).toBe(true);
    expect(isAllowedServiceUrl("http://127.0.0.1:4001/", ["127.0.0.1:4000"])).toBe(false);
    expect(isAllowedServiceUrl("http://127.0.0.1:4000/", [])).toBe(false);
  });
});

describe("in Azure mode over loopback", () => {
  let db: TestDatabase;
  let fake: FakeConnector;
  let attacker: FakeConnector;
  let keys: TokenService;
  let core: ReturnType<typeof testCore>;
  let teams: Started;
  const renderer = createChartRenderer();
  const auth = () => ({ openIdMetadataUrl: keys.metadataUrl, credentialsFactory: new TestCredentialsFactory() });

  beforeAll(async () => {
    db = await freshDatabase("pglite");
    await loadHandmade(db.prisma);
    fake = await startFakeConnector();
    attacker = await startFakeConnector();
    for (const m of MEMBERS) {
      fake.members.set(m.id, m);
      attacker.members.set(m.id, m);
    }
    keys = await startTokenService();
    core = testCore(db);
    teams = await startTeams(db, core, { renderer, env: azureEnv(fake.url), auth: auth() });
  });
  afterAll(async () => {
    await teams?.stop();
    await keys?.close();
    await attacker?.close();
    await fake?.close();
    await db?.dispose();
  });
  beforeEach(() => {
    fake.reset();
    attacker.reset();
    core.calls.length = 0;
  });

  it("answers an activity from the trusted connector", async () => {
    const res = await teams.post(personalMessage(fake.url, USERS.ann, "kpi help"), { authorization: `Bearer ${keys.token(fake.url)}` });
    expect(res.status).toBe(200);
    await fake.waitForSent(1);
  });

  it("sends nothing to an activity's serviceUrl that is not a Bot Framework host, and stores no reference to it", async () => {
    const url = `${attacker.url}attacker-collect/`;
    const activity = personalMessage(url, USERS.boss, "kpi org sales", { conversation: { id: "a:attacker-chat", conversationType: "personal", tenantId: "tenant-1" } });
    const res = await teams.post(activity, { authorization: `Bearer ${keys.token(url)}` });
    expect(res.status).toBeLessThan(500);
    await new Promise((r) => setTimeout(r, 200));
    expect(attacker.attempts).toEqual([]);
    expect(fake.attempts).toEqual([]);
    expect(core.calls).toEqual([]);
    expect(await db.prisma.conversationRef.count({ where: { conversationId: "a:attacker-chat" } })).toBe(0);
    expect(teams.logs.some((l) => l.event === "teams_service_url_refused")).toBe(true);
  });

  it("does not deliver to a stored reference whose serviceUrl is not trusted (written before this check, or by hand)", async () => {
    await saveConversation(db.prisma, {
      platform: "teams",
      conversationId: "19:planted@thread.tacv2",
      scope: "channel",
      userId: null,
      reference: { channelId: "msteams", serviceUrl: `${attacker.url}attacker-collect/`, conversation: { id: "19:planted@thread.tacv2", conversationType: "channel" }, bot: BOT },
    });
    const reply = (await core.handle({ platform: "teams", userId: "aad-ann", text: "kpi help" })) as Reply;
    const result = await teams.running.sendProactive("19:planted@thread.tacv2", reply);
    expect(result).toMatchObject({ ok: false, error: "unusable_reference" });
    expect(attacker.attempts).toEqual([]);
    const outcome = await teams.running.sender.send({ platform: "teams", address: "19:planted@thread.tacv2", private: false }, reply);
    expect(outcome).toMatchObject({ ok: false, permanent: true });
    expect(attacker.attempts).toEqual([]);
  });

  it("refuses a stored reference that does not parse, with a reason instead of a crash", async () => {
    await saveConversation(db.prisma, { platform: "teams", conversationId: "19:broken@thread.tacv2", scope: "channel", userId: null, reference: { serviceUrl: 42, conversation: "nope" } });
    const reply = (await core.handle({ platform: "teams", userId: "aad-ann", text: "kpi help" })) as Reply;
    const result = await teams.running.sendProactive("19:broken@thread.tacv2", reply);
    expect(result).toMatchObject({ ok: false, error: "unusable_reference", message: expect.stringMatching(/serviceUrl|channelId|conversation/) });
    expect(teams.logs.some((l) => l.event === "teams_reference_unusable")).toBe(true);
  });

  it("does not trust the loopback test connector silently: without KPI_TEAMS_EXTRA_SERVICE_HOSTS it gets nothing", async () => {
    const strict = await startTeams(db, testCore(db), { renderer, env: { ...azureEnv(fake.url), KPI_TEAMS_EXTRA_SERVICE_HOSTS: "" }, auth: auth() });
    try {
      const res = await strict.post(personalMessage(fake.url, USERS.ann, "kpi help"), { authorization: `Bearer ${keys.token(fake.url)}` });
      expect(res.status).toBeLessThan(500);
      await new Promise((r) => setTimeout(r, 200));
      expect(fake.attempts).toEqual([]);
    } finally {
      await strict.stop();
    }
  });
});
