import { defineMetric, sumOf } from "./metric.ts";

export default defineMetric({
  id: "attributed",
  name: { en: "Attributed revenue", zh: "归因收入" },
  words: { en: ["attributed", "attributed revenue", "campaign revenue", "marketing revenue"], zh: ["归因收入", "营销收入", "活动收入"] },
  definition: { en: "sum of attributed revenue of campaigns starting in the period", zh: "期内开始的营销活动归因收入之和" },
  overall: { en: "Total", zh: "合计" },
  unit: "currency", lowerIsBetter: false, additive: true, money: true, function: "marketing", records: "campaigns",
  source: { table: `"Campaign"`, owner: `"ownerId"`, time: `"startDate"`, isDate: true, where: `true`, split: sumOf("revenue"), value: (f) => `(sum(revenue) ${f})::float8`, currency: "currency" },
  rollup: null, series: true,
  minGap: { absolute: 0, relative: 0.1 },
  context: ["roas", "spend"],
});
