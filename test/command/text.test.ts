import { describe, expect, it } from "vitest";
import { parseNumber } from "../../src/command/patterns.ts";
import { sanitize, stripCommandName } from "../../src/command/sanitize.ts";
import { segmentHan, tokenize } from "../../src/command/tokenize.ts";

describe("sanitize", () => {
  it("maps full-width letters, digits and ideographic spaces to ASCII", () => {
    expect(sanitize("ＳＡＬＥＳ\u3000Ｑ３")).toBe("SALES Q3");
  });

  it("makes typographic quotes and dashes plain", () => {
    expect(sanitize("rep \u201CLi Wei\u201D last\u2013quarter")).toBe('rep "Li Wei" last-quarter');
  });

  it("removes control, format and lone surrogate characters and collapses spaces", () => {
    expect(sanitize("\u0000a\u200D\u202Eb\uD800  \n c\uDFFF")).toBe("ab c");
  });

  it("returns undefined beyond 500 code points", () => {
    expect(sanitize("😀".repeat(500))).toBe("😀".repeat(500));
    expect(sanitize("😀".repeat(501))).toBeUndefined();
  });
});

describe("stripCommandName", () => {
  it.each([
    ["/kpi sales", "sales"],
    ["KPI sales", "sales"],
    ["kpis sales", "kpis sales"],
    ["/kpi", ""],
    ["kpi销售额", "销售额"],
  ])("turns %j into %j", (text, expected) => {
    expect(stripCommandName(text)).toBe(expected);
  });
});

describe("segmentHan", () => {
  it.each([
    ["团队东区销售额上季度", ["团队", "东区", "销售额", "上季度"]],
    ["销售李伟的成交数", ["销售", "李伟", "的", "成交数"]],
    ["前5名销售额本月", ["前5名", "销售额", "本月"]],
    ["2026年第3季度成交", ["2026年第3季度", "成交"]],
    ["团队east销售额", ["团队", "east", "销售额"]],
    ["最近30天赢单率", ["最近30天", "赢单率"]],
    ["上个月", ["上个月"]],
  ])("cuts %s", (text, pieces) => {
    expect(segmentHan(text)).toEqual(pieces);
  });
});

describe("tokenize", () => {
  it("keeps quoted names, mentions and emails whole", () => {
    expect(tokenize('rep "Li Wei" <@U1|li> li@x.co @li.wei').map((t) => [t.kind, t.text])).toEqual([
      ["word", "rep"],
      ["quoted", "Li Wei"],
      ["person", "<@U1|li>"],
      ["person", "li@x.co"],
      ["person", "@li.wei"],
    ]);
  });

  it("splits on punctuation and drops a possessive 's", () => {
    expect(tokenize("east's sales, this month?").map((t) => t.text)).toEqual(["east", "sales", "this", "month"]);
  });
});

describe("parseNumber", () => {
  it.each([
    ["30", 30],
    ["三", 3],
    ["两", 2],
    ["十", 10],
    ["十二", 12],
    ["二十", 20],
    ["二十五", 25],
    ["十十", undefined],
    ["二三", undefined],
    ["", undefined],
  ])("reads %j as %j", (text, n) => {
    expect(parseNumber(text)).toBe(n);
  });
});
