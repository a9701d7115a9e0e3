import { CLOSED, defineMetric, medianOf, seconds } from "./metric.ts";

export default defineMetric({
  id: "cycle",
  name: { en: "Sales cycle", zh: "销售周期" },
  words: { en: ["cycle", "sales cycle", "sales-cycle", "cycle time"], zh: ["销售周期"] },
  definition: { en: "median days from creation to close of won deals closed in the period (lower is better)", zh: "期内赢单订单从创建到关闭的天数中位数（越低越好）" },
  overall: { en: "Median sales cycle", zh: "销售周期中位数" },
  unit: "days", lowerIsBetter: true, additive: false, money: false, function: "sales", records: "deals",
  source: { table: `"Deal"`, owner: `"ownerId"`, time: `"closedAt"`, where: `status = 'won'`, scan: CLOSED, value: medianOf(`${seconds(`"createdAt"`, `"closedAt"`)} / 86400.0`) },
  rollup: null, series: true, scorecard: true,
  minGap: { absolute: 2, relative: 0.1 },
  context: ["activities", "winrate"],
});
