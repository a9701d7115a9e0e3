import { defineMetric, medianOf, seconds } from "./metric.ts";

export default defineMetric({
  id: "frt",
  name: { en: "First response", zh: "首次响应" },
  words: { en: ["frt", "first response", "first response time"], zh: ["首次响应", "首次响应时间"] },
  definition: { en: "median minutes from ticket open to first response, tickets opened in the period (lower is better)", zh: "期内新建工单从创建到首次响应的分钟数中位数（越低越好）" },
  overall: { en: "Median first response", zh: "首次响应中位数" },
  unit: "minutes", lowerIsBetter: true, additive: false, money: false, function: "service", records: "tickets",
  source: { table: `"Ticket"`, owner: `"agentId"`, time: `"openedAt"`, where: `"firstResponseAt" IS NOT NULL`, value: medianOf(`${seconds(`"openedAt"`, `"firstResponseAt"`)} / 60.0`) },
  rollup: null, series: true, scorecard: true,
  minGap: { absolute: 0.25, relative: 0.15 },
  context: ["resolution", "csat"],
});
