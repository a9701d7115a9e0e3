// What each metric means: unit, which direction is good, and its definition in both languages.
// The README's metrics table is this file in prose; keep them together.
import type { MetricId } from "../command/index.ts";
import type { Lang, Unit } from "../reply.ts";

export type MetricDef = {
  id: MetricId;
  unit: Unit;
  lowerIsBetter: boolean;
  /** Summable across reps (sales, counts) vs an average or ratio (win rate, medians). */
  additive: boolean;
  domain: "sales" | "service" | "marketing";
  name: Record<Lang, string>;
  definition: Record<Lang, string>;
};

const def = (d: MetricDef) => d;

export const METRICS: Readonly<Record<MetricId, MetricDef>> = {
  sales: def({ id: "sales", unit: "currency", lowerIsBetter: false, additive: true, domain: "sales",
    name: { en: "Sales", zh: "销售额" },
    definition: { en: "sum of amounts of deals won with close date in the period", zh: "期内成交（赢单）的订单金额之和" } }),
  deals: def({ id: "deals", unit: "count", lowerIsBetter: false, additive: true, domain: "sales",
    name: { en: "Deals won", zh: "成交数" },
    definition: { en: "count of won deals closed in the period", zh: "期内赢单的订单数" } }),
  winrate: def({ id: "winrate", unit: "percent", lowerIsBetter: false, additive: false, domain: "sales",
    name: { en: "Win rate", zh: "赢单率" },
    definition: { en: "won / (won + lost) among deals closed in the period", zh: "期内关闭的订单中 赢单 /（赢单 + 输单）" } }),
  avgdeal: def({ id: "avgdeal", unit: "currency", lowerIsBetter: false, additive: false, domain: "sales",
    name: { en: "Average deal", zh: "平均单价" },
    definition: { en: "mean amount of won deals closed in the period", zh: "期内赢单订单的平均金额" } }),
  cycle: def({ id: "cycle", unit: "days", lowerIsBetter: true, additive: false, domain: "sales",
    name: { en: "Sales cycle", zh: "销售周期" },
    definition: { en: "median days from creation to close of won deals closed in the period (lower is better)", zh: "期内赢单订单从创建到关闭的天数中位数（越低越好）" } }),
  pipeline: def({ id: "pipeline", unit: "currency", lowerIsBetter: false, additive: true, domain: "sales",
    name: { en: "Pipeline", zh: "商机管道" },
    definition: { en: "sum of amounts of deals open at the end of the period", zh: "期末仍未关闭的订单金额之和" } }),
  activities: def({ id: "activities", unit: "count", lowerIsBetter: false, additive: true, domain: "sales",
    name: { en: "Activities", zh: "活动量" },
    definition: { en: "count of logged activities (calls, meetings, emails) in the period", zh: "期内记录的活动（电话、会议、邮件）数" } }),
  quota: def({ id: "quota", unit: "percent", lowerIsBetter: false, additive: false, domain: "sales",
    name: { en: "Quota attainment", zh: "配额完成率" },
    definition: { en: "sales / quota for the period (attainment), when quotas exist", zh: "期内销售额 / 配额（有配额时）" } }),
  csat: def({ id: "csat", unit: "score", lowerIsBetter: false, additive: false, domain: "service",
    name: { en: "CSAT", zh: "满意度" },
    definition: { en: "mean satisfaction score (1–5) of tickets resolved in the period", zh: "期内已解决工单的平均满意度（1–5）" } }),
  frt: def({ id: "frt", unit: "minutes", lowerIsBetter: true, additive: false, domain: "service",
    name: { en: "First response", zh: "首次响应" },
    definition: { en: "median minutes from ticket open to first response, tickets opened in the period (lower is better)", zh: "期内新建工单从创建到首次响应的分钟数中位数（越低越好）" } }),
  resolution: def({ id: "resolution", unit: "hours", lowerIsBetter: true, additive: false, domain: "service",
    name: { en: "Resolution time", zh: "解决时间" },
    definition: { en: "median hours from open to resolve, tickets resolved in the period (lower is better)", zh: "期内已解决工单从创建到解决的小时数中位数（越低越好）" } }),
  leads: def({ id: "leads", unit: "count", lowerIsBetter: false, additive: true, domain: "marketing",
    name: { en: "Leads", zh: "线索" },
    definition: { en: "leads of campaigns starting in the period", zh: "期内开始的营销活动带来的线索数" } }),
  conversion: def({ id: "conversion", unit: "percent", lowerIsBetter: false, additive: false, domain: "marketing",
    name: { en: "Conversion", zh: "转化率" },
    definition: { en: "conversions / leads, campaigns starting in the period", zh: "期内开始的营销活动 转化数 / 线索数" } }),
  cpl: def({ id: "cpl", unit: "currency", lowerIsBetter: true, additive: false, domain: "marketing",
    name: { en: "Cost per lead", zh: "单条线索成本" },
    definition: { en: "spend / leads, campaigns starting in the period (lower is better)", zh: "期内开始的营销活动 花费 / 线索数（越低越好）" } }),
  roi: def({ id: "roi", unit: "percent", lowerIsBetter: false, additive: false, domain: "marketing",
    name: { en: "ROI", zh: "投资回报率" },
    definition: { en: "(attributed revenue − spend) / spend, campaigns starting in the period", zh: "期内开始的营销活动（归因收入 − 花费）/ 花费" } }),
};
