import { describe, expect, it } from "vitest";
import { ALT_TEXT_MAX, altText } from "../../src/charts/index.ts";
import type { ChartSpec } from "../../src/reply.ts";

const bar: ChartSpec = {
  kind: "bar",
  title: "Sales Q3 2026",
  unit: "currency",
  currency: "USD",
  lang: "en",
  median: 200_000,
  bars: [
    { label: "Bo", value: 200_000, flag: null },
    { label: "Cy", value: 0, flag: "low" },
    { label: "Ann", value: 400_000, flag: "top" },
  ],
};

describe("altText", () => {
  it("describes a bar chart from its data: extremes, median, flags, then every value", () => {
    expect(altText(bar)).toBe(
      "Bar chart: Sales Q3 2026 (3 reps). Highest Ann $4,000; lowest Cy $0; team median $2,000. Flagged low: Cy. Top: Ann. " +
        "Values: Ann $4,000, Bo $2,000, Cy $0.",
    );
  });

  it("speaks Chinese for a Chinese spec", () => {
    const text = altText({ ...bar, lang: "zh", title: "2026 年第三季度销售额", currency: "CNY" });
    expect(text).toBe(
      "柱状图：2026 年第三季度销售额（3 人）。最高 Ann ¥4,000；最低 Cy ¥0；团队中位数 ¥2,000。偏低：Cy。优秀：Ann。各成员：Ann ¥4,000，Bo ¥2,000，Cy ¥0。",
    );
  });

  it(`stays within ${ALT_TEXT_MAX} characters for a large team and says how many values it left out`, () => {
    const bars = Array.from({ length: 400 }, (_, i) => ({ label: `Representative ${i + 1}`, value: 100_000 + i * 997, flag: null }));
    const text = altText({ ...bar, bars });
    expect(text.length).toBeLessThanOrEqual(ALT_TEXT_MAX);
    const shown = (text.split("Values: ")[1]?.match(/Representative \d+ \$/g) ?? []).length;
    expect(shown).toBeGreaterThan(30);
    expect(text).toMatch(new RegExp(`and ${400 - shown} more\\.$`));
  });

  it("describes a trend with its direction and the forecast's range, percent as percent", () => {
    const text = altText({
      kind: "trend",
      title: "Win rate by week",
      unit: "percent",
      lang: "en",
      points: [
        { label: "W1", value: 0.2 },
        { label: "W2", value: 0.31 },
      ],
      trend: [
        { label: "W1", value: 0.2 },
        { label: "W3", value: 0.42 },
      ],
      forecast: [{ label: "W3", value: 0.42, lower: 0.35, upper: 0.49 }],
    });
    expect(text).toContain("2 points, from 20% in W1 to 31% in W2");
    expect(text).toContain("The trend line rises, from 20% to 42%");
    expect(text).toContain("Forecast for W3: 42% (range 35% to 49%)");
  });

  it("compares one's own series with the team's in the latest period that has a value", () => {
    const text = altText({
      kind: "personal",
      title: "Calls",
      unit: "count",
      lang: "en",
      labels: ["W1", "W2", "W3"],
      own: [10, 14, null],
      teamMedian: [12, 11, 13],
      ownLabel: "You",
      teamLabel: "team median",
    });
    expect(text).toContain("W2: You 14, team median 11");
    expect(text).toContain("Above team median in 1 of 2 periods");
  });

  it("names the bin holding the highlighted value in a histogram", () => {
    const text = altText({ kind: "distribution", title: "Days to close", unit: "days", lang: "en", values: [0, 1, 2, 3], highlight: 2.5 });
    expect(text).toContain("4 values in 3 bins from 0 d to 3 d");
    expect(text).toContain("The highlighted value 2.5 d falls in the 2 d–3 d bin (2 values)");
  });

  it("says there is no data rather than inventing extremes", () => {
    expect(altText({ ...bar, bars: [] })).toBe("Bar chart: Sales Q3 2026 (0 reps). No data.");
  });
});
