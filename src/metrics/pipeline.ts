import { defineMetric } from "./metric.ts";

export default defineMetric({
  id: "pipeline",
  name: { en: "Pipeline", zh: "商机管道" },
  words: { en: ["pipeline"], zh: ["管道", "商机"] },
  definition: { en: "sum of amounts of deals open at the end of the period", zh: "期末仍未关闭的订单金额之和" },
  overall: { en: "Total", zh: "合计" },
  unit: "currency", lowerIsBetter: false, additive: true, money: true, function: "sales", records: "deals",
  source: "pipeline",
  rollup: null, series: false, scorecard: true,
  minGap: { absolute: 0, relative: 0.1 },
  context: ["activities", "winrate"],
});
