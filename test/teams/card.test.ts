import { describe, expect, it } from "vitest";
import { activityBytes, cardActivity, factValue, replyToCard, visibleRows } from "../../adapters/teams/card.ts";
import { markdownText } from "../../adapters/teams/markdown.ts";
import { Reply } from "../../src/reply.ts";
import { AdaptiveCard15 } from "./support/adaptive-card.ts";
import { elements } from "./support/harness.ts";

const reply: Reply = Reply.parse({
  kind: "answer",
  lang: "en",
  title: "Sales · Team Alpha · Q3 2026",
  summary: "Team Alpha: Sales $6,000 (+1100.0% vs Q2 2026) in Q3 2026 across 3 reps. 1 flagged low, 1 top.",
  facts: [
    { label: "Total", value: "$6,000", delta: { text: "+1100.0%", direction: "up", good: true } },
    { label: "Win rate", value: "30%", delta: { text: "−5 pts", direction: "down", good: false } },
    { label: "Reps", value: "3" },
  ],
  table: {
    columns: ["#", "Name", "Sales", "Change", "Flag"],
    align: ["right", "left", "right", "right", "left"],
    rows: [
      ["1", "Ann Lee", "$4,000", "+700.0%", "⚠ low"],
      ["2", "Bo Chen 陈博", "$2,000", "+$2,000 (from 0)", "★ top"],
      ["3", "Cy Park", "$0", "±0", ""],
    ],
  },
  charts: [],
  flags: [
    { kind: "low", subject: "Ann Lee", reason: "quota attainment 50%", advice: "Behind quota: agree a gap-closing plan." },
    { kind: "top", subject: "Bo Chen 陈博", reason: "quota attainment 200%", advice: "Ask them to share what works." },
  ],
  followUps: [
    { label: "Win rate", command: '/kpi team "Alpha" winrate q3-2026' },
    { label: "Compare with previous", command: '/kpi compare team "Alpha" sales q3-2026 vs q2-2026' },
  ],
  visibility: "private",
});

const image = { url: "data:image/png;base64,iVBORw0KGgo=", altText: "Bar chart: Sales (3 reps)" };

describe("replyToCard", () => {
  it("renders title, summary, facts with ▲/▼, the table, flags, the image and follow-ups as a valid 1.5 card", () => {
    const card = replyToCard(reply, { images: [image] });
    expect(() => AdaptiveCard15.parse(card)).not.toThrow();
    expect(card.version).toBe("1.5");
    const els = elements(card);
    const texts = els.filter((e) => e.type === "TextBlock").map((e) => e.text as string);
    expect(card.body[0]).toMatchObject({ type: "TextBlock", text: reply.title, weight: "Bolder" });
    // Plain text in a markdown field: the parentheses are escaped and render as themselves.
    expect(card.body[1]).toMatchObject({ type: "TextBlock", text: markdownText(reply.summary) });
    const facts = els.find((e) => e.type === "FactSet")!.facts;
    expect(facts).toEqual([
      { title: "Total", value: "$6,000  ▲ +1100.0%" },
      { title: "Win rate", value: "30%  ▼ −5 pts" },
      { title: "Reps", value: "3" },
    ]);
    const table = els.find((e) => e.type === "Table")!;
    expect(table.rows).toHaveLength(4);
    expect(table.rows[0].cells.map((c: any) => c.items[0].text)).toEqual(reply.table!.columns.map(markdownText));
    expect(table.rows[2].cells.map((c: any) => c.items[0].text)).toEqual(reply.table!.rows[1]!.map(markdownText));
    expect(table.columns.map((c: any) => c.horizontalCellContentAlignment)).toEqual(["Right", "Left", "Right", "Right", "Left"]);
    expect(texts).toContain("⚠ **Ann Lee**: quota attainment 50%");
    expect(texts).toContain("→ Behind quota: agree a gap-closing plan.");
    expect(texts).toContain("★ **Bo Chen 陈博**: quota attainment 200%");
    const flagBoxes = card.body.filter((e) => e.type === "Container");
    expect(flagBoxes.map((c) => (c as { style?: string }).style)).toEqual(["attention", "good"]);
    expect(els.find((e) => e.type === "Image")).toMatchObject({ url: image.url, altText: image.altText });
    expect(texts.some((t) => /Private/.test(t))).toBe(true);
    expect(card.actions).toEqual([
      { type: "Action.Submit", title: "Win rate", data: { kpiCommand: '/kpi team "Alpha" winrate q3-2026' } },
      { type: "Action.Submit", title: "Compare with previous", data: { kpiCommand: '/kpi compare team "Alpha" sales q3-2026 vs q2-2026' } },
    ]);
  });

  it("leaves out what the reply does not have: no table, no flags, no image, no actions, no privacy note", () => {
    const plain = Reply.parse({ kind: "help", lang: "en", title: "kpi-bot help", summary: "Ask for a metric…", facts: [], charts: [], flags: [], followUps: [], visibility: "shareable" });
    const card = replyToCard(plain);
    expect(() => AdaptiveCard15.parse(card)).not.toThrow();
    expect(card.body.map((e) => e.type)).toEqual(["TextBlock", "TextBlock"]);
    expect(card.actions).toBeUndefined();
  });

  it("keeps at most five buttons (Teams shows six) and twelve flags", () => {
    const many = {
      ...reply,
      followUps: Array.from({ length: 9 }, (_, i) => ({ label: `f${i}`, command: `/kpi me q${(i % 4) + 1}` })),
      flags: Array.from({ length: 20 }, (_, i) => ({ kind: "low" as const, subject: `Rep ${i}`, reason: "r", advice: "a" })),
    };
    const card = replyToCard(many);
    expect(card.actions).toHaveLength(5);
    expect(card.body.filter((e) => e.type === "Container")).toHaveLength(12);
    expect(elements(card).some((e) => e.text === "…and 8 more flagged.")).toBe(true);
    expect(() => AdaptiveCard15.parse(card)).not.toThrow();
  });

  it("shows a long table's first and last rows around a gap row that counts the rest", () => {
    const rows = Array.from({ length: 200 }, (_, i) => [`${i + 1}`, `Rep ${i + 1}`, `$${i}`, "", ""]);
    const card = replyToCard({ ...reply, table: { ...reply.table!, rows } }, { maxTableRows: 10 });
    const table = elements(card).find((e) => e.type === "Table")!;
    const names = table.rows.slice(1).map((r: any) => r.cells[1].items[0].text);
    expect(names).toEqual(["Rep 1", "Rep 2", "Rep 3", "Rep 4", "Rep 5", "⋯ 190 more ⋯", "Rep 196", "Rep 197", "Rep 198", "Rep 199", "Rep 200"]);
    expect(elements(card).some((e) => e.text === "Showing 10 of 200 rows.")).toBe(true);
    expect(() => AdaptiveCard15.parse(card)).not.toThrow();
  });

  it("puts a share button first (within the five) and notes instead of the privacy line", () => {
    const many = { ...reply, followUps: Array.from({ length: 6 }, (_, i) => ({ label: `f${i}`, command: `/kpi me q${(i % 4) + 1}` })) };
    const card = replyToCard(many, { share: { title: "Post in channel", data: { kpiShare: "x", kpiChannel: "c", kpiSig: "s" } }, notes: ["Shared by Mia"] });
    expect(card.actions).toHaveLength(5);
    expect(card.actions![0]).toEqual({ type: "Action.Submit", title: "Post in channel", data: { kpiShare: "x", kpiChannel: "c", kpiSig: "s" } });
    const texts = elements(card).map((e) => e.text);
    expect(texts).toContain("Shared by Mia");
    expect(texts.some((t) => /Private/.test(t ?? ""))).toBe(false);
    expect(() => AdaptiveCard15.parse(card)).not.toThrow();
  });

  it("speaks Chinese when the reply does", () => {
    const zh = replyToCard({ ...reply, lang: "zh", table: { ...reply.table!, rows: Array.from({ length: 30 }, () => ["1", "李", "$1", "", ""]) } }, { maxTableRows: 4 });
    expect(zh.lang).toBe("zh-CN");
    expect(elements(zh).some((e) => e.text === "显示 4 行，共 30 行。")).toBe(true);
    expect(elements(zh).some((e) => e.text === "私密：含个人数据，仅你可见。")).toBe(true);
  });
});

describe("card helpers", () => {
  it("factValue puts an arrow before the change and leaves facts without one alone", () => {
    expect(factValue({ label: "x", value: "3" })).toBe("3");
    expect(factValue({ label: "x", value: "3", delta: { text: "±0", direction: "flat", good: null } })).toBe("3  ＝ ±0");
  });
  it("visibleRows keeps every row when they fit", () => {
    expect(visibleRows([["a"], ["b"]], 2)).toEqual({ rows: [["a"], ["b"]], hidden: 0, gapAt: null });
    expect(visibleRows([["a"], ["b"], ["c"]], 2)).toEqual({ rows: [["a"], ["c"]], hidden: 1, gapAt: 1 });
  });
  it("activityBytes counts UTF-8 bytes of the JSON sent", () => {
    const a = cardActivity(replyToCard(reply), "t");
    expect(activityBytes(a)).toBe(Buffer.byteLength(JSON.stringify(a)));
    expect(activityBytes({ t: "陈" })).toBe(JSON.stringify({ t: "x" }).length + 2);
  });
});
