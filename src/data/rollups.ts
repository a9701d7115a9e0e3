// Sums over long periods from the rollup tables (RepMonthStat, RepWeekStat, RepDayStat; kept by
// triggers, see the rollups migration) instead of every deal and activity: whole months (for
// totals) or weeks (for weekly series), the days at the edges, and only a partial day (a period in
// another time zone, or one clipped at "now") from the raw rows. The answer is the raw tables'.
// Every SQL fragment here is a constant of this file; user text only ever arrives as parameters.
import type { PrismaClient } from "./generated/client.ts";
import type { Grain, MetricFigures, MetricKey, SeriesMode, Window } from "./kpi-queries.ts";

/** Metrics that are sums and counts of what the rollups hold. */
export const ROLLED_UP = ["sales", "deals", "winrate", "avgdeal", "activities"] as const;
export type RolledMetric = (typeof ROLLED_UP)[number];

export function isRolledUp(metric: MetricKey): metric is RolledMetric {
  return (ROLLED_UP as readonly string[]).includes(metric);
}

/**
 * Whether the rollups can answer: every metric is rolled up, and a series (if any) is weekly in a
 * UTC workspace — rollup weeks are UTC Mondays, which are not another zone's weeks, and weeks do
 * not add up to months.
 */
export function rollupServes(metrics: readonly MetricKey[], window: Window, series: SeriesMode = "none", grain: Grain = "week"): metrics is RolledMetric[] {
  return metrics.length > 0 && metrics.every(isRolledUp) && (series === "none" || (grain === "week" && window.timeZone === "UTC"));
}

const DAY_MS = 86_400_000;
const day = (d: Date) => d.toISOString().slice(0, 10);

/** Where each part of [start, end) is read from: dates are UTC days, half-open [from, to). */
export type RollupPlan = { months: [string, string] | null; weeks: [string, string][]; days: [string, string][]; raw: [Date, Date][] };

/**
 * Split [start, end) into whole UTC months (only with `months`: a weekly series cannot use them),
 * whole UTC weeks (Monday to Monday) in what remains, whole UTC days around those, and partial
 * days at the ends. Pure; every instant of the window lands in exactly one part.
 */
export function rollupPlan(start: Date, end: Date, options: { months?: boolean } = {}): RollupPlan {
  const plan: RollupPlan = { months: null, weeks: [], days: [], raw: [] };
  if (!(start < end)) return plan;
  const firstDay = new Date(Math.ceil(start.getTime() / DAY_MS) * DAY_MS);
  const lastDay = new Date(Math.floor(end.getTime() / DAY_MS) * DAY_MS);
  if (!(firstDay < lastDay)) {
    plan.raw.push([start, end]);
    return plan;
  }
  if (start < firstDay) plan.raw.push([start, firstDay]);
  if (lastDay < end) plan.raw.push([lastDay, end]);
  const weeksAndDays = (a: Date, b: Date) => {
    if (!(a < b)) return;
    // Monday is getUTCDay() 1: days to the next Monday (0 if it is one), and since the last one.
    const firstWeek = new Date(a.getTime() + ((8 - a.getUTCDay()) % 7) * DAY_MS);
    const lastWeek = new Date(b.getTime() - ((b.getUTCDay() + 6) % 7) * DAY_MS);
    if (firstWeek < lastWeek) {
      if (a < firstWeek) plan.days.push([day(a), day(firstWeek)]);
      plan.weeks.push([day(firstWeek), day(lastWeek)]);
      if (lastWeek < b) plan.days.push([day(lastWeek), day(b)]);
    } else {
      plan.days.push([day(a), day(b)]);
    }
  };
  const firstMonth = firstDay.getUTCDate() === 1 ? firstDay : new Date(Date.UTC(firstDay.getUTCFullYear(), firstDay.getUTCMonth() + 1, 1));
  const lastMonth = new Date(Date.UTC(lastDay.getUTCFullYear(), lastDay.getUTCMonth(), 1));
  if (options.months && firstMonth < lastMonth) {
    plan.months = [day(firstMonth), day(lastMonth)];
    weeksAndDays(firstDay, firstMonth);
    weeksAndDays(lastMonth, lastDay);
  } else {
    weeksAndDays(firstDay, lastDay);
  }
  return plan;
}

type Row = { rep: number | null; bucket: Date | null; wa: number | null; avg: number | null; wr: number | null; wc: number; lc: number; ac: number; g: number };

const timestamp = (d: Date) => d.toISOString().replace("T", " ").replace("Z", "");

/**
 * Several rolled-up metrics for a set of reps over one window, from one SQL statement: per rep,
 * total, and an optional weekly series (see rollupServes). Same shape and the same figures as
 * fetchMetric on the raw tables: a rep without records for a metric is absent from its perRep.
 */
export async function fetchRolledUp(
  prisma: PrismaClient,
  metrics: readonly RolledMetric[],
  repIds: number[],
  window: Window,
  series: SeriesMode = "none",
): Promise<Map<RolledMetric, MetricFigures>> {
  const plan = rollupPlan(window.start, window.end, { months: series === "none" });
  const params: unknown[] = [repIds];
  const p = (v: unknown) => `$${params.push(v)}`;
  const deals = metrics.some((m) => m !== "activities");
  const activities = metrics.includes("activities");
  const parts: string[] = [];
  // float8 sums of whole cents are exact below 2^53 cents (about $90 trillion) and much cheaper
  // than numeric; the raw path's sum(amount)::float8 gives the same numbers.
  const cols = `"ownerId" AS owner, %b::timestamp AS b, "wonAmount"::float8 AS wa, "wonCount" AS wc, "lostCount" AS lc, "activities" AS ac`;
  const dates = (col: string, ranges: [string, string][]) => ranges.map(([a, b]) => `("${col}" >= ${p(a)}::date AND "${col}" < ${p(b)}::date)`).join(" OR ");
  if (plan.months) {
    // Only without a series: a month has no week bucket.
    parts.push(`SELECT ${cols.replace("%b", `NULL`)} FROM "RepMonthStat" WHERE (${dates("month", [plan.months])}) AND "ownerId" = ANY($1::int[])`);
  }
  if (plan.weeks.length > 0) {
    parts.push(`SELECT ${cols.replace("%b", `"week"`)} FROM "RepWeekStat" WHERE (${dates("week", plan.weeks)}) AND "ownerId" = ANY($1::int[])`);
  }
  if (plan.days.length > 0) {
    parts.push(`SELECT ${cols.replace("%b", `date_trunc('week', "day"::timestamp)`)} FROM "RepDayStat" WHERE (${dates("day", plan.days)}) AND "ownerId" = ANY($1::int[])`);
  }
  if (plan.raw.length > 0 && deals) {
    const ranges = plan.raw.map(([a, b]) => `("closedAt" >= ${p(timestamp(a))}::timestamp AND "closedAt" < ${p(timestamp(b))}::timestamp)`).join(" OR ");
    parts.push(`SELECT "ownerId", date_trunc('week', "closedAt"), CASE WHEN status = 'won' THEN amount ELSE 0 END::float8,
        (status = 'won')::int, (status = 'lost')::int, 0
      FROM "Deal" WHERE status IN ('won', 'lost') AND (${ranges}) AND "ownerId" = ANY($1::int[])`);
  }
  if (plan.raw.length > 0 && activities) {
    const ranges = plan.raw.map(([a, b]) => `("occurredAt" >= ${p(timestamp(a))}::timestamp AND "occurredAt" < ${p(timestamp(b))}::timestamp)`).join(" OR ");
    parts.push(`SELECT "ownerId", date_trunc('week', "occurredAt"), 0::float8, 0, 0, 1
      FROM "Activity" WHERE type IN ('call', 'meeting', 'email') AND (${ranges}) AND "ownerId" = ANY($1::int[])`);
  }
  const sets = series === "none" ? `(owner), ()` : series === "total" ? `(owner), (), (b)` : `(owner), (), (b), (owner, b)`;
  const rows =
    parts.length === 0 || repIds.length === 0
      ? []
      : await prisma.$queryRawUnsafe<Row[]>(
          `WITH u (owner, b, wa, wc, lc, ac) AS (${parts.join("\n      UNION ALL\n      ")})
           SELECT owner AS rep, ${series === "none" ? "NULL::timestamp" : "b"} AS bucket,
                  sum(wa) AS wa, sum(wa) / NULLIF(sum(wc), 0) AS avg,
                  sum(wc)::float8 / NULLIF(sum(wc) + sum(lc), 0) AS wr,
                  sum(wc)::int AS wc, sum(lc)::int AS lc, sum(ac)::int AS ac,
                  ${series === "none" ? `GROUPING(owner)::int * 2 + 1` : `GROUPING(owner, b)::int`} AS g
           FROM u GROUP BY GROUPING SETS (${sets})`,
          ...params,
        );
  const out = new Map<RolledMetric, MetricFigures>();
  for (const m of metrics) out.set(m, figuresOf(m, rows));
  return out;
}

/** One metric's value and record count from a summed row. */
function valueOf(metric: RolledMetric, r: Pick<Row, "wa" | "avg" | "wr" | "wc" | "lc" | "ac">): { value: number | null; n: number } {
  const wc = Number(r.wc ?? 0);
  switch (metric) {
    case "sales":
      return { value: wc > 0 ? Number(r.wa) : null, n: wc };
    case "deals":
      return { value: wc, n: wc };
    case "winrate":
      return { value: r.wr === null ? null : Number(r.wr), n: wc + Number(r.lc ?? 0) };
    case "avgdeal":
      return { value: r.avg === null ? null : Number(r.avg), n: wc };
    case "activities":
      return { value: Number(r.ac ?? 0), n: Number(r.ac ?? 0) };
  }
}

function figuresOf(metric: RolledMetric, rows: Row[]): MetricFigures {
  const f: MetricFigures = { perRep: new Map(), countPerRep: new Map(), total: null, totalCount: 0, series: [], seriesPerRep: new Map() };
  // With no rows at all, the raw statement's grand total is its aggregate over nothing.
  const none = valueOf(metric, { wa: null, avg: null, wr: null, wc: 0, lc: 0, ac: 0 });
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
