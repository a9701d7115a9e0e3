import { defineMetric, averageOf } from "./metric.ts";

export default defineMetric({
  id: "resrate",
  name: { en: "Resolution rate", zh: "解决率" },
  words: { en: ["resrate", "resolution rate", "resolved rate", "resolve rate"], zh: ["解决率", "工单解决率"] },
  definition: {
    en: "tickets opened in the period and resolved before its end / tickets opened in the period",
    zh: "期内新建且在期末前解决的工单数 / 期内新建的工单数",
  },
  overall: { en: "Overall resolution rate", zh: "整体解决率" },
  unit: "percent", lowerIsBetter: false, additive: false, money: false, function: "service", records: "tickets",
  // $2 is the end of the window in every reader (fetchMetric, fetchMetrics, fetchGrouped).
  source: { table: `"Ticket"`, owner: `"agentId"`, time: `"openedAt"`, where: `true`, split: averageOf(`CASE WHEN "resolvedAt" < $2::timestamp THEN 1.0 ELSE 0.0 END`), value: (f) => `(avg(CASE WHEN "resolvedAt" < $2::timestamp THEN 1.0 ELSE 0.0 END) ${f})::float8` },
  rollup: null, series: true,
  minGap: { absolute: 0.05, relative: 0 },
  range: { min: 0, max: 1 },
  context: ["resolution", "frt"],
});
