import { defineMetric, averageOf } from "./metric.ts";

export default defineMetric({
  id: "satisfied",
  name: { en: "Satisfied share", zh: "好评率" },
  words: { en: ["satisfied", "satisfied share", "top box", "top-box"], zh: ["好评率", "满意率"] },
  definition: { en: "share of ratings that are 4 or 5, tickets resolved in the period with a rating", zh: "期内已解决且有评分的工单中评分为 4 或 5 的比例" },
  overall: { en: "Overall satisfied share", zh: "整体好评率" },
  unit: "percent", lowerIsBetter: false, additive: false, money: false, function: "service", records: "tickets",
  source: { table: `"Ticket"`, owner: `"agentId"`, time: `"resolvedAt"`, where: `csat IS NOT NULL`, split: averageOf("CASE WHEN csat >= 4 THEN 1.0 ELSE 0.0 END"), value: (f) => `(avg(CASE WHEN csat >= 4 THEN 1.0 ELSE 0.0 END) ${f})::float8` },
  rollup: null, series: true,
  minGap: { absolute: 0.05, relative: 0 },
  range: { min: 0, max: 1 },
  context: ["frt", "resolution"],
});
