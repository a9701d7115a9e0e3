
/**
 * The words of the command language, in one place: metric ids and their aliases,
 * scope keywords, period words, options and filler words, in English and Chinese.
 * Everything here is data; `lex.ts` reads it, help text and suggestions list it.
 *
 * Multi-word English entries are matched token by token ("win rate" matches `win rate`
 * and, through the dash rule, `win-rate`). Chinese entries are matched as whole
 * segments, also inside unspaced text (`团队东区销售额上季度`).
 */

import { Lang } from "../i18n/lang.ts";
import { METRICS, MetricId } from "../metrics/index.ts";
import { DIMENSIONS as DIMENSION_DEFS, DIMENSION_IDS, type Dimension } from "../dimensions/registry.ts";

export { Lang, MetricId };

/** Words per language. The first English and first Chinese word are the display names. */
export type Words = { readonly en: readonly string[]; readonly zh: readonly string[] };

/**
 * Every alias of every metric (the registry's words). The id itself is always accepted (listed first).
 * Example: `METRIC_ALIASES.winrate.zh` → `["赢单率", "成交率"]`.
 */
export const METRIC_ALIASES: Readonly<Record<MetricId, Words>> = Object.fromEntries(
  MetricId.options.map((id) => [id, METRICS[id].words]),
) as Record<MetricId, Words>;

/** The aliases of one metric in one language, display name first. */
export function metricAliases(id: MetricId, lang: Lang): readonly string[] {
  return METRIC_ALIASES[id][lang];
}

export type ScopeWord = "me" | "rep" | "team" | "org";

/**
 * Scope keywords. `rep` and `team` take a name after them (one word, a quoted string,
 * a mention or an email). `team` without a name means the asker's own team(s).
 * `me` followed directly by another scope keyword is a possessive ("my team") and dropped.
 * Chinese `销售` without a name after it is the sales metric (`本月销售`).
 */
export const SCOPE_WORDS: Readonly<Record<ScopeWord, Words>> = {
  me: { en: ["me", "my", "mine", "myself"], zh: ["我", "我的", "我自己", "自己"] },
  rep: { en: ["rep"], zh: ["销售", "代表", "销售代表"] },
  team: { en: ["team"], zh: ["团队"] },
  org: {
    en: ["org", "organization", "organisation", "company", "whole company", "everyone"],
    zh: ["公司", "全公司", "组织", "全员"],
  },
};

/** `me` words that are possessive before another scope word: "my team", "我的团队", "我公司". */
export const POSSESSIVE_WORDS: readonly string[] = ["my", "我的", "我"];

/** The Chinese scope word that falls back to the sales metric when no name follows it. */
export const ZH_REP_OR_SALES = "销售";

export type Unit = "day" | "week" | "month" | "quarter" | "year";

/** English words that make a relative period with a unit: `last quarter`, `this-month`. */
export const RELATIVE_WORDS: Readonly<Record<string, number>> = {
  this: 0,
  current: 0,
  last: -1,
  previous: -1,
  prev: -1,
  next: 1,
};

export const UNIT_WORDS: Readonly<Record<string, Unit>> = {
  week: "week",
  month: "month",
  quarter: "quarter",
  year: "year",
};

/** Units for `last N days|weeks|months`. */
export const LAST_N_UNIT_WORDS: Readonly<Record<string, "day" | "week" | "month">> = {
  day: "day",
  days: "day",
  week: "week",
  weeks: "week",
  month: "month",
  months: "month",
};

/** English month names (and abbreviations). `may` only counts next to a year ("may I see" is filler). */
export const MONTH_NAMES: Readonly<Record<string, number>> = {
  january: 1, jan: 1, february: 2, feb: 2, march: 3, mar: 3, april: 4, apr: 4, may: 5,
  june: 6, jun: 6, july: 7, jul: 7, august: 8, aug: 8, september: 9, sep: 9, sept: 9,
  october: 10, oct: 10, november: 11, nov: 11, december: 12, dec: 12,
};

export type PeriodWord =
  | { kind: "relative"; unit: Unit; offset: number }
  | { kind: "toDate"; unit: "month" | "quarter" | "year" };

/** Single-word periods (English). */
export const PERIOD_WORDS_EN: Readonly<Record<string, PeriodWord>> = {
  today: { kind: "relative", unit: "day", offset: 0 },
  yesterday: { kind: "relative", unit: "day", offset: -1 },
  tomorrow: { kind: "relative", unit: "day", offset: 1 },
  ytd: { kind: "toDate", unit: "year" },
  qtd: { kind: "toDate", unit: "quarter" },
  mtd: { kind: "toDate", unit: "month" },
  "year to date": { kind: "toDate", unit: "year" },
  "quarter to date": { kind: "toDate", unit: "quarter" },
  "month to date": { kind: "toDate", unit: "month" },
};

/** Whole-word Chinese periods. Numbered forms (`2026年第3季度`, `最近30天`) are patterns in lex.ts. */
export const PERIOD_WORDS_ZH: Readonly<Record<string, PeriodWord>> = {
  今天: { kind: "relative", unit: "day", offset: 0 },
  今日: { kind: "relative", unit: "day", offset: 0 },
  昨天: { kind: "relative", unit: "day", offset: -1 },
  昨日: { kind: "relative", unit: "day", offset: -1 },
  明天: { kind: "relative", unit: "day", offset: 1 },
  本周: { kind: "relative", unit: "week", offset: 0 },
  这周: { kind: "relative", unit: "week", offset: 0 },
  本星期: { kind: "relative", unit: "week", offset: 0 },
  这个星期: { kind: "relative", unit: "week", offset: 0 },
  上周: { kind: "relative", unit: "week", offset: -1 },
  上星期: { kind: "relative", unit: "week", offset: -1 },
  上个星期: { kind: "relative", unit: "week", offset: -1 },
  下周: { kind: "relative", unit: "week", offset: 1 },
  下个星期: { kind: "relative", unit: "week", offset: 1 },
  本月: { kind: "relative", unit: "month", offset: 0 },
  这个月: { kind: "relative", unit: "month", offset: 0 },
  当月: { kind: "relative", unit: "month", offset: 0 },
  上月: { kind: "relative", unit: "month", offset: -1 },
  上个月: { kind: "relative", unit: "month", offset: -1 },
  下月: { kind: "relative", unit: "month", offset: 1 },
  下个月: { kind: "relative", unit: "month", offset: 1 },
  本季度: { kind: "relative", unit: "quarter", offset: 0 },
  本季: { kind: "relative", unit: "quarter", offset: 0 },
  这个季度: { kind: "relative", unit: "quarter", offset: 0 },
  当季: { kind: "relative", unit: "quarter", offset: 0 },
  上季度: { kind: "relative", unit: "quarter", offset: -1 },
  上季: { kind: "relative", unit: "quarter", offset: -1 },
  上个季度: { kind: "relative", unit: "quarter", offset: -1 },
  下季度: { kind: "relative", unit: "quarter", offset: 1 },
  下个季度: { kind: "relative", unit: "quarter", offset: 1 },
  今年: { kind: "relative", unit: "year", offset: 0 },
  本年: { kind: "relative", unit: "year", offset: 0 },
  本财年: { kind: "relative", unit: "year", offset: 0 },
  去年: { kind: "relative", unit: "year", offset: -1 },
  上一年: { kind: "relative", unit: "year", offset: -1 },
  明年: { kind: "relative", unit: "year", offset: 1 },
  年初至今: { kind: "toDate", unit: "year" },
  今年以来: { kind: "toDate", unit: "year" },
  本年迄今: { kind: "toDate", unit: "year" },
  本季度至今: { kind: "toDate", unit: "quarter" },
  本月至今: { kind: "toDate", unit: "month" },
};

/** Option and command keywords. */
export const OPTION_WORDS = {
  top: { en: ["top", "best", "highest"], zh: ["最高", "最好"] },
  bottom: { en: ["bottom", "worst", "lowest"], zh: ["最低", "最差"] },
  /** Ranking without a direction: top, default N. */
  rank: { en: ["rank", "ranking", "leaderboard"], zh: ["排名", "排行", "排行榜"] },
  dist: { en: ["dist", "distribution", "histogram"], zh: ["分布"] },
  compare: { en: ["compare", "comparison"], zh: ["对比", "比较"] },
  vs: { en: ["vs", "vs.", "versus", "against"], zh: ["相比", "相对"] },
  help: { en: ["help", "usage"], zh: ["帮助", "使用说明", "用法"] },
  metrics: { en: ["metrics", "metric", "kpis", "measures"], zh: ["指标", "指标列表"] },
  /** The key metrics of the scope's function(s) in one reply. */
  scorecard: { en: ["scorecard", "score card", "scorecards"], zh: ["计分卡", "记分卡"] },
} as const satisfies Record<string, Words>;

export type OptionWord = keyof typeof OPTION_WORDS;

/** File formats an answer can be exported as (`csv`, `xlsx`). */
export const EXPORT_FORMATS = ["csv", "xlsx"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * Export words: `export`/`导出` alone means CSV; a format word names the file type
 * (`导出 xlsx`, `csv`, `excel`). Any of them makes the answer come with a file.
 */
export const EXPORT_WORDS: Readonly<Record<"export" | ExportFormat, Words>> = {
  export: { en: ["export", "download"], zh: ["导出", "下载"] },
  csv: { en: ["csv"], zh: [] },
  xlsx: { en: ["xlsx", "excel"], zh: [] },
};

/** What a breakdown may group by (`by team`, `按月`): the dimension registry's ids. */
export const DIMENSIONS = DIMENSION_IDS;
export type DimensionWord = Dimension;

/** `by <dimension>` phrases. English `by` alone stays filler ("sales by team east"). */
export const BY_WORDS: Readonly<Record<DimensionWord, Words>> = Object.fromEntries(
  DIMENSION_IDS.map((id) => [id, DIMENSION_DEFS[id].by]),
) as Record<DimensionWord, Words>;

/** Value-filter keywords (`product "GTX Pro"`, `地区 华东`), per filterable dimension. */
export const FILTER_WORDS: Readonly<Partial<Record<DimensionWord, Words>>> = Object.fromEntries(
  DIMENSION_IDS.flatMap((id) => {
    const f = DIMENSION_DEFS[id].filter;
    return f ? [[id, f]] : [];
  }),
);

/** Range joiners between two dates: `2026-07-01 to 2026-09-30`, `2026-07-01至2026-09-30`. */
export const RANGE_JOINERS: readonly string[] = ["..", "...", "~", "to", "through", "thru", "until", "-", "至", "到"];

/**
 * Words ignored so a plain question works: "how did team east do on sales last quarter?".
 * Kept free of words that are likely team names; a team called like a filler must be quoted.
 */
export const FILLER_WORDS: Words = {
  en: [
    "how", "did", "do", "does", "doing", "done", "on", "the", "for", "in", "of", "what", "what's",
    "whats", "is", "was", "were", "are", "be", "been", "has", "have", "had", "i", "our", "we", "us",
    "a", "an", "at", "by", "to", "from", "and", "with", "about", "during", "over", "per", "please",
    "pls", "can", "could", "would", "you", "see", "get", "give", "tell", "show", "display", "list",
    "view", "check", "let", "let's", "know", "want", "like", "how's", "hows", "there", "which",
    "all", "available", "so", "far", "up", "its", "it's", "kpi", "/kpi", "stats", "statistics",
    "numbers", "number", "figures", "performance", "perf", "results", "result", "report", "dashboard",
    "overview", "summary", "looking", "look", "going", "reps", "people", "sellers",
    "salespeople", "members", "teams", "total", "between", "period", "show me", "give me", "tell me",
    "let me see", "let me know", "as of", "so far", "may",
  ],
  zh: [
    "的", "了", "吗", "呢", "吧", "啊", "是", "在", "和", "与", "跟", "及", "怎么样", "怎样", "如何",
    "多少", "什么", "哪些", "有哪些", "请", "请问", "查看", "查询", "看看", "看一下", "显示", "一下",
    "给我", "我想看", "我想知道", "想看", "帮我", "帮我看", "表现", "情况", "数据", "业绩", "统计",
    "报告", "汇总", "概览", "所有", "全部", "期间", "期间内", "以来", "目前", "现在", "为止",
  ],
};

/** Examples of period words, for help text and the "Try:" hints. */
export const PERIOD_EXAMPLES: Words = {
  en: [
    "today", "yesterday", "this week", "last month", "last-quarter", "this-year", "ytd", "q3",
    "q3-2026", "2026-09", "2026", "2026-07-01..2026-09-30", "last 30 days",
  ],
  zh: ["今天", "本周", "上周", "本月", "上月", "本季度", "上季度", "今年", "去年", "最近30天", "2026年第3季度"],
};
