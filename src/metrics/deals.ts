import { CLOSED, defineMetric, countOf } from "./metric.ts";

export default defineMetric({
  id: "deals",
  name: { en: "Deals won", zh: "成交数" },
  words: { en: ["deals", "deal", "won deals", "closed deals", "deals won", "deals closed"], zh: ["成交", "成交数", "成交量"] },
  definition: { en: "count of won deals closed in the period", zh: "期内赢单的订单数" },
  overall: { en: "Total", zh: "合计" },
  unit: "count", lowerIsBetter: false, additive: true, money: false, function: "sales", records: "deals",
  source: { table: `"Deal"`, owner: `"ownerId"`, time: `"closedAt"`, where: `status = 'won'`, scan: CLOSED, split: countOf, value: (f) => `(count(*) ${f})::float8` },
  rollup: ["wc"], series: true,
  minGap: { absolute: 1, relative: 0.1 },
  context: ["activities", "winrate", "avgdeal"],
});
