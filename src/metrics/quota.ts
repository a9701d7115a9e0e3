import { defineMetric } from "./metric.ts";

export default defineMetric({
  id: "quota",
  name: { en: "Quota attainment", zh: "配额完成率" },
  words: { en: ["quota", "attainment", "quota attainment"], zh: ["配额", "完成率"] },
  definition: { en: "sales / quota for the period (attainment), when quotas exist", zh: "期内销售额 / 配额（有配额时）" },
  overall: { en: "Overall attainment", zh: "整体完成率" },
  unit: "percent", lowerIsBetter: false, additive: false, money: false, ofMoney: true, function: "sales", records: "deals",
  source: "quota",
  rollup: null, series: false, scorecard: true,
  minGap: { absolute: 0.05, relative: 0 },
  context: ["activities", "winrate", "avgdeal"],
});
