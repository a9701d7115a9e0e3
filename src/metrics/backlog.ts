import { defineMetric } from "./metric.ts";

export default defineMetric({
  id: "backlog",
  name: { en: "Backlog", zh: "积压工单" },
  words: { en: ["backlog", "ticket backlog", "open tickets"], zh: ["积压工单", "积压", "未结工单"] },
  definition: { en: "count of tickets open at the end of the period (opened before it, not resolved by then; lower is better)", zh: "期末仍未解决的工单数（期末前新建、期末时未解决；越低越好）" },
  overall: { en: "Total", zh: "合计" },
  unit: "count", lowerIsBetter: true, additive: true, money: false, function: "service", records: "tickets",
  source: { table: `"Ticket"`, owner: `"agentId"`, time: `"openedAt"`, openUntil: `"resolvedAt"`, where: `true`, value: (f) => `(count(*) ${f})::float8` },
  rollup: null, series: false,
  minGap: { absolute: 1, relative: 0.1 },
  context: ["resrate", "frt"],
});
