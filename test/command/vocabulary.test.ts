import { describe, expect, it } from "vitest";
import { METRIC_ALIASES, MetricId, helpText, metricAliases, metricLines, parseCommand } from "../../src/command/index.ts";
import { at, query } from "./support.ts";

const ctx = at("2026-11-26T10:00:00Z");

const aliases = (lang: "en" | "zh") =>
  MetricId.options.flatMap((id) => METRIC_ALIASES[id][lang].map((alias) => [alias, id] as const));

describe("metric aliases", () => {
  it("lists every metric id among its own English aliases, first", () => {
    for (const id of MetricId.options) expect(metricAliases(id, "en")[0]).toBe(id);
  });

  it("gives every metric at least one Chinese alias", () => {
    for (const id of MetricId.options) expect(metricAliases(id, "zh").length).toBeGreaterThan(0);
  });

  it("uses no alias for two metrics", () => {
    const all = [...aliases("en"), ...aliases("zh")].map(([alias]) => alias.toLowerCase());
    expect(new Set(all).size).toBe(all.length);
  });

  it.each(aliases("en"))("reads '%s' as %s", (alias, id) => {
    const c = query(alias, ctx);
    expect(c.metric).toBe(id);
    expect(c.lang).toBe("en");
  });

  it.each(aliases("en"))("reads '%s' upper-cased, among other words, as %s", (alias, id) => {
    const c = query(`team east ${alias.toUpperCase()} last quarter`, ctx);
    expect(c.metric).toBe(id);
    expect(c.scope).toEqual({ kind: "team", name: "east" });
    expect(c.period?.label).toBe("Q3 2026");
  });

  it.each(aliases("zh"))("reads '%s' as %s", (alias, id) => {
    const c = query(alias, ctx);
    expect(c.metric).toBe(id);
    expect(c.lang).toBe("zh");
  });

  it.each(aliases("zh"))("reads '%s' inside unspaced Chinese as %s", (alias, id) => {
    const c = query(`团队东区${alias}上季度`, ctx);
    expect(c.metric).toBe(id);
    expect(c.scope).toEqual({ kind: "team", name: "东区" });
    expect(c.period?.label).toBe("Q3 2026");
  });

  it("reads a dashed multi-word alias like the spaced one", () => {
    expect(query("average-deal", ctx).metric).toBe("avgdeal");
    expect(query("first-response-time", ctx).metric).toBe("frt");
  });

  it("prefers the longer alias: 'sales cycle' is the cycle, not sales", () => {
    expect(query("sales cycle q3", ctx).metric).toBe("cycle");
  });

  it("leaves the metric undefined when none is given", () => {
    const c = query("team east last quarter", ctx);
    expect(c.scope).toEqual({ kind: "team", name: "east" });
    expect(c.metric).toBeUndefined();
  });
});

describe("help text", () => {
  it("lists every metric with its aliases, in both languages", () => {
    for (const lang of ["en", "zh"] as const) {
      const lines = metricLines(lang);
      expect(lines).toHaveLength(MetricId.options.length);
      for (const id of MetricId.options) {
        expect(lines.find((l) => l.startsWith(`${id} — `))).toContain(METRIC_ALIASES[id][lang].at(-1));
      }
    }
  });

  it("shows the syntax, and every example it gives parses", () => {
    expect(helpText("en")).toContain("/kpi [scope] [metric] [period] [options]");
    expect(helpText("zh")).toContain("/kpi [范围] [指标] [时间] [选项]");
    for (const [lang, marker] of [["en", "Examples: "], ["zh", "示例："]] as const) {
      const line = helpText(lang).split("\n").find((l) => l.startsWith(marker)) ?? "";
      const examples = line.slice(marker.length).split(" · ");
      expect(examples.length).toBe(3);
      for (const example of examples) expect(parseCommand(example, ctx)).toMatchObject({ ok: true, command: { lang } });
    }
  });
});
