// Issue 11, item 6: what the charts draw where (by geometry and by the drawn text, not by eye).
import { describe, expect, it } from "vitest";
import { altText } from "../../src/charts/index.ts";
import { chartConfig } from "../../src/charts/config.ts";
import type { ChartSpec } from "../../src/reply.ts";
import { barBoxes, drawLogged, overlaps, yTickLabels } from "./support/draw-log.ts";

type Spec<K extends ChartSpec["kind"]> = Extract<ChartSpec, { kind: K }>;

const weeks = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `W${from + i}`);

/** Small weekly sales with a wide forecast band: ±2 standard errors reach below $0. */
const sales: Spec<"trend"> = {
  kind: "trend",
  title: "Sales by week",
  unit: "currency",
  currency: "USD",
  lang: "en",
  points: [120_000, 40_000, 90_000, 10_000, 60_000].map((value, i) => ({ label: `W${i + 1}`, value })),
  trend: weeks(8).map((label, i) => ({ label, value: 80_000 - 5_000 * i })),
  forecast: weeks(3, 6).map((label, i) => ({ label, value: 55_000 - 5_000 * i, lower: -40_000 - 10_000 * i, upper: 150_000 + 10_000 * i })),
};

describe("the forecast band", () => {
  it("stops at zero for a metric that cannot be negative", () => {
    const { chart, texts } = drawLogged(sales);
    try {
      const lower = chart.data.datasets[3]!.data as (number | null)[];
      expect(Math.min(...lower.filter((v): v is number => v !== null))).toBe(0);
      expect(chart.scales["y"]!.min).toBeGreaterThanOrEqual(0);
      expect(yTickLabels(chart).some((l) => l.includes("-") || l.includes("−"))).toBe(false);
      expect(texts.some((t) => /^[-−]/.test(t.text))).toBe(false);
    } finally {
      chart.destroy();
    }
    expect(altText(sales)).toContain("Forecast for W8: $450 (range $0 to $1,700)");
  });

  it("goes below zero where the spec says the metric is signed, or the data is", () => {
    const signed = { ...sales, range: { min: null, max: null } };
    const config = chartConfig(signed);
    expect(Math.min(...(config.data.datasets[3]!.data as (number | null)[]).filter((v): v is number => v !== null))).toBe(-60_000);
    const negative = { ...sales, points: sales.points.map((p, i) => ({ ...p, value: i === 1 ? -5_000 : p.value })) };
    expect((chartConfig(negative).data.datasets[3]!.data as (number | null)[]).some((v) => v !== null && v < 0)).toBe(true);
  });

  it("stays within a rate's ceiling when the spec gives one", () => {
    const winrate: Spec<"trend"> = {
      kind: "trend",
      title: "Win rate by week",
      unit: "percent",
      lang: "en",
      range: { min: 0, max: 1 },
      points: [0.8, 0.85, 0.9, 0.88].map((value, i) => ({ label: `W${i + 1}`, value })),
      trend: null,
      forecast: [{ label: "W5", value: 0.92, lower: 0.7, upper: 1.14 }],
    };
    const { chart } = drawLogged(winrate);
    try {
      expect(Math.max(...(chart.data.datasets[4]!.data as (number | null)[]).filter((v): v is number => v !== null))).toBe(1);
      expect(chart.scales["y"]!.max).toBe(1);
      expect(yTickLabels(chart).at(-1)).toBe("100%");
    } finally {
      chart.destroy();
    }
  });
});

describe("a rate axis", () => {
  const winrates: Spec<"bar"> = {
    kind: "bar",
    title: "Win rate",
    unit: "percent",
    lang: "en",
    median: 0.6,
    bars: [1, 0.95, 0.7, 0.6, 0.5, 0.41].map((value, i) => ({ label: `Rep ${i + 1}`, value, flag: null })),
  };

  it("stops at 100% when no value exceeds it", () => {
    const { chart, texts } = drawLogged(winrates);
    try {
      expect(chart.scales["y"]!.max).toBe(1);
      expect(yTickLabels(chart).at(-1)).toBe("100%");
      expect(yTickLabels(chart).filter((l) => Number.parseFloat(l) > 100)).toEqual([]);
      // The 100% bar's label has no room above the plot: it is written inside the bar, and
      // neither it nor any other value label leaves the plot for the legend or title.
      const area = chart.chartArea;
      const labels = texts.filter((t) => /^\d+(\.\d)?%$/.test(t.text) && t.x0 >= area.left);
      const onBars = labels.filter((t) => t.y0 >= area.top - 20);
      expect(onBars.map((t) => t.text)).toEqual(expect.arrayContaining(["100%", "95%", "70%"]));
      for (const t of onBars) expect(t.y0).toBeGreaterThanOrEqual(area.top);
    } finally {
      chart.destroy();
    }
  });

  it("goes past 100% when a value does (quota attainment)", () => {
    const quota = { ...winrates, title: "Quota attainment", bars: [...winrates.bars, { label: "Rep 7", value: 1.35, flag: "top" as const }] };
    const { chart } = drawLogged(quota);
    try {
      expect(chart.scales["y"]!.max).toBeGreaterThan(1.35);
    } finally {
      chart.destroy();
    }
  });

  it("does not stretch a low rate to 100%", () => {
    const low = { ...winrates, median: 0.2, bars: winrates.bars.map((b) => ({ ...b, value: b.value / 5 })) };
    const { chart } = drawLogged(low);
    try {
      expect(chart.scales["y"]!.max).toBeLessThan(0.5);
    } finally {
      chart.destroy();
    }
  });
});

describe("the team median's label", () => {
  // Sorted highest first, the two last bars end exactly at the median: on the plot, a label at
  // the median line's right end sat on their value labels.
  const spec: Spec<"bar"> = {
    kind: "bar",
    title: "Sales · Team West",
    unit: "currency",
    currency: "USD",
    lang: "en",
    median: 2_000_000,
    bars: [
      { label: "Ann", value: 4_000_000, flag: "top" },
      { label: "Bo", value: 3_000_000, flag: null },
      { label: "Cy", value: 2_000_000, flag: null },
      { label: "Di", value: 2_000_000, flag: null },
    ],
  };

  it("overlaps no bar and no value label", () => {
    const { chart, texts } = drawLogged(spec);
    try {
      const median = texts.filter((t) => t.text.startsWith("Team median"));
      expect(median.map((t) => t.text)).toEqual(["Team median $20,000"]);
      const values = texts.filter((t) => ["$40,000", "$30,000", "$20,000"].includes(t.text));
      expect(values).toHaveLength(4);
      for (const box of [...values, ...barBoxes(chart)]) expect(overlaps(median[0]!, box)).toBe(false);
      expect(median[0]!.y1).toBeLessThanOrEqual(chart.chartArea.top);
    } finally {
      chart.destroy();
    }
  });

  it("overlaps nothing either with many bars at the median", () => {
    const many = { ...spec, bars: Array.from({ length: 12 }, (_, i) => ({ label: `Rep ${i + 1}`, value: i < 6 ? 2_000_000 + 100_000 * i : 2_000_000, flag: null })) };
    const { chart, texts } = drawLogged(many);
    try {
      const median = texts.find((t) => t.text.startsWith("Team median"))!;
      const others = texts.filter((t) => t !== median);
      for (const box of [...others, ...barBoxes(chart)]) expect(overlaps(median, box)).toBe(false);
    } finally {
      chart.destroy();
    }
  });
});

describe("axis labels", () => {
  it("write every Chinese money tick in one style (no 'US$8000' beside 'US$1.6万')", () => {
    const zh: Spec<"bar"> = {
      kind: "bar",
      title: "销售额",
      unit: "currency",
      currency: "USD",
      lang: "zh",
      median: 800_000,
      bars: [1_500_000, 1_100_000, 800_000, 600_000, 300_000].map((value, i) => ({ label: `销售 ${i + 1}`, value, flag: null })),
    };
    const { chart } = drawLogged(zh);
    try {
      const ticks = yTickLabels(chart);
      expect(ticks.length).toBeGreaterThan(3);
      expect(ticks.filter((t) => t !== "US$0").every((t) => t.endsWith("万"))).toBe(true);
      expect(new Set(ticks).size).toBe(ticks.length);
    } finally {
      chart.destroy();
    }
  });

  it("and bars show call-centre first responses as different numbers, in one unit with the axis", () => {
    const frt: Spec<"bar"> = {
      kind: "bar",
      title: "First response",
      unit: "minutes",
      lang: "en",
      median: 1.035,
      bars: [0.82, 0.97, 1.1, 1.3].map((value, i) => ({ label: `Agent ${i + 1}`, value, flag: null })),
    };
    const { chart, texts } = drawLogged(frt);
    try {
      expect(texts.filter((t) => /^\d.* min$/.test(t.text) && !yTickLabels(chart).includes(t.text)).map((t) => t.text)).toEqual(
        expect.arrayContaining(["1.3 min", "1.1 min", "0.97 min", "0.82 min"]),
      );
      expect(texts.some((t) => t.text === "Team median 1.04 min" || t.text === "Team median 1.035 min")).toBe(true);
      const ticks = yTickLabels(chart);
      expect(new Set(ticks).size).toBe(ticks.length);
      expect(ticks.every((t) => t.endsWith(" min"))).toBe(true);
    } finally {
      chart.destroy();
    }
  });
});
