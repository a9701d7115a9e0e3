import { defineMetric, ratioOf } from "./metric.ts";

export default defineMetric({
  id: "cpa",
  name: { en: "Cost per acquisition", zh: "单次转化成本" },
  words: { en: ["cpa", "cost per acquisition", "cost per conversion"], zh: ["单次转化成本", "获客成本"] },
  definition: { en: "spend / conversions, campaigns starting in the period (lower is better)", zh: "期内开始的营销活动 花费 / 转化数（越低越好）" },
  overall: { en: "Overall cost per acquisition", zh: "整体单次转化成本" },
  unit: "currency", lowerIsBetter: true, additive: false, money: true, function: "marketing", records: "campaigns",
  source: { table: `"Campaign"`, owner: `"ownerId"`, time: `"startDate"`, isDate: true, where: `true`, split: ratioOf("spend", "conversions"), value: (f) => `((sum(spend) ${f})::float8 / NULLIF(sum(conversions) ${f}, 0))`, currency: "currency" },
  rollup: null, series: true,
  minGap: { absolute: 0, relative: 0.1 },
  context: ["conversion", "cpl"],
});
