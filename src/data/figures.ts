// The one way the answer path reads figures: a list of requests (metrics over a window, with or
// without a series), each part read from the rollup tables where they can answer it and from the
// raw rows otherwise. Totals of every request share one rollup statement; series go in a second,
// concurrent one (the larger part of the work). Same figures either way (tested).
import { METRICS, RECORDS, isRolledUp, type MetricId, type MetricParams, type RecordKind, type RolledMetric } from "../metrics/index.ts";
import type { PrismaClient } from "./generated/client.ts";
import { attainment, fetchGrouped, fetchGroupedFamily, fetchMetric, fetchMetrics, fetchQuotaAmounts, type Grain, type GroupBy, type MetricFigures, type ReadFrom, type SeriesMode, type ValueFilter, type Window } from "./kpi-queries.ts";
import { timeBuckets, type TimeGrain } from "../time/buckets.ts";
import { fetchRolledUpGrouped, fetchRolledUpMany, rollupServes } from "./rollups.ts";

export type FigureRequest = {
  metrics: readonly MetricId[];
  window: Window;
  series?: SeriesMode;
  grain?: Grain;
  /** Quota attainment is always against the whole period's quota, also while the period runs. */
  quotaWindow?: Window;
  /** A breakdown: each metric per group, from the raw rows (absent from the set where it has no SQL source). */
  groupBy?: GroupBy;
  /** With groupBy: count the open deals (`deals by stage`) instead of the metric's rows. */
  open?: "count";
};

/**
 * How figures are read: `source: "raw"` skips the rollups (tests compare both); `convert` a base
 * currency; `filters` keep only the records with those values (`product "GTX Pro"`), in SQL, on
 * every request (the rollups do not hold the fields, so filtered reads are raw).
 */
export type FigureOptions = {
  source?: ReadFrom;
  convert?: string;
  filters?: readonly ValueFilter[];
  params?: MetricParams;
  /** Breakdowns: people the asker already sees one by one, left out of each group's `hidden` count. */
  seen?: readonly number[];
};

export type FigureSet = Map<MetricId, MetricFigures>;

/** Figures per request, in order. */
export async function fetchFigures(prisma: PrismaClient, repIds: number[], requests: readonly FigureRequest[], options: FigureOptions = {}): Promise<FigureSet[]> {
  const filters = options.filters && options.filters.length > 0 ? options.filters : undefined;
  const out = requests.map(() => new Map<MetricId, MetricFigures>());
  const totals: { i: number; metrics: RolledMetric[]; window: Window }[] = [];
  const series: { i: number; metrics: RolledMetric[]; window: Window; series: SeriesMode }[] = [];
  const raw: Promise<void>[] = [];
  requests.forEach((r, i) => {
    if (r.groupBy) {
      const by = r.groupBy;
      if (by.kind === "owner" && r.metrics.length > 1 && !filters) {
        // A scorecard: one statement per family of metrics (table and time column) sharing the groups.
        for (const family of families(r.metrics)) raw.push(fetchGroupedFamily(prisma, family, repIds, r.window, by.keys, { convert: options.convert, params: options.params }).then((fs) => fs.forEach((f, m) => out[i]!.set(m, f))));
        return;
      }
      // The rollups hold neither the fields filtered on, other currencies, nor open deals.
      const fromRollups = options.source !== "raw" && !options.convert && !filters && !r.open ? r.metrics.filter((m): m is RolledMetric => isRolledUp(m)) : [];
      // Groups of owners (by team) of a rolled-up metric: summed from each owner's rollup rows.
      const rolled = by.kind === "owner" ? fromRollups : [];
      if (by.kind === "owner" && rolled.length > 0) raw.push(fetchRolledUpGrouped(prisma, rolled, repIds, r.window, by.keys, options.seen).then((fs) => fs.forEach((f, m) => out[i]!.set(m, f))));
      // Calendar buckets of a UTC workspace are the rollups' own months and ISO weeks: each bucket
      // is a window the rollups answer (whole months, then days, raw rows only at the edges).
      const perBucket = by.kind === "time" && r.window.timeZone === "UTC" ? fromRollups : [];
      if (by.kind === "time" && perBucket.length > 0) raw.push(fetchBuckets(prisma, perBucket, repIds, r.window, by.grain, options.seen).then((fs) => fs.forEach((f, m) => out[i]!.set(m, f))));
      const done = new Set<MetricId>([...rolled, ...perBucket]);
      for (const m of r.metrics.filter((m) => !done.has(m))) raw.push(fetchGrouped(prisma, m, repIds, r.window, by, { convert: options.convert, filters, open: r.open, params: options.params, ...(options.seen ? { seen: options.seen } : {}) }).then((f) => void (f && out[i]!.set(m, f))));
      return;
    }
    const mode = r.series ?? "none";
    // Rollups hold amounts as recorded: converted money is read from the rows.
    const serve = (m: MetricId) => options.source !== "raw" && !options.convert && !filters && repIds.length > 0 && isRolledUp(m);
    const rolled = r.metrics.filter((m): m is RolledMetric => serve(m) && rollupServes([m], r.window, mode, r.grain));
    const rest = r.metrics.filter((m) => !(rolled as MetricId[]).includes(m));
    if (rolled.length > 0) {
      totals.push({ i, metrics: rolled, window: r.window });
      // The series of a rolled-up metric (its totals come from the statement above).
      if (mode !== "none") series.push({ i, metrics: rolled.filter((m) => METRICS[m].series), window: r.window, series: mode });
    }
    const withSeries = mode !== "none" ? rest.filter((m) => METRICS[m].series) : [];
    const plain = rest.filter((m) => !withSeries.includes(m) && m !== "quota");
    for (const m of withSeries) raw.push(fetchMetric(prisma, m, repIds, r.window, { series: mode, grain: r.grain, source: "raw", convert: options.convert, params: options.params, filters }).then((f) => void out[i]!.set(m, f)));
    if (plain.length > 0) raw.push(fetchMetrics(prisma, plain, repIds, r.window, { source: "raw", convert: options.convert, params: options.params, filters }).then((fs) => fs.forEach((f, m) => out[i]!.set(m, f))));
    if (rest.includes("quota")) {
      raw.push(
        Promise.all([
          fetchFigures(prisma, repIds, [{ metrics: ["sales"], window: r.window }], options),
          fetchQuotaAmounts(prisma, repIds, r.quotaWindow ?? r.window),
        ]).then(([[sales], quotas]) => void out[i]!.set("quota", attainment(sales!.get("sales")!, quotas))),
      );
    }
  });
  const totalsRead =
    totals.length > 0
      ? fetchRolledUpMany(prisma, repIds, totals.map((t) => ({ metrics: t.metrics, window: t.window }))).then((sets) =>
          sets.forEach((set, k) => set.forEach((f, m) => out[totals[k]!.i]!.set(m, f))),
        )
      : null;
  const seriesRead =
    series.some((s) => s.metrics.length > 0)
      ? fetchRolledUpMany(prisma, repIds, series.filter((s) => s.metrics.length > 0).map((s) => ({ metrics: s.metrics, window: s.window, series: s.series, totals: false })))
      : null;
  await Promise.all([totalsRead, ...raw]);
  if (seriesRead) {
    const withSeries = series.filter((s) => s.metrics.length > 0);
    (await seriesRead).forEach((set, k) =>
      set.forEach((f, m) => {
        const into = out[withSeries[k]!.i]!.get(m)!;
        into.series = f.series;
        into.seriesPerRep = f.seriesPerRep;
      }),
    );
  }
  return out;
}

/**
 * Rolled-up metrics per calendar bucket of a UTC window, in one statement: a request per bucket
 * plus one for the whole window (its total and contributors), as fetchGrouped gives them by time.
 */
async function fetchBuckets(prisma: PrismaClient, metrics: RolledMetric[], repIds: number[], window: Window, grain: TimeGrain, seen: readonly number[] = []): Promise<Map<MetricId, MetricFigures>> {
  const seenSet = new Set(seen);
  // A sum's contributors are the owners whose part is not 0 (as group.ts counts them).
  const counted = (m: MetricId, perRep: Map<number, number | null>) => [...perRep].filter(([, v]) => !METRICS[m].additive || (v ?? 0) !== 0).map(([id]) => id);
  const hidden = (m: MetricId, perRep: Map<number, number | null>) => counted(m, perRep).filter((id) => !seenSet.has(id)).length;
  const buckets = timeBuckets(window, grain);
  const sets = await fetchRolledUpMany(prisma, repIds, [...buckets.map((b) => ({ metrics, window: { ...window, start: b.start, end: b.end } })), { metrics, window }]);
  const whole = sets.at(-1)!;
  const out = new Map<MetricId, MetricFigures>();
  for (const m of metrics) {
    const f = whole.get(m)!;
    // A bucket without records of the metric is no group (the breakdown shows it empty).
    const groups = buckets.flatMap((b, k) => {
      const g = sets[k]!.get(m)!;
      return g.totalCount > 0 ? [[b.key, { value: g.total, n: g.totalCount, contributors: counted(m, g.perRep).length, hidden: hidden(m, g.perRep) }] as const] : [];
    });
    out.set(m, { ...f, perGroup: new Map(groups), totalContributors: counted(m, f.perRep).length, totalHidden: hidden(m, f.perRep) });
  }
  return out;
}

/** Of these people, those with at least one record of this kind, ever (an index probe each). */
export async function peopleWithRecords(prisma: PrismaClient, kind: RecordKind, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const { table, owner } = RECORDS[kind];
  const rows = await prisma.$queryRawUnsafe<{ id: number }[]>(
    `SELECT u.id FROM unnest($1::int[]) AS u(id) WHERE EXISTS (SELECT 1 FROM ${table} r WHERE r.${owner} = u.id)`,
    [...ids],
  );
  return new Set(rows.map((r) => Number(r.id)));
}

/** Metrics with a raw-row source, by table and time column (pipeline and quota are left out). */
export function families(metrics: readonly MetricId[]): MetricId[][] {
  const out = new Map<string, MetricId[]>();
  for (const m of metrics) {
    const s = METRICS[m].source;
    if (typeof s === "string") continue;
    // A snapshot (backlog) reads other rows than the flows of the same time column.
    const key = `${s.table}.${s.time}.${s.owner}.${s.openUntil ?? ""}`;
    out.set(key, [...(out.get(key) ?? []), m]);
  }
  return [...out.values()];
}
