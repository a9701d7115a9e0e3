// SQL aggregates behind every metric: one statement per metric and period, grouped per rep, for
// the whole scope and (optionally) per week/month bucket with GROUPING SETS, so the database does
// the summing and TypeScript only analyses a few hundred numbers.
// Every SQL fragment here is a constant of this file; user text only ever arrives as parameters.
import type { PrismaClient } from "./generated/client.ts";

export type MetricKey =
  | "sales" | "deals" | "winrate" | "avgdeal" | "cycle" | "pipeline" | "activities" | "quota"
  | "csat" | "frt" | "resolution" | "leads" | "conversion" | "cpl" | "roi";

/** A half-open interval [start, end) of instants, plus the workspace time zone for buckets. */
export type Window = { start: Date; end: Date; timeZone: string };
export type Grain = "week" | "month";

export type SeriesMode = "none" | "total" | "perRep";

export type MetricFigures = {
  /** Per rep id: the metric's value (null when undefined, e.g. win rate with no closed deals). */
  perRep: Map<number, number | null>;
  /** Per rep id: how many records the value is based on. */
  countPerRep: Map<number, number>;
  /** The metric over the whole scope (not a mean of the reps: win rate = all won / all closed). */
  total: number | null;
  totalCount: number;
  /** Bucket start (local midnight, as a UTC-labelled Date) → scope value. */
  series: { bucket: Date; value: number | null }[];
  /** Per rep: series (only with SeriesMode "perRep"). */
  seriesPerRep: Map<number, { bucket: Date; value: number | null }[]>;
};

type Source = {
  table: string;
  owner: string;
  /** Column that places a record in a period. */
  time: string;
  /** Whether `time` is a date column (compared with local dates) rather than a UTC timestamp. */
  isDate?: boolean;
  where: string;
  value: string;
};

const minutes = (a: string, b: string) => `extract(epoch FROM (${b} - ${a}))`;

const SOURCES: Record<Exclude<MetricKey, "pipeline" | "quota">, Source> = {
  sales: { table: `"Deal"`, owner: `"ownerId"`, time: `"closedAt"`, where: `status = 'won'`, value: `sum(amount)::float8` },
  deals: { table: `"Deal"`, owner: `"ownerId"`, time: `"closedAt"`, where: `status = 'won'`, value: `count(*)::float8` },
  winrate: {
    table: `"Deal"`, owner: `"ownerId"`, time: `"closedAt"`, where: `status IN ('won', 'lost')`,
    value: `avg(CASE WHEN status = 'won' THEN 1 ELSE 0 END)::float8`,
  },
  avgdeal: { table: `"Deal"`, owner: `"ownerId"`, time: `"closedAt"`, where: `status = 'won'`, value: `avg(amount)::float8` },
  cycle: {
    table: `"Deal"`, owner: `"ownerId"`, time: `"closedAt"`, where: `status = 'won'`,
    value: `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${minutes(`"createdAt"`, `"closedAt"`)} / 86400.0)`,
  },
  activities: { table: `"Activity"`, owner: `"ownerId"`, time: `"occurredAt"`, where: `true`, value: `count(*)::float8` },
  csat: { table: `"Ticket"`, owner: `"agentId"`, time: `"resolvedAt"`, where: `csat IS NOT NULL`, value: `avg(csat)::float8` },
  frt: {
    table: `"Ticket"`, owner: `"agentId"`, time: `"openedAt"`, where: `"firstResponseAt" IS NOT NULL`,
    value: `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${minutes(`"openedAt"`, `"firstResponseAt"`)} / 60.0)`,
  },
  resolution: {
    table: `"Ticket"`, owner: `"agentId"`, time: `"resolvedAt"`, where: `true`,
    value: `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${minutes(`"openedAt"`, `"resolvedAt"`)} / 3600.0)`,
  },
  leads: { table: `"Campaign"`, owner: `"ownerId"`, time: `"startDate"`, isDate: true, where: `true`, value: `sum(leads)::float8` },
  conversion: {
    table: `"Campaign"`, owner: `"ownerId"`, time: `"startDate"`, isDate: true, where: `true`,
    value: `(sum(conversions)::float8 / NULLIF(sum(leads), 0))`,
  },
  cpl: {
    table: `"Campaign"`, owner: `"ownerId"`, time: `"startDate"`, isDate: true, where: `true`,
    value: `(sum(spend)::float8 / NULLIF(sum(leads), 0))`,
  },
  roi: {
    table: `"Campaign"`, owner: `"ownerId"`, time: `"startDate"`, isDate: true, where: `true`,
    value: `((sum(revenue) - sum(spend))::float8 / NULLIF(sum(spend), 0))`,
  },
};

/** Metrics that have a bucketed series (pipeline is a snapshot, quota a ratio of periods). */
export function hasSeries(metric: MetricKey): boolean {
  return metric !== "pipeline" && metric !== "quota";
}

/** "2026-07-01 00:00:00.000": a UTC timestamp literal for `timestamp without time zone` columns. */
export function sqlTimestamp(d: Date): string {
  return d.toISOString().replace("T", " ").replace("Z", "");
}

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(d: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(d);
}

type Row = { rep: number | null; bucket: Date | null; value: number | null; n: number; g: number };

function emptyFigures(): MetricFigures {
  return { perRep: new Map(), countPerRep: new Map(), total: null, totalCount: 0, series: [], seriesPerRep: new Map() };
}

function toFigures(rows: Row[]): MetricFigures {
  const f = emptyFigures();
  for (const r of rows) {
    const value = r.value === null ? null : Number(r.value);
    const n = Number(r.n);
    // g is GROUPING(rep, bucket): 0 = both grouped by, 1 = rep only, 2 = bucket only, 3 = total.
    switch (Number(r.g)) {
      case 1:
        f.perRep.set(r.rep!, value);
        f.countPerRep.set(r.rep!, n);
        break;
      case 3:
        f.total = value;
        f.totalCount = n;
        break;
      case 2:
        f.series.push({ bucket: r.bucket!, value });
        break;
      case 0: {
        const list = f.seriesPerRep.get(r.rep!) ?? [];
        list.push({ bucket: r.bucket!, value });
        f.seriesPerRep.set(r.rep!, list);
        break;
      }
    }
  }
  const byTime = (a: { bucket: Date }, b: { bucket: Date }) => a.bucket.getTime() - b.bucket.getTime();
  f.series.sort(byTime);
  for (const list of f.seriesPerRep.values()) list.sort(byTime);
  return f;
}

function groupingSets(series: SeriesMode): string {
  if (series === "none") return `GROUPING SETS ((rep), ())`;
  if (series === "total") return `GROUPING SETS ((rep), (), (bucket))`;
  return `GROUPING SETS ((rep), (), (bucket), (rep, bucket))`;
}

/**
 * One metric over one window for a set of reps: per rep, total, and optional series.
 * Reps without records are absent from perRep (callers decide whether that means 0 or null).
 */
export async function fetchMetric(
  prisma: PrismaClient,
  metric: MetricKey,
  repIds: number[],
  window: Window,
  options: { series?: SeriesMode; grain?: Grain } = {},
): Promise<MetricFigures> {
  if (repIds.length === 0) return emptyFigures();
  if (metric === "pipeline") return fetchPipeline(prisma, repIds, window);
  if (metric === "quota") return fetchQuotaAttainment(prisma, repIds, window);
  const s = SOURCES[metric];
  const series = options.series ?? "none";
  const grain: Grain = options.grain === "month" ? "month" : "week";
  const local = s.isDate ? s.time : `((${s.time} AT TIME ZONE 'UTC') AT TIME ZONE $4)`;
  const bucket = `date_trunc('${grain}', ${local})::timestamp`;
  const bounds = s.isDate
    ? `${s.time} >= $1::date AND ${s.time} < $2::date`
    : `${s.time} >= $1::timestamp AND ${s.time} < $2::timestamp`;
  const rep = s.owner;
  // g numbers the grouping set like GROUPING(rep, bucket): 1 = per rep, 3 = total, 2 = bucket, 0 = rep×bucket.
  const [bucketCol, g, sets] =
    series === "none"
      ? ["NULL::timestamp", `GROUPING(${rep})::int * 2 + 1`, `(${rep}), ()`]
      : series === "total"
        ? [bucket, `GROUPING(${rep}, ${bucket})::int`, `(${rep}), (), (${bucket})`]
        : [bucket, `GROUPING(${rep}, ${bucket})::int`, `(${rep}), (), (${bucket}), (${rep}, ${bucket})`];
  const sql = `
    SELECT ${rep} AS rep, ${bucketCol} AS bucket, ${s.value} AS value, count(*)::int AS n, ${g} AS g
    FROM ${s.table}
    WHERE ${bounds} AND ${rep} = ANY($3::int[]) AND ${s.where}
    GROUP BY GROUPING SETS (${sets})`;
  const params = s.isDate
    ? [localDate(window.start, window.timeZone), localDate(window.end, window.timeZone), repIds, window.timeZone]
    : [sqlTimestamp(window.start), sqlTimestamp(window.end), repIds, window.timeZone];
  // $4 (the time zone) is only referenced by bucketed timestamp queries; PostgreSQL rejects unused
  // trailing parameters whose type it cannot infer, so pass it only when used.
  const used = !s.isDate && series !== "none" ? params : params.slice(0, 3);
  const rows = await prisma.$queryRawUnsafe<Row[]>(sql, ...used);
  return toFigures(rows);
}

async function fetchPipeline(prisma: PrismaClient, repIds: number[], window: Window): Promise<MetricFigures> {
  // Open at the end of the period: created before it, and not closed by then (whatever happened later).
  const rows = await prisma.$queryRawUnsafe<Row[]>(
    `SELECT "ownerId" AS rep, NULL::timestamp AS bucket, sum(amount)::float8 AS value, count(*)::int AS n,
            GROUPING("ownerId")::int * 2 + 1 AS g
     FROM "Deal"
     WHERE "createdAt" < $1::timestamp AND ("closedAt" IS NULL OR "closedAt" >= $1::timestamp)
       AND "ownerId" = ANY($2::int[])
     GROUP BY GROUPING SETS (("ownerId"), ())`,
    sqlTimestamp(window.end),
    repIds,
  );
  return toFigures(rows);
}

async function fetchQuotaAttainment(prisma: PrismaClient, repIds: number[], window: Window): Promise<MetricFigures> {
  // Quotas overlapping the period count pro rata by days (a quarterly quota asked for one month
  // counts one third); attainment = won sales / that quota.
  const rows = await prisma.$queryRawUnsafe<{ rep: number | null; sales: number | null; quota: number | null; n: number }[]>(
    `WITH q AS (
       SELECT "ownerId" AS rep,
              sum(amount::float8 * GREATEST(0, LEAST("periodEnd" + 1, $2::date) - GREATEST("periodStart", $1::date))
                  / ("periodEnd" + 1 - "periodStart")) AS quota
       FROM "Quota"
       WHERE "periodStart" < $2::date AND "periodEnd" >= $1::date AND "ownerId" = ANY($5::int[])
       GROUP BY 1
     ), s AS (
       SELECT "ownerId" AS rep, sum(amount)::float8 AS sales, count(*)::int AS n
       FROM "Deal"
       WHERE status = 'won' AND "closedAt" >= $3::timestamp AND "closedAt" < $4::timestamp AND "ownerId" = ANY($5::int[])
       GROUP BY 1
     )
     SELECT q.rep, COALESCE(s.sales, 0) AS sales, q.quota, COALESCE(s.n, 0)::int AS n
     FROM q LEFT JOIN s ON s.rep = q.rep
     WHERE q.quota > 0`,
    localDate(window.start, window.timeZone),
    localDate(window.end, window.timeZone),
    sqlTimestamp(window.start),
    sqlTimestamp(window.end),
    repIds,
  );
  const f = emptyFigures();
  let sales = 0;
  let quota = 0;
  for (const r of rows) {
    const s = Number(r.sales ?? 0);
    const q = Number(r.quota ?? 0);
    f.perRep.set(r.rep!, s / q);
    f.countPerRep.set(r.rep!, Number(r.n));
    sales += s;
    quota += q;
    f.totalCount += Number(r.n);
  }
  f.total = quota > 0 ? sales / quota : null;
  return f;
}
