// A query's answer: read the figures (one fetchFigures), find who the metric ranks, apply what
// the request's visibility allows, then flags, series and presentation from their own modules.
import type { Roster } from "../access/roster.ts";
import type { Viewer, Visibility } from "../access/rules.ts";
import type { MetricId, Period } from "../command/index.ts";
import type { PrismaClient } from "../data/db.ts";
import { currenciesOf, moneyCurrency } from "../data/currencies.ts";
import { fetchFigures, peopleWithRecords } from "../data/figures.ts";
import { fetchQuotaAmounts, type AttainmentParts, type MetricFigures, type SeriesMode, type ValueFilter, type Window } from "../data/kpi-queries.ts";
import type { Formats } from "../format/index.ts";
import { messages } from "../i18n/messages.ts";
import { METRICS, valueRange, type Metric, type MetricParams } from "../metrics/index.ts";
import { textReply, type ChartSpec, type Fact, type Lang, type Reply, type Table } from "../reply.ts";
import { median, pearson, percentileRank, type FlagOptions } from "../stats/index.ts";
import { columnOf } from "../dimensions/registry.ts";
import { flagsFor, type Flagged } from "./flags.ts";
import { followUps } from "./follow-ups.ts";
import { MIN_CONTRIBUTORS, hiddenContributors, compareForRank, disclosure, groupFigures, membersFor, unsettled, rankable, type GroupFigures } from "./group.ts";
import { seriesView } from "./series.ts";
import type { Resolved } from "./targets.ts";

export type EngineDeps = {
  prisma: PrismaClient;
  now: () => Date;
  timeZone: string;
  fiscalYearStartMonth: number;
  currency: string;
  /** Number formatting with its memo of Intl formatters (one per bot). */
  formats: Formats;
  flagOptions?: Partial<FlagOptions>;
  /** Workspace settings metric SQL reads (the SLA target); absent: the defaults. */
  metricParams?: MetricParams;
};

/** What every answer is about and may show: the metric, the people, the request's visibility. */
export type AnswerInput = {
  metric: MetricId;
  resolved: Resolved;
  roster: Pick<Roster, "teams" | "byId" | "former">;
  visibility: Visibility;
  lang: Lang;
  /** Value filters (`product "GTX Pro"`), resolved to stored values; applied in SQL on every read. */
  filters?: readonly ValueFilter[];
};

export type QueryInput = AnswerInput & {
  period: Period;
  previous: Period;
  rank?: { dir: "top" | "bottom"; n: number } | undefined;
  view: "summary" | "dist";
};

/** The period actually measured: up to now while it runs. */
export function measuredWindow(period: Pick<Period, "start" | "end">, now: Date, timeZone: string): { window: Window; inProgress: boolean } {
  const inProgress = period.start <= now && now < period.end;
  return { inProgress, window: { start: period.start, end: inProgress ? now : period.end, timeZone } };
}

/** "vs same point of 2025" for a running year, not its clipped range. */
function previousName(q: Pick<QueryInput, "period" | "previous">, inProgress: boolean, timeZone: string): string {
  if (inProgress && q.period.grain === "year") return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric" }).format(q.previous.start);
  return q.previous.label;
}

export async function answerQuery(deps: EngineDeps, viewer: Pick<Viewer, "id" | "managedTeamIds" | "directReportIds">, q: QueryInput): Promise<Reply> {
  const t = messages(q.lang);
  const def = METRICS[q.metric];
  const { resolved, lang, visibility: vis } = q;
  const { formats } = deps;
  const now = deps.now();
  const cur = measuredWindow(q.period, now, deps.timeZone);
  // A running period is compared with the same stretch of the previous one, not all of it.
  const elapsed = cur.window.end.getTime() - cur.window.start.getTime();
  const prevWindow: Window = { start: q.previous.start, end: cur.inProgress ? new Date(Math.min(q.previous.start.getTime() + elapsed, q.previous.end.getTime())) : q.previous.end, timeZone: deps.timeZone };
  const grain = q.period.grain === "year" ? "month" : "week";
  const subject = resolved.subject;
  const showsFlags = vis.individuals && subject === null;
  // The subject's own records are read even when they are not ranked in the group (a manager's \`me\`).
  // People who left count in the group's totals (history), never among the ranked members.
  const ids = [...new Set([...resolved.group.map((p) => p.id), ...(resolved.subject ? [resolved.subject.id] : []), ...resolved.former])];
  const seriesMode: SeriesMode = def.series ? (subject ? "perRep" : "total") : "none";
  // Under a value filter, only context metrics whose records carry the filtered field.
  const context = showsFlags ? def.context.filter((m) => (q.filters ?? []).every((f) => columnOf(f.dim, METRICS[m].records) !== null)) : [];

  // One wave: the metric (with its series) and the advice context for the period, the metric for
  // the previous one, who has records of this kind at all, and quotas where flags may cite them.
  const read = (convert?: string) =>
    Promise.all([
      fetchFigures(deps.prisma, ids, [
        { metrics: [q.metric], window: cur.window, series: seriesMode, grain, quotaWindow: { start: q.period.start, end: q.period.end, timeZone: deps.timeZone } },
        { metrics: context, window: cur.window },
        { metrics: [q.metric], window: prevWindow, quotaWindow: { start: q.previous.start, end: q.previous.end, timeZone: deps.timeZone } },
      ], { convert, params: deps.metricParams, filters: q.filters }),
      q.metric === "sales" && showsFlags && !q.filters?.length ? fetchQuotaAmounts(deps.prisma, ids, { start: q.period.start, end: q.period.end, timeZone: deps.timeZone }) : Promise.resolve(null),
    ]);
  // Only people outside a team of the metric's function need their records looked up.
  const unsure = unsettled(def, resolved.group, q.roster.teams);
  const [first, withRecords, currencies] = await Promise.all([read(), peopleWithRecords(deps.prisma, def.records, unsure), currenciesOf(deps.prisma, def, ids, cur.window)]);
  // Money in several currencies is added only through the operator's rates, never as if equal.
  const money = await moneyCurrency(deps, def, ids, [cur.window, prevWindow], currencies);
  if (!money.ok) return textReply("error", lang, t.titleQuery(def.name[lang], resolved.label, q.period.label), money.message(lang));
  const [[figures, ctxFigures, prevFigures], quotas] = money.convert ? await read(money.convert) : first;
  const currency = money.currency;
  const f = figures!.get(q.metric)!;
  const members = membersFor(def, resolved.group, q.roster, withRecords, { start: q.period.start, end: cur.window.end });
  const g = groupFigures(def, f, members);
  const gp = groupFigures(def, prevFigures!.get(q.metric)!, members);
  const shown = disclosure(vis, vis.audience === "channel" ? g.contributors : hiddenContributors(g, viewer));
  const fmt = formats.comparable(g.known, def.unit, lang, currency);
  const fmtValue = (v: number | null) => formats.value(v, def.unit, lang, currency);
  const delta = (a: number | null, b: number | null) => formats.delta(a, b, def.unit, def.lowerIsBetter, lang, currency);
  const medianLabel = resolved.target.kind === "org" ? t.orgMedian : t.teamMedian;
  const withheld = t.withheld(MIN_CONTRIBUTORS);
  const deltaLabel = cur.inProgress ? t.vsSameTime(previousName(q, cur.inProgress, deps.timeZone)) : t.vsPrevious(q.previous.label);

  const flagged: Flagged = showsFlags
    ? flagsFor({
        metric: def, group: g, lang, currency, formats, fmt, options: deps.flagOptions, context: ctxFigures!,
        quota: quotas ? new Map(members.map((p) => [p.id, quotas.has(p.id) ? (g.values.get(p.id) ?? 0) / quotas.get(p.id)! : null])) : null,
      })
    : { raw: [], flags: [], of: new Map() };

  // Headline facts.
  const facts: Fact[] = [];
  let rankText: string | undefined;
  let own: number | null = null;
  const subjectName = subject ? (subject.id === viewer.id ? t.you : subject.name) : "";
  if (subject) {
    own = f.perRep.get(subject.id) ?? (def.additive ? 0 : null);
    facts.push({ label: subjectName, value: fmt(own), delta: delta(own, prevFigures!.get(q.metric)!.perRep.get(subject.id) ?? (def.additive ? 0 : null)) });
    facts.push({ label: medianLabel, value: shown.spread ? fmt(g.median) : withheld });
    // A rank among equals (five reps all at $0) says nothing.
    if (shown.spread && own !== null && g.values.has(subject.id) && rankable(g.known)) {
      const ranked = [...g.known].sort((a, b) => compareForRank(def, a, b));
      rankText = `${t.rank(ranked.indexOf(own) + 1, g.known.length)} · ${formats.percentile(percentileFor(def, g.known, own), lang)}`;
      facts.push({ label: t.percentile, value: rankText });
    }
  } else {
    facts.push(
      shown.total ? { label: def.overall[lang], value: fmt(g.total), delta: delta(g.total, gp.total) } : { label: def.overall[lang], value: withheld },
      { label: medianLabel, value: shown.spread ? fmt(g.median) : withheld },
      { label: resolved.target.kind === "org" ? t.orgMean : t.teamMean, value: shown.spread ? fmt(g.mean) : withheld },
      { label: t.people, value: String(members.length) },
    );
  }
  // Pipeline sums known amounts; say how many open deals it could not count.
  const unpriced = subject ? f.unpriced?.perRep.get(subject.id) ?? 0 : shown.total ? f.unpriced?.total ?? 0 : 0;
  if (unpriced > 0) facts.push({ label: t.openWithoutAmount, value: String(unpriced) });
  correlationFact(facts, def, g, ctxFigures!, lang);

  // Trend and forecast: the subject's own series, or the group's where its spread may be shown.
  const series = subject ? f.seriesPerRep.get(subject.id) ?? [] : shown.spread ? f.series : [];
  const view = def.series && (subject || shown.spread) && g.records > 0 ? seriesView(series, cur.window, q.period.end, grain, def.additive, valueRange(def)) : null;
  if (view?.trend) {
    facts.push({ label: t.trend, value: t.trendValue(formats.slope(view.trend.slope, def.unit, lang, currency), grain === "month" ? t.month : t.week, view.trend.r2) });
    const soFar = subject ? own : g.total;
    const fc = view.total ? { value: (soFar ?? 0) + view.total.value, lower: view.total.lower === null ? null : (soFar ?? 0) + view.total.lower, upper: view.total.upper === null ? null : (soFar ?? 0) + view.total.upper } : view.last;
    if (fc) {
      // Never below what is already in, nor below what the metric can take.
      const floor = Math.max(valueRange(def).min ?? -Infinity, view.total ? soFar ?? 0 : -Infinity);
      const c = (v: number | null) => (v === null ? null : fmtValue(Math.max(floor, v)));
      facts.push({ label: t.forecast, value: t.forecastValue(c(fc.value)!, c(fc.lower), c(fc.upper)) });
    }
  }

  const title = q.rank ? t.titleTop(q.rank.dir, q.rank.n, def.name[lang], resolved.label, q.period.label) : t.titleQuery(def.name[lang], resolved.label, q.period.label);
  const chartBase = { unit: def.unit, currency: currency, lang, range: valueRange(def) };
  const chartTitle = (who: string) => `${def.name[lang]} · ${who} · ${q.period.label}`;
  const charts: ChartSpec[] = [];
  let table: Table | undefined;
  if (vis.individuals && !subject) {
    const rows = members.map((p) => ({ p, v: g.values.get(p.id) ?? null, prev: gp.values.get(p.id) ?? null })).sort((a, b) => compareForRank(def, a.v, b.v));
    const ranked = rows.map((r, i) => ({ ...r, rank: i + 1 }));
    const picked = q.rank ? (q.rank.dir === "top" ? ranked.slice(0, q.rank.n) : ranked.slice(-q.rank.n).reverse()) : ranked;
    const mark = (id: number, isNew: boolean) => (flagged.of.get(id) === "low" ? t.lowFlag : flagged.of.get(id) === "top" ? t.topFlag : isNew ? t.newFlag : "");
    table = {
      columns: ["#", t.name, def.name[lang], t.change, t.flag],
      align: ["right", "left", "right", "right", "left"],
      rows: picked.map((r) => [String(r.rank), r.p.name, fmt(r.v), delta(r.v, r.prev)?.text ?? "", mark(r.p.id, r.p.isNew)]),
    };
    charts.push({ kind: "bar", title: chartTitle(resolved.label), ...chartBase, bars: picked.filter((r) => r.v !== null).map((r) => ({ label: r.p.name, value: r.v!, flag: flagged.of.get(r.p.id) ?? null })), median: g.median });
  }
  const label = (p: { label: string }) => p.label;
  if (subject && view) {
    const perRep = f.seriesPerRep;
    const at = (id: number, b: string) => perRep.get(id)?.find((s) => s.bucket.toISOString().startsWith(b))?.value ?? (def.additive ? 0 : null);
    charts.push({
      kind: "personal", title: chartTitle(subject.name), ...chartBase,
      labels: view.points.map(label),
      own: view.points.map((p) => p.value),
      teamMedian: view.points.map((p) => (shown.spread ? median(members.flatMap((m) => { const v = at(m.id, p.label); return v === null ? [] : [v]; })) : null)),
      ownLabel: subjectName, teamLabel: t.teamMedianSeries,
    });
  } else if (view && view.points.length > 0) {
    charts.push({
      kind: "trend", title: chartTitle(resolved.label), ...chartBase,
      points: view.points.map((p) => ({ label: p.label, value: p.value })),
      trend: view.trend ? view.points.map((p) => ({ label: p.label, value: view.trend!.intercept + view.trend!.slope * p.x })) : null,
      forecast: view.future.length > 0 ? view.future : null,
    });
  }
  // A distribution lists every member's value: only for askers who may see each of them.
  if ((q.view === "dist" || (subject && !def.series)) && g.known.length > 0 && vis.groupVisible) {
    charts.unshift({ kind: "distribution", title: chartTitle(resolved.label), ...chartBase, values: g.known, highlight: subject ? own : null });
  }

  const lowCount = flagged.flags.filter((x) => x.kind === "low").length;
  const deltaText = facts[0]?.delta ? `${facts[0].delta.text} ${deltaLabel}` : undefined;
  const summary =
    g.records === 0 ? t.noData(def.name[lang], q.period.label)
    : subject && (f.countPerRep.get(subject.id) ?? 0) === 0 ? t.noDataFor(def.name[lang], subjectName, q.period.label)
    : subject ? t.summaryRep({ metric: def.name[lang], who: subjectName, period: q.period.label, value: fmt(own), delta: deltaText, median: shown.spread ? fmt(g.median) : withheld, rank: rankText })
    : vis.individuals ? t.summaryTeam({ metric: def.name[lang], scope: resolved.label, period: q.period.label, total: fmt(g.total), delta: deltaText, n: members.length, flagsLow: lowCount, flagsTop: flagged.flags.length - lowCount })
    : t.summaryAggregate({ metric: def.name[lang], scope: resolved.label, period: q.period.label, total: shown.total ? fmt(g.total) : withheld, median: shown.spread ? fmt(g.median) : withheld, n: members.length });

  const firstLow = flagged.raw.find((x) => x.kind === "low");
  const lowPerson = firstLow ? members.find((p) => p.id === Number(firstLow.id)) ?? null : null;
  return {
    kind: "answer",
    lang,
    title,
    summary,
    facts,
    table,
    charts,
    flags: flagged.flags,
    followUps: followUps({ metric: q.metric, period: q.period, previous: q.previous, resolved, viewer, view: q.view, lang, timeZone: deps.timeZone, fiscalYearStartMonth: deps.fiscalYearStartMonth, firstLow: lowPerson }),
    figures: {
      metric: q.metric,
      unit: def.unit,
      currency: currency,
      period: { label: q.period.label, start: q.period.start.toISOString(), end: q.period.end.toISOString() },
      total: subject ? own : shown.total ? g.total : null,
      median: shown.spread ? g.median : null,
      members: members.length,
      ...attainmentParts(f, subject ? subject.id : shown.total ? "total" : null),
      rows: vis.individuals ? (subject ? [subject] : members).map((p) => ({ name: p.name, email: p.email, value: subject ? own : g.values.get(p.id) ?? null })) : [],
    },
    about: subject ? (subject.id === viewer.id ? "self" : "person") : "group",
    visibility: vis.individuals ? "private" : "shareable",
  };
}

/** Quota attainment's won and quota for the figure shown (a person's, or the total), if any. */
function attainmentParts(f: MetricFigures, of: number | "total" | null): { parts?: AttainmentParts } {
  const parts = of === null ? undefined : of === "total" ? f.parts?.total : f.parts?.perRep.get(of);
  return parts && parts.quota > 0 ? { parts } : {};
}

/** Activities against the metric across the people, where both exist (sales metrics). */
function correlationFact(facts: Fact[], def: Metric, g: GroupFigures, ctx: Map<MetricId, MetricFigures>, lang: Lang): void {
  const acts = ctx.get("activities");
  if (!acts || acts.totalCount === 0 || def.function !== "sales" || g.records === 0) return;
  const pairs = g.members.flatMap((p) => {
    const a = acts.perRep.get(p.id) ?? 0;
    const v = g.values.get(p.id) ?? null;
    return v === null ? [] : [[a, v] as const];
  });
  const r = pearson(pairs.map((x) => x[0]), pairs.map((x) => x[1]));
  const t = messages(lang);
  if (r !== null) facts.push({ label: t.correlation(METRICS.activities.name[lang], def.name[lang]), value: `r = ${r.toFixed(2)}` });
}

/** Share of the group at or below this value on the "better" scale. */
function percentileFor(def: Metric, xs: number[], x: number): number {
  return def.lowerIsBetter ? percentileRank(xs.map((v) => -v), -x) ?? 0 : percentileRank(xs, x) ?? 0;
}
