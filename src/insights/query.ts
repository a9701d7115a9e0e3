// Command + data + statistics → Reply: the figures, the flags with reasons and advice, the trend
// and forecast, chart specs and follow-ups. Aggregation happens in SQL (data/kpi-queries.ts).
import { decide, type Viewer } from "../access/rules.ts";
import { periodToken, type MetricId, type Period } from "../command/index.ts";
import { attainment, fetchMetric, fetchMetrics, fetchQuotaAmounts, hasSeries, type MetricFigures, type SeriesMode, type Window } from "../data/kpi-queries.ts";
import { fetchRolledUpMany, rollupServes, type RolledMetric } from "../data/rollups.ts";
import type { PrismaClient } from "../data/db.ts";
import { messages } from "../i18n/messages.ts";
import type { ChartSpec, Fact, FollowUp, Lang, Reply, ReplyFlag, Table } from "../reply.ts";
import { flagPerformers, forecast, forecastTotal, linearTrend, mean, median, pearson, percentileRank, type Flag, type FlagOptions } from "../stats/index.ts";
import { denseSeries } from "../time/buckets.ts";
import { localDate } from "../time/zone.ts";
import { adviceForLow, contextMetrics, type Context } from "./advice.ts";
import { formatDelta, formatPercentile, formatSlope, formatValue } from "./format.ts";
import { METRICS, type MetricDef } from "./metrics.ts";
import type { Person, Resolved } from "./targets.ts";

export type EngineDeps = {
  prisma: PrismaClient;
  now: () => Date;
  timeZone: string;
  fiscalYearStartMonth: number;
  currency: string;
  flagOptions?: FlagOptions;
};

/** Smallest group whose median and mean are shown to someone who may not see its members. */
export const MIN_AGGREGATE_GROUP = 3;

/** The period actually measured: up to now when it is still running. */
function clip(period: Period, now: Date): { window: Window; inProgress: boolean } & Pick<Period, "start" | "end"> {
  const inProgress = period.start <= now && now < period.end;
  return { start: period.start, end: period.end, inProgress, window: { start: period.start, end: inProgress ? now : period.end, timeZone: "UTC" } };
}

/** Values per group member: additive metrics count a rep without records as 0, others as unknown. */
function memberValues(def: MetricDef, figures: MetricFigures, group: Person[]): Map<number, number | null> {
  return new Map(group.map((p) => [p.id, figures.perRep.get(p.id) ?? (def.additive ? 0 : null)]));
}

const nonNull = (xs: Iterable<number | null>) => [...xs].filter((x): x is number => x !== null && Number.isFinite(x));

export type QueryInput = {
  metric: MetricId;
  period: Period;
  previous: Period;
  resolved: Resolved;
  rank?: { dir: "top" | "bottom"; n: number } | undefined;
  view: "summary" | "dist";
  lang: Lang;
  /** "channel": the answer is for a channel, so no individual figures whatever the asker may see. */
  audience?: "asker" | "channel";
};

export async function answerQuery(deps: EngineDeps, viewer: Viewer, q: QueryInput): Promise<Reply> {
  const t = messages(q.lang);
  const def = METRICS[q.metric];
  const now = deps.now();
  const { resolved, lang } = q;
  const decision = decide(viewer, resolved.target);
  const individuals = decision.level === "individuals" && q.audience !== "channel";
  const ids = resolved.group.map((p) => p.id);
  const cur = clip(q.period, now);
  cur.window.timeZone = deps.timeZone;
  // A running period is compared with the same stretch of the previous one, not all of it.
  const elapsed = cur.window.end.getTime() - cur.window.start.getTime();
  const prevEnd = cur.inProgress ? new Date(Math.min(q.previous.start.getTime() + elapsed, q.previous.end.getTime())) : q.previous.end;
  const prevWindow: Window = { start: q.previous.start, end: prevEnd, timeZone: deps.timeZone };
  const grain = q.period.grain === "year" ? "month" : "week";
  const personal = resolved.subject !== null;
  const wantsQuota = q.metric === "sales";

  // One wave of independent queries (concurrent on PostgreSQL's pool): the metric with its series,
  // the previous period, quotas (a small table), and, where flags may be shown, the other metrics
  // the advice rules read — fetched together rather than after the flags, to save a round trip.
  const showsFlags = individuals && !personal;
  // May the asker see every group member's figure (not just the subject's)?
  const groupVisible =
    q.audience !== "channel" &&
    (personal ? resolved.subject!.teamId !== null && decide(viewer, { kind: "team", teamId: resolved.subject!.teamId }).level === "individuals" : individuals);

  const ctxMetrics = showsFlags ? contextMetrics(q.metric) : [];
  // Attainment is always against the whole period's quota, also while the period runs.
  const fullWindow: Window = { start: q.period.start, end: q.period.end, timeZone: deps.timeZone };
  const fetchFor = async (window: Window, full: Window, options: Parameters<typeof fetchMetric>[4] = {}) =>
    q.metric === "quota"
      ? attainment(...(await Promise.all([fetchMetric(deps.prisma, "sales", ids, window), fetchQuotaAmounts(deps.prisma, ids, full)])))
      : fetchMetric(deps.prisma, q.metric, ids, window, options);
  const seriesMode: SeriesMode = hasSeries(q.metric) ? (personal ? "perRep" : "total") : "none";
  // Where the rollups hold the metric and its context, one statement reads their totals for both
  // periods, and a second, concurrent one the weekly series (the larger part of the work).
  const together = ids.length > 0 && rollupServes([q.metric, ...ctxMetrics], cur.window, seriesMode, grain);
  const main = q.metric as RolledMetric;
  const rolled = together
    ? fetchRolledUpMany(deps.prisma, ids, [{ metrics: [main, ...(ctxMetrics as RolledMetric[])], window: cur.window }, { metrics: [main], window: prevWindow }])
    : null;
  const rolledSeries = together && seriesMode !== "none" ? fetchRolledUpMany(deps.prisma, ids, [{ metrics: [main], window: cur.window, series: seriesMode, totals: false }]) : null;
  const current = rolled?.then(([c]) => c!);
  const [figures, prevFigures, quotas, ctxFigures] = await Promise.all([
    current
      ? Promise.all([current, rolledSeries]).then(([c, s]) => ({ ...c.get(main)!, ...(s ? { series: s[0]!.get(main)!.series, seriesPerRep: s[0]!.get(main)!.seriesPerRep } : {}) }))
      : fetchFor(cur.window, fullWindow, { series: seriesMode, grain }),
    rolled ? rolled.then(([, p]) => p!.get(q.metric as RolledMetric)!) : fetchFor(prevWindow, { start: q.previous.start, end: q.previous.end, timeZone: deps.timeZone }),
    wantsQuota && showsFlags ? fetchQuotaAmounts(deps.prisma, ids, fullWindow) : Promise.resolve(null),
    current
      ? current.then((fs) => new Map<MetricId, MetricFigures>(ctxMetrics.map((m) => [m, fs.get(m as RolledMetric)!])))
      : ctxMetrics.length > 0 ? fetchMetrics(deps.prisma, ctxMetrics, ids, cur.window) : Promise.resolve(new Map<MetricId, MetricFigures>()),
  ]);
  const quota = quotas ? attainment(figures, quotas) : null;
  const values = memberValues(def, figures, resolved.group);
  const prevValues = memberValues(def, prevFigures, resolved.group);
  const known = nonNull(values.values());
  // Aggregates over fewer than 3 people with a value give their figures away (a median of two,
  // a total minus one's own), so only askers who may see every member get them then.
  const aggregatesShown = groupVisible || known.length >= MIN_AGGREGATE_GROUP;
  const groupMedian = aggregatesShown ? median(known) : null;
  const fmt = (v: number | null) => formatValue(v, def.unit, lang, deps.currency);
  const deltaLabel = cur.inProgress ? t.vsSameTime(q.previous.label) : t.vsPrevious(q.previous.label);
  const facts: Fact[] = [];
  const flags: ReplyFlag[] = [];
  const charts: ChartSpec[] = [];
  let table: Table | undefined;
  const periodLabel = q.period.label;

  // Flags: only where individual figures may be shown.
  let rawFlags: Flag[] = [];
  if (showsFlags) {
    rawFlags = flagPerformers(
      resolved.group.map((p) => ({ id: p.id, value: values.get(p.id) ?? null, quotaAttainment: quota?.perRep.get(p.id) ?? null })),
      { lowerIsBetter: def.lowerIsBetter, ...deps.flagOptions },
    );
  }
  const byId = new Map(resolved.group.map((p) => [p.id, p]));
  const ctxValues = ctxMetrics.map((m) => {
    const values = memberValues(METRICS[m], ctxFigures.get(m)!, resolved.group);
    return { m, values, median: median(nonNull(values.values())) };
  });
  for (const f of rawFlags) {
    const id = Number(f.id);
    const who = byId.get(id)?.name ?? String(id);
    const reasons: string[] = [];
    if (f.basis.includes("robust_z") && f.madsFromMedian !== null) {
      reasons.push(t.reasonZ({ metric: def.name[lang], value: fmt(f.value), median: fmt(f.median), mads: f.madsFromMedian.toFixed(1), dir: (f.z ?? 0) < 0 ? "below" : "above" }));
    }
    if (f.basis.includes("quota") && f.quotaAttainment !== null) reasons.push(t.reasonQuota(formatValue(f.quotaAttainment, "percent", lang)));
    let advice: string;
    if (f.kind === "low") {
      const ctx: Context = Object.fromEntries(ctxValues.map(({ m, values: vs, median: med }) => [m, { value: vs.get(id) ?? null, median: med }]));
      advice = t.advice[adviceForLow(q.metric, ctx, f.quotaAttainment)];
    } else {
      advice = t.advice.shareWins;
    }
    flags.push({ kind: f.kind, subject: who, reason: reasons.join("; "), advice });
  }
  const activities = ctxValues.find((c) => c.m === "activities");
  if (activities && def.domain === "sales") {
    const pairs = resolved.group.map((p) => [activities.values.get(p.id) ?? null, values.get(p.id) ?? null] as const).filter((x): x is readonly [number, number] => x[0] !== null && x[1] !== null);
    const r = pearson(pairs.map((x) => x[0]), pairs.map((x) => x[1]));
    if (r !== null) facts.push({ label: t.correlation(METRICS.activities.name[lang], def.name[lang]), value: `r = ${r.toFixed(2)}` });
  }
  const flagOf = new Map(rawFlags.map((f) => [Number(f.id), f.kind]));

  // Headline facts.
  if (personal) {
    const subject = resolved.subject!;
    const own = values.get(subject.id) ?? null;
    facts.unshift({ label: subject.id === viewer.id ? t.you : subject.name, value: fmt(own), delta: formatDelta(own, prevValues.get(subject.id) ?? null, def.unit, def.lowerIsBetter, lang) });
    facts.push({ label: t.teamMedian, value: fmt(groupMedian) });
    const ranked = rankOrder(def, known);
    if (own !== null && known.length > 1) {
      const rank = ranked.indexOf(own) + 1;
      facts.push({ label: t.percentile, value: `${t.rank(rank, known.length)} · ${formatPercentile(percentileFor(def, known, own), lang)}` });
    }
  } else {
    facts.unshift(
      aggregatesShown
        ? { label: t.total, value: fmt(figures.total), delta: formatDelta(figures.total, prevFigures.total, def.unit, def.lowerIsBetter, lang) }
        : { label: t.total, value: fmt(null) },
      { label: t.teamMedian, value: fmt(groupMedian) },
      { label: t.teamMean, value: fmt(aggregatesShown ? mean(known) : null) },
      { label: t.reps, value: String(resolved.group.length) },
    );
  }

  // Trend and forecast on the scope's series.
  const bucketLabel = (d: Date) => d.toISOString().slice(0, grain === "month" ? 7 : 10);
  // The trend of what the answer is about: the subject's own series, or the scope's.
  const series = personal ? figures.seriesPerRep.get(resolved.subject!.id) ?? [] : figures.series;
  const dense = hasSeries(q.metric) && (aggregatesShown || personal) ? denseSeries(series, cur.window, grain, def.additive) : [];
  const points = dense.flatMap((p, i) => (p.value === null ? [] : [{ x: i, y: p.value }]));
  const trend = points.length >= 3 ? linearTrend(points) : null;
  let forecastPoints: { label: string; value: number; lower: number | null; upper: number | null }[] | null = null;
  if (trend) {
    facts.push({ label: t.trend, value: t.trendValue(formatSlope(trend.slope, def.unit, lang, deps.currency), grain === "month" ? t.month : t.week, trend.r2) });
    if (cur.inProgress) {
      // Future buckets: the week (month) starts after the last one with data, up to the period end.
      const last = dense[dense.length - 1]!.bucket;
      const future: Date[] = [];
      for (let i = 1; i < 60; i++) {
        const next = grain === "week" ? new Date(last.getTime() + i * 7 * 86_400_000) : new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() + i, 1));
        if (localDate(next, "UTC") >= localDate(q.period.end, deps.timeZone)) break;
        future.push(next);
      }
      const futureXs = future.map((_, i) => dense.length + i);
      if (def.additive && futureXs.length > 0) {
        const rest = forecastTotal(trend, futureXs, points);
        const soFar = (personal ? values.get(resolved.subject!.id) : figures.total) ?? 0;
        facts.push({ label: t.forecast, value: t.forecastValue(fmt(soFar + rest.value), rest.lower === null ? null : fmt(soFar + rest.lower), rest.upper === null ? null : fmt(soFar + rest.upper)) });
      } else if (futureXs.length > 0) {
        const f = forecast(trend, futureXs[futureXs.length - 1]!, points);
        facts.push({ label: t.forecast, value: t.forecastValue(fmt(f.value), f.lower === null ? null : fmt(f.lower), f.upper === null ? null : fmt(f.upper)) });
      }
      forecastPoints = futureXs.map((x, i) => {
        const f = forecast(trend, x, points);
        return { label: bucketLabel(future[i]!), value: f.value, lower: f.lower, upper: f.upper };
      });
    }
  }

  // Table and bar chart: individuals only.
  const title = q.rank
    ? t.titleTop(q.rank.dir, q.rank.n, def.name[lang], resolved.label, periodLabel)
    : t.titleQuery(def.name[lang], resolved.label, periodLabel);
  if (individuals && !personal) {
    const rows = resolved.group
      .map((p) => ({ p, v: values.get(p.id) ?? null, prev: prevValues.get(p.id) ?? null, rank: 0 }))
      .sort((a, b) => compareForRank(def, a.v, b.v));
    rows.forEach((r, i) => (r.rank = i + 1));
    const shown = q.rank ? (q.rank.dir === "top" ? rows.slice(0, q.rank.n) : rows.slice(-q.rank.n).reverse()) : rows;
    table = {
      columns: ["#", t.name, def.name[lang], t.change, t.flag],
      align: ["right", "left", "right", "right", "left"],
      rows: shown.map((r) => [
        String(r.rank),
        r.p.name,
        fmt(r.v),
        formatDelta(r.v, r.prev, def.unit, def.lowerIsBetter, lang)?.text ?? "",
        flagOf.get(r.p.id) === "low" ? t.lowFlag : flagOf.get(r.p.id) === "top" ? t.topFlag : "",
      ]),
    };
    charts.push({
      kind: "bar",
      title: `${def.name[lang]} · ${resolved.label} · ${periodLabel}`,
      unit: def.unit,
      currency: deps.currency,
      lang,
      bars: shown.filter((r) => r.v !== null).map((r) => ({ label: r.p.name, value: r.v!, flag: flagOf.get(r.p.id) ?? null })),
      median: groupMedian,
    });
  }
  if (personal && hasSeries(q.metric)) {
    const subject = resolved.subject!;
    const buckets = figures.series.map((s) => s.bucket.getTime());
    const perRep = figures.seriesPerRep;
    const valueAt = (repId: number, b: number) => perRep.get(repId)?.find((s) => s.bucket.getTime() === b)?.value ?? (def.additive ? 0 : null);
    charts.push({
      kind: "personal",
      title: `${def.name[lang]} · ${subject.name} · ${periodLabel}`,
      unit: def.unit,
      currency: deps.currency,
      lang,
      labels: buckets.map((b) => bucketLabel(new Date(b))),
      own: buckets.map((b) => valueAt(subject.id, b)),
      teamMedian: buckets.map((b) => {
        const inBucket = nonNull(resolved.group.map((p) => valueAt(p.id, b)));
        return groupVisible || inBucket.length >= MIN_AGGREGATE_GROUP ? median(inBucket) : null;
      }),
      ownLabel: subject.id === viewer.id ? t.you : subject.name,
      teamLabel: t.teamMedianSeries,
    });
  } else if (dense.length > 0) {
    charts.push({
      kind: "trend",
      title: `${def.name[lang]} · ${resolved.label} · ${periodLabel}`,
      unit: def.unit,
      currency: deps.currency,
      lang,
      points: dense.map((s) => ({ label: bucketLabel(s.bucket), value: s.value ?? 0 })),
      trend: trend ? dense.map((s, x) => ({ label: bucketLabel(s.bucket), value: trend.intercept + trend.slope * x })) : null,
      forecast: forecastPoints,
    });
  }
  // Snapshot metrics (pipeline, quota) have no series: a personal answer shows where the rep
  // stands in the team's distribution instead. A distribution lists every member's value, so
  // it is only drawn for askers who may see each member's figures.
  const personalWithoutSeries = personal && !hasSeries(q.metric);
  if ((q.view === "dist" || personalWithoutSeries) && known.length > 0 && groupVisible) {
    charts.unshift({
      kind: "distribution",
      title: `${def.name[lang]} · ${resolved.label} · ${periodLabel}`,
      unit: def.unit,
      currency: deps.currency,
      lang,
      values: known,
      highlight: personal ? values.get(resolved.subject!.id) ?? null : null,
    });
  }

  const lowCount = flags.filter((f) => f.kind === "low").length;
  const summary = figures.totalCount === 0 && known.every((v) => v === 0)
    ? t.noData(def.name[lang], periodLabel)
    : personal
      ? t.summaryRep({
          metric: def.name[lang], who: resolved.subject!.id === viewer.id ? t.you : resolved.subject!.name, period: periodLabel,
          value: fmt(values.get(resolved.subject!.id) ?? null), delta: facts[0]?.delta ? `${facts[0].delta.text} ${deltaLabel}` : undefined,
          median: fmt(groupMedian), rank: facts.find((f) => f.label === t.percentile)?.value,
        })
      : individuals
        ? t.summaryTeam({ metric: def.name[lang], scope: resolved.label, period: periodLabel, total: fmt(figures.total), delta: facts[0]?.delta ? `${facts[0].delta.text} ${deltaLabel}` : undefined, n: resolved.group.length, flagsLow: lowCount, flagsTop: flags.length - lowCount })
        : t.summaryAggregate({ metric: def.name[lang], scope: resolved.label, period: periodLabel, total: fmt(aggregatesShown ? figures.total : null), median: fmt(groupMedian), n: resolved.group.length });

  const token = periodToken(q.period, deps.timeZone, deps.fiscalYearStartMonth);
  const scopeWords = resolved.target.kind === "org" ? "org" : resolved.target.kind === "team" ? `team "${resolved.label.replace(/^(Team |团队 )/, "")}"` : resolved.subject!.id === viewer.id ? "me" : `rep ${resolved.subject!.email}`;
  const followUps: FollowUp[] = [];
  if (q.metric !== "winrate" && def.domain === "sales") followUps.push({ label: t.followWinrate, command: `/kpi ${scopeWords} winrate ${token}` });
  followUps.push({ label: t.followCompare, command: `/kpi compare ${scopeWords} ${q.metric} ${token} vs ${periodToken(q.previous, deps.timeZone, deps.fiscalYearStartMonth)}` });
  if (q.view !== "dist") followUps.push({ label: t.followDist, command: `/kpi ${scopeWords} ${q.metric} ${token} dist` });
  const firstLow = rawFlags.find((f) => f.kind === "low");
  if (firstLow && def.domain === "sales") {
    const p = byId.get(Number(firstLow.id))!;
    followUps.push({ label: t.followActivities(p.name), command: `/kpi rep ${p.email} activities ${token}` });
  }

  return {
    kind: "answer",
    lang,
    title,
    summary,
    facts,
    table,
    charts,
    flags,
    followUps: followUps.slice(0, 5),
    figures: {
      metric: q.metric,
      unit: def.unit,
      currency: deps.currency,
      period: { label: periodLabel, start: q.period.start.toISOString(), end: q.period.end.toISOString() },
      total: personal ? values.get(resolved.subject!.id) ?? null : aggregatesShown ? figures.total : null,
      median: groupMedian,
      rows: individuals
        ? (personal ? [resolved.subject!] : resolved.group).map((p) => ({ name: p.name, email: p.email, value: values.get(p.id) ?? null }))
        : [],
    },
    about: personal ? (resolved.subject!.id === viewer.id ? "self" : "person") : "group",
    visibility: individuals ? "private" : "shareable",
  };
}

/** Best first: descending, or ascending for lower-is-better metrics; unknown values last. */
function compareForRank(def: MetricDef, a: number | null, b: number | null): number {
  if (a === null) return b === null ? 0 : 1;
  if (b === null) return -1;
  return def.lowerIsBetter ? a - b : b - a;
}

function rankOrder(def: MetricDef, xs: number[]): number[] {
  return [...xs].sort((a, b) => compareForRank(def, a, b));
}

/** Share of the group at or below this value on the "better" scale. */
function percentileFor(def: MetricDef, xs: number[], x: number): number {
  return def.lowerIsBetter ? percentileRank(xs.map((v) => -v), -x) ?? 0 : percentileRank(xs, x) ?? 0;
}
