import { defineMetric, countOf } from "./metric.ts";

export default defineMetric({
  id: "activities",
  name: { en: "Activities", zh: "活动量" },
  words: { en: ["activities", "activity"], zh: ["活动", "活动量"] },
  definition: { en: "count of logged activities (calls, meetings, emails) in the period", zh: "期内记录的活动（电话、会议、邮件）数" },
  overall: { en: "Total", zh: "合计" },
  unit: "count", lowerIsBetter: false, additive: true, money: false, function: "sales", records: "activities",
  source: { table: `"Activity"`, owner: `"ownerId"`, time: `"occurredAt"`, where: `type IN ('call', 'meeting', 'email')`, split: countOf, value: (f) => `(count(*) ${f})::float8` },
  rollup: ["ac"], series: true, scorecard: true,
  minGap: { absolute: 2, relative: 0.1 },
  context: ["winrate", "avgdeal"],
});
