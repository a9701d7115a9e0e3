import { defineMetric, ratioOf } from "./metric.ts";

export default defineMetric({
  id: "conversion",
  name: { en: "Conversion", zh: "转化率" },
  words: { en: ["conversion", "conversion rate"], zh: ["转化率"] },
  definition: { en: "conversions / leads, campaigns starting in the period", zh: "期内开始的营销活动 转化数 / 线索数" },
  overall: { en: "Overall conversion", zh: "整体转化率" },
  unit: "percent", lowerIsBetter: false, additive: false, money: false, function: "marketing", records: "campaigns",
  source: { table: `"Campaign"`, owner: `"ownerId"`, time: `"startDate"`, isDate: true, where: `true`, split: ratioOf("conversions", "leads"), value: (f) => `((sum(conversions) ${f})::float8 / NULLIF(sum(leads) ${f}, 0))` },
  rollup: null, series: true, scorecard: true,
  minGap: { absolute: 0.02, relative: 0 },
  range: { min: 0, max: 1 },
  context: ["cpl"],
});
