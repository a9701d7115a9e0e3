import { describe, expect, it } from "vitest";
import { formatCommandError, parseCommand } from "../../src/command/index.ts";
import { at, compare, query } from "./support.ts";

const ctx = at("2026-11-26T10:00:00Z");

const refused = (text: string) => {
  const r = parseCommand(text, ctx);
  if (r.ok) throw new Error(`expected ${text} to be refused`);
  return { ...r.error, message: formatCommandError(r.error, r.lang) };
};

describe("export words", () => {
  it.each([
    ["/kpi team sales last-quarter csv", "csv"],
    ["team sales last-quarter xlsx", "xlsx"],
    ["export team east sales q3", "csv"],
    ["export xlsx team east sales q3", "xlsx"],
    ["team east sales q3 excel", "xlsx"],
    ["download team east sales q3 CSV", "csv"],
  ] as const)("reads '%s' as an answer exported as %s", (text, format) => {
    const c = query(text, ctx);
    expect(c.exportAs).toBe(format);
    expect(c.metric).toBe("sales");
    expect(c.lang).toBe("en");
  });

  it("reads the Chinese export word as CSV, and 导出 xlsx as XLSX", () => {
    const csv = query("/kpi 团队 APAC 销售额 上季度 导出", ctx);
    expect(csv).toMatchObject({ scope: { kind: "team", name: "APAC" }, metric: "sales", exportAs: "csv", lang: "zh" });
    expect(csv.period?.label).toBe("Q3 2026");
    expect(query("/kpi 团队 APAC 销售额 上季度 导出 xlsx", ctx).exportAs).toBe("xlsx");
  });

  it("finds 导出 inside unspaced Chinese", () => {
    const c = query("团队东区销售额上季度导出xlsx", ctx);
    expect(c).toMatchObject({ scope: { kind: "team", name: "东区" }, exportAs: "xlsx", lang: "zh" });
  });

  it("leaves exportAs out when no export word is given", () => {
    expect(query("team east sales q3", ctx).exportAs).toBeUndefined();
  });

  it("exports breakdowns, scorecards and comparisons too", () => {
    expect(query("team east sales by month csv", ctx)).toMatchObject({ by: "month", exportAs: "csv" });
    expect(query("team east scorecard xlsx", ctx)).toMatchObject({ scorecard: true, exportAs: "xlsx" });
    expect(compare("compare q2 vs q3 sales csv", ctx).exportAs).toBe("csv");
  });

  it("refuses two different formats", () => {
    expect(refused("team sales csv xlsx")).toMatchObject({ code: "conflict", other: "csv", token: "xlsx" });
    expect(query("export csv team sales csv", ctx).exportAs).toBe("csv");
  });

  it("refuses to export help or the metric list, and says what to type instead", () => {
    const help = refused("help csv");
    expect(help).toMatchObject({ code: "conflict", other: "help", token: "csv" });
    expect(help.message).toContain("team sales last-quarter csv");
    expect(refused("metrics xlsx")).toMatchObject({ code: "conflict", other: "metrics", token: "xlsx" });
    expect(refused("帮助 导出").message).toContain("团队 销售额 上季度 导出");
  });

  it("refuses an export word in a subscription or an alert (they are messages, not files)", () => {
    expect(refused("subscribe weekly team east sales csv")).toMatchObject({ code: "conflict", token: "csv", other: "subscribe" });
    expect(refused("alert team east winrate below 20% xlsx")).toMatchObject({ code: "conflict", token: "xlsx" });
  });
});
