// With MICROSOFT_APP_ID set, /api/messages requires a Bot Framework JWT: a request without a valid
// one is refused and never reaches the core. Offline, a well-formed token whose keys must be
// fetched from Microsoft fails fast instead of hanging.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, type TestDatabase } from "../support/databases.ts";
import { startFakeConnector, type FakeConnector } from "./support/fake-connector.ts";
import { personalMessage, startTeams, testCore, USERS, type Started } from "./support/harness.ts";
import { createChartRenderer } from "../../src/charts/index.ts";

const APP_ID = "00000000-0000-4000-8000-000000000abc";
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
const jwt = (claims: object) => `${b64({ alg: "RS256", typ: "JWT", kid: "test-key" })}.${b64(claims)}.${Buffer.from("not-a-signature").toString("base64url")}`;
const soon = () => Math.floor(Date.now() / 1000) + 600;

let db: TestDatabase;
let fake: FakeConnector;
let core: ReturnType<typeof testCore>;
let teams: Started;
let originalError: typeof console.error;

beforeAll(async () => {
  db = await freshDatabase("pglite");
  fake = await startFakeConnector();
  core = testCore(db);
  teams = await startTeams(db, core, {
    renderer: createChartRenderer(),
    env: { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: "test-password", PUBLIC_URL: "https://kpi.example.test" },
  });
  // CloudAdapter console.error()s every refused request; keep the test output readable.
  originalError = console.error;
  console.error = () => {};
});
afterAll(async () => {
  console.error = originalError;
  await teams?.stop();
  await fake?.close();
  await db?.dispose();
});

describe("with MICROSOFT_APP_ID set", () => {
  it("runs in azure mode (the app id reached botbuilder under its own name)", () => {
    expect(teams.running.mode).toBe("azure");
    expect(teams.logs.some((l) => l.event === "teams_local_mode")).toBe(false);
  });

  it("answers 401 to a request without a token, and the core never sees it", async () => {
    const res = await teams.post(personalMessage(fake.url, USERS.ann, "kpi me"));
    expect(res.status).toBe(401);
    expect(core.calls).toEqual([]);
    expect(fake.attempts).toEqual([]);
  });

  it("answers 401 to a token from an issuer that is not the Bot Framework", async () => {
    const token = jwt({ iss: "https://evil.example.com", aud: APP_ID, exp: soon(), nbf: soon() - 1200 });
    const res = await teams.post(personalMessage(fake.url, USERS.ann, "kpi me"), { authorization: `Bearer ${token}` });
    expect(res.status).toBe(401);
    expect(core.calls).toEqual([]);
  });

  it("refuses a Bot Framework-shaped token quickly when Microsoft's keys cannot be fetched", async () => {
    const token = jwt({ iss: "https://api.botframework.com", aud: APP_ID, exp: soon(), nbf: soon() - 1200, serviceurl: fake.url });
    const t0 = Date.now();
    const res = await Promise.race([
      teams.post(personalMessage(fake.url, USERS.ann, "kpi me"), { authorization: `Bearer ${token}` }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("the request hung")), 5_000)),
    ]);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(core.calls).toEqual([]);
    expect(fake.attempts).toEqual([]);
  }, 10_000);
});

describe("without MICROSOFT_APP_ID", () => {
  it("runs in local mode, says so loudly at start-up, and accepts unauthenticated requests", async () => {
    const local = await startTeams(db, core, { renderer: createChartRenderer() });
    try {
      expect(local.running.mode).toBe("local");
      const warning = local.logs.find((l) => l.event === "teams_local_mode");
      expect(warning?.level).toBe("error");
      expect(JSON.stringify(warning?.data)).toMatch(/WITHOUT authentication/);
      const res = await local.post(personalMessage(fake.url, USERS.ann, "kpi help"));
      expect(res.status).toBe(200);
      expect(core.calls).toHaveLength(1);
    } finally {
      await local.stop();
    }
  });
});
