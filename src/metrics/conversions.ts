import { defineMetric, sumOf } from "./metric.ts";

export default defineMetric({
  id: "conversions",
  name: { en: "Conversions", zh: "转化数" },
  words: { en: ["conversions", "conversion count"], zh: ["转化数", "转化量"] },
  definition: { en: "sum of conversions of campaigns starting in the period", zh: "期内开始的营销活动转化数之和" },
  overall: { en: "Total", zh: "合计" },
  unit: "count", lowerIsBetter: false, additive: true, money: false, function: "marketing", records: "campaigns",
  source: { table: `"Campaign"`, owner: `"ownerId"`, time: `"startDate"`, isDate: true, where: `true`, split: sumOf("conversions"), value: (f) => `(sum(conversions) ${f})::float8` },
  rollup: null, series: true,
  minGap: { absolute: 1, relative: 0.1 },
  context: ["conversion", "cpa"],
});
