import { defineMetric, ratioOf } from "./metric.ts";

export default defineMetric({
  id: "cpl",
  name: { en: "Cost per lead", zh: "单条线索成本" },
  words: { en: ["cpl", "cost per lead", "cost-per-lead"], zh: ["单条线索成本"] },
  definition: { en: "spend / leads, campaigns starting in the period (lower is better)", zh: "期内开始的营销活动 花费 / 线索数（越低越好）" },
  overall: { en: "Overall cost per lead", zh: "整体单条线索成本" },
  unit: "currency", lowerIsBetter: true, additive: false, money: true, function: "marketing", records: "campaigns",
  source: { table: `"Campaign"`, owner: `"ownerId"`, time: `"startDate"`, isDate: true, where: `true`, split: ratioOf("spend", "leads"), value: (f) => `((sum(spend) ${f})::float8 / NULLIF(sum(leads) ${f}, 0))`, currency: "currency" },
  rollup: null, series: true, scorecard: true,
  minGap: { absolute: 0, relative: 0.1 },
  context: ["conversion"],
});
