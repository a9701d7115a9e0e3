// The few words drawn on charts or spoken by their alt text, in English and Simplified Chinese.
import type { Lang } from "../reply.ts";

type Words = {
  teamMedian: string;
  low: string;
  top: string;
  noData: string;
  count: string;
  actual: string;
  trend: string;
  forecast: string;
  range: string;
  yourValue: string;
};

const en: Words = {
  teamMedian: "Team median",
  low: "Flagged low",
  top: "Top",
  noData: "No data for this period",
  count: "Reps",
  actual: "Actual",
  trend: "Trend",
  forecast: "Forecast",
  range: "Forecast range",
  yourValue: "Highlighted",
};

const zh: Words = {
  teamMedian: "团队中位数",
  low: "偏低",
  top: "优秀",
  noData: "本期没有数据",
  count: "人数",
  actual: "实际",
  trend: "趋势",
  forecast: "预测",
  range: "预测区间",
  yourValue: "标记值",
};

export function words(lang: Lang): Words {
  return lang === "zh" ? zh : en;
}
