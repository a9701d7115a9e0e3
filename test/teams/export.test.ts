// `kpi … csv|xlsx` in Teams over real HTTP: an activity POSTed to /api/messages (CloudAdapter), the
// reply with a signed download link received by the fake Bot Connector, then the link fetched from
// the bot's HTTP host (and from a second replica sharing the database); tampered and expired links.
import ExcelJS from "exceljs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createChartRenderer } from "../../src/charts/index.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";
import { loadHandmade } from "../support/handmade.ts";
import { AdaptiveCard15 } from "./support/adaptive-card.ts";
import { startFakeConnector, type FakeConnector } from "./support/fake-connector.ts";
import { cardOf, channelMention, elements, MEMBERS, personalMessage, startTeams, testCore, USERS, type Started } from "./support/harness.ts";

const SECRET = "s".repeat(40);
const renderer = createChartRenderer();

describe.each(backends)("export in Teams (%s)", (backend) => {
  let db: TestDatabase;
  let fake: FakeConnector;
  let teams: Started;
  let replica: Started;
  let nowMs = Date.parse("2026-11-26T12:00:00Z");

  beforeAll(async () => {
    db = await freshDatabase(backend);
    await loadHandmade(db.prisma);
    fake = await startFakeConnector();
    for (const m of MEMBERS) fake.members.set(m.id, m);
    teams = await startTeams(db, testCore(db), { renderer, clock: () => nowMs, chartSecret: SECRET });
    replica = await startTeams(db, testCore(db), { renderer, clock: () => nowMs, chartSecret: SECRET });
  });
  afterAll(async () => {
    await teams?.stop();
    await replica?.stop();
    await fake?.close();
    await db?.dispose();
  });
  beforeEach(() => fake.reset());

  /** Ask in the personal chat; the card and its download link. */
  async function exportIn(user: (typeof USERS)[keyof typeof USERS], text: string) {
    const since = fake.sent.length;
    const res = await teams.post(personalMessage(fake.url, user, text));
    expect(res.status).toBe(200);
    const [sent] = await fake.waitForSent(1, since);
    const card = cardOf(sent!.activity)!;
    expect(() => AdaptiveCard15.parse(card)).not.toThrow();
    const download = (card.actions ?? []).find((a: { type: string }) => a.type === "Action.OpenUrl");
    return { sent: sent!, card, url: download?.url as string | undefined, title: download?.title as string | undefined };
  }

  it("answers with a card carrying a signed download link that serves the CSV bytes", async () => {
    const { card, url, title } = await exportIn(USERS.mia, "kpi team alpha sales q3-2026 csv");
    expect(title).toBe("Download CSV");
    expect(url).toMatch(new RegExp(`^${teams.base}/exports/[A-Za-z0-9_-]{24}\\?exp=\\d+&sig=[A-Za-z0-9_-]{43}$`));
    expect(elements(card).map((e) => e.text).join("\n")).toContain("The download link works for 15 minutes");
    const res = await fetch(url!);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="kpi-sales-team-alpha-q3-2026-20261126.csv"; filename*=UTF-8''kpi-sales-team-alpha-q3-2026-20261126.csv`);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString("utf8");
    expect(text).toContain('Ann Lee,ann@acme.test,4000,USD,"$4,000",low');
    expect(text).toContain("Asked by,Mia <mia@acme.test>,");
  });

  it("serves the link from another replica: the bytes live in the shared database, not in memory", async () => {
    const { url } = await exportIn(USERS.mia, "kpi team alpha deals q3-2026 xlsx");
    const other = url!.replace(teams.base, replica.base);
    const res = await fetch(other);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await res.arrayBuffer()) as ArrayBuffer);
    const people = wb.getWorksheet("People")!;
    // Hand-computed deals in Q3 2026: Ann 2, Bo 1, Cy 0.
    expect([2, 3, 4].map((i) => [people.getRow(i).getCell(1).value, people.getRow(i).getCell(3).value])).toEqual([
      ["Ann Lee", 2],
      ["Bo Chen 陈博", 1],
      ["Cy Park", 0],
    ]);
    expect(await db.prisma.exportFile.count()).toBeGreaterThanOrEqual(2);
  });

  it("refuses a tampered signature or id (403), an expired link (410), and a link to a deleted file (404)", async () => {
    const { url } = await exportIn(USERS.mia, "kpi team alpha sales q3-2026 csv");
    const u = new URL(url!);
    const sig = u.searchParams.get("sig")!;
    const flipped = new URL(u);
    flipped.searchParams.set("sig", (sig[0] === "A" ? "B" : "A") + sig.slice(1));
    expect((await fetch(flipped)).status).toBe(403);
    const later = new URL(u);
    later.searchParams.set("exp", String(Number(u.searchParams.get("exp")) + 3600));
    expect((await fetch(later)).status).toBe(403);
    const otherId = new URL(u);
    otherId.pathname = `/exports/${"x".repeat(24)}`;
    expect((await fetch(otherId)).status).toBe(403);
    expect((await fetch(u, { method: "POST" })).status).toBe(405);
    expect((await fetch(u)).status).toBe(200);

    const id = u.pathname.split("/").pop()!;
    nowMs += 16 * 60_000;
    try {
      expect((await fetch(u)).status).toBe(410);
      // The next export deletes the expired rows, this one's among them.
      await exportIn(USERS.mia, "kpi team alpha sales q3-2026 csv");
      expect(await db.prisma.exportFile.findUnique({ where: { id } })).toBeNull();
      expect(await db.prisma.exportFile.count({ where: { expiresAt: { lte: new Date(nowMs) } } })).toBe(0);
    } finally {
      nowMs -= 16 * 60_000;
    }
    const fresh = (await exportIn(USERS.mia, "kpi team alpha sales q3-2026 csv")).url!;
    await db.prisma.exportFile.delete({ where: { id: new URL(fresh).pathname.split("/").pop()! } });
    expect((await fetch(fresh)).status).toBe(404);
  });

  it("sends the link to the asker's personal chat, never the channel it was asked in", async () => {
    const since = fake.sent.length;
    await teams.post(channelMention(fake.url, USERS.mia, "team alpha sales q3-2026 csv"));
    const sent = await fake.waitForSent(2, since);
    const inChannel = sent.filter((s) => s.conversationId.startsWith("19:"));
    const personal = sent.filter((s) => s.conversationId.startsWith("a:personal-29:mia") || !s.conversationId.startsWith("19:"));
    expect(inChannel.map((s) => s.activity.text)).toEqual(["Files go only to the person who asked, so I sent the answer and its download link to you in our private chat."]);
    expect(JSON.stringify(inChannel)).not.toContain("/exports/");
    const card = cardOf(personal[0]!.activity)!;
    expect(card.actions.some((a: { type: string }) => a.type === "Action.OpenUrl")).toBe(true);
  });

  it("gives a rep exporting their team a file with only what they may see", async () => {
    const { url } = await exportIn(USERS.ann, "kpi team sales q3-2026 csv");
    const text = await (await fetch(url!)).text();
    expect(text).not.toMatch(/Bo Chen|Cy Park|bo@acme|cy@acme/);
    expect(text).toContain("Total,,");
  });

  it("offers no link for an export of something that is no answer, and says why", async () => {
    const { card, url } = await exportIn(USERS.mia, "kpi team nowhere sales q3-2026 csv");
    expect(url).toBeUndefined();
    expect(elements(card).map((e) => e.text).join("\n")).toContain("No file: only an answer with figures can be exported");
  });
});
