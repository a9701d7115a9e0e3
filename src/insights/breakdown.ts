// A breakdown's answer (`org winrate by team`, `按月`): the metric computed over each group in SQL
// (one fetchFigures, current and previous period), each group disclosed by the contributors rule,
// then share, delta, rank and flags among the groups.
import { decide, expandTeams, seesOneByOne, type TeamNode, type Viewer } from "../access/rules.ts";
import type { Dimension } from "../command/index.ts";
import { DIMENSIONS, columnOf } from "../dimensions/registry.ts";
import { currenciesOf, moneyCurrency } from "../data/currencies.ts";
import { fetchFigures, peopleWithRecords } from "../data/figures.ts";
import { fetchSpendRevenue, type GroupBy, type GroupFigure, type Window } from "../data/kpi-queries.ts";
import { messages } from "../i18n/messages.ts";
import { timeKeys, type TimeGrain } from "../time/buckets.ts";
import { METRICS, valueRange, type Metric } from "../metrics/index.ts";
import { textReply, type Breakdown, type BreakdownGroup, type ChartSpec, type Fact, type Lang, type Reply, type ReplyFlag } from "../reply.ts";
import { flagPerformers, forecast as forecastAt, linearTrend, type FlagOptions } from "../stats/index.ts";
import { adviceForLow } from "./advice.ts";
import { MIN_CONTRIBUTORS, compareForRank, disclosure, membersFor, unsettled } from "./group.ts";
import { measuredWindow, type EngineDeps, type QueryInput } from "./query.ts";

export type BreakdownInput = QueryInput & { by: Dimension };

/** The words only a breakdown uses. */
const WORDS: Readonly<Record<Lang, {
  share: string; none: string; openDeals: string; by: (d: string) => string; notBy: (metric: string, d: string, works: string) => string; noTeams: string; groupAdvice: string;
  shiftBudget: (from: string, fromV: string, to: string, toV: string) => string; serviceGroup: (g: string, best: string, bestV: string) => string;
  regression: string; perThousand: (k: string, x: string, r2: string, n: number) => string;
  reasonZ: (a: { metric: string; value: string; median: string; mads: string; dir: "below" | "above" }) => string;
  topBudget: (g: string, v: string) => string; topGroup: (g: string, v: string) => string;
  grain: Record<"week" | "month" | "quarter", string>; forecastFor: (bucket: string) => string;
}>> = {
  en: {
    share: "Share",
    none: "(none)",
    openDeals: "Open deals",
    by: (d) => `by ${d}`,
    notBy: (m, d, works) => `${m} cannot be broken down ${d}${works ? `: it works for ${works}` : ""}. Try by team or by month.`,
    noTeams: "This scope has no teams to break down into. Try by rep or by month.",
    groupAdvice: "Compare this group's practices and workload with the best groups.",
    shiftBudget: (from: string, fromV: string, to: string, toV: string) => `Shift budget from ${from} (${fromV}) to ${to} (${toV}), the best of these groups.`,
    serviceGroup: (g: string, best: string, bestV: string) => `Check ${g}'s first-response times and open backlog (tickets waiting at period end) against ${best} (${bestV}): staffing per ticket and triage of new tickets first.`,
    regression: "Spend → attributed revenue",
    perThousand: (k: string, x: string, r2: string, n: number) => `each extra ${k} of spend brought ${x} of attributed revenue (r² ${r2}, ${n} groups)`,
    reasonZ: (a) => `${a.metric} ${a.value} vs the groups' median ${a.median}, ${a.mads} MADs ${a.dir}`,
    topBudget: (g, v) => `${g} (${v}) is the best of these groups: give it more of the budget while its results hold.`,
    topGroup: (g, v) => `Find out what makes ${g} (${v}) stand out and apply it to the other groups.`,
    grain: { week: "week", month: "month", quarter: "quarter" },
    forecastFor: (b) => `Forecast ${b}`,
  },
  zh: {
    share: "占比",
    none: "（无）",
    openDeals: "未关闭订单",
    by: (d) => `按${d}`,
    notBy: (m, d, works) => `${m}无法${d}拆分${works ? `：它适用于${works}` : ""}。试试 按团队 或 按月。`,
    noTeams: "该范围下没有可拆分的团队。试试 按销售 或 按月。",
    groupAdvice: "对照表现最好的分组，检查该分组的做法与工作量。",
    shiftBudget: (from: string, fromV: string, to: string, toV: string) => `把预算从 ${from}（${fromV}）转向 ${to}（${toV}，这些分组中最好的）。`,
    serviceGroup: (g: string, best: string, bestV: string) => `对照 ${best}（${bestV}）检查 ${g} 的首次响应时间和积压工单（期末仍未解决的工单）：先看人均工单量和新工单分诊。`,
    regression: "花费 → 归因收入",
    perThousand: (k: string, x: string, r2: string, n: number) => `每多花 ${k}，带来 ${x} 的归因收入（r² ${r2}，${n} 个分组）`,
    reasonZ: (a) => `${a.metric} ${a.value}，各分组中位数 ${a.median}，${a.dir === "below" ? "低于" : "高于"}中位数 ${a.mads} 个 MAD`,
    topBudget: (g, v) => `${g}（${v}）是这些分组中最好的：在效果保持的前提下给它更多预算。`,
    topGroup: (g, v) => `找出 ${g}（${v}）表现突出的原因，推广到其他分组。`,
    grain: { week: "周", month: "月", quarter: "季度" },
    forecastFor: (b) => `${b} 预测`,
  },
};

/**
 * The teams `by team` lists: the scope team's direct sub-teams (itself if it has none), for the org
 * its top teams; while only one of them holds people the metric ranks, that one's sub-teams instead
 * (the org's win rate by team lists East, West… rather than Sales alone).
 */
export function breakdownTeams(teams: readonly TeamNode[], scopeTeamId: number | null, holds: (teamId: number) => boolean): TeamNode[] {
  const children = (id: number | null) => teams.filter((t) => t.parentId === id);
  let out = scopeTeamId === null ? children(null) : children(scopeTeamId).length > 0 ? children(scopeTeamId) : teams.filter((t) => t.id === scopeTeamId);
  for (;;) {
    const used = out.filter((t) => holds(t.id));
    const only = used.length === 1 ? children(used[0]!.id) : [];
    if (only.length === 0) return used;
    out = only;
  }
}


/**
 * Why a metric cannot be broken down by a dimension (null when it can): quota has no groups; a
 * snapshot (pipeline, open deals) has no time buckets; a records' field exists on some records
 * only (product on deals, channel on campaigns). The message names what it works for.
 */
export function breakdownUnsupported(def: Pick<Metric, "source" | "records">, by: Dimension, snapshot: boolean): ((lang: Lang) => string) | null {
  const dim = DIMENSIONS[by];
  const kinds = Object.keys(dim.columns ?? {}) as (keyof typeof RECORD_WORDS)[];
  const works = (lang: Lang) => kinds.map((k) => RECORD_WORDS[k][lang]).join(lang === "zh" ? "、" : ", ");
  if (def.source === "quota") return () => "";
  // A snapshot (open pipeline, backlog) has no time of its own to bucket by.
  if ((snapshot || (typeof def.source !== "string" && def.source.openUntil)) && dim.kind === "time") return () => "";
  if (dim.kind === "field" && !columnOf(by, snapshot ? "deals" : def.records)) return works;
  return null;
}

const RECORD_WORDS = {
  deals: { en: "deal metrics (sales, win rate, pipeline …)", zh: "订单类指标（销售额、赢单率、管道…）" },
  campaigns: { en: "marketing (campaign) metrics", zh: "营销（活动）指标" },
  tickets: { en: "service (ticket) metrics", zh: "服务（工单）指标" },
  activities: { en: "activities", zh: "活动量" },
} as const;

type Group = { key: string; label: string; members: number; visible: boolean };

export async function answerBreakdown(deps: EngineDeps, viewer: Pick<Viewer, "id" | "role" | "managedTeamIds" | "directReportIds">, q: BreakdownInput): Promise<Reply> {
  const t = messages(q.lang);
  const w = WORDS[q.lang];
  const def = METRICS[q.metric];
  const { resolved, lang, visibility: vis } = q;
  const dim = DIMENSIONS[q.by];
  const isTime = dim.kind === "time";
  // `deals by stage` is the open pipeline by stage (won deals all sit in one closed stage).
  const open = q.by === "stage" && q.metric === "deals" ? ("count" as const) : undefined;
  const snapshot = open !== undefined || def.source === "pipeline";
  const title = `${open ? w.openDeals : def.name[lang]} · ${resolved.label} · ${q.period.label} · ${w.by(dim.name[lang])}`;
  const unsupported = breakdownUnsupported(def, q.by, snapshot);
  if (unsupported) return textReply("error", lang, title, w.notBy(def.name[lang], w.by(lang === "en" ? dim.name[lang].toLowerCase() : dim.name[lang]), unsupported(lang)));
  const now = deps.now();
  const cur = measuredWindow(q.period, now, deps.timeZone);
  const elapsed = cur.window.end.getTime() - cur.window.start.getTime();
  const prevWindow: Window = { start: q.previous.start, end: cur.inProgress ? new Date(Math.min(q.previous.start.getTime() + elapsed, q.previous.end.getTime())) : q.previous.end, timeZone: deps.timeZone };
  // A person's breakdown is about that person alone, not their comparison group.
  const people = resolved.subject ? [resolved.subject] : resolved.group;
  const withRecords = await peopleWithRecords(deps.prisma, def.records, unsettled(def, people, q.roster.teams));
  const members = membersFor(def, people, q.roster, withRecords, { start: q.period.start, end: cur.window.end });
  // People who left count in the groups' totals (history), never as listed members (not in `by rep`).
  const formerIds = resolved.subject || q.by === "rep" ? [] : resolved.former;
  const former = q.roster.former.filter((u) => formerIds.includes(u.id));
  const ids = [...members.map((p) => p.id), ...formerIds];
  const asker = vis.audience === "asker";
  // Whether the asker may see the people of a group: then its figure is shown whatever its size.
  const seesTeam = (teamId: number) => asker && (vis.individuals || decide(viewer as Viewer, { kind: "team", teamId }).level === "individuals");
  // People the asker already sees one by one (themselves, the teams they manage, their direct
  // reports) do not count towards a group's 3 contributors: else a group's figure minus theirs
  // would be one or two other people's. A channel sees nobody one by one.
  const seenIds = asker
    ? [...members, ...former].filter((p) => seesOneByOne(viewer, p)).map((p) => p.id)
    : [];

  let by: GroupBy;
  let fixed: Group[] | null = null;
  if (q.by === "team") {
    const scopeTeam = resolved.target.kind === "team" ? resolved.target.teamId : resolved.target.kind === "rep" ? resolved.target.teamId : null;
    const within = (teamId: number) => {
      const inside = expandTeams(q.roster.teams, [teamId]);
      return members.some((p) => p.teamId !== null && inside.has(p.teamId));
    };
    const teams = breakdownTeams(q.roster.teams, scopeTeam, within);
    const keys = new Map<number, string>();
    fixed = teams.map((team) => {
      const inside = expandTeams(q.roster.teams, [team.id]);
      const own = members.filter((p) => p.teamId !== null && inside.has(p.teamId));
      own.forEach((p) => keys.set(p.id, String(team.id)));
      former.filter((p) => p.teamId !== null && inside.has(p.teamId)).forEach((p) => keys.set(p.id, String(team.id)));
      return { key: String(team.id), label: team.name, members: own.length, visible: seesTeam(team.id) };
    });
    if (fixed.length === 0) return textReply("error", lang, title, w.noTeams);
    by = { kind: "owner", keys };
  } else if (q.by === "rep") {
    fixed = members.map((p) => ({
      key: String(p.id), label: p.name, members: 1,
      visible: asker && (vis.individuals || decide(viewer as Viewer, { kind: "rep", repId: p.id, teamId: p.teamId }).level === "individuals"),
    }));
    by = { kind: "owner", keys: new Map(members.map((p) => [p.id, String(p.id)])) };
  } else if (dim.kind === "field") {
    by = { kind: "field", dim: q.by };
  } else {
    by = { kind: "time", grain: dim.grain! };
  }

  // Money in several currencies is added only through the operator's rates, never as if equal.
  const currencies = await currenciesOf(deps.prisma, def, ids, cur.window);
  const money = await moneyCurrency(deps, def, ids, [cur.window, prevWindow], currencies);
  if (!money.ok) return textReply("error", lang, title, money.message(lang));
  const currency = money.currency;
  const moneyConvert = money.convert;
  // One wave: the groups over the period and, for categories, over the previous one. A snapshot
  // by stage has no past to compare with: a deal's stage is stored as it is now, not as it was.
  const compares = !isTime && !(snapshot && q.by === "stage");
  const [now_, prev] = await fetchFigures(deps.prisma, ids, [
    { metrics: [q.metric], window: cur.window, groupBy: by, open },
    ...(compares ? [{ metrics: [q.metric], window: prevWindow, groupBy: by, open }] : []),
  ], { convert: money.convert, params: deps.metricParams, filters: q.filters, seen: seenIds });
  const f = now_!.get(q.metric)!;
  const pf = prev?.get(q.metric);
  const found = f.perGroup ?? new Map<string, GroupFigure>();
  // Time groups: every bucket of the window, empty ones too (a trend over gaps would lie).
  const keys = isTime ? [...new Set([...timeKeys(cur.window, q.by as TimeGrain), ...found.keys()])].sort() : [...found.keys()].sort();
  const groups: Group[] = fixed ?? keys.map((key) => ({ key, label: found.get(key)?.label ?? (key === "" ? w.none : key), members: found.get(key)?.contributors ?? 0, visible: vis.individuals }));
  const breakdown = breakdownGroups(def, groups, found, pf?.perGroup ?? null, f.total, isTime);
  // The total, by the rule of every answer (group.ts): counting only contributors in groups the
  // asker does not already see one by one — else the total minus the visible groups is the rest.
  const hidden = f.totalHidden ?? f.totalContributors ?? 0;
  const hiddenIn = (key: string) => found.get(key)?.hidden ?? found.get(key)?.contributors ?? 0;
  let totalShown = vis.individuals || disclosure(vis, hidden).total;
  // Buckets over time are a series: like any trend, shown only from 5 hidden contributors.
  if (isTime && !vis.individuals && !disclosure(vis, hidden).spread) {
    for (const g of breakdown.groups) {
      if (g.value !== null || found.has(g.key)) breakdown.withheld.add(g.key);
      Object.assign(g, { value: null, share: null, delta: null });
    }
    breakdown.ranks.clear();
  }
  // Groups of a sum partition its total: total minus the groups shown is the withheld ones' sum,
  // so with a group withheld beside shown ones the total (and the shares implying it) is withheld.
  // Teams and people partition the contributors, so the withheld ones' hidden contributors add up:
  // from 3 of them the difference hides enough. Fields and buckets may share people: any withheld.
  const withheldHidden = [...breakdown.withheld].reduce((n, k) => n + hiddenIn(k), 0);
  if (!vis.individuals && def.additive && breakdown.withheld.size > 0 && breakdown.groups.some((g) => g.value !== null) && (fixed === null || withheldHidden < MIN_CONTRIBUTORS)) totalShown = false;
  for (const g of breakdown.groups) {
    if (!totalShown) g.share = null;
    // A field's or a bucket's member count is its contributors: how few, where withheld.
    if (g.value === null && breakdown.withheld.has(g.key) && fixed === null) g.members = null;
  }
  // Figures shown only because the asker may see the people behind them stay with the asker.
  const byRight =
    breakdown.groups.some((g) => g.value !== null && hiddenIn(g.key) < MIN_CONTRIBUTORS) ||
    (totalShown && f.total !== null && hidden < MIN_CONTRIBUTORS) ||
    (isTime && breakdown.groups.some((g) => g.value !== null) && !disclosure({ groupVisible: false }, hidden).spread);
  // Numbers a reason compares are written so that different values read differently.
  const known = breakdown.groups.flatMap((g) => (g.value === null ? [] : [g.value]));
  // Calendar buckets are not flagged: a low month is the trend's business, not a group's.
  const flags = isTime
    ? { flags: [], of: new Map<string, "low" | "top">() }
    : groupFlags(def, breakdown.groups, lang, deps.formats.comparable(known, def.unit, lang, currency), { ...deps.flagOptions, budget: q.by === "channel" || q.by === "campaign" });
  breakdown.groups.forEach((g) => (g.flag = flags.of.get(g.key) ?? null));
  const out: Breakdown = { by: q.by, groups: breakdown.groups };
  // What spend buys across campaigns (or channels): attributed revenue regressed on spend over
  // the groups the asker may see, in the answer's currency.
  const facts: Fact[] = [];
  if (def.records === "campaigns" && (q.by === "campaign" || q.by === "channel") && currency) {
    const disclosed = new Set(breakdown.groups.filter((g) => g.value !== null).map((g) => g.key));
    const money = (await fetchSpendRevenue(deps.prisma, ids, cur.window, q.by, { convert: moneyConvert, filters: q.filters })).filter((g) => disclosed.has(g.key));
    const fit = money.length >= 3 ? linearTrend(money.map((g) => ({ x: g.spend, y: g.revenue }))) : null;
    if (fit && fit.r2 !== null) {
      const cash = (v: number) => deps.formats.value(v, "currency", lang, currency);
      facts.push({ label: w.regression, value: w.perThousand(cash(100_000), cash(fit.slope * 100_000), fit.r2.toFixed(2), fit.n) });
    }
  }

  const fmt = (v: number | null) => deps.formats.value(v, def.unit, lang, currency);
  const cell = (g: BreakdownGroup) => (breakdown.withheld.has(g.key) ? t.withheld(MIN_CONTRIBUTORS) : fmt(g.value));
  const rows = isTime ? out.groups : [...out.groups].sort((a, b) => compareForRank(def, a.value, b.value));
  const picked = q.rank && !isTime ? (q.rank.dir === "top" ? rows.slice(0, q.rank.n) : rows.slice(-q.rank.n).reverse()) : rows;
  // The figures (and a file exported from them) hold the groups the answer shows, no more.
  const allGroups = out.groups.length;
  if (q.rank && !isTime) out.groups = picked;
  const ranks = breakdown.ranks;
  const table = {
    columns: ["#", dim.name[lang], open ? w.openDeals : def.name[lang], w.share, t.change, t.flag],
    align: ["right", "left", "right", "right", "right", "left"] as ("left" | "right")[],
    rows: picked.map((g) => [
      ranks.get(g.key) === undefined ? "" : String(ranks.get(g.key)),
      g.label,
      cell(g),
      g.share === null ? "" : deps.formats.value(g.share, "percent", lang),
      g.delta === null ? "" : deps.formats.delta(g.value, g.value! - g.delta, def.unit, def.lowerIsBetter, lang, currency)?.text ?? "",
      g.flag === "low" ? t.lowFlag : g.flag === "top" ? t.topFlag : "",
    ]),
  };
  const base = { title, unit: def.unit, currency: currency, lang, range: valueRange(def) };
  const shown = picked.filter((g): g is BreakdownGroup & { value: number } => g.value !== null);
  const charts: ChartSpec[] = [];
  if (isTime && shown.length > 0) {
    const line = timeTrend(shown, cur.inProgress ? timeKeys({ ...cur.window, start: q.period.start, end: q.period.end }, dim.grain!) : null, valueRange(def));
    charts.push({ kind: "trend", ...base, points: line.points, trend: line.trend, forecast: line.forecast });
    // The line's figures in words too, for text-only readers: slope per bucket, and the last bucket's forecast.
    if (line.fit) facts.push({ label: t.trend, value: t.trendValue(deps.formats.slope(line.fit.slope, def.unit, lang, currency), w.grain[dim.grain!], line.fit.r2) });
    const last = line.forecast?.at(-1);
    if (last) {
      const v = (x: number | null) => (x === null ? null : deps.formats.value(x, def.unit, lang, currency));
      facts.push({ label: w.forecastFor(last.label), value: t.forecastValue(v(last.value)!, v(last.lower), v(last.upper)) });
    }
  } else if (shown.length > 0) {
    charts.push({ kind: "bar", ...base, bars: shown.map((g) => ({ label: g.label, value: g.value, flag: g.flag })), median: null });
  }
  const withheldCount = breakdown.withheld.size;
  const summary =
    f.totalCount === 0 ? t.noData(def.name[lang], q.period.label)
    : `${def.overall[lang]}: ${totalShown ? fmt(f.total) : t.withheld(MIN_CONTRIBUTORS)} · ${allGroups} × ${dim.name[lang]}${withheldCount > 0 ? ` · ${withheldCount} ${t.withheld(MIN_CONTRIBUTORS)}` : ""}`;
  return {
    kind: "answer",
    lang,
    title,
    summary,
    facts,
    table,
    charts,
    flags: flags.flags,
    followUps: [],
    figures: {
      metric: q.metric,
      unit: def.unit,
      currency: currency,
      period: { label: q.period.label, start: q.period.start.toISOString(), end: q.period.end.toISOString() },
      total: totalShown ? f.total : null,
      median: null,
      members: members.length,
      rows: [],
      breakdown: out,
    },
    about: resolved.subject ? (resolved.subject.id === viewer.id ? "self" : "person") : "group",
    // Per-rep groups are figures about individual people; so is what only the asker's rights show.
    visibility: q.by === "rep" || resolved.subject || byRight ? "private" : "shareable",
  };
}

/**
 * A time breakdown's line: the trend over whole buckets and, while the period runs, the forecast
 * of the running bucket and those still to come (`periodKeys`: every bucket of the whole period),
 * each with its 95% prediction interval, clamped to the metric's range — the series forecast's
 * statistics (stats/trend.ts) on bucket indices.
 * Example: months 2026-01…2026-10 whole, 2026-11 running → forecast for 2026-11 and 2026-12.
 */
export function timeTrend(
  shown: readonly { key: string; value: number }[],
  periodKeys: readonly string[] | null,
  range: { min: number | null; max: number | null },
): {
  points: { label: string; value: number }[];
  trend: { label: string; value: number }[] | null;
  forecast: { label: string; value: number; lower: number | null; upper: number | null }[] | null;
  fit: { slope: number; r2: number | null } | null;
} {
  const points = shown.map((g) => ({ label: g.key, value: g.value }));
  const running = periodKeys ? shown.at(-1)?.key : undefined;
  // The running bucket is partial: left out of the fit (it would pull the line down).
  const whole = shown.filter((g) => g.key !== running);
  const index = new Map((periodKeys ?? shown.map((g) => g.key)).map((k, i) => [k, i]));
  const pts = whole.map((g) => ({ x: index.get(g.key) ?? 0, y: g.value }));
  const ys = pts.map((p) => p.y);
  const fit = pts.length >= 2 && ys.some((y) => y !== ys[0]) ? linearTrend(pts) : null;
  const trend = fit ? whole.map((g) => ({ label: g.key, value: fit.intercept + fit.slope * (index.get(g.key) ?? 0) })) : null;
  if (!fit || !periodKeys || running === undefined) return { points, trend, forecast: null, fit };
  const clamp = (v: number | null) => (v === null ? null : Math.min(range.max ?? Infinity, Math.max(range.min ?? -Infinity, v)));
  const future = periodKeys.slice(periodKeys.indexOf(running));
  const forecast = future.map((k) => {
    const f = forecastAt(fit, index.get(k)!, pts);
    return { label: k, value: clamp(f.value)!, lower: clamp(f.lower), upper: clamp(f.upper) };
  });
  return { points, trend, forecast, fit };
}

/**
 * Value, share (additive metrics), delta and rank per group. A group is withheld (`value: null`)
 * when the asker may not see its people and fewer than MIN_CONTRIBUTORS contributed. Time groups
 * take their delta from the bucket before; categories from the previous period (none without it).
 */
export function breakdownGroups(
  def: Pick<Metric, "additive" | "lowerIsBetter">,
  groups: readonly Group[],
  now: ReadonlyMap<string, GroupFigure>,
  previous: ReadonlyMap<string, GroupFigure> | null,
  total: number | null,
  isTime: boolean,
): { groups: BreakdownGroup[]; ranks: Map<string, number>; withheld: Set<string> } {
  const zero = def.additive ? 0 : null;
  // Counting the contributors the asker does not already see one by one, where the figures say.
  const disclosed = (g: Group, fig: GroupFigure | undefined) => g.visible || (fig?.hidden ?? fig?.contributors ?? 0) >= MIN_CONTRIBUTORS;
  const withheld = new Set<string>();
  const out = groups.map((g, i): BreakdownGroup => {
    const fig = now.get(g.key);
    const shown = disclosed(g, fig);
    if (!shown && fig !== undefined) withheld.add(g.key);
    const value = shown ? (fig?.value ?? zero) : null;
    // No previous figures at all (a snapshot by stage): no change to show, rather than "from 0".
    const before = isTime ? (i > 0 ? groups[i - 1]! : null) : previous === null ? null : g;
    const prevFig = before === null ? undefined : isTime ? now.get(before.key) : previous?.get(g.key);
    const prevShown = before !== null && disclosed(before, prevFig);
    const prevValue = prevShown ? (prevFig?.value ?? zero) : null;
    return {
      key: g.key,
      label: g.label,
      value,
      members: g.members,
      share: def.additive && value !== null && total !== null && total !== 0 ? value / total : null,
      delta: value !== null && prevValue !== null ? value - prevValue : null,
      flag: null,
    };
  });
  const ranked = out.filter((g) => g.value !== null).sort((a, b) => compareForRank(def, a.value, b.value));
  const ranks = new Map<string, number>();
  ranked.forEach((g, i) => ranks.set(g.key, i > 0 && ranked[i - 1]!.value === g.value ? ranks.get(ranked[i - 1]!.key)! : i + 1));
  return { groups: out, ranks, withheld };
}

/**
 * The advice for a group flagged low, at group level and with the figures: a marketing group
 * (a channel or campaign with a high cost per lead, a low ROI) → move budget to the best group;
 * a service group (a team with low CSAT, slow responses) → response times and backlog against the
 * best team; otherwise the metric's advice for a person, plus comparing with the best groups.
 */
export function groupAdvice(def: Metric, group: string, value: string, best: BreakdownGroup | null, lang: Lang, num: (v: number | null) => string, budget = true): string {
  const w = WORDS[lang];
  const t = messages(lang);
  const other = best && best.label !== group ? best : null;
  // Budget moves between channels or campaigns, not between people or teams.
  if (budget && def.function === "marketing" && other) return `${t.advice.marketingSpend} ${w.shiftBudget(group, value, other.label, num(other.value))}`;
  if (def.function === "service" && other) return w.serviceGroup(group, other.label, num(other.value));
  return `${t.advice[adviceForLow(def.id, {}, null)]} ${w.groupAdvice}`;
}

/** Groups flagged like people: robust z (MAD) among ≥ 5 disclosed groups, with the metric's minGap. */
export function groupFlags(def: Metric, groups: readonly BreakdownGroup[], lang: Lang, num: (v: number | null) => string, options?: Partial<FlagOptions> & { budget?: boolean }): { flags: ReplyFlag[]; of: Map<string, "low" | "top"> } {
  const w = WORDS[lang];
  const { budget = false, ...flagOptions } = options ?? {};
  const raw = flagPerformers(
    groups.map((g) => ({ id: g.key, value: g.value })),
    { lowerIsBetter: def.lowerIsBetter, minGap: def.minGap, ...flagOptions },
  ).filter((f) => f.basis.includes("robust_z"));
  const label = new Map(groups.map((g) => [g.key, g.label]));
  const best = groups.filter((g) => g.value !== null).sort((a, b) => compareForRank(def, a.value, b.value))[0] ?? null;
  const flags = raw.map((f): ReplyFlag => ({
    kind: f.kind,
    subject: label.get(String(f.id)) ?? String(f.id),
    reason: w.reasonZ({ metric: def.name[lang], value: num(f.value), median: num(f.median), mads: (f.madsFromMedian ?? 0).toFixed(1), dir: (f.z ?? 0) < 0 ? "below" : "above" }),
    advice: f.kind === "low"
      ? groupAdvice(def, label.get(String(f.id)) ?? String(f.id), num(f.value), best, lang, num, budget)
      : (budget && def.function === "marketing" ? w.topBudget : w.topGroup)(label.get(String(f.id)) ?? String(f.id), num(f.value)),
  }));
  return { flags, of: new Map(raw.map((f) => [String(f.id), f.kind])) };
}
