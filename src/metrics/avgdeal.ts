import { CLOSED, defineMetric, averageOf } from "./metric.ts";

export default defineMetric({
  id: "avgdeal",
  name: { en: "Average deal", zh: "平均单价" },
  words: { en: ["avgdeal", "avg-deal", "average deal", "avg deal", "average deal size", "avg deal size", "deal size"], zh: ["平均单价", "客单价"] },
  definition: { en: "mean amount of won deals closed in the period", zh: "期内赢单订单的平均金额" },
  overall: { en: "Overall average deal", zh: "整体平均单价" },
  unit: "currency", lowerIsBetter: false, additive: false, money: true, function: "sales", records: "deals",
  source: { table: `"Deal"`, owner: `"ownerId"`, time: `"closedAt"`, where: `status = 'won'`, scan: CLOSED, split: averageOf("amount"), value: (f) => `(avg(amount) ${f})::float8`, currency: "currency" },
  rollup: ["wa", "wc"], series: true, scorecard: true,
  minGap: { absolute: 0, relative: 0.1 },
  context: ["activities", "winrate"],
});
