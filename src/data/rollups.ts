// Sums over long periods from the rollup tables (RepMonthStat, RepWeekStat, RepDayStat, plus the
// RollupDelta rows not folded in yet; see the rollups migration) instead of every deal and
// activity: whole months (for totals) or weeks (for weekly series), the days at the edges, and
// only a partial day (a period in another time zone, or one clipped at "now") from the raw rows.
// The answer is the raw tables'.
// Every SQL fragment here is a constant of this file; user text only ever arrives as parameters.
import { bucketStart, nextBucketStart } from "../time/buckets.ts";
import { sqlBucket, sqlTimestamp } from "../time/sql.ts";
import type { PrismaClient } from "./generated/client.ts";
import type { SqlRunner } from "./migrate.ts";
import { METRICS, isRolledUp, type MetricId, type RolledMetric, type RollupSum } from "../metrics/index.ts";
import type { Grain, MetricFigures, SeriesMode, Window } from "./kpi-queries.ts";



/**
 * Whether the rollups can answer: every metric is rolled up, and a series (if any) is weekly in a
 * UTC workspace — rollup weeks are UTC Mondays, which are not another zone's weeks, and weeks do
 * not add up to months.
 */
export function rollupServes(metrics: readonly MetricId[], window: Window, series: SeriesMode = "none", grain: Grain = "week"): metrics is RolledMetric[] {
  return metrics.length > 0 && metrics.every(isRolledUp) && (series === "none" || (grain === "week" && window.timeZone === "UTC"));
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Where each part of [start, end) is read from: dates are UTC days, half-open [from, to). */
export type RollupPlan = {
  months: [string, string] | null;
  weeks: [string, string][];
  days: [string, string][];
  raw: [Date, Date][];
  /** The whole days the rollups answer for (months ∪ weeks ∪ days): where pending deltas count. */
  covered: [string, string] | null;
};

/**
 * Split [start, end) into whole UTC months (only with `months`: a weekly series cannot use them),
 * whole UTC weeks (Monday to Monday) in what remains, whole UTC days around those, and partial
 * days at the ends. Pure; every instant of the window lands in exactly one part.
 */
export function rollupPlan(start: Date, end: Date, options: { months?: boolean } = {}): RollupPlan {
  const plan: RollupPlan = { months: null, weeks: [], days: [], raw: [], covered: null };
  if (!(start < end)) return plan;
  const firstDay = nextBucketStart(start, "day");
  const lastDay = bucketStart(end, "day");
  if (!(firstDay < lastDay)) {
    plan.raw.push([start, end]);
    return plan;
  }
  if (start < firstDay) plan.raw.push([start, firstDay]);
  if (lastDay < end) plan.raw.push([lastDay, end]);
  plan.covered = [day(firstDay), day(lastDay)];
  const weeksAndDays = (a: Date, b: Date) => {
    if (!(a < b)) return;
    const firstWeek = nextBucketStart(a, "week");
    const lastWeek = bucketStart(b, "week");
    if (firstWeek < lastWeek) {
      if (a < firstWeek) plan.days.push([day(a), day(firstWeek)]);
      plan.weeks.push([day(firstWeek), day(lastWeek)]);
      if (lastWeek < b) plan.days.push([day(lastWeek), day(b)]);
    } else {
      plan.days.push([day(a), day(b)]);
    }
  };
  const firstMonth = nextBucketStart(firstDay, "month");
  const lastMonth = bucketStart(lastDay, "month");
  if (options.months && firstMonth < lastMonth) {
    plan.months = [day(firstMonth), day(lastMonth)];
    weeksAndDays(firstDay, firstMonth);
    weeksAndDays(lastMonth, lastDay);
  } else {
    weeksAndDays(firstDay, lastDay);
  }
  return plan;
}

type Sums = { wa?: number | null; wc?: number; lc?: number; ac?: number };
type Row = Sums & { rep: number | null; bucket?: Date | null; g: number };

/** The sums each metric is made of (the registry's `rollup`). */
const sumsOf = (m: RolledMetric): readonly RollupSum[] => METRICS[m].rollup!;

/** One question for fetchRolledUpMany: these metrics over this window, with this series. */
export type RolledRequest = {
  metrics: readonly RolledMetric[];
  window: Window;
  series?: SeriesMode;
  /** False: the series only, no per-rep or total figures. */
  totals?: boolean;
};

/**
 * Several rolled-up metrics for a set of reps over one window: per rep, total, and an optional
 * weekly series (see rollupServes). Same shape and the same figures as fetchMetric on the raw
 * tables: a rep without records for a metric is absent from its perRep.
 */
export async function fetchRolledUp(
  prisma: PrismaClient,
  metrics: readonly RolledMetric[],
  repIds: number[],
  window: Window,
  series: SeriesMode = "none",
): Promise<Map<RolledMetric, MetricFigures>> {
  return (await fetchRolledUpMany(prisma, repIds, [{ metrics, window, series }]))[0]!;
}

/**
 * The SQL of one plan's rows as (owner, b, wa, wc, lc, ac) — b the week, or NULL for totals —
 * from the rollup tables, the pending deltas and the raw rows at the edges; `p` adds a parameter.
 */
function rowsSql(p: (v: unknown) => string, deals: boolean, activities: boolean): (plan: RollupPlan, weekly: boolean) => string {
  // float8 sums of whole cents are exact below 2^53 cents (about $90 trillion) and much cheaper
  // than numeric; the raw path's sum(amount)::float8 gives the same numbers.
  const cols = `"ownerId" AS owner, %b::timestamp AS b, "wonAmount"::float8 AS wa, "wonCount" AS wc, "lostCount" AS lc, "activities" AS ac`;
  const dates = (col: string, ranges: [string, string][]) => ranges.map(([a, b]) => `("${col}" >= ${p(a)}::date AND "${col}" < ${p(b)}::date)`).join(" OR ");
  const instants = (col: string, ranges: [Date, Date][]) => ranges.map(([a, b]) => `("${col}" >= ${p(sqlTimestamp(a))}::timestamp AND "${col}" < ${p(sqlTimestamp(b))}::timestamp)`).join(" OR ");
  /** The rows of one plan as (owner, b, wa, wc, lc, ac); b is the week, or NULL for totals. */
  return (plan: RollupPlan, weekly: boolean): string => {
    const bucket = (expr: string) => (weekly ? expr : "NULL");
    const parts: string[] = [];
    if (plan.months) parts.push(`SELECT ${cols.replace("%b", "NULL")} FROM "RepMonthStat" WHERE (${dates("month", [plan.months])}) AND "ownerId" = ANY($1::int[])`);
    if (plan.weeks.length > 0) parts.push(`SELECT ${cols.replace("%b", bucket(`"week"`))} FROM "RepWeekStat" WHERE (${dates("week", plan.weeks)}) AND "ownerId" = ANY($1::int[])`);
    if (plan.days.length > 0) parts.push(`SELECT ${cols.replace("%b", bucket(sqlBucket("week", `"day"::timestamp`)))} FROM "RepDayStat" WHERE (${dates("day", plan.days)}) AND "ownerId" = ANY($1::int[])`);
    // Changes not folded yet (the same snapshot: a fold moves rows out of here and into the
    // tables above in one transaction). Usually none, or a few seconds' worth.
    // (IN (SELECT unnest …) rather than = ANY: the planner would estimate each of hundreds of
    // owner ids again for a table that is usually empty.)
    if (plan.covered) parts.push(`SELECT ${cols.replace("%b", bucket(sqlBucket("week", `"day"::timestamp`)))} FROM "RollupDelta" WHERE (${dates("day", [plan.covered])}) AND "ownerId" IN (SELECT unnest($1::int[]))`);
    if (plan.raw.length > 0 && deals) {
      parts.push(`SELECT "ownerId", ${bucket(sqlBucket("week", `"closedAt"`))}::timestamp, CASE WHEN status = 'won' THEN amount ELSE 0 END::float8, (status = 'won')::int, (status = 'lost')::int, 0
        FROM "Deal" WHERE status IN ('won', 'lost') AND (${instants("closedAt", plan.raw)}) AND "ownerId" = ANY($1::int[])`);
    }
    if (plan.raw.length > 0 && activities) {
      parts.push(`SELECT "ownerId", ${bucket(sqlBucket("week", `"occurredAt"`))}::timestamp, 0::float8, 0, 0, 1
        FROM "Activity" WHERE type IN ('call', 'meeting', 'email') AND (${instants("occurredAt", plan.raw)}) AND "ownerId" = ANY($1::int[])`);
    }
    // An empty window reads nothing, but still has its (empty) grand total.
    return parts.length > 0 ? parts.join("\n        UNION ALL\n        ") : `SELECT NULL::int, NULL::timestamp, 0::float8, 0, 0, 0 WHERE false`;
  };
}

/**
 * Several requests (say a period and the one before it) in one SQL statement and one round trip.
 * Totals read the coarsest rollups that fit (a quarter is three month rows per rep); a series
 * reads weeks and days, grouped by week.
 */
export async function fetchRolledUpMany(prisma: PrismaClient, repIds: number[], requests: readonly RolledRequest[]): Promise<Map<RolledMetric, MetricFigures>[]> {
  const params: unknown[] = [repIds];
  const p = (v: unknown) => `$${params.push(v)}`;
  const all = requests.flatMap((r) => r.metrics);
  const deals = all.some((m) => m !== "activities");
  const activities = all.includes("activities");
  // Only the sums these metrics need: every cell returned is parsed twice (pg, then Prisma).
  const needs = new Set(all.flatMap((m) => sumsOf(m)));
  const sumCols = (["wa", "wc", "lc", "ac"] as const).filter((c) => needs.has(c));
  const sumOf = (c: (typeof sumCols)[number]) => (c === "wa" ? `sum(wa)` : `sum(${c})::int`);
  const sums = sumCols.map((c) => `${sumOf(c)} AS ${c}`);

  const rowsOf = rowsSql(p, deals, activities);

  const ctes: string[] = [];
  const selects: string[] = [];
  requests.forEach((r, i) => {
    if (r.totals !== false) {
      ctes.push(`t${i} (owner, b, wa, wc, lc, ac) AS (${rowsOf(rollupPlan(r.window.start, r.window.end, { months: true }), false)})`);
      // g numbers the grouping set like GROUPING(rep, bucket): 1 = per rep, 3 = total, 2 = bucket, 0 = rep×bucket.
      selects.push(`SELECT ${i} AS i, owner AS rep, NULL::timestamp AS bucket, ${sums.join(", ")}, GROUPING(owner)::int * 2 + 1 AS g FROM t${i} GROUP BY GROUPING SETS ((owner), ())`);
    }
    const series = r.series ?? "none";
    if (series !== "none") {
      ctes.push(`s${i} (owner, b, wa, wc, lc, ac) AS (${rowsOf(rollupPlan(r.window.start, r.window.end), true)})`);
      // Only what this request's metrics need (another request's columns are NULL: no record).
      const wanted = new Set(r.metrics.flatMap((m) => sumsOf(m)));
      const seriesSums = sumCols.map((c) => `${wanted.has(c) ? sumOf(c) : "NULL"} AS ${c}`);
      selects.push(
        series === "total"
          ? `SELECT ${i} AS i, NULL::int AS rep, b AS bucket, ${seriesSums.join(", ")}, 2 AS g FROM s${i} GROUP BY b`
          : `SELECT ${i} AS i, owner AS rep, b AS bucket, ${seriesSums.join(", ")}, GROUPING(owner, b)::int AS g FROM s${i} GROUP BY GROUPING SETS ((b), (owner, b))`,
      );
    }
  });
  const rows =
    repIds.length === 0 || requests.length === 0
      ? []
      : await prisma.$queryRawUnsafe<(Row & { i: number })[]>(`WITH ${ctes.join(",\n      ")}\n      ${selects.join("\n      UNION ALL\n      ")}`, ...params);
  return requests.map((r, i) => {
    const mine = rows.filter((row) => Number(row.i) === i);
    return new Map(r.metrics.map((m) => [m, figuresOf(m, mine)]));
  });
}

/**
 * Rolled-up metrics per group of owners (a `by team` breakdown) and in total, over one window:
 * each owner's sums from the coarsest rollups that fit, then summed per group — the same figures
 * as fetchGrouped on the raw rows (tested), from a few rows per owner instead of every deal.
 * A group's contributors are its owners with a record of the metric.
 */
export async function fetchRolledUpGrouped(
  prisma: PrismaClient,
  metrics: readonly RolledMetric[],
  repIds: number[],
  window: Window,
  keys: ReadonlyMap<number, string>,
  seen: readonly number[] = [],
): Promise<Map<RolledMetric, MetricFigures>> {
  const out = new Map(metrics.map((m) => [m, { perRep: new Map(), countPerRep: new Map(), total: valueOf(m, {}).value, totalCount: 0, series: [], seriesPerRep: new Map(), perGroup: new Map(), totalContributors: 0, totalHidden: 0 } as MetricFigures]));
  const ids = repIds.filter((id) => keys.has(id));
  if (ids.length === 0 || metrics.length === 0) return out;
  const params: unknown[] = [ids];
  const p = (v: unknown) => `$${params.push(v)}`;
  const rowsOf = rowsSql(p, metrics.some((m) => m !== "activities"), metrics.includes("activities"));
  const groupIds = p(ids);
  const groupKeys = p(ids.map((id) => keys.get(id)!));
  const seenIds = p([...seen]);
  const rows = await prisma.$queryRawUnsafe<{ key: string | null; g: number; wa: number | null; wc: number; lc: number; ac: number; cw: number; cc: number; ca: number; hw: number; hc: number; ha: number; cs: number; hs: number }[]>(
    `WITH t (owner, b, wa, wc, lc, ac) AS (${rowsOf(rollupPlan(window.start, window.end, { months: true }), false)}),
     o AS (SELECT owner, sum(wa) AS wa, sum(wc)::int AS wc, sum(lc)::int AS lc, sum(ac)::int AS ac FROM t GROUP BY owner)
     SELECT grp.key, GROUPING(grp.key)::int AS g, sum(o.wa) AS wa, sum(o.wc)::int AS wc, sum(o.lc)::int AS lc, sum(o.ac)::int AS ac,
            (count(*) FILTER (WHERE o.wa <> 0))::int AS cs, (count(*) FILTER (WHERE o.wa <> 0 AND NOT (o.owner = ANY(${seenIds}::int[]))))::int AS hs,
            (count(*) FILTER (WHERE o.wc > 0))::int AS cw, (count(*) FILTER (WHERE o.wc + o.lc > 0))::int AS cc, (count(*) FILTER (WHERE o.ac > 0))::int AS ca,
            (count(*) FILTER (WHERE o.wc > 0 AND NOT (o.owner = ANY(${seenIds}::int[]))))::int AS hw,
            (count(*) FILTER (WHERE o.wc + o.lc > 0 AND NOT (o.owner = ANY(${seenIds}::int[]))))::int AS hc,
            (count(*) FILTER (WHERE o.ac > 0 AND NOT (o.owner = ANY(${seenIds}::int[]))))::int AS ha
     FROM o JOIN unnest(${groupIds}::int[], ${groupKeys}::text[]) AS grp(rep, key) ON grp.rep = o.owner
     GROUP BY GROUPING SETS ((grp.key), ())`,
    ...params,
  );
  for (const m of metrics) {
    const f = out.get(m)!;
    // Who has a record of the metric: a won deal (sales, deals, average deal), a closed one (win rate), an activity.
    // Sales counts owners whose won amount is not 0 (a sum's contributors, as group.ts counts them).
    const contributors = (r: (typeof rows)[number]) => Number(m === "winrate" ? r.cc : m === "activities" ? r.ca : m === "sales" ? r.cs : r.cw);
    const hidden = (r: (typeof rows)[number]) => Number(m === "winrate" ? r.hc : m === "activities" ? r.ha : m === "sales" ? r.hs : r.hw);
    for (const r of rows) {
      const { value, n } = valueOf(m, r);
      if (Number(r.g) === 1) {
        f.total = value;
        f.totalCount = n;
        f.totalContributors = contributors(r);
        f.totalHidden = hidden(r);
      } else if (n > 0) f.perGroup!.set(String(r.key), { value, n, contributors: contributors(r), hidden: hidden(r) });
    }
  }
  return out;
}

/**
 * One metric's value and record count from a summed row. Sums and counts are exact; ratios are one
 * correctly rounded division here, where the raw path's numeric avg() rounds twice (to ~20
 * digits, then to float8), so the two can differ in the last bit — never in what is shown.
 */
function valueOf(metric: RolledMetric, r: Sums): { value: number | null; n: number } {
  const wa = Number(r.wa ?? 0);
  const wc = Number(r.wc ?? 0);
  const lc = Number(r.lc ?? 0);
  switch (metric) {
    case "sales":
      return { value: wc > 0 ? wa : null, n: wc };
    case "deals":
      return { value: wc, n: wc };
    case "winrate":
      return { value: wc + lc > 0 ? wc / (wc + lc) : null, n: wc + lc };
    case "avgdeal":
      return { value: wc > 0 ? wa / wc : null, n: wc };
    case "activities":
      return { value: Number(r.ac ?? 0), n: Number(r.ac ?? 0) };
  }
}

function figuresOf(metric: RolledMetric, rows: Row[]): MetricFigures {
  const f: MetricFigures = { perRep: new Map(), countPerRep: new Map(), total: null, totalCount: 0, series: [], seriesPerRep: new Map() };
  // With no rows at all, the raw statement's grand total is its aggregate over nothing.
  const none = valueOf(metric, {});
  f.total = none.value;
  for (const r of rows) {
    const { value, n } = valueOf(metric, r);
    // g is GROUPING(rep, bucket): 0 = rep×bucket, 1 = rep, 2 = bucket, 3 = total.
    const g = Number(r.g);
    if (g === 3) {
      f.total = value;
      f.totalCount = n;
    } else if (n === 0) {
      // Rows of the other metrics only (a week of calls without a won deal): no record of this one.
      continue;
    } else if (g === 1) {
      f.perRep.set(r.rep!, value);
      f.countPerRep.set(r.rep!, n);
    } else if (g === 2) {
      f.series.push({ bucket: r.bucket!, value });
    } else {
      const list = f.seriesPerRep.get(r.rep!) ?? [];
      list.push({ bucket: r.bucket!, value });
      f.seriesPerRep.set(r.rep!, list);
    }
  }
  const byTime = (a: { bucket: Date }, b: { bucket: Date }) => a.bucket.getTime() - b.bucket.getTime();
  f.series.sort(byTime);
  for (const list of f.seriesPerRep.values()) list.sort(byTime);
  return f;
}

type Folding = Pick<SqlRunner, "query">;

/**
 * Fold every committed rollup delta into the rollup tables, in batches (each its own transaction,
 * so a long backlog never holds many row locks at once). Returns how many deltas were folded.
 * Deltas whose sums do not fit the rollups (see the rollup_bounds migration) stay pending and
 * are stepped over, so they never hold up the ones behind them; readers still count them.
 */
export async function foldRollups(sql: Folding, batch = 5000): Promise<number> {
  let total = 0;
  let after = "0";
  for (;;) {
    const [row] = await sql.query<{ folded: number; taken: number; last_id: string | null }>(
      `SELECT folded, taken, last_id::text FROM kpi_rollup_fold_from($1::int, $2::bigint)`,
      [batch, after],
    );
    total += Number(row?.folded ?? 0);
    if (!row || Number(row.taken) < batch || row.last_id === null) return total;
    after = row.last_id;
  }
}

export type RollupFolder = { stop(): Promise<void> };

/**
 * Fold every few seconds for as long as the bot runs. Readers add pending deltas themselves, so
 * this only keeps them few; replicas fold side by side (each takes deltas the others skip).
 */
export function startRollupFolder(sql: Folding, options: { everyMs?: number; onError?: (e: unknown) => void } = {}): RollupFolder {
  let running: Promise<unknown> | null = null;
  const tick = () => {
    if (running) return;
    running = foldRollups(sql)
      .catch((e: unknown) => options.onError?.(e))
      .finally(() => (running = null));
  };
  const timer = setInterval(tick, options.everyMs ?? 5000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
