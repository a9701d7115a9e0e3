import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/command/index.ts";
import { at, query, show, span } from "./support.ts";

const ctx = at("2026-11-26T10:00:00Z");
const lastQuarter = span("2026-07-01", "2026-10-01", "Q3 2026", "quarter");

describe("by <dimension>", () => {
  it.each([
    ["org sales by team last quarter", "team"],
    ["org sales by rep last quarter", "rep"],
    ["org sales by month last quarter", "month"],
    ["org sales by week last quarter", "week"],
    ["org sales by quarter last quarter", "quarter"],
    ["org leads by channel last quarter", "channel"],
    ["公司 销售额 按团队 上季度", "team"],
    ["公司 销售额 按销售 上季度", "rep"],
    ["公司 销售额 按月 上季度", "month"],
    ["公司 销售额 按周 上季度", "week"],
    ["公司 销售额 按季度 上季度", "quarter"],
    ["公司 线索 按渠道 上季度", "channel"],
  ])("%s → by %s, with scope and period", (text, by) => {
    const c = query(text, ctx);
    expect(c.by).toBe(by);
    expect(c.scope).toEqual({ kind: "org" });
    expect(show(c.period)).toEqual(lastQuarter);
  });

  it("reads unspaced Chinese", () => {
    const c = query("团队东区赢单率按月上季度", ctx);
    expect([c.scope, c.metric, c.by, show(c.period)]).toEqual([{ kind: "team", name: "东区" }, "winrate", "month", lastQuarter]);
  });

  it("combines with top/bottom N", () => {
    const c = query("org winrate by team bottom 3", ctx);
    expect([c.by, c.rank]).toEqual(["team", { dir: "bottom", n: 3 }]);
  });

  it("keeps `by` as filler before a named team", () => {
    const c = query("sales by team east", ctx);
    expect([c.scope, c.by]).toEqual([{ kind: "team", name: "east" }, undefined]);
  });

  it("suggests known dimensions for an unknown one, in both languages", () => {
    expect(parseCommand("org sales by teem", ctx)).toMatchObject({ ok: false, error: { code: "unknown_word", token: "by teem", suggestions: expect.arrayContaining(["by team"]) } });
    expect(parseCommand("公司 销售额 按颜色", ctx)).toMatchObject({ ok: false, error: { code: "unknown_word", token: "按颜色" }, lang: "zh" });
    const zh = parseCommand("公司 销售额 按颜色", ctx);
    expect(!zh.ok && zh.error.suggestions.length).toBeGreaterThan(0);
  });

  it("refuses a breakdown with dist or compare", () => {
    expect(parseCommand("org sales by team dist", ctx)).toMatchObject({ ok: false, error: { code: "conflict" } });
    expect(parseCommand("compare q2 vs q3 org sales by team", ctx)).toMatchObject({ ok: false, error: { code: "conflict" } });
  });
});

describe("breakdowns and scorecards in digests and alerts", () => {
  it("carries the dimension or the scorecard into the schedule command; an alert on a scorecard is refused", () => {
    expect(parseCommand("subscribe weekly org sales by team", ctx)).toMatchObject({ ok: true, command: { kind: "subscribe", metric: "sales", by: "team" } });
    expect(parseCommand("订阅 每周 公司 满意度 按团队", ctx)).toMatchObject({ ok: true, command: { kind: "subscribe", metric: "csat", by: "team", lang: "zh" } });
    expect(parseCommand("subscribe weekly team east scorecard", ctx)).toMatchObject({ ok: true, command: { kind: "subscribe", scorecard: true } });
    expect(parseCommand("alert team east winrate by month below 20%", ctx)).toMatchObject({ ok: true, command: { kind: "alert", metric: "winrate", by: "month", threshold: 0.2 } });
    expect(parseCommand("alert team east scorecard below 20%", ctx)).toMatchObject({ ok: false, error: { code: "conflict" } });
    expect(parseCommand("subscribe weekly org sales", ctx)).toMatchObject({ ok: true, command: { by: undefined } });
  });
});
