import { defineMetric, sumOf } from "./metric.ts";

export default defineMetric({
  id: "leads",
  name: { en: "Leads", zh: "线索" },
  words: { en: ["leads", "lead"], zh: ["线索"] },
  definition: { en: "leads of campaigns starting in the period", zh: "期内开始的营销活动带来的线索数" },
  overall: { en: "Total", zh: "合计" },
  unit: "count", lowerIsBetter: false, additive: true, money: false, function: "marketing", records: "campaigns",
  source: { table: `"Campaign"`, owner: `"ownerId"`, time: `"startDate"`, isDate: true, where: `true`, split: sumOf("leads"), value: (f) => `(sum(leads) ${f})::float8` },
  rollup: null, series: true, scorecard: true,
  minGap: { absolute: 1, relative: 0.1 },
  context: ["cpl", "conversion"],
});
