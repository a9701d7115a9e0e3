import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeMrkdwn, fitItems, LIMITS, replyToBlocks } from "../../adapters/slack/blocks.ts";
import { homeBlocks } from "../../adapters/slack/home.ts";
import { textReply } from "../../src/reply.ts";
import type { Reply } from "../../src/reply.ts";
import { blockKitProblems, blocksText, mrkdwnText, slackFileIds } from "./support/block-kit.ts";

const teamReply = (over: Partial<Reply> = {}): Reply => ({
  kind: "answer",
  lang: "en",
  title: "Sales · Team Alpha · Q3 2026",
  summary: "Team Alpha: Sales $6,000 in Q3 2026 across 3 reps. 1 flagged low, 1 top.",
  facts: [
    { label: "Total", value: "$6,000", delta: { text: "+1100.0%", direction: "up", good: true } },
    { label: "Win rate", value: "43%", delta: { text: "−3 pts", direction: "down", good: false } },
    { label: "Reps", value: "3" },
  ],
  table: {
    columns: ["#", "Name", "Sales"],
    align: ["right", "left", "right"],
    rows: [["1", "Ann Lee", "$4,000"], ["2", "Bo Chen 陈博", "$2,000"], ["3", "Cy Park", "$0"]],
  },
  charts: [],
  flags: [{ kind: "low", subject: "Cy Park", reason: "Sales $0 is 2.1 MADs below the median $2,000", advice: "Review Cy's pipeline together" }],
  followUps: [{ label: "Win rate", command: "/kpi team alpha winrate q3-2026" }],
  visibility: "private",
  ...over,
});

/** Raw `&`, `<`, `>` left in mrkdwn (besides our own mentions): user text that was not escaped, or an entity cut in half. */
const rawMarkup = (blocks: unknown) => mrkdwnText(blocks).replace(/<(@[UW]|#[CDG])[A-Z0-9]+>/g, "").replace(/&(amp|lt|gt);/g, "").match(/[&<>]/g) ?? [];

describe("replyToBlocks", () => {
  it("renders header, summary, facts with ▲/▼ deltas, a monospaced table, flags, the chart, and buttons", () => {
    const { text, blocks } = replyToBlocks(teamReply(), {
      charts: [{ fileId: "F0123ABCDEF", title: "Sales · Team Alpha", altText: "Bar chart: Sales (3 reps)" }],
      shareValue: "team alpha sales q3-2026",
    });
    expect(blockKitProblems(blocks)).toEqual([]);
    expect(text).toContain("Sales · Team Alpha · Q3 2026");
    expect(blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: "Sales · Team Alpha · Q3 2026", emoji: true } });
    const fields = blocks.find((b) => b.type === "section" && "fields" in b && b.fields) as { fields: { text: string }[] };
    expect(fields.fields.map((f) => f.text)).toEqual(["*Total*\n$6,000 ▲ +1100.0%", "*Win rate*\n43% ▼ −3 pts", "*Reps*\n3"]);
    const table = blocksText(blocks).split("\n```")[0]!;
    expect(blocksText(blocks)).toMatch(/```\n#\s+Name\s+Sales\n[─ ]+\n1\s+Ann Lee\s+\$4,000/);
    expect(table).toBeTruthy();
    expect(blocksText(blocks)).toContain("⚠️ *Cy Park* — Sales $0 is 2.1 MADs below the median $2,000\n      → Review Cy's pipeline together");
    expect(slackFileIds(blocks)).toEqual(["F0123ABCDEF"]);
    const image = blocks.find((b) => b.type === "image");
    expect(image).toMatchObject({ alt_text: "Bar chart: Sales (3 reps)" });
    const actions = blocks.filter((b) => b.type === "actions").flatMap((b) => ("elements" in b ? b.elements : [])) as { action_id: string; value: string; text: { text: string } }[];
    expect(actions.map((a) => [a.action_id, a.text.text, a.value])).toEqual([
      ["kpi_run_0", "Win rate", "/kpi team alpha winrate q3-2026"],
      ["kpi_share", "Post to channel", "team alpha sales q3-2026"],
    ]);
    expect(blocksText(blocks)).toContain("Only you can see this");
  });

  it("says a chart is unavailable instead of showing it, and keeps the text", () => {
    const { blocks } = replyToBlocks(teamReply(), { charts: [{ unavailable: true, title: "Sales" }] });
    expect(slackFileIds(blocks)).toEqual([]);
    expect(blocksText(blocks)).toContain("Chart unavailable");
    expect(blocksText(blocks)).toContain("$6,000");
  });

  it("escapes &, < and > from names and the user's text, so nothing becomes a mention or a link", () => {
    const evil = "<!channel> & <@U0ADMIN|boss> <https://evil.test|click>";
    const { text, blocks } = replyToBlocks(
      teamReply({ title: evil, summary: `unknown word '${evil}'`, flags: [{ kind: "top", subject: evil, reason: evil, advice: evil }], table: { columns: ["Name"], align: ["left"], rows: [[evil]] } }),
      { sharedBy: "UMIA" },
    );
    const all = mrkdwnText(blocks);
    expect(all).not.toContain("<!channel>");
    expect(all).not.toContain("<@U0ADMIN");
    expect(all).toContain("&lt;!channel&gt; &amp; &lt;@U0ADMIN|boss&gt;");
    expect(text).not.toContain("<!channel>");
    expect(all).toContain("Shared by <@UMIA>");
    expect(blockKitProblems(blocks)).toEqual([]);
  });

  it("truncates a 500-rep table and 40 flags with '…and N more', keeping every limit", () => {
    const rows = Array.from({ length: 500 }, (_, i) => [String(i + 1), `Rep number ${i + 1} 名字`, `$${(500 - i) * 1000}`]);
    const flags = Array.from({ length: 40 }, (_, i) => ({ kind: "low" as const, subject: `Rep ${i}`, reason: "Sales far below the team median ".repeat(3), advice: "Pair with a top performer for two weeks." }));
    const { blocks } = replyToBlocks(teamReply({ table: { columns: ["#", "Name", "Sales"], align: ["right", "left", "right"], rows }, flags }));
    expect(blockKitProblems(blocks)).toEqual([]);
    expect(JSON.stringify(blocks).length).toBeLessThanOrEqual(LIMITS.blocksChars);
    const all = blocksText(blocks);
    const shownRows = (all.match(/^\s*\d+\s+Rep number/gm) ?? []).length;
    expect(shownRows).toBeGreaterThan(10);
    expect(all).toContain(`…and ${500 - shownRows} more`);
    expect(all).toMatch(/…and \d+ more flagged/);
  });

  it("keeps every Block Kit limit for arbitrary replies (property)", () => {
    const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: "grapheme", maxLength: 400 }), fc.string({ unit: "binary", maxLength: 3000 }), fc.constantFrom("&", "<>", "&amp;<@U1>", "`", "```"));
    const reply = fc.record({
      title: text,
      summary: text,
      facts: fc.array(fc.record({ label: text, value: text, delta: fc.option(fc.record({ text, direction: fc.constantFrom("up", "down", "flat"), good: fc.constantFrom(true, false, null) }), { nil: undefined }) }), { maxLength: 30 }),
      rows: fc.integer({ min: 0, max: 500 }),
      cell: text,
      flags: fc.array(fc.record({ kind: fc.constantFrom("low", "top"), subject: text, reason: text, advice: text }), { maxLength: 40 }),
      followUps: fc.array(fc.record({ label: text, command: fc.string({ maxLength: 2500 }) }), { maxLength: 30 }),
      charts: fc.array(fc.oneof(fc.record({ fileId: fc.constant("F0123ABCDEF"), title: text, altText: fc.string({ maxLength: 5000 }) }), fc.record({ unavailable: fc.constant(true as const), title: text })), { maxLength: 6 }),
      share: fc.option(fc.string({ maxLength: 600 }), { nil: undefined }),
      lang: fc.constantFrom("en", "zh"),
    });
    fc.assert(
      fc.property(reply, (r) => {
        const rep = teamReply({
          lang: r.lang as Reply["lang"],
          title: r.title,
          summary: r.summary,
          facts: r.facts as Reply["facts"],
          table: { columns: ["#", "Name", "Value"], align: ["right", "left", "right"], rows: Array.from({ length: r.rows }, (_, i) => [String(i), `${r.cell}${i}`, "$1"]) },
          flags: r.flags as Reply["flags"],
          followUps: r.followUps,
        });
        const { text: fallback, blocks } = replyToBlocks(rep, { charts: r.charts, shareValue: r.share });
        expect(blockKitProblems(blocks, { maxChars: LIMITS.blocksChars })).toEqual([]);
        expect(fallback.length).toBeLessThanOrEqual(600);
        expect(rawMarkup(blocks)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it("fits the Home tab's budget too", () => {
    const rows = Array.from({ length: 200 }, (_, i) => [String(i + 1), `Rep ${i}`, "$1,000"]);
    const { blocks } = replyToBlocks(teamReply({ table: { columns: ["#", "Name", "Sales"], align: ["right", "left", "right"], rows } }), { maxChars: 4_000, maxBlocks: 20 });
    expect(blockKitProblems(blocks, { maxChars: 4_000, maxBlocks: 20 })).toEqual([]);
  });
});

describe("fitItems", () => {
  it("keeps whole items and counts the rest", () => {
    expect(fitItems(["aaa", "bbb", "ccc"], 100, (n) => `+${n}`)).toBe("aaa\nbbb\nccc");
    expect(fitItems(["aaa", "bbb", "ccc"], 10, (n) => `+${n}`)).toBe("aaa\nbbb\n+1");
    expect(fitItems(["aaa", "bbb", "ccc"], 9, (n) => `+${n}`)).toBe("aaa\n+2");
    expect(fitItems(["aaaaaaaaaaaa", "b"], 8, (n) => `+${n}`)).toBe("aaaa…\n+1");
  });
  it("never cuts an entity in half", () => {
    const s = escapeMrkdwn("&&&&&&&&");
    for (let max = 1; max < s.length; max++) expect(fitItems([s], max, () => "").replace(/&amp;/g, "")).not.toContain("&");
  });
});

describe("homeBlocks", () => {
  const me = (period: string) => teamReply({ title: `Sales · Ann Lee · ${period}`, table: undefined, flags: [], visibility: "private" });

  it("shows this month, this quarter, and the core's list of subscriptions", () => {
    const subs = { ...textReply("answer", "en", "Your subscriptions", "• weekly Monday 09:00: me sales"), visibility: "private" as const };
    const blocks = homeBlocks({ month: me("2026-11"), quarter: me("Q4 2026"), subscriptions: subs });
    expect(blockKitProblems(blocks, { maxBlocks: 100, maxChars: 24_000 })).toEqual([]);
    const text = blocksText(blocks);
    expect(text).toMatch(/This month[\s\S]*Sales · Ann Lee · 2026-11[\s\S]*This quarter[\s\S]*Sales · Ann Lee · Q4 2026[\s\S]*Subscriptions[\s\S]*weekly Monday 09:00/);
    expect(buttonsIn(blocks)).toEqual([]);
  });

  it("says where subscriptions will appear when the core cannot list them", () => {
    const text = blocksText(homeBlocks({ month: me("2026-11"), quarter: me("Q4 2026"), subscriptions: textReply("error", "en", "x", "not here") }));
    expect(text).toContain("No subscriptions yet");
    expect(text).not.toContain("not here");
  });

  it("shows an unlinked viewer the core's explanation once", () => {
    const blocks = homeBlocks({ month: textReply("unlinked", "en", "You're not linked to a CRM user yet", "Ask an admin") });
    expect(blocksText(blocks).match(/not linked/g)).toHaveLength(1);
  });
});

const buttonsIn = (blocks: unknown[]) => (blocks as { type: string }[]).filter((b) => b.type === "actions");
