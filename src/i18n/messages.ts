// The bot's sentences in English and Simplified Chinese. Replies use the language of the command.
import type { Lang } from "../reply.ts";

type Catalog = {
  unlinkedTitle: string;
  unlinked: (who: string) => string;
  deniedTitle: string;
  denied: (what: string) => string;
  notFoundRep: (who: string, suggestions: string[]) => string;
  ambiguousRep: (who: string, names: string[]) => string;
  notFoundTeam: (name: string, suggestions: string[], known: string[]) => string;
  noTeam: (known: string[]) => string;
  errorTitle: string;
  internalError: string;
  schedulesUnavailable: string;
  /** An export word on something that is no answer with figures (an error, a denial). */
  exportNothing: string;
  total: string;
  teamMedian: string;
  teamMean: string;
  reps: string;
  rank: (rank: number, of: number) => string;
  percentile: string;
  /** Fact label: open deals counted in pipeline that have no amount yet. */
  openWithoutAmount: string;
  trend: string;
  trendValue: (perBucket: string, grain: string, r2: number | null) => string;
  orgMedian: string;
  orgMean: string;
  people: string;
  newFlag: string;
  withheld: (min: number) => string;
  noDataFor: (metric: string, who: string, period: string) => string;
  missingData: (metrics: string[]) => string;
  mixedCurrencies: (metric: string, currencies: string[], missing: string[], base: string) => string;
  forecast: string;
  forecastValue: (value: string, lower: string | null, upper: string | null) => string;
  correlation: (a: string, b: string) => string;
  vsPrevious: (label: string) => string;
  vsSameTime: (label: string) => string;
  you: string;
  teamMedianSeries: string;
  name: string;
  change: string;
  flag: string;
  lowFlag: string;
  topFlag: string;
  week: string;
  month: string;
  summaryTeam: (args: { metric: string; scope: string; period: string; total: string; delta?: string; n: number; flagsLow: number; flagsTop: number }) => string;
  /** The flag count that ends summaryTeam (a shared post removes it with the flags). */
  flagCount: (low: number, top: number) => string;
  /** A shared post's fact naming the top performers (their figures stay private). */
  topPerformers: string;
  summaryRep: (args: { metric: string; who: string; period: string; value: string; delta?: string; median: string; rank?: string }) => string;
  summaryAggregate: (args: { metric: string; scope: string; period: string; total: string; median: string; n: number }) => string;
  noData: (metric: string, period: string) => string;
  reasonZ: (args: { metric: string; value: string; median: string; mads: string; dir: "below" | "above" }) => string;
  reasonQuota: (attainment: string) => string;
  titleQuery: (metric: string, scope: string, period: string) => string;
  titleCompare: (metric: string, scope: string, a: string, b: string) => string;
  titleTop: (dir: "top" | "bottom", n: number, metric: string, scope: string, period: string) => string;
  org: string;
  team: (name: string) => string;
  helpTitle: string;
  help: string;
  metricsTitle: string;
  metric: string;
  definition: string;
  followTrend: string;
  followCompare: string;
  followDist: string;
  followWinrate: string;
  followActivities: (name: string) => string;
  followMe: string;
  advice: Record<AdviceKey, string>;
};

export type AdviceKey =
  | "qualification" | "pipelineGeneration" | "dealSize" | "velocity" | "quotaPlan"
  | "serviceTriage" | "serviceQuality" | "serviceKnowledge" | "marketingSpend" | "marketingFunnel"
  | "shareWins" | "generic";

const en: Catalog = {
  unlinkedTitle: "You're not linked to a CRM user yet",
  unlinked: (who) =>
    `I couldn't find a CRM user for ${who}. Ask your kpi-bot admin to add your email (or your Slack/Teams user id) to the reps list: \`npm run import -- reps reps.csv\`.`,
  deniedTitle: "Not allowed",
  denied: (what) => `You can see your own numbers, your team's aggregates, and (as a manager) the reps you manage — not ${what}.`,
  notFoundRep: (who, s) => `I couldn't find a person called '${who}' among the people you can see.` + (s.length ? ` Did you mean ${s.map((x) => `'${x}'`).join(" or ")}?` : ""),
  ambiguousRep: (who, names) => `'${who}' matches several people: ${names.join(", ")}. Use their email.`,
  notFoundTeam: (name, s, known) =>
    `unknown team '${name}'` + (s.length ? ` — did you mean ${s.map((x) => `'${x}'`).join(" or ")}?` : known.length ? `. Teams: ${known.join(", ")}.` : ""),
  noTeam: (known) => `You don't manage or belong to a team, so name one: ${known.map((k) => `\`/kpi team ${k}\``).join(", ")}.`,
  errorTitle: "I didn't understand that",
  internalError: "Something went wrong on my side while answering. It has been logged; please try again in a minute.",
  schedulesUnavailable: "Digests and alerts are delivered in Slack and Teams; this console can't schedule them.",
  exportNothing: "No file: only an answer with figures can be exported (csv, xlsx).",
  total: "Total",
  teamMedian: "Team median",
  teamMean: "Team mean",
  reps: "Reps",
  rank: (r, of) => `${r} of ${of}`,
  percentile: "Percentile",
  openWithoutAmount: "Open deals without an amount",
  trend: "Trend",
  trendValue: (v, g, r2) => `${v} per ${g}${r2 === null ? "" : ` (r² ${r2.toFixed(2)})`}`,
  orgMedian: "Org median",
  orgMean: "Org mean",
  people: "People",
  newFlag: "new",
  withheld: (min) => `withheld (fewer than ${min} people contributed)`,
  noDataFor: (m, who, p) => `No ${m} recorded for ${who} in ${p}.`,
  missingData: (ms) => `(No ${ms.join(" or ")} data here, so ${ms.length > 1 ? "they were" : "it was"} not considered.)`,
  mixedCurrencies: (m, cs, missing, base) =>
    `${m} here is recorded in ${cs.join(", ")}, which can't be added up without exchange rates` +
    (missing.length ? ` to ${base} (missing: ${missing.join(", ")})` : "") +
    `. Import monthly rates (\`npm run import -- rates rates.csv\`) or ask about a scope that uses one currency.`,
  forecast: "Forecast to period end",
  forecastValue: (v, lo, hi) => (lo !== null && hi !== null ? `${v} (95% interval ${lo} – ${hi})` : v),
  correlation: (a, b) => `${a} ↔ ${b} across reps`,
  vsPrevious: (l) => `vs ${l}`,
  vsSameTime: (l) => `vs same point of ${l}`,
  you: "You",
  teamMedianSeries: "Team median",
  name: "Name",
  change: "Change",
  flag: "Flag",
  lowFlag: "⚠ low",
  topFlag: "★ top",
  week: "week",
  month: "month",
  summaryTeam: (a) =>
    `${a.scope}: ${a.metric} ${a.total}${a.delta ? ` (${a.delta})` : ""} in ${a.period} across ${a.n} reps.` + en.flagCount(a.flagsLow, a.flagsTop),
  flagCount: (low, top) => (low + top > 0 ? ` ${low} flagged low, ${top} top.` : " Nobody flagged."),
  topPerformers: "Top performers",
  summaryRep: (a) =>
    `${a.who}: ${a.metric} ${a.value}${a.delta ? ` (${a.delta})` : ""} in ${a.period}; team median ${a.median}${a.rank ? `, rank ${a.rank}` : ""}.`,
  summaryAggregate: (a) => `${a.scope}: ${a.metric} ${a.total} in ${a.period}; median per rep ${a.median} across ${a.n} reps.`,
  noData: (m, p) => `No ${m} data for ${p}.`,
  reasonZ: (a) => `${a.metric} ${a.value} vs team median ${a.median}, ${a.mads} MADs ${a.dir}`,
  reasonQuota: (q) => `quota attainment ${q}`,
  titleQuery: (m, s, p) => `${m} · ${s} · ${p}`,
  titleCompare: (m, s, a, b) => `${m} · ${s} · ${a} vs ${b}`,
  titleTop: (d, n, m, s, p) => `${d === "top" ? "Top" : "Bottom"} ${n} · ${m} · ${s} · ${p}`,
  org: "Whole org",
  team: (n) => `Team ${n}`,
  helpTitle: "kpi-bot help",
  help: [
    "Ask for a metric, a scope and a period, in any order:",
    "• `/kpi team east sales last-quarter` — a team's sales with flagged low and top performers",
    "• `/kpi rep @li.wei winrate this-month` — one rep (managers: your reps)",
    "• `/kpi me` — your own standing (private)",
    "• `/kpi org deals ytd`, `/kpi top 5 sales q3`, `/kpi team sales q3 dist`",
    "• `/kpi compare q2 vs q3` — two periods side by side",
    "• `/kpi metrics` — every metric and how it is computed",
    "• `/kpi subscribe weekly team sales mon 09:00`, `/kpi alert team winrate below 20%`, `/kpi alert me quota milestones`, `/kpi subscriptions` — digests and alerts (Slack, Teams)",
    "Periods: today, this|last week|month|quarter|year, ytd, q3, q3-2026, 2026-09, 2026-07-01..2026-09-30, last 30 days.",
    "中文也可以：`/kpi 团队 销售额 上季度`",
  ].join("\n"),
  metricsTitle: "Metrics",
  metric: "Metric",
  definition: "Definition",
  followTrend: "Win rate",
  followCompare: "Compare with previous",
  followDist: "Distribution",
  followWinrate: "Win rate",
  followActivities: (n) => `${n}: activities`,
  followMe: "My standing",
  advice: {
    qualification: "Plenty of activity but few wins: review qualification with them (which deals to pursue, when to walk away).",
    pipelineGeneration: "Activity is low: plan pipeline generation — a weekly target of calls and meetings, and prospecting time blocked in the calendar.",
    dealSize: "Wins are small: coach on discovery and multi-product offers to raise the average deal.",
    velocity: "Deals take long to close: review stalled opportunities together and agree next steps with dates.",
    quotaPlan: "Behind quota: agree a gap-closing plan on the open pipeline for the rest of the period.",
    serviceTriage: "Slow first responses: check queue assignment and working hours, and set up triage for new tickets.",
    serviceQuality: "Low satisfaction: review a few rated tickets together and coach on tone and ownership.",
    serviceKnowledge: "Tickets take long to resolve: pair with a senior agent and add the recurring fixes to the knowledge base.",
    marketingSpend: "Leads cost a lot: shift budget from the most expensive channels to the cheapest converting ones.",
    marketingFunnel: "Leads don't convert: review targeting and the landing page, and add nurturing for cold leads.",
    shareWins: "Ask them to share what works in the next team meeting, or pair them with someone who is struggling.",
    generic: "Talk it through in the next one-to-one and agree one concrete change to try.",
  },
};

const zh: Catalog = {
  unlinkedTitle: "你还没有关联 CRM 用户",
  unlinked: (who) => `找不到 ${who} 对应的 CRM 用户。请让 kpi-bot 管理员把你的邮箱（或 Slack/Teams 用户 ID）加入人员名单：\`npm run import -- reps reps.csv\`。`,
  deniedTitle: "没有权限",
  denied: (what) => `你可以查看自己的数据、所在团队的汇总数据，以及（作为经理）你管理的销售的数据——但不能查看${what}。`,
  notFoundRep: (who, s) => `在你可查看的人员中找不到“${who}”。` + (s.length ? `你是想找 ${s.map((x) => `“${x}”`).join(" 或 ")} 吗？` : ""),
  ambiguousRep: (who, names) => `“${who}”匹配到多人：${names.join("、")}。请使用邮箱。`,
  notFoundTeam: (name, s, known) =>
    `未知团队“${name}”` + (s.length ? `——你是想找 ${s.map((x) => `“${x}”`).join(" 或 ")} 吗？` : known.length ? `。现有团队：${known.join("、")}。` : ""),
  noTeam: (known) => `你不属于也不管理任何团队，请指定团队：${known.map((k) => `\`/kpi 团队 ${k}\``).join("、")}。`,
  errorTitle: "没看懂这条命令",
  internalError: "回答时出了点问题，已记录。请稍后再试。",
  schedulesUnavailable: "摘要和提醒通过 Slack 和 Teams 发送；此控制台无法设置。",
  exportNothing: "未生成文件：只有包含数据的回答才能导出（csv、xlsx）。",
  total: "合计",
  teamMedian: "团队中位数",
  teamMean: "团队平均值",
  reps: "人数",
  rank: (r, of) => `第 ${r} / ${of} 名`,
  percentile: "百分位",
  openWithoutAmount: "未填金额的未结订单",
  trend: "趋势",
  trendValue: (v, g, r2) => `每${g} ${v}${r2 === null ? "" : `（r² ${r2.toFixed(2)}）`}`,
  orgMedian: "全公司中位数",
  orgMean: "全公司平均值",
  people: "人数",
  newFlag: "新人",
  withheld: (min) => `不予显示（贡献者少于 ${min} 人）`,
  noDataFor: (m, who, p) => `${p} ${who}没有${m}记录。`,
  missingData: (ms) => `（此范围没有${ms.join("或")}数据，因此未纳入考虑。）`,
  mixedCurrencies: (m, cs, missing, base) =>
    `这里的${m}以 ${cs.join("、")} 记录，没有汇率无法相加` + (missing.length ? `（缺少到 ${base} 的汇率：${missing.join("、")}）` : "") +
    `。请导入月度汇率（\`npm run import -- rates rates.csv\`），或查询只使用一种货币的范围。`,
  forecast: "期末预测",
  forecastValue: (v, lo, hi) => (lo !== null && hi !== null ? `${v}（95% 区间 ${lo} – ${hi}）` : v),
  correlation: (a, b) => `${a} 与 ${b} 的相关性`,
  vsPrevious: (l) => `对比 ${l}`,
  vsSameTime: (l) => `对比 ${l} 同期`,
  you: "你",
  teamMedianSeries: "团队中位数",
  name: "姓名",
  change: "变化",
  flag: "标记",
  lowFlag: "⚠ 偏低",
  topFlag: "★ 优秀",
  week: "周",
  month: "月",
  summaryTeam: (a) =>
    `${a.scope}：${a.period} ${a.metric} ${a.total}${a.delta ? `（${a.delta}）` : ""}，共 ${a.n} 人。` + zh.flagCount(a.flagsLow, a.flagsTop),
  flagCount: (low, top) => (low + top > 0 ? `${low} 人偏低，${top} 人优秀。` : "无人被标记。"),
  topPerformers: "表现最佳",
  summaryRep: (a) =>
    `${a.who}：${a.period} ${a.metric} ${a.value}${a.delta ? `（${a.delta}）` : ""}；团队中位数 ${a.median}${a.rank ? `，排名 ${a.rank}` : ""}。`,
  summaryAggregate: (a) => `${a.scope}：${a.period} ${a.metric} ${a.total}；人均中位数 ${a.median}，共 ${a.n} 人。`,
  noData: (m, p) => `${p} 没有${m}数据。`,
  reasonZ: (a) => `${a.metric} ${a.value}，团队中位数 ${a.median}，${a.dir === "below" ? "低于" : "高于"}中位数 ${a.mads} 个 MAD`,
  reasonQuota: (q) => `配额完成率 ${q}`,
  titleQuery: (m, s, p) => `${m} · ${s} · ${p}`,
  titleCompare: (m, s, a, b) => `${m} · ${s} · ${a} 对比 ${b}`,
  titleTop: (d, n, m, s, p) => `${d === "top" ? "前" : "后"} ${n} 名 · ${m} · ${s} · ${p}`,
  org: "全公司",
  team: (n) => `团队 ${n}`,
  helpTitle: "kpi-bot 帮助",
  help: [
    "指定指标、范围和时间段，顺序随意：",
    "• `/kpi 团队 东区 销售额 上季度` —— 团队销售额，并标出偏低和优秀的成员",
    "• `/kpi 销售 李伟 赢单率 本月` —— 单个销售（经理可查看下属）",
    "• `/kpi 我` —— 你自己的排名（仅自己可见）",
    "• `/kpi 对比 上季度 和 本季度`、`/kpi 指标`",
    "• `/kpi 订阅 每周 团队 销售额 周一 09:00`、`/kpi 提醒 团队 赢单率 低于 20%`、`/kpi 提醒 我 配额 里程碑`、`/kpi 我的订阅` —— 周报和提醒（Slack、Teams）",
    "时间段：今天、本周、上周、本月、上月、本季度、上季度、今年、去年、最近30天、2026-09、q3-2026。",
    "English works too: `/kpi team east sales last-quarter`",
  ].join("\n"),
  metricsTitle: "指标",
  metric: "指标",
  definition: "定义",
  followTrend: "赢单率",
  followCompare: "与上期对比",
  followDist: "分布",
  followWinrate: "赢单率",
  followActivities: (n) => `${n}：活动量`,
  followMe: "我的排名",
  advice: {
    qualification: "活动量充足但赢单少：一起复盘线索筛选（哪些商机值得跟进、何时放弃）。",
    pipelineGeneration: "活动量偏低：制定拓客计划——每周电话和会议目标，并在日历中预留开发时间。",
    dealSize: "单笔金额偏小：辅导需求挖掘和组合销售，提高平均单价。",
    velocity: "成交周期偏长：一起梳理停滞的商机，约定带日期的下一步行动。",
    quotaPlan: "配额完成落后：针对剩余商机制定追赶计划。",
    serviceTriage: "首次响应慢：检查工单分配和值班时间，为新工单设置分诊。",
    serviceQuality: "满意度偏低：一起回顾几张已评分工单，辅导沟通语气和责任意识。",
    serviceKnowledge: "解决时间长：安排资深同事结对，并把常见问题的解决办法加入知识库。",
    marketingSpend: "线索成本高：把预算从最贵的渠道转向转化最便宜的渠道。",
    marketingFunnel: "线索转化低：检查投放定位和落地页，并为冷线索增加培育。",
    shareWins: "请他/她在下次团队会议上分享经验，或与遇到困难的同事结对。",
    generic: "在下次一对一沟通中讨论，并约定一项具体的改进。",
  },
};

export const MESSAGES: Readonly<Record<Lang, Catalog>> = { en, zh };

export function messages(lang: Lang): Catalog {
  return MESSAGES[lang];
}
