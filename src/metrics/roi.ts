import { defineMetric } from "./metric.ts";

export default defineMetric({
  id: "roi",
  name: { en: "ROI", zh: "投资回报率" },
  words: { en: ["roi"], zh: ["投资回报率"] },
  definition: { en: "(attributed revenue − spend) / spend, campaigns starting in the period", zh: "期内开始的营销活动（归因收入 − 花费）/ 花费" },
  overall: { en: "Overall ROI", zh: "整体投资回报率" },
  unit: "percent", lowerIsBetter: false, additive: false, money: false, ofMoney: true, function: "marketing", records: "campaigns",
  source: {
    table: `"Campaign"`, owner: `"ownerId"`, time: `"startDate"`, isDate: true, where: `true`,
    // ROI = (revenue − spend) / spend from the sums of both.
    split: { parts: () => ["sum(revenue)", "sum(spend)"], combine: ([r, s]) => `((${r}) - (${s}))::float8 / NULLIF(${s}, 0)` },
    value: (f) => `(((sum(revenue) ${f}) - (sum(spend) ${f}))::float8 / NULLIF(sum(spend) ${f}, 0))`, currency: "currency",
  },
  rollup: null, series: true, scorecard: true,
  minGap: { absolute: 0.05, relative: 0 },
  range: { min: -1, max: null },
  context: ["cpl", "conversion"],
});
