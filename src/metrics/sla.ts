import { defineMetric, minutesInterval } from "./metric.ts";

export default defineMetric({
  id: "sla",
  name: { en: "SLA attainment", zh: "响应达标率" },
  words: { en: ["sla", "sla attainment", "sla rate"], zh: ["响应达标率", "达标率"] },
  definition: {
    en: "share of tickets opened in the period first answered within KPI_SLA_FIRST_RESPONSE_MINUTES (default 60) of opening; unanswered tickets count as missed",
    zh: "期内新建工单中，在 KPI_SLA_FIRST_RESPONSE_MINUTES（默认 60）分钟内首次响应的比例；未响应的算未达标",
  },
  overall: { en: "Overall SLA attainment", zh: "整体响应达标率" },
  unit: "percent", lowerIsBetter: false, additive: false, money: false, function: "service", records: "tickets",
  source: {
    table: `"Ticket"`, owner: `"agentId"`, time: `"openedAt"`, where: `true`,
    split: {
      parts: (p) => [`sum(CASE WHEN "firstResponseAt" - "openedAt" <= ${minutesInterval(p.slaMinutes)} THEN 1.0 ELSE 0.0 END)`, "count(*)"],
      combine: ([s, n]) => `(${s}::numeric / NULLIF(${n}, 0))::float8`,
    },
    value: (f, p) => `(avg(CASE WHEN "firstResponseAt" - "openedAt" <= ${minutesInterval(p.slaMinutes)} THEN 1.0 ELSE 0.0 END) ${f})::float8`,
  },
  rollup: null, series: true,
  minGap: { absolute: 0.05, relative: 0 },
  range: { min: 0, max: 1 },
  context: ["frt", "tickets"],
});
