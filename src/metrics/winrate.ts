import { CLOSED, defineMetric, averageOf } from "./metric.ts";

export default defineMetric({
  id: "winrate",
  name: { en: "Win rate", zh: "赢单率" },
  words: { en: ["winrate", "win-rate", "win rate"], zh: ["赢单率", "成交率"] },
  definition: { en: "won / (won + lost) among deals closed in the period", zh: "期内关闭的订单中 赢单 /（赢单 + 输单）" },
  overall: { en: "Overall win rate", zh: "整体赢单率" },
  unit: "percent", lowerIsBetter: false, additive: false, money: false, function: "sales", records: "deals",
  source: {
    table: `"Deal"`, owner: `"ownerId"`, time: `"closedAt"`, where: CLOSED, scan: CLOSED,
    split: averageOf("CASE WHEN status = 'won' THEN 1 ELSE 0 END"), value: (f) => `(avg(CASE WHEN status = 'won' THEN 1 ELSE 0 END) ${f})::float8`,
  },
  rollup: ["wc", "lc"], series: true, scorecard: true,
  // Five points of win rate is the smallest gap a sales manager acts on.
  minGap: { absolute: 0.05, relative: 0 },
  range: { min: 0, max: 1 },
  context: ["activities", "avgdeal"],
});
