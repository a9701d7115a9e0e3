import { defineMetric, averageOf } from "./metric.ts";

export default defineMetric({
  id: "csat",
  name: { en: "CSAT", zh: "满意度" },
  words: { en: ["csat", "customer satisfaction", "satisfaction"], zh: ["满意度"] },
  definition: { en: "mean satisfaction score (1–5) of tickets resolved in the period", zh: "期内已解决工单的平均满意度（1–5）" },
  overall: { en: "Overall CSAT", zh: "整体满意度" },
  unit: "score", lowerIsBetter: false, additive: false, money: false, function: "service", records: "tickets",
  source: { table: `"Ticket"`, owner: `"agentId"`, time: `"resolvedAt"`, where: `csat IS NOT NULL`, split: averageOf("csat"), value: (f) => `(avg(csat) ${f})::float8` },
  rollup: null, series: true, scorecard: true,
  // A quarter of a point on a 1–5 scale; 3.50 against 3.40 is noise, however bunched the scores.
  minGap: { absolute: 0.25, relative: 0 },
  range: { min: 1, max: 5 },
  context: ["frt", "resolution"],
});
