import { CLOSED, defineMetric, sumOf } from "./metric.ts";

export default defineMetric({
  id: "sales",
  name: { en: "Sales", zh: "销售额" },
  words: { en: ["sales", "revenue"], zh: ["销售额", "收入", "营收"] },
  definition: { en: "sum of amounts of deals won with close date in the period", zh: "期内成交（赢单）的订单金额之和" },
  overall: { en: "Total", zh: "合计" },
  unit: "currency", lowerIsBetter: false, additive: true, money: true, function: "sales", records: "deals",
  source: { table: `"Deal"`, owner: `"ownerId"`, time: `"closedAt"`, where: `status = 'won'`, scan: CLOSED, split: sumOf("amount"), value: (f) => `(sum(amount) ${f})::float8`, currency: "currency" },
  rollup: ["wa", "wc"], series: true, scorecard: true,
  minGap: { absolute: 0, relative: 0.1 },
  context: ["activities", "winrate", "avgdeal"],
});
