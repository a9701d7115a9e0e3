import { defineMetric, sumOf } from "./metric.ts";

export default defineMetric({
  id: "spend",
  name: { en: "Spend", zh: "营销花费" },
  words: { en: ["spend", "marketing spend", "ad spend", "campaign spend"], zh: ["营销花费", "花费", "投放花费"] },
  definition: { en: "sum of spend of campaigns starting in the period", zh: "期内开始的营销活动花费之和" },
  overall: { en: "Total", zh: "合计" },
  unit: "currency", lowerIsBetter: false, additive: true, money: true, function: "marketing", records: "campaigns",
  source: { table: `"Campaign"`, owner: `"ownerId"`, time: `"startDate"`, isDate: true, where: `true`, split: sumOf("spend"), value: (f) => `(sum(spend) ${f})::float8`, currency: "currency" },
  rollup: null, series: true,
  minGap: { absolute: 0, relative: 0.1 },
  context: ["roas", "cpa"],
});
