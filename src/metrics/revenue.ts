// "revenue" names two figures: won sales, and the revenue campaigns are credited with. Which one a
// question means follows from whose figure it asks for; said once, here.
import type { Lang } from "../i18n/lang.ts";
import type { MetricFunction } from "./metric.ts";

/** The words that say "revenue" without saying whose (they are `sales` words in the registry). */
export const REVENUE_WORDS: Readonly<Record<Lang, readonly string[]>> = { en: ["revenue"], zh: ["收入", "营收"] };

export function isRevenueWord(src: string): boolean {
  const w = src.trim().toLowerCase();
  return REVENUE_WORDS.en.includes(w) || REVENUE_WORDS.zh.includes(w);
}

/**
 * What "revenue" means for a scope: attributed campaign revenue for a marketing team or a person
 * in one; won sales otherwise. Org-wide (every function at once) it is sales, `assumed` so the
 * answer says so. Example: `revenueMeaning("team", "marketing")` → `{ metric: "attributed", assumed: false }`.
 */
export function revenueMeaning(target: "org" | "team" | "rep", fn: MetricFunction | null): { metric: "sales" | "attributed"; assumed: boolean } {
  if (target === "org") return { metric: "sales", assumed: true };
  return { metric: fn === "marketing" ? "attributed" : "sales", assumed: false };
}

/** Said under an org-wide "revenue" answer (sales assumed), with the question for the other meaning. */
export const REVENUE_NOTE: Readonly<Record<Lang, { text: string; label: string; command: string }>> = {
  en: { text: "“Revenue” here is won sales; for the revenue campaigns brought in, ask `org attributed`.", label: "Attributed revenue", command: "/kpi org attributed" },
  zh: { text: "这里的“收入”指成交销售额；营销活动带来的归因收入请问 `公司 归因收入`。", label: "归因收入", command: "/kpi 公司 归因收入" },
};
