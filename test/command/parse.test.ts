import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/command/index.ts";
import { at, command, compare, query, show, span } from "./support.ts";

const ctx = at("2026-11-26T10:00:00Z");
const lastQuarter = span("2026-07-01", "2026-10-01", "Q3 2026", "quarter");

describe("the examples from the issue", () => {
  it("answers a plain English question, ignoring the filler words", () => {
    const c = query("how did team east do on sales last quarter?", ctx);
    expect({ ...c, period: show(c.period) }).toEqual({
      kind: "query",
      scope: { kind: "team", name: "east" },
      metric: "sales",
      period: lastQuarter,
      view: "summary",
      lang: "en",
    });
  });

  it("reads the slash-command form with the same meaning", () => {
    expect(command("/kpi team east sales last-quarter", ctx)).toEqual(command("how did team east do on sales last quarter?", ctx));
  });

  it("reads spaced Chinese: team, sales, last quarter", () => {
    const c = query("团队 销售额 上季度", ctx);
    expect({ ...c, period: show(c.period) }).toEqual({
      kind: "query",
      scope: { kind: "team" },
      metric: "sales",
      period: lastQuarter,
      view: "summary",
      lang: "zh",
    });
  });

  it("reads unspaced Chinese with a team name in the middle", () => {
    const c = query("团队东区销售额上季度", ctx);
    expect(c.scope).toEqual({ kind: "team", name: "东区" });
    expect(c.metric).toBe("sales");
    expect(show(c.period)).toEqual(lastQuarter);
    expect(c.lang).toBe("zh");
  });

  it("reads a Chinese question with filler words", () => {
    const c = query("请问团队东区上个月的赢单率是多少？", ctx);
    expect(c.scope).toEqual({ kind: "team", name: "东区" });
    expect(c.metric).toBe("winrate");
    expect(c.period?.label).toBe("2026-10");
  });
});

describe("order, case and the command name", () => {
  it("reads the parts in any order", () => {
    const expected = command("team east sales q3", ctx);
    expect(command("q3 sales team east", ctx)).toEqual(expected);
    expect(command("sales q3 team east", ctx)).toEqual(expected);
  });

  it("ignores case but keeps the name as typed", () => {
    const c = query("TEAM East SALES Q3", ctx);
    expect(c.scope).toEqual({ kind: "team", name: "East" });
    expect(c.metric).toBe("sales");
  });

  it("accepts /kpi, kpi or nothing in front", () => {
    const expected = command("sales q3", ctx);
    expect(command("/kpi sales q3", ctx)).toEqual(expected);
    expect(command("KPI sales q3", ctx)).toEqual(expected);
    expect(command("/KPI   sales q3", ctx)).toEqual(expected);
  });

  it("reads full-width letters and ideographic spaces as ASCII", () => {
    expect(command("ＳＡＬＥＳ\u3000Ｑ３", ctx)).toEqual(command("sales q3", ctx));
  });

  it("answers an empty command with the default query", () => {
    expect(command("/kpi", ctx)).toEqual({ kind: "query", view: "summary", lang: "en" });
  });
});

describe("scopes", () => {
  it.each([
    ["me sales", { kind: "me" }],
    ["my sales", { kind: "me" }],
    ["show me my sales", { kind: "me" }],
    ["我的销售额", { kind: "me" }],
    ["我 销售额", { kind: "me" }],
    ["org sales", { kind: "org" }],
    ["company sales", { kind: "org" }],
    ["公司 销售额", { kind: "org" }],
    ["全公司销售额", { kind: "org" }],
    ["组织 销售额", { kind: "org" }],
    ["team east sales", { kind: "team", name: "east" }],
    ['team "North America" sales', { kind: "team", name: "North America" }],
    ["团队 东区 销售额", { kind: "team", name: "东区" }],
    ["rep alice sales", { kind: "rep", who: "alice" }],
    ["rep li.wei@example.com sales", { kind: "rep", who: "li.wei@example.com" }],
    ["rep @li.wei sales", { kind: "rep", who: "@li.wei" }],
    ["rep <@U123ABC> sales", { kind: "rep", who: "<@U123ABC>" }],
    ["rep <@U123ABC|li.wei> sales", { kind: "rep", who: "<@U123ABC|li.wei>" }],
    ['rep "Li Wei" sales', { kind: "rep", who: "Li Wei" }],
    ["rep \u201CLi Wei\u201D sales", { kind: "rep", who: "Li Wei" }],
    ["销售 李伟 销售额", { kind: "rep", who: "李伟" }],
    ["代表 李伟 销售额", { kind: "rep", who: "李伟" }],
    ["销售李伟的成交数", { kind: "rep", who: "李伟" }],
  ])("reads '%s'", (text, scope) => {
    expect(query(text, ctx).scope).toEqual(scope);
  });

  it("takes a bare mention, handle or email as a rep", () => {
    expect(query("<@U123ABC> deals", ctx).scope).toEqual({ kind: "rep", who: "<@U123ABC>" });
    expect(query("@li.wei deals", ctx).scope).toEqual({ kind: "rep", who: "@li.wei" });
    expect(query("li.wei@example.com deals", ctx).scope).toEqual({ kind: "rep", who: "li.wei@example.com" });
  });

  it("unwraps Slack's mailto markup to the address and keeps Teams mentions whole", () => {
    expect(query("rep <mailto:li@example.com|li@example.com> sales", ctx).scope).toEqual({ kind: "rep", who: "li@example.com" });
    expect(query("rep <at>Li Wei</at> sales", ctx).scope).toEqual({ kind: "rep", who: "<at>Li Wei</at>" });
  });

  it("reads 'team' without a name as the asker's team, also after 'my'", () => {
    expect(query("team sales", ctx).scope).toEqual({ kind: "team" });
    expect(query("how did my team do on sales", ctx).scope).toEqual({ kind: "team" });
    expect(query("我的团队销售额", ctx).scope).toEqual({ kind: "team" });
  });

  it("reads 销售 without a name after it as the sales metric", () => {
    const c = query("本月销售", ctx);
    expect(c.scope).toBeUndefined();
    expect(c.metric).toBe("sales");
  });

  it("leaves the scope undefined when none is given", () => {
    expect(query("sales last quarter", ctx).scope).toBeUndefined();
  });

  it("keeps a name of exactly 100 characters", () => {
    const name = "n".repeat(100);
    expect(query(`team "${name}"`, ctx).scope).toEqual({ kind: "team", name });
  });
});

describe("options", () => {
  it.each([
    ["top 3 sales", { dir: "top", n: 3 }],
    ["bottom 10 deals", { dir: "bottom", n: 10 }],
    ["top sales", { dir: "top", n: 5 }],
    ["bottom sales", { dir: "bottom", n: 5 }],
    ["top5 sales", { dir: "top", n: 5 }],
    ["top-7 sales", { dir: "top", n: 7 }],
    ["top 50 sales", { dir: "top", n: 50 }],
    ["top 1 sales", { dir: "top", n: 1 }],
    ["前3名 销售额", { dir: "top", n: 3 }],
    ["前五名 销售额", { dir: "top", n: 5 }],
    ["后10名 成交", { dir: "bottom", n: 10 }],
    ["销售额排名", { dir: "top", n: 5 }],
    ["ranking top 3 sales", { dir: "top", n: 3 }],
  ])("reads '%s' as a ranking", (text, rank) => {
    expect(query(text, ctx).rank).toEqual(rank);
  });

  it("reads a four-digit number after top as a year", () => {
    const c = query("top 2025 sales", ctx);
    expect(c.rank).toEqual({ dir: "top", n: 5 });
    expect(c.period?.label).toBe("2025");
  });

  it("reads dist and 分布 as the distribution view", () => {
    expect(query("dist winrate", ctx).view).toBe("dist");
    expect(query("distribution of deals", ctx).view).toBe("dist");
    expect(query("成交 分布", ctx).view).toBe("dist");
    expect(query("winrate", ctx).view).toBe("summary");
  });

  it("leaves rank out when not asked", () => {
    expect(query("sales", ctx).rank).toBeUndefined();
  });
});

describe("compare", () => {
  it("compares two periods in the order written", () => {
    const c = compare("compare last-quarter vs this-quarter sales", ctx);
    expect(show(c.a)?.label).toBe("Q3 2026");
    expect(show(c.b)?.label).toBe("Q4 2026");
    expect(c.metric).toBe("sales");
    expect(c.lang).toBe("en");
  });

  it("compares with vs alone, and with 'and'", () => {
    expect(show(compare("this month vs last month", ctx).b)?.label).toBe("2026-10");
    expect(show(compare("compare q1 and q2 team east", ctx).b)?.label).toBe("Q2 2026");
    expect(compare("compare q1 and q2 team east", ctx).scope).toEqual({ kind: "team", name: "east" });
  });

  it("compares in Chinese: 对比 … 和 …", () => {
    const c = compare("对比 本月 和 上月 销售额", ctx);
    expect([c.a.label, c.b.label]).toEqual(["2026-11", "2026-10"]);
    expect(c.lang).toBe("zh");
    expect(compare("本月对比上月", ctx).b.label).toBe("2026-10");
  });

  it("compares a single period with the one before it", () => {
    const c = compare("compare this month", ctx);
    expect([show(c.a), show(c.b)]).toEqual([
      span("2026-11-01", "2026-12-01", "2026-11", "month"),
      span("2026-10-01", "2026-11-01", "2026-10", "month"),
    ]);
  });
});

describe("help and metrics", () => {
  it.each(["help", "?", "/kpi ?", "帮助", "help me with sales", "？"])("reads '%s' as help", (text) => {
    expect(command(text, ctx).kind).toBe("help");
  });

  it.each(["metrics", "what metrics are there?", "list metrics", "指标", "有哪些指标"])("reads '%s' as the metric list", (text) => {
    expect(command(text, ctx).kind).toBe("metrics");
  });

  it("reads 'metrics' among other words as all metrics for that query", () => {
    const c = query("team east metrics last quarter", ctx);
    expect(c.scope).toEqual({ kind: "team", name: "east" });
    expect(c.metric).toBeUndefined();
  });

  it("answers help in the language it was asked in", () => {
    expect(command("帮助", ctx)).toEqual({ kind: "help", lang: "zh" });
    expect(command("help", ctx)).toEqual({ kind: "help", lang: "en" });
  });
});

describe("language", () => {
  it("is zh when any Chinese word is used", () => {
    expect(query("团队 east sales", ctx).lang).toBe("zh");
  });

  it("is en for English words around a Chinese name", () => {
    expect(query("rep 李伟 sales", ctx).lang).toBe("en");
  });

  it("is zh on errors in Chinese text", () => {
    const r = parseCommand("销售额 成交", ctx);
    expect(r.ok ? undefined : r.lang).toBe("zh");
  });

  it("is en for text with no words at all", () => {
    expect(query("2026-09", ctx).lang).toBe("en");
  });
});
