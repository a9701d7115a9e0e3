// Issue 12, item 8: forged Bot Framework tokens (alg:none, HS256 signed with the public key, a bad
// RS256 signature, an empty claims body) answered 500 with the token library's error text. Each
// must get the same bare 401 as a request without a token, and never reach the core. The real
// CloudAdapter authentication runs in Azure mode against a fake token-key service on loopback.
import { createHmac, generateKeyPairSync, createSign } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createChartRenderer } from "../../src/charts/index.ts";
import { freshDatabase, type TestDatabase } from "../support/databases.ts";
import { loadHandmade } from "../support/handmade.ts";
import { startFakeConnector, type FakeConnector } from "../teams/support/fake-connector.ts";
import { MEMBERS, personalMessage, startTeams, testCore, USERS, type Started } from "../teams/support/harness.ts";
import { APP_ID, azureEnv, ISSUER, KID, startTokenService, TestCredentialsFactory, type TokenService } from "../teams/support/tokens.ts";

const b64 = (o: object | string) => Buffer.from(typeof o === "string" ? o : JSON.stringify(o)).toString("base64url");

let db: TestDatabase;
let fake: FakeConnector;
let keys: TokenService;
let core: ReturnType<typeof testCore>;
let teams: Started;
let originalError: typeof console.error;

beforeAll(async () => {
  db = await freshDatabase("pglite");
  await loadHandmade(db.prisma);
  fake = await startFakeConnector();
  for (const m of MEMBERS) fake.members.set(m.id, m);
  keys = await startTokenService();
  core = testCore(db);
  teams = await startTeams(db, core, {
    renderer: createChartRenderer(),
    env: azureEnv(fake.url),
    auth: { openIdMetadataUrl: keys.metadataUrl, credentialsFactory: new TestCredentialsFactory() },
  });
  // CloudAdapter console.error()s every refused request; keep the test output readable.
  originalError = console.error;
  console.error = () => {};
});
afterAll(async () => {
  console.error = originalError;
  await teams?.stop();
  await keys?.close();
  await fake?.close();
  await db?.dispose();
});
beforeEach(() => {
  fake.reset();
  core.calls.length = 0;
});

const claims = () => {
  const now = Math.floor(Date.now() / 1000);
  return { iss: ISSUER, aud: APP_ID, serviceurl: fake.url, nbf: now - 60, exp: now + 3600 };
};

const forgeries: [string, () => string][] = [
  ["alg:none (no signature)", () => `${b64({ alg: "none", typ: "JWT", kid: KID })}.${b64(claims())}.`],
  [
    "HS256 signed with the public key (algorithm confusion)",
    () => {
      const input = `${b64({ alg: "HS256", typ: "JWT", kid: KID })}.${b64(claims())}`;
      return `${input}.${createHmac("sha256", keys.publicPem).update(input).digest("base64url")}`;
    },
  ],
  [
    "RS256 signed by another key",
    () => {
      const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const input = `${b64({ alg: "RS256", typ: "JWT", kid: KID })}.${b64(claims())}`;
      return `${input}.${createSign("RSA-SHA256").update(input).sign(privateKey).toString("base64url")}`;
    },
  ],
  [
    "a valid token whose claims were edited after signing",
    () => {
      const [h, , s] = keys.token(fake.url).split(".");
      return `${h}.${b64({ ...claims(), aud: APP_ID, extra: "admin" })}.${s}`;
    },
  ],
  ["an empty claims body {}", () => keys.sign({ alg: "RS256", typ: "JWT", kid: KID }, {})],
  ["an empty claims body {} with alg:none", () => `${b64({ alg: "none", typ: "JWT" })}.${b64({})}.`],
  ["a token for another app", () => keys.token(fake.url, { aud: "11111111-1111-4111-8111-111111111111" })],
  ["an expired token", () => keys.token(fake.url, { exp: Math.floor(Date.now() / 1000) - 3600, nbf: Math.floor(Date.now() / 1000) - 7200 })],
  ["an unknown key id", () => keys.sign({ alg: "RS256", typ: "JWT", kid: "nope" }, claims())],
  ["not a JWT at all", () => "x.y.z"],
];

describe("a valid token (the path the forgeries try to take)", () => {
  it("is answered, and the reply reaches the connector", async () => {
    const res = await teams.post(personalMessage(fake.url, USERS.ann, "kpi help"), { authorization: `Bearer ${keys.token(fake.url)}` });
    expect(res.status).toBe(200);
    await fake.waitForSent(1);
    expect(core.calls).toHaveLength(1);
  });
});

describe("forged tokens", () => {
  let baseline: { status: number; body: string };
  beforeAll(async () => {
    const res = await teams.post(personalMessage(fake.url, USERS.ann, "kpi org sales"));
    baseline = { status: res.status, body: await res.text() };
  });

  it("a request without a token gets a bare 401", () => {
    expect(baseline).toEqual({ status: 401, body: "" });
  });

  it.each(forgeries)("%s: the same bare 401, the core never sees it", async (_name, forge) => {
    const res = await teams.post(personalMessage(fake.url, USERS.ann, "kpi org sales"), { authorization: `Bearer ${forge()}` });
    expect({ status: res.status, body: await res.text() }).toEqual(baseline);
    expect(core.calls).toEqual([]);
    expect(fake.attempts).toEqual([]);
  });

  it("an empty activity body {} gets the same bare 401 unless the token verifies (then 400), and the process serves on", async () => {
    const variants: Record<string, string>[] = [{}, { authorization: `Bearer ${forgeries[0]![1]()}` }, { authorization: `Bearer ${forgeries[1]![1]()}` }];
    for (const headers of variants) {
      const res = await teams.post({}, headers);
      expect({ status: res.status, body: await res.text() }).toEqual(baseline);
    }
    const raw = await fetch(`${teams.base}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect({ status: raw.status, body: await raw.text() }).toEqual(baseline);
    const valid = await teams.post({}, { authorization: `Bearer ${keys.token("")}` });
    expect({ status: valid.status, body: await valid.text() }).toEqual({ status: 400, body: "" });
    const ok = await teams.post(personalMessage(fake.url, USERS.ann, "kpi help"), { authorization: `Bearer ${keys.token(fake.url)}` });
    expect(ok.status).toBe(200);
    expect(core.calls).toHaveLength(1);
  });

  it("when Microsoft's keys cannot be fetched, answers a bare 500 (Teams retries) and logs the outage", async () => {
    const dead = await startTokenService();
    const url = dead.metadataUrl;
    const token = dead.token(fake.url);
    await dead.close();
    const down = await startTeams(db, core, { renderer: createChartRenderer(), env: azureEnv(fake.url), auth: { openIdMetadataUrl: url, credentialsFactory: new TestCredentialsFactory() } });
    try {
      const res = await down.post(personalMessage(fake.url, USERS.ann, "kpi help"), { authorization: `Bearer ${token}` });
      expect({ status: res.status, body: await res.text() }).toEqual({ status: 500, body: "" });
      expect(down.logs.some((l) => l.event === "teams_token_keys_unavailable")).toBe(true);
      expect(core.calls).toEqual([]);
    } finally {
      await down.stop();
    }
  });

  it("logs why a token was refused, without the token", () => {
    const refused = teams.logs.filter((l) => l.event === "teams_token_refused");
    expect(refused.length).toBeGreaterThanOrEqual(forgeries.length);
    expect(JSON.stringify(refused)).not.toContain(keys.token(fake.url).split(".")[2]);
  });
});
