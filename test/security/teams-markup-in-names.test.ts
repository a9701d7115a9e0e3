// Issue 12, item 7 (Teams): an imported name like `[Click me](https://evil.example/x) **CEO**`
// reached Adaptive Card text raw, so Teams rendered a link and bold "CEO". Every text that comes
// from a reply (names, team labels, summaries, table cells, flags, notes) is escaped for Teams
// markdown by one function, markdownText, and renders as exactly the text it was.
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { replyToCard } from "../../adapters/teams/card.ts";
import { markdownText } from "../../adapters/teams/markdown.ts";
import { createChartRenderer } from "../../src/charts/index.ts";
import type { Reply } from "../../src/reply.ts";
import { freshDatabase, type TestDatabase } from "../support/databases.ts";
import { loadHandmade } from "../support/handmade.ts";
import { startFakeConnector, type FakeConnector } from "../teams/support/fake-connector.ts";
import { cardOf, elements, MEMBERS, personalMessage, startTeams, testCore, USERS, type Started } from "../teams/support/harness.ts";

const EVIL = "[Click me](https://evil.example/x) **CEO**";

/** What a CommonMark renderer shows for escaped text: each backslash escape becomes its character. */
const unescape = (md: string) => md.replace(/\\([\\[\]()*_~`#>+\-.])/g, "$1");

/** Markdown a renderer would act on: a link, emphasis, or a list/heading marker, unescaped. */
const ACTIVE = [/(?<!\\)\[[^\]]*(?<!\\)\]\(/, /(?<!\\)\*\*(?!\s)/, /(?<![\\\w])_(?=\w)/, /^\s*(?:[-+>#]|\d+\.)\s/m];
const isInert = (md: string) => ACTIVE.every((re) => !re.test(md));

/** The texts of a card that Teams renders as markdown. */
const markdownFields = (card: Record<string, any>): string[] =>
  elements(card).flatMap((e) => (e.type === "TextBlock" ? [e.text as string] : e.type === "FactSet" ? e.facts.flatMap((f: { title: string; value: string }) => [f.title, f.value]) : []));

describe("markdownText", () => {
  it("escapes the link and bold of the reported name", () => {
    expect(markdownText(EVIL)).toBe("\\[Click me\\]\\(https://evil.example/x\\) \\*\\*CEO\\*\\*");
    expect(isInert(markdownText(EVIL))).toBe(true);
  });

  it.each([
    ["- Bullet", "\\- Bullet"],
    ["+ Plus", "\\+ Plus"],
    ["1. First", "1\\. First"],
    ["# Heading", "\\# Heading"],
    ["> quote", "\\> quote"],
    ["a\\b", "a\\\\b"],
    ["_italic_", "\\_italic\\_"],
    ["Line\n2. second", "Line\n2\\. second"],
    ["Anne-Marie O'Neil (West) #3", "Anne-Marie O'Neil \\(West\\) #3"],
    ["陈博 · $6,000 ▲ +12.4%", "陈博 · $6,000 ▲ +12.4%"],
  ])("%j → %j", (input, expected) => {
    expect(markdownText(input)).toBe(expected);
  });

  it("renders back to exactly the input, and leaves nothing a renderer would act on (property)", () => {
    const chars = fc.constantFrom(..."[]()*_~`#>+-.\\ \n1aZ陈:/".split(""));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(chars, { maxLength: 40 }).map((a) => a.join(""))), (s) => {
        const md = markdownText(s);
        expect(unescape(md)).toBe(s);
        expect(isInert(md)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("a card built from a reply full of markup", () => {
  it("escapes every text field that came from the reply, and keeps its own bold", () => {
    const reply = {
      kind: "answer",
      lang: "en",
      visibility: "private",
      title: `Sales · ${EVIL} · Q3 2026`,
      summary: `${EVIL} sold $6,000.`,
      facts: [{ label: EVIL, value: EVIL }],
      table: { columns: ["#", "Name"], align: ["right", "left"], rows: [["1", EVIL]] },
      flags: [{ kind: "low", subject: EVIL, reason: EVIL, advice: EVIL }],
      charts: [],
      followUps: [],
    } as unknown as Reply;
    const card = replyToCard(reply, { notes: [`Shared by ${EVIL}`] });
    const texts = markdownFields(card);
    expect(texts.filter((t) => t.includes("Click me")).length).toBeGreaterThanOrEqual(8);
    for (const t of texts) {
      expect(t).not.toContain("[Click me](");
      expect(isInert(t.replace(/^⚠ \*\*(.*?)\*\*:/, "⚠ $1:"))).toBe(true);
    }
    expect(texts).toContain(`⚠ **${markdownText(EVIL)}**: ${markdownText(EVIL)}`);
  });
});

describe("over loopback: an imported name reaches a Teams card escaped", () => {
  let db: TestDatabase;
  let fake: FakeConnector;
  let teams: Started;

  beforeAll(async () => {
    db = await freshDatabase("pglite");
    await loadHandmade(db.prisma);
    await db.prisma.user.update({ where: { email: "ann@acme.test" }, data: { name: EVIL } });
    fake = await startFakeConnector();
    for (const m of MEMBERS) fake.members.set(m.id, m);
    teams = await startTeams(db, testCore(db), { renderer: createChartRenderer() });
  });
  afterAll(async () => {
    await teams?.stop();
    await fake?.close();
    await db?.dispose();
  });
  beforeEach(() => fake.reset());

  it("in the team table and the flags a manager sees", async () => {
    await teams.post(personalMessage(fake.url, USERS.mia, "kpi team alpha sales q3-2026"));
    const [sent] = await fake.waitForSent(1);
    const card = cardOf(sent!.activity)!;
    // Fields Teams renders as markdown: TextBlocks and FactSets. (Image alt text and button
    // titles are plain text and keep the name as it is.)
    const rendered = JSON.stringify(markdownFields(card));
    expect(rendered).not.toContain("[Click me](https://evil.example/x)");
    expect(rendered).not.toContain("**CEO**");
    const texts = elements(card).filter((e) => e.type === "TextBlock").map((e) => e.text as string);
    expect(texts).toContain(markdownText(EVIL));
    expect(texts.some((t) => t.includes(`**${markdownText(EVIL)}**`))).toBe(true);
  });

  it("in the title of the rep's own answer", async () => {
    await teams.post(personalMessage(fake.url, USERS.ann, "kpi me sales q3-2026"));
    const [sent] = await fake.waitForSent(1);
    const card = cardOf(sent!.activity)!;
    expect(card.body[0].text).toBe(markdownText(`Sales · ${EVIL} · Q3 2026`));
  });
});
