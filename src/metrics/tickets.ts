import { defineMetric, countOf } from "./metric.ts";

export default defineMetric({
  id: "tickets",
  name: { en: "Tickets", zh: "工单量" },
  words: { en: ["tickets", "ticket volume", "ticket count", "tickets opened", "opened tickets"], zh: ["工单量", "工单数", "新建工单"] },
  definition: { en: "count of tickets opened in the period", zh: "期内新建的工单数" },
  overall: { en: "Total", zh: "合计" },
  unit: "count", lowerIsBetter: false, additive: true, money: false, function: "service", records: "tickets",
  source: { table: `"Ticket"`, owner: `"agentId"`, time: `"openedAt"`, where: `true`, split: countOf, value: (f) => `(count(*) ${f})::float8` },
  rollup: null, series: true,
  minGap: { absolute: 1, relative: 0.1 },
  context: ["frt", "resolution"],
});
