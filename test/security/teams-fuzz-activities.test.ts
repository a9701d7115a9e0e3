// Issue 12, Proof: Teams activities of random shapes, each with a valid Bot Framework token (the
// real Azure-mode authentication over loopback), posted to /api/messages. The process survives
// every one, each gets a 2xx or 4xx, nothing leaves for an untrusted host, and the bot still
// answers a normal message afterwards.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChartRenderer } from "../../src/charts/index.ts";
import { freshDatabase, type TestDatabase } from "../support/databases.ts";
import { loadHandmade } from "../support/handmade.ts";
import { startFakeConnector, type FakeConnector } from "../teams/support/fake-connector.ts";
import { BOT, MEMBERS, personalMessage, startTeams, testCore, USERS, type Started } from "../teams/support/harness.ts";
import { azureEnv, startTokenService, TestCredentialsFactory, type TokenService } from "../teams/support/tokens.ts";

const RUNS = 400;
/** A fixed seed keeps CI reproducible; KPI_FUZZ_SEED explores others. */
const SEED = Number(process.env.KPI_FUZZ_SEED ?? 20261206);

let db: TestDatabase;
let fake: FakeConnector;
let elsewhere: FakeConnector;
let keys: TokenService;
let teams: Started;
let core: ReturnType<typeof testCore>;
let originalError: typeof console.error;
let originalWarn: typeof console.warn;
const crashes: unknown[] = [];
const onCrash = (e: unknown) => void crashes.push(e);

beforeAll(async () => {
  db = await freshDatabase("pglite");
  await loadHandmade(db.prisma);
  fake = await startFakeConnector();
  elsewhere = await startFakeConnector();
  for (const m of MEMBERS) fake.members.set(m.id, m);
  keys = await startTokenService();
  core = testCore(db);
  teams = await startTeams(db, core, {
    renderer: createChartRenderer(),
    env: azureEnv(fake.url),
    auth: { openIdMetadataUrl: keys.metadataUrl, credentialsFactory: new TestCredentialsFactory() },
    retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
  });
  originalError = console.error;
  originalWarn = console.warn;
  console.error = () => {};
  console.warn = () => {};
  process.on("uncaughtException", onCrash);
  process.on("unhandledRejection", onCrash);
});
afterAll(async () => {
  process.off("uncaughtException", onCrash);
  process.off("unhandledRejection", onCrash);
  console.error = originalError;
  console.warn = originalWarn;
  await teams?.stop();
  await keys?.close();
  await elsewhere?.close();
  await fake?.close();
  await db?.dispose();
});

const weird = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 40 }),
  fc.constantFrom("", "a".repeat(5000), "\u0000", "😀".repeat(100), "__proto__", "constructor", "<at>kpi-bot</at>"),
  fc.jsonValue({ maxDepth: 3 }),
);
type Maybe = <T>(arb: fc.Arbitrary<T>) => fc.Arbitrary<unknown>;

/**
 * Activities whose fields come from `maybe`: as they are (plausible Teams shapes, random values)
 * or sometimes replaced by a value of the wrong type (wild shapes).
 */
function activities(maybe: Maybe) {

const account = fc.record(
  { id: maybe(fc.constantFrom("29:ann", "29:mia", "29:boss", "29:who", "28:kpi-bot")), name: maybe(fc.constantFrom("Ann Lee", "ada@acme.test", "[x](http://e) **b**")), aadObjectId: maybe(fc.constantFrom("aad-ann", "aad-mia", "aad-x")), role: maybe(fc.constantFrom("user", "user", "user", "user", "bot", "skill")) },
  { requiredKeys: ["id"] },
);
const conversation = fc.record(
  {
    id: maybe(fc.constantFrom("a:personal-29:ann", "19:team-general@thread.tacv2;messageid=1", "19:x@thread.v2", "a:" + "x".repeat(600))),
    conversationType: maybe(fc.constantFrom("personal", "channel", "groupChat")),
    isGroup: maybe(fc.boolean()),
    tenantId: maybe(fc.constantFrom("tenant-1", "other")),
  },
  { requiredKeys: ["id"] },
);
const commands: fc.Arbitrary<string> = fc.constantFrom("kpi help", "kpi me sales q3-2026", "kpi team alpha sales q3-2026", "org sales", "subscribe weekly team alpha", "alerts", "unsubscribe 1", "compare me sales q3-2026 vs q2-2026");
const value = fc.oneof(
  fc.record({ kpi: maybe(commands) }, { requiredKeys: [] }),
  fc.record({ kpiShare: maybe(fc.string()), sig: maybe(fc.string()), command: maybe(commands), channel: maybe(fc.string()) }, { requiredKeys: [] }),
  fc.dictionary(fc.string({ maxLength: 10 }), weird, { maxKeys: 4 }),
  weird,
);

return fc.record(
  {
    type: maybe(fc.constantFrom("message", "message", "message", "message", "message", "message", "conversationUpdate", "installationUpdate", "invoke", "messageReaction", "event", "typing", "endOfConversation", "messageUpdate", "messageDelete", "unknownType")),
    id: maybe(fc.uuid()),
    channelId: fc.oneof({ arbitrary: fc.constant("msteams"), weight: 8 }, { arbitrary: weird, weight: 1 }),
    serviceUrl: fc.oneof({ arbitrary: fc.constant("FAKE"), weight: 8 }, { arbitrary: fc.constant("ELSEWHERE"), weight: 1 }, { arbitrary: weird, weight: 1 }),
    from: maybe(account),
    recipient: maybe(fc.oneof(fc.constant(BOT), account)),
    conversation: maybe(conversation),
    channelData: maybe(
      fc.record(
        {
          tenant: maybe(fc.record({ id: maybe(fc.constantFrom("tenant-1", "other")) }, { requiredKeys: [] })),
          team: maybe(fc.record({ id: maybe(fc.string()), name: maybe(fc.string()) }, { requiredKeys: [] })),
          eventType: maybe(fc.constantFrom("teamMemberAdded", "teamMemberRemoved", "teamDeleted", "channelCreated")),
        },
        { requiredKeys: [] },
      ),
    ),
    text: maybe(fc.oneof(commands, commands, commands.map((c) => `<at>kpi-bot</at> ${c}`), fc.string({ maxLength: 300 }))),
    value: value,
    name: maybe(fc.constantFrom("adaptiveCard/action", "task/fetch", "composeExtension/query", "signin/verifyState")),
    action: maybe(fc.constantFrom("add", "remove", "add-upgrade", "remove-upgrade")),
    entities: maybe(fc.array(maybe(fc.record({ type: fc.constant("mention"), text: maybe(fc.string()), mentioned: maybe(account) })), { maxLength: 3 })),
    membersAdded: maybe(fc.array(fc.oneof(fc.constant(BOT), account), { maxLength: 3 })),
    membersRemoved: maybe(fc.array(fc.oneof(fc.constant(BOT), account), { maxLength: 3 })),
    attachments: maybe(fc.array(weird, { maxLength: 2 })),
    locale: maybe(fc.constantFrom("en-US", "zh-CN")),
    timestamp: maybe(fc.date({ noInvalidDate: true }).map((d) => d.toISOString())),
    replyToId: maybe(fc.string({ maxLength: 20 })),
  },
  // The fields every Teams activity has are usually present; the rest come and go.
  { requiredKeys: ["type", "channelId", "serviceUrl", "from", "recipient", "conversation", "channelData"] },
);
}

const plausible: Maybe = (arb) => arb;
const wild: Maybe = (arb) => fc.oneof({ arbitrary: arb, weight: 6 }, { arbitrary: weird, weight: 1 });
const activity = fc.oneof({ arbitrary: activities(plausible), weight: 1 }, { arbitrary: activities(wild), weight: 1 });

describe(`${RUNS} Teams activities of random shapes with a valid token`, () => {
  it("each gets a 2xx or 4xx, the process lives, and nothing is sent to an untrusted host", async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(activity, async (a) => {
        const body: Record<string, unknown> = { ...a };
        if (a.serviceUrl === "FAKE") body.serviceUrl = fake.url;
        if (a.serviceUrl === "ELSEWHERE") body.serviceUrl = `${elsewhere.url}collect/`;
        // A valid token for the activity's serviceUrl (Bot Framework signs the one it posts with).
        const token = keys.token(typeof body.serviceUrl === "string" ? body.serviceUrl : fake.url);
        const res = await teams.post(body, { authorization: `Bearer ${token}` });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status, JSON.stringify(body).slice(0, 400)).toBeGreaterThanOrEqual(200);
        expect(res.status, JSON.stringify(body).slice(0, 400)).toBeLessThan(500);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // Nothing reached a handler that it could not handle: malformed ones were dropped at the door.
    expect(teams.logs.filter((l) => l.event === "teams_turn_failed" || l.event === "teams_reference_save_failed")).toEqual([]);
    expect(crashes).toEqual([]);
    expect(elsewhere.attempts).toEqual([]);
    // Most activities were well enough formed to be served, not all refused at the door.
    expect([...statuses].filter(([s]) => s < 300).reduce((n, [, c]) => n + c, 0)).toBeGreaterThan(RUNS / 4);
    expect(core.calls.length).toBeGreaterThan(RUNS / 20);

  }, 600_000);

  it("still answers a normal message afterwards", async () => {
    const before = fake.sent.length;
    const res = await teams.post(personalMessage(fake.url, USERS.ann, "kpi help"), { authorization: `Bearer ${keys.token(fake.url)}` });
    expect(res.status).toBe(200);
    await fake.waitForSent(1, before);
  });
});
