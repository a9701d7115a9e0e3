import { describe, expect, it } from "vitest";
import { CommandErrorCode, formatCommandError, parseCommand, type CommandError } from "../../src/command/index.ts";
import { damerauLevenshtein } from "../../src/command/distance.ts";
import { at } from "./support.ts";

const ctx = at("2026-11-26T10:00:00Z");

function errorOf(text: string): CommandError & { lang: string } {
  const r = parseCommand(text, ctx);
  if (r.ok) throw new Error(`expected ${JSON.stringify(text)} to fail, got ${JSON.stringify(r.command)}`);
  return { ...r.error, lang: r.lang };
}

describe("Damerau–Levenshtein distance", () => {
  it.each([
    ["sales", "sales", 0],
    ["salse", "sales", 1],
    ["kitten", "sitting", 3],
    ["ab", "ba", 1],
    ["ca", "abc", 2], // the restricted (OSA) distance would be 3
    ["", "abc", 3],
    ["abc", "", 3],
    ["revnue", "revenue", 1],
    ["销售額", "销售额", 1],
    ["😀a", "a😀", 1],
  ])("between '%s' and '%s' is %i", (a, b, d) => {
    expect(damerauLevenshtein(a, b)).toBe(d);
    expect(damerauLevenshtein(b, a)).toBe(d);
  });
});

describe("errors with suggestions", () => {
  it.each([
    ["salse", "unknown_metric", ["sales"]],
    ["revnue q3", "unknown_metric", ["revenue"]],
    ["pipline", "unknown_metric", ["pipeline"]],
    ["winrat", "unknown_metric", ["winrate"]],
    ["yesterdya", "bad_period", ["yesterday"]],
    ["lastquarter", "bad_period", ["last quarter"]],
    ["last quartr", "bad_period", ["last quarter"]],
    ["last-quartr", "bad_period", ["last quarter"]],
    ["sales last", "bad_period", ["last week", "last month", "last quarter", "last year"]],
    ["q5", "bad_period", ["q1", "q2", "q3", "q4"]],
    ["2026-02-30", "bad_period", ["2026-02-28"]],
    ["2026-07-01..2026-06-01", "bad_period", ["2026-06-01..2026-07-01"]],
    ["taem east", "unknown_word", ["team"]],
    ["销售額", "unknown_metric", ["销售额"]],
    ["rep Li Wei sales", "unknown_word", ['rep "Li Wei"']],
    ['"Li Wei" sales', "unknown_word", ['rep "Li Wei"', 'team "Li Wei"']],
    ["李伟的销售额", "unknown_word", ["团队 李伟", "销售 李伟"]],
    ["top 80", "out_of_range", ["top 50"]],
    ["top 0", "out_of_range", ["top 1"]],
    ["前80名", "out_of_range", ["前50名"]],
    ["last 0 days", "out_of_range", ["last 1 days"]],
    ["rep", "missing_value", ["rep @li.wei"]],
    ["代表 销售额", "missing_value", ["销售 李伟"]],
    ["compare sales", "missing_value", ["compare last-quarter vs this-quarter"]],
    ["foo", "unknown_word", []],
    ["1969", "bad_period", []],
  ])("'%s' → %s %j", (text, code, suggestions) => {
    const e = errorOf(text);
    expect(e.code).toBe(code);
    expect(e.suggestions).toEqual(suggestions);
  });

  it("names the word it did not understand", () => {
    expect(errorOf("sales for team east frobnicate").token).toBe("frobnicate");
  });

  it("reports the first problem in the text", () => {
    expect(errorOf("foo salse").token).toBe("foo");
  });
});

describe("conflicts name both items", () => {
  it.each([
    ["sales deals", "sales", "deals", []],
    ["q3 last month", "q3", "last month", ["compare q3 vs last month"]],
    ["本月 上月", "本月", "上月", ["对比 本月 和 上月"]],
    ["team east team west", "team east", "team west", []],
    ["me org", "me", "org", []],
    ["top 3 bottom 3", "top 3", "bottom 3", []],
    ["top 3 top 4", "top 3", "top 4", []],
    ["dist top 5", "dist", "top 5", []],
    ["compare q1 vs q2 top 3", "compare", "top 3", []],
    ["compare q1 vs q2 vs q3", "q2", "q3", []],
  ])("'%s' → '%s' and '%s'", (text, other, token, suggestions) => {
    expect(errorOf(text)).toMatchObject({ code: "conflict", other, token, suggestions });
  });

  it("accepts the same metric named twice", () => {
    const r = parseCommand("sales revenue", ctx);
    expect(r.ok && r.command.kind === "query" ? r.command.metric : r).toBe("sales");
  });
});

describe("formatCommandError", () => {
  it("says the issue's example messages", () => {
    expect(formatCommandError({ code: "unknown_metric", token: "salse", suggestions: ["sales"] }, "en")).toBe(
      "unknown metric 'salse' — did you mean 'sales'?",
    );
    expect(formatCommandError({ code: "unknown_word", token: "foo", suggestions: [] }, "en")).toBe(
      "I didn't understand 'foo'. Try: /kpi team east sales last-quarter",
    );
  });

  it("lists several suggestions with 'or'", () => {
    const e = errorOf("sales last");
    expect(formatCommandError(e, "en")).toBe(
      "I couldn't read the period 'last' — did you mean 'last week', 'last month', 'last quarter' or 'last year'?",
    );
  });

  it("names both sides of a conflict and offers compare", () => {
    expect(formatCommandError(errorOf("q3 last month"), "en")).toBe(
      "'q3' and 'last month' can't go in one question — ask about one at a time, or try 'compare q3 vs last month'.",
    );
    expect(formatCommandError(errorOf("本月 上月"), "zh")).toBe(
      "「本月」和「上月」不能放在同一个问题里，请一次只问一个，或者试试「对比 本月 和 上月」。",
    );
  });

  it("speaks Chinese for Chinese errors", () => {
    const e = errorOf("销售額 上季度");
    expect(e.lang).toBe("zh");
    expect(formatCommandError(e, "zh")).toBe("未知指标「销售額」，你是想输入「销售额」吗？");
  });

  it("distinguishes a long message from a long name", () => {
    expect(formatCommandError({ code: "too_long", suggestions: [] }, "en")).toMatch(/message is too long.*500/);
    expect(formatCommandError({ code: "too_long", token: "x", suggestions: [] }, "en")).toMatch(/name 'x' is too long.*100/);
  });

  it.each(CommandErrorCode.options)("has a distinct, non-empty message for %s in both languages", (code) => {
    const e: CommandError = { code, token: "tok", other: "oth", suggestions: ["sug"] };
    const en = formatCommandError(e, "en");
    const zh = formatCommandError(e, "zh");
    expect(en).toContain("tok");
    expect(zh).toContain("tok");
    expect(zh).toMatch(/\p{Script=Han}/u);
    expect(en).not.toMatch(/\p{Script=Han}/u);
    const others = CommandErrorCode.options.filter((c) => c !== code).map((c) => formatCommandError({ ...e, code: c }, "en"));
    expect(others).not.toContain(en);
  });
});
