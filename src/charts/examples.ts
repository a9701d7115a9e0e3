// Demo chart specs with realistic labels: the README's example image and the render benchmark.
import type { ChartSpec } from "../reply.ts";

const weeks = (from: number, n: number) => Array.from({ length: n }, (_, i) => `W${from + i}`);

/** One spec per kind, the sizes a real team answer has (8 reps, a quarter of weeks). */
export const exampleSpecs = {
  bar: {
    kind: "bar",
    title: "Closed-won revenue · Q3 2026 · West team",
    unit: "currency",
    currency: "USD",
    lang: "en",
    median: 4_210_000,
    bars: [
      { label: "Priya Natarajan", value: 6_120_000, flag: "top" },
      { label: "Marcus Lee", value: 5_480_000, flag: null },
      { label: "Sofia García", value: 4_950_000, flag: null },
      { label: "Daniel Okafor", value: 4_210_000, flag: null },
      { label: "Hannah Becker", value: 3_870_000, flag: null },
      { label: "Wei Zhang", value: 3_300_000, flag: null },
      { label: "Tom Reilly", value: 1_420_000, flag: "low" },
      { label: "Ana Costa", value: 980_000, flag: "low" },
    ],
  },
  trend: {
    kind: "trend",
    title: "Win rate by week · Q3 2026 · West team",
    unit: "percent",
    lang: "en",
    points: [0.22, 0.25, 0.24, 0.28, 0.27, 0.3, 0.29, 0.31].map((value, i) => ({ label: `W${27 + i}`, value })),
    trend: weeks(27, 13).map((label, i) => ({ label, value: 0.225 + 0.011 * i })),
    forecast: weeks(35, 5).map((label, i) => ({
      label,
      value: 0.313 + 0.011 * i,
      lower: 0.313 + 0.011 * i - 0.012 * (i + 1),
      upper: 0.313 + 0.011 * i + 0.012 * (i + 1),
    })),
  },
  personal: {
    kind: "personal",
    title: "我的销售额 · 2026 年第三季度",
    unit: "currency",
    currency: "CNY",
    lang: "zh",
    labels: ["7月", "8月", "9月"].flatMap((m) => [`${m}上旬`, `${m}下旬`]),
    own: [1_200_000, 1_500_000, 900_000, 1_650_000, 1_800_000, 2_100_000],
    teamMedian: [1_300_000, 1_250_000, 1_400_000, 1_350_000, 1_500_000, 1_450_000],
    ownLabel: "你",
    teamLabel: "团队中位数",
  },
  distribution: {
    kind: "distribution",
    title: "Days to close · Q3 2026 · all teams",
    unit: "days",
    lang: "en",
    values: [3, 5, 8, 12, 12, 14, 15, 17, 19, 21, 22, 25, 28, 31, 35, 40, 44, 51, 60, 75],
    highlight: 28,
  },
} satisfies Record<ChartSpec["kind"], ChartSpec>;
