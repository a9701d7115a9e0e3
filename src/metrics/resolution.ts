import { defineMetric, medianOf, seconds } from "./metric.ts";

export default defineMetric({
  id: "resolution",
  name: { en: "Resolution time", zh: "解决时间" },
  words: { en: ["resolution", "resolution time"], zh: ["解决时间"] },
  definition: { en: "median hours from open to resolve, tickets resolved in the period (lower is better)", zh: "期内已解决工单从创建到解决的小时数中位数（越低越好）" },
  overall: { en: "Median resolution time", zh: "解决时间中位数" },
  unit: "hours", lowerIsBetter: true, additive: false, money: false, function: "service", records: "tickets",
  source: { table: `"Ticket"`, owner: `"agentId"`, time: `"resolvedAt"`, where: `true`, value: medianOf(`${seconds(`"openedAt"`, `"resolvedAt"`)} / 3600.0`) },
  rollup: null, series: true, scorecard: true,
  minGap: { absolute: 0.25, relative: 0.15 },
  context: ["frt", "csat"],
});
