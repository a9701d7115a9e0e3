// Delivery under Teams' limits: retries on throttling, cards that stay under the message size
// limit for a 200-rep team, and chart images at signed URLs any replica can serve.
import { createMetrics } from "../../src/ops/metrics.ts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { INLINE_BUDGET_BYTES, MAX_ACTIVITY_BYTES } from "../../adapters/teams/compose.ts";
import { createChartRenderer } from "../../src/charts/index.ts";
import type { PrismaClient } from "../../src/data/db.ts";
import { freshDatabase, type TestDatabase } from "../support/databases.ts";
import { loadHandmade } from "../support/handmade.ts";
import { AdaptiveCard15 } from "./support/adaptive-card.ts";
import { startFakeConnector, type FakeConnector } from "./support/fake-connector.ts";
import { cardOf, elements, MEMBERS, personalMessage, startTeams, testCore, USERS, type Started } from "./support/harness.ts";

/** Team "Big": manager boss@big.test and 200 reps, each with won deals in Q3 2026. */
async function loadBigTeam(prisma: PrismaClient): Promise<void> {
  const boss = await prisma.user.create({ data: { email: "boss@big.test", name: "Boss", role: "manager" } });
  const team = await prisma.team.create({ data: { name: "Big", managerId: boss.id } });
  await prisma.user.createMany({
    data: Array.from({ length: 200 }, (_, i) => ({ email: `rep${i}@big.test`, name: `Representative ${String(i).padStart(3, "0")} Lastname`, role: "rep" as const, teamId: team.id, managerId: boss.id })),
  });
  const reps = await prisma.user.findMany({ where: { teamId: team.id, role: "rep" }, select: { id: true }, orderBy: { id: "asc" } });
  await prisma.deal.createMany({
    data: reps.flatMap((r, i) => [
      { externalId: `big-${i}-a`, ownerId: r.id, customer: "C", amount: BigInt(100_000 + ((i * 7919) % 200) * 1000), status: "won" as const, createdAt: new Date("2026-06-01T00:00:00Z"), closedAt: new Date(`2026-0${7 + (i % 3)}-1${i % 10}T00:00:00Z`) },
      { externalId: `big-${i}-b`, ownerId: r.id, customer: "C", amount: 50_000n, status: i % 4 === 0 ? ("lost" as const) : ("won" as const), createdAt: new Date("2026-04-01T00:00:00Z"), closedAt: new Date("2026-05-15T00:00:00Z") },
    ]),
  });
}

let db: TestDatabase;
let fake: FakeConnector;
let teams: Started;
let nowMs = Date.now();
const SECRET = "a-chart-secret-shared-by-all-replicas-0123456789";
const renderer = createChartRenderer();

const metrics = createMetrics({ process: false });

beforeAll(async () => {
  db = await freshDatabase("pglite");
  await loadHandmade(db.prisma);
  await loadBigTeam(db.prisma);
  fake = await startFakeConnector();
  for (const m of MEMBERS) fake.members.set(m.id, m);
  teams = await startTeams(db, testCore(db), { renderer, clock: () => nowMs, retry: { maxRetries: 2, baseDelayMs: 20, maxDelayMs: 200 }, metrics });
});
afterAll(async () => {
  await teams?.stop();
  await fake?.close();
  await db?.dispose();
});
beforeEach(() => {
  fake.reset();
  nowMs = Date.now();
});

const sends = () => fake.attempts.filter((a) => a.method === "POST" && a.path.includes("/activities"));

describe("retries", () => {
  it("a 429 from the connector is retried with backoff, then the reply goes through", async () => {
    fake.failNext(2, 429);
    await teams.post(personalMessage(fake.url, USERS.ann, "me sales q3-2026"));
    const [sent] = await fake.waitForSent(1);
    expect(cardOf(sent!.activity)!.body[0].text).toBe("Sales · Ann Lee · Q3 2026");
    const tries = sends();
    expect(tries.map((t) => t.status)).toEqual([429, 429, 200]);
    // Equal-jitter backoff from 20 ms: ≥ 10 ms before the first retry, ≥ 20 ms before the second.
    expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(10);
    expect(tries[2]!.at - tries[1]!.at).toBeGreaterThanOrEqual(20);
    expect(teams.logs.filter((l) => l.event === "teams_connector_retry").slice(-2).map((l) => (l.data as { status: number }).status)).toEqual([429, 429]);
  });

  it.each([412, 502, 504])("a %i is retried too", async (status) => {
    fake.failNext(1, status);
    await teams.post(personalMessage(fake.url, USERS.ann, "me deals q3-2026"));
    await fake.waitForSent(1);
    expect(sends().map((t) => t.status)).toEqual([status, 200]);
  });

  it("gives up after the bounded number of retries (the SDK's own retry policy is replaced, not stacked)", async () => {
    fake.failNext(50, 502);
    const res = await teams.post(personalMessage(fake.url, USERS.ann, "me sales q3-2026"));
    expect(res.status).toBe(200);
    expect(sends().map((t) => t.status)).toEqual([502, 502, 502]);
    expect(teams.logs.some((l) => l.event === "teams_turn_failed")).toBe(true);
  });
});

describe("GET /metrics latency until Teams accepted the reply", () => {
  it("observes stage=delivered once per reply the connector accepted", async () => {
    const before = (await metrics.answerSeconds.get()).values.find((v) => v.labels.stage === "delivered" && v.labels.adapter === "teams" && v.metricName?.endsWith("_count"))?.value ?? 0;
    fake.reset();
    await teams.post(personalMessage(fake.url, USERS.ann, "me sales q3-2026"));
    await fake.waitForSent(1);
    const after = (await metrics.answerSeconds.get()).values.find((v) => v.labels.stage === "delivered" && v.labels.adapter === "teams" && v.metricName?.endsWith("_count"))?.value ?? 0;
    expect(after - before).toBe(1);
  });
});

describe("a breakdown into 200 groups (team big sales by rep)", () => {
  it("is a valid 1.5 card under Teams' message limit, its table cut with a count of what it left out", async () => {
    fake.reset();
    await teams.post(personalMessage(fake.url, USERS.boss, "team big sales by rep q3-2026"));
    const [sent] = await fake.waitForSent(1);
    const card = cardOf(sent!.activity)!;
    expect(Buffer.byteLength(JSON.stringify(sent!.activity))).toBeLessThan(MAX_ACTIVITY_BYTES);
    expect(() => AdaptiveCard15.parse(card)).not.toThrow();
    expect(card.body[0].text).toContain("by Rep");
    expect(elements(card).some((e) => e.type === "TextBlock" && /^Showing \d+ of 200 rows\.$/.test(e.text))).toBe(true);
  });
});

describe("a 200-rep team's answer", () => {
  let activity: Record<string, any>;
  let raw: number;
  beforeAll(async () => {
    fake.reset();
    await teams.post(personalMessage(fake.url, USERS.boss, "team big sales q3-2026"));
    const [sent] = await fake.waitForSent(1);
    activity = sent!.activity;
    raw = Buffer.byteLength(JSON.stringify(activity));
  });

  it("stays well under Teams' message limit and is a valid 1.5 card", () => {
    expect(raw).toBeLessThan(MAX_ACTIVITY_BYTES);
    expect(() => AdaptiveCard15.parse(cardOf(activity))).not.toThrow();
  });

  it("shows the top and bottom of the ranking and says how many rows it left out", () => {
    const card = cardOf(activity)!;
    expect(elements(card).some((e) => e.type === "TextBlock" && /^Showing \d+ of 200 rows\.$/.test(e.text))).toBe(true);
    const table = elements(card).find((e) => e.type === "Table")!;
    expect(table.rows.some((r: any) => /more ⋯$/.test(r.cells[1].items[0].text))).toBe(true);
  });

  it("links the large chart at a signed URL under PUBLIC_URL instead of inlining it", () => {
    const images = elements(cardOf(activity)!).filter((e) => e.type === "Image");
    expect(images.length).toBeGreaterThan(0);
    const linked = images.filter((i) => i.url.startsWith(`${teams.base}/charts/`));
    expect(linked.length).toBeGreaterThan(0);
    expect(linked[0]!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/charts\/[A-Za-z0-9_-]{24}\.png\?exp=\d+&sig=[A-Za-z0-9_-]{43}$/);
    expect(linked[0]!.altText).toMatch(/^Bar chart: .*\(200 reps\)/);
  });

  it("inlines the small chart of a small team instead", async () => {
    fake.reset();
    await teams.post(personalMessage(fake.url, USERS.ann, "me sales q3-2026"));
    const [sent] = await fake.waitForSent(1);
    const images = elements(cardOf(sent!.activity)!).filter((e) => e.type === "Image");
    expect(images[0]!.url.startsWith("data:image/png;base64,")).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(sent!.activity))).toBeLessThanOrEqual(INLINE_BUDGET_BYTES);
  });

  describe("the signed chart URL", () => {
    let url: URL;
    beforeAll(() => {
      url = new URL(elements(cardOf(activity)!).find((e) => e.type === "Image" && e.url.startsWith("http"))!.url);
    });
    const get = (u: URL | string) => fetch(u.toString());

    it("serves the PNG", async () => {
      const res = await get(url);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/png");
      const body = Buffer.from(await res.arrayBuffer());
      expect(body.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(body.length).toBeGreaterThan(INLINE_BUDGET_BYTES / 2);
    });

    it("rejects a bad signature, a changed expiry and an unknown id", async () => {
      const badSig = new URL(url);
      badSig.searchParams.set("sig", "A".repeat(43));
      expect((await get(badSig)).status).toBe(403);
      const longer = new URL(url);
      longer.searchParams.set("exp", String(Number(url.searchParams.get("exp")) + 86_400));
      expect((await get(longer)).status).toBe(403);
      const other = new URL(url);
      other.pathname = "/charts/BBBBBBBBBBBBBBBBBBBBBBBB.png";
      expect((await get(other)).status).toBe(403);
      expect((await get(`${teams.base}/charts/x.png`)).status).toBe(404);
    });

    it("answers 410 once the link has expired", async () => {
      nowMs = Date.now() + 25 * 3_600_000;
      expect((await get(url)).status).toBe(410);
    });
  });
});

describe("chart links across replicas", () => {
  it("a link minted by one replica is served by another sharing the database and CHART_URL_SECRET", async () => {
    const env = (base?: string) => ({ PUBLIC_URL: base ?? "http://unused", CHART_URL_SECRET: SECRET });
    const one = await startTeams(db, testCore(db), { renderer, env: env() });
    const two = await startTeams(db, testCore(db), { renderer, env: env() });
    const other = await startTeams(db, testCore(db), { renderer, env: { PUBLIC_URL: "http://unused" } });
    try {
      fake.reset();
      await one.post(personalMessage(fake.url, USERS.boss, "team big sales q3-2026"));
      const [sent] = await fake.waitForSent(1);
      const minted = new URL(elements(cardOf(sent!.activity)!).find((e) => e.type === "Image" && e.url.startsWith("http"))!.url);
      const path = `${minted.pathname}${minted.search}`;
      expect((await fetch(`${two.base}${path}`)).status).toBe(200);
      // A replica with another key (here: a per-process one) cannot be fooled into serving it.
      expect((await fetch(`${other.base}${path}`)).status).toBe(403);
    } finally {
      await Promise.all([one.stop(), two.stop(), other.stop()]);
    }
  });
});
