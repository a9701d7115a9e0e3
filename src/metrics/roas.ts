import { defineMetric, ratioOf } from "./metric.ts";

export default defineMetric({
  id: "roas",
  name: { en: "ROAS", zh: "广告支出回报率" },
  words: { en: ["roas", "return on ad spend"], zh: ["广告支出回报率", "广告回报率"] },
  definition: { en: "attributed revenue / spend, campaigns starting in the period (2.5 = 2.5 of revenue per 1 spent)", zh: "期内开始的营销活动 归因收入 / 花费（2.5 即每花 1 元带来 2.5 元）" },
  overall: { en: "Overall ROAS", zh: "整体广告支出回报率" },
  unit: "ratio", lowerIsBetter: false, additive: false, money: false, ofMoney: true, function: "marketing", records: "campaigns",
  source: { table: `"Campaign"`, owner: `"ownerId"`, time: `"startDate"`, isDate: true, where: `true`, split: ratioOf("revenue", "spend"), value: (f) => `((sum(revenue) ${f})::float8 / NULLIF(sum(spend) ${f}, 0))`, currency: "currency" },
  rollup: null, series: true,
  minGap: { absolute: 0.1, relative: 0.1 },
  context: ["cpa", "conversion"],
});
