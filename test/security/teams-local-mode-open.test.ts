// Issue 12, item 6: Teams local mode (no MICROSOFT_APP_ID, so no authentication) listened on
// 0.0.0.0, and a request whose `from.name` was a colleague's email got their answers and wrote a
// permanent teamsUserId link onto their account. Local mode now listens on 127.0.0.1 unless
// KPI_LOCAL_MODE_BIND says otherwise, refuses other machines even if the server listens wider,
// and no unauthenticated request writes an identity link (an authenticated one still does).
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { listenAddress } from "../../adapters/choose.ts";
import { createHttpHost } from "../../adapters/http/server.ts";
import { start } from "../../adapters/teams/index.ts";
import { createChartRenderer } from "../../src/charts/index.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";
import { loadHandmade } from "../support/handmade.ts";
import { startFakeConnector, type FakeConnector } from "../teams/support/fake-connector.ts";
import { cardOf, MEMBERS, personalMessage, startTeams, testCore, testRuntime, USERS } from "../teams/support/harness.ts";
import { azureEnv, startTokenService, TestCredentialsFactory, type TokenService } from "../teams/support/tokens.ts";

const root = path.resolve(import.meta.dirname, "../..");
const renderer = createChartRenderer();

let db: TestDatabase;
let fake: FakeConnector;

beforeAll(async () => {
  db = await freshDatabase("pglite");
  await loadHandmade(db.prisma);
  fake = await startFakeConnector();
});
afterAll(async () => {
  await fake?.close();
  await db?.dispose();
});
beforeEach(() => fake.reset());

/** `npm start` with Teams in local mode; resolves with the "started" log line, then stops it. */
async function startedLine(env: NodeJS.ProcessEnv): Promise<Record<string, unknown>> {
  const child = spawn(process.execPath, ["--import", "tsx", "adapters/main.ts"], { cwd: root, env, stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "started" line:\n${err.slice(-2000)}`)), 90_000);
      child.stderr.on("data", (b: Buffer) => {
        err += b.toString("utf8");
        const line = err.split("\n").find((l) => l.includes('"event":"started"'));
        if (line) {
          clearTimeout(timer);
          resolve(JSON.parse(line));
        }
      });
      child.on("exit", (code) => reject(new Error(`exited ${code}:\n${err.slice(-2000)}`)));
    });
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));
  }
}

describe("the listening address in local mode", () => {
  let dir: string;
  afterAll(() => dir && rm(dir, { recursive: true, force: true }));

  it("npm start with Teams and no app id listens on 127.0.0.1 only; KPI_LOCAL_MODE_BIND widens it explicitly", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "kpi-local-bind-"));
    const env = { ...process.env, KPI_DATA_DIR: dir, DATABASE_URL: "", KPI_ADAPTERS: "teams", PORT: "0", LOG_LEVEL: "info", MICROSOFT_APP_ID: "", MICROSOFT_APP_PASSWORD: "", SLACK_BOT_TOKEN: "", KPI_LOCAL_MODE_BIND: "" };
    const started = await startedLine(env);
    expect(started.address).toBe("127.0.0.1");
    const widened = await startedLine({ ...env, KPI_LOCAL_MODE_BIND: "0.0.0.0" });
    expect(widened.address).toBe("0.0.0.0");
  }, 180_000);

  it("the adapter asks for loopback in local mode and for nothing in Azure mode", async () => {
    const local = await startTeams(db, testCore(db), { renderer });
    const azure = await startTeams(db, testCore(db), { renderer, env: azureEnv(fake.url) });
    try {
      expect(local.running.bind).toBe("127.0.0.1");
      expect(azure.running.bind).toBeUndefined();
      expect(listenAddress([local.running])).toBe("127.0.0.1");
      expect(listenAddress([azure.running])).toBe("0.0.0.0");
      expect(local.logs.find((l) => l.event === "teams_local_mode")?.data).toMatchObject({ message: expect.stringMatching(/listens on 127\.0\.0\.1 only/) });
    } finally {
      await local.stop();
      await azure.stop();
    }
  });

  const external = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && i.family === "IPv4" && !i.internal)?.address;

  it.skipIf(!external)("refuses a request from another machine even when the server listens on every interface", async () => {
    const core = testCore(db);
    const host = createHttpHost({ health: async () => true });
    const port = await host.listen(0, "0.0.0.0");
    const running = await start(testRuntime(db, core), host, { env: { PUBLIC_URL: `http://127.0.0.1:${port}` }, renderer });
    try {
      const body = JSON.stringify(personalMessage(fake.url, USERS.ann, "kpi me"));
      const status = await new Promise<number>((resolve, reject) => {
        // Connect to the machine's own network address: the server sees a non-loopback peer.
        const req = http.request({ host: external, port, path: "/api/messages", method: "POST", headers: { "content-type": "application/json" } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on("error", reject);
        req.end(body);
      });
      expect(status).toBe(403);
      expect(core.calls).toEqual([]);
    } finally {
      await running.stop();
      await host.close();
    }
  });
});

// The link is a database write: checked on every backend the suite runs (PGlite, and PostgreSQL
// when TEST_DATABASE_URL is set).
describe.each(backends)("identity links (%s)", (backend) => {
  let db: TestDatabase;
  const linkOf = async (email: string) => (await db.prisma.user.findUniqueOrThrow({ where: { email }, select: { teamsUserId: true } })).teamsUserId;
  beforeAll(async () => {
    db = await freshDatabase(backend);
    await loadHandmade(db.prisma);
  });
  afterAll(() => db?.dispose());

  it("a local-mode request naming a colleague's email writes no link onto their account", async () => {
    const core = testCore(db);
    const local = await startTeams(db, core, { renderer });
    try {
      expect(await linkOf("ada@acme.test")).toBeNull();
      // No directory entry for the sender: local mode falls back to from.name, a colleague's email.
      const attacker = { id: "29:attacker", name: "ada@acme.test", aadObjectId: "aad-attacker" };
      const res = await local.post(personalMessage(fake.url, attacker, "kpi help"));
      expect(res.status).toBe(200);
      await fake.waitForSent(1);
      expect(core.calls.at(-1)).toMatchObject({ userId: "aad-attacker", email: "ada@acme.test", authenticated: false });
      expect(await linkOf("ada@acme.test")).toBeNull();
      expect(await db.prisma.user.count({ where: { teamsUserId: "aad-attacker" } })).toBe(0);
    } finally {
      await local.stop();
    }
  });

  it("nor does an email the (unauthenticated) connector's directory claims", async () => {
    const core = testCore(db);
    const local = await startTeams(db, core, { renderer });
    try {
      fake.members.set("29:attacker2", { id: "29:attacker2", name: "Mallory", aadObjectId: "aad-attacker2", email: "mia@acme.test" });
      await local.post(personalMessage(fake.url, { id: "29:attacker2", name: "Mallory", aadObjectId: "aad-attacker2" }, "kpi help"));
      await fake.waitForSent(1);
      expect(await linkOf("mia@acme.test")).toBeNull();
    } finally {
      await local.stop();
    }
  });

  describe("an authenticated request (Azure mode, a valid Bot Framework token)", () => {
    let keys: TokenService;
    beforeAll(async () => {
      keys = await startTokenService();
    });
    afterAll(() => keys?.close());

    it("links the Teams user to the CRM rep by the email TeamsInfo.getMember returns", async () => {
      const core = testCore(db);
      const azure = await startTeams(db, core, { renderer, env: azureEnv(fake.url), auth: { openIdMetadataUrl: keys.metadataUrl, credentialsFactory: new TestCredentialsFactory() } });
      try {
        for (const m of MEMBERS) fake.members.set(m.id, m);
        expect(await linkOf("mia@acme.test")).toBeNull();
        const res = await azure.post(personalMessage(fake.url, USERS.mia, "kpi help"), { authorization: `Bearer ${keys.token(fake.url)}` });
        expect(res.status).toBe(200);
        const [sent] = await fake.waitForSent(1);
        expect(cardOf(sent!.activity)).toBeDefined();
        expect(core.calls.at(-1)).toMatchObject({ userId: "aad-mia", email: "mia@acme.test", authenticated: true });
        expect(await linkOf("mia@acme.test")).toBe("aad-mia");
      } finally {
        await azure.stop();
      }
    });
  });
});
