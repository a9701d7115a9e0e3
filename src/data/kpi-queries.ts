// SQL aggregates behind every metric: one statement per metric and period, grouped per rep, for
// the whole scope and (optionally) per week/month bucket with GROUPING SETS, so the database does
// the summing and TypeScript only analyses a few hundred numbers.
// Every SQL fragment here is a constant of this file; user text only ever arrives as parameters.
import type { PrismaClient } from "./generated/client.ts";
import { DEFAULT_METRIC_PARAMS, METRICS, MetricParams, isRolledUp, type MetricId, type RecordKind, type RolledMetric, type SqlSource } from "../metrics/index.ts";
import type { BucketGrain, Window as TimeWindow } from "../time/buckets.ts";
import { sqlBucket, sqlTimestamp } from "../time/sql.ts";
import { localDate, localEndDate } from "../time/zone.ts";
import { fetchRolledUp, rollupServes } from "./rollups.ts";
import { columnOf, type Dimension } from "../dimensions/registry.ts";

/** A half-open interval [start, end) of instants, plus the workspace time zone for buckets. */
export type Window = TimeWindow;
export type Grain = BucketGrain;

export type SeriesMode = "none" | "total" | "perRep";
/**
 * The raw table a source reads, or — with `convert` (a base currency) — the same rows with their
 * money converted by the operator's monthly rates (ExchangeRate; month of close, or of creation for
 * open deals; of start for campaigns). A row without a rate converts to NULL: callers check first
 * (missingRates). `base` is a validated 3-letter code, the only value spliced into this SQL.
 */
export function tableOf(table: string, convert: string | undefined): string {
  if (!convert) return table;
  if (!/^[A-Z]{3}$/.test(convert)) throw new Error(`not a currency code: ${convert}`);
  const fx = (alias: string, time: string) =>
    `CASE WHEN ${alias}.currency = '${convert}' THEN 1 ELSE (SELECT r.rate FROM "ExchangeRate" r WHERE r.currency = ${alias}.currency AND r.base = '${convert}' AND r.month = date_trunc('month', ${time})::date) END`;
  if (table === `"Deal"`) return `(SELECT d."ownerId", d.status, d."createdAt", d."closedAt", d.currency, d.product, d.source, d.region, d.segment, d.stage, d.pipeline, d."type", d."campaignId", d.amount * ${fx("d", `COALESCE(d."closedAt", d."createdAt")`)} AS amount FROM "Deal" d) AS deal`;
  if (table === `"Campaign"`) {
    const rate = fx("c", `c."startDate"`);
    return `(SELECT c.id, c.name, c."ownerId", c."startDate", c.channel, c.leads, c.conversions, c.currency, c.spend * ${rate} AS spend, c.revenue * ${rate} AS revenue FROM "Campaign" c) AS campaign`;
  }
  return table;
}

/** "auto": the rollup tables where they can answer (see rollups.ts); "raw": always the raw rows. */
export type ReadFrom = "auto" | "raw";

/** Records whose `dim` column holds one of `values` (stored values, resolved from what was typed). */
export type ValueFilter = { dim: Dimension; values: readonly string[] };

/**
 * ` AND <column>::text = ANY($n::text[])` per filter, its values pushed as parameters. The column
 * comes from the dimension registry (a constant); a filter the records lack matches nothing
 * (callers refuse such a question first, with a message).
 */
export function filterSql(filters: readonly ValueFilter[] | undefined, records: RecordKind, param: (v: unknown) => string): string {
  if (!filters || filters.length === 0) return "";
  return filters
    .map((f) => {
      const col = columnOf(f.dim, records);
      return col ? ` AND ${col.column}::text = ANY(${param([...f.values])}::text[])` : " AND false";
    })
    .join("");
}

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
  /** Pipeline only: open deals without an amount (not in the sums), per rep and over the scope. */
  unpriced?: { perRep: Map<number, number>; total: number };
  /** Per group key, with a `groupBy` request only (see fetchGrouped). */
  perGroup?: Map<string, GroupFigure>;
  /** Distinct owners behind `total`, with a `groupBy` request only. */
  totalContributors?: number;
  /** Of those, the ones outside `seen` (see GroupFigure.hidden). */
  totalHidden?: number;
  /** Quota attainment only: the won sales and the quota behind each ratio (minor units). */
  parts?: { perRep: Map<number, AttainmentParts>; total: AttainmentParts };
};

/** What an attainment is made of: won sales over quota, in minor units. */
export type AttainmentParts = { won: number; quota: number };

/**
 * What a breakdown groups rows by: an owner's group (team id, rep id: `keys` maps owner → key),
 * a local calendar bucket (ISO keys `2026-07`, `2026-W27`, `2026-Q3`), or a column of the records
 * named by the dimension registry (product, region, a campaign's channel, …).
 */
export type GroupBy =
  | { kind: "owner"; keys: ReadonlyMap<number, string> }
  | { kind: "time"; grain: "week" | "month" | "quarter" }
  | { kind: "field"; dim: Dimension };

/** One group's figure: the metric over the group's rows, their count, and the distinct owners behind them. `label`: a name read for an id key (campaigns). */
export type GroupFigure = {
  value: number | null;
  n: number;
  contributors: number;
  /** Contributors outside `seen` (people the asker already sees one by one), when asked for. */
  hidden?: number;
  label?: string;
};

/** Metrics with a raw-row SQL source (not pipeline or quota, which have readers of their own). */
function sourceOf(metric: MetricId): SqlSource | null {
  const s = METRICS[metric].source;
  return typeof s === "string" ? null : s;
}

/**
 * The WHERE part placing a source's rows in the window [$1, $2): a flow's records in it, a
 * snapshot's (`openUntil`) records open at its end ($1 is still referenced, so its type is known).
 */
export function boundsOf(s: SqlSource): string {
  const cast = s.isDate ? "date" : "timestamp";
  if (s.openUntil) return `$1::${cast} IS NOT NULL AND ${s.time} < $2::${cast} AND (${s.openUntil} IS NULL OR ${s.openUntil} >= $2::${cast})`;
  return `${s.time} >= $1::${cast} AND ${s.time} < $2::${cast}`;
}

/** The workspace settings spliced into metric SQL, checked (numbers only) before use. */
function paramsOf(p: MetricParams | undefined): MetricParams {
  return p ? MetricParams.parse(p) : DEFAULT_METRIC_PARAMS;
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

/**
 * One metric over one window for a set of reps: per rep, total, and optional series.
 * Reps without records are absent from perRep (callers decide whether that means 0 or null).
 */
export async function fetchMetric(
  prisma: PrismaClient,
  metric: MetricId,
  repIds: number[],
  window: Window,
  options: { series?: SeriesMode; grain?: Grain; source?: ReadFrom; convert?: string; params?: MetricParams; filters?: readonly ValueFilter[] } = {},
): Promise<MetricFigures> {
  if (repIds.length === 0) return emptyFigures();
  const filtered = (options.filters?.length ?? 0) > 0;
  if (options.source !== "raw" && !options.convert && !filtered && isRolledUp(metric) && rollupServes([metric], window, options.series, options.grain)) {
    return (await fetchRolledUp(prisma, [metric], repIds, window, options.series)).get(metric)!;
  }
  if (metric === "pipeline") return fetchPipeline(prisma, repIds, window, options.convert, options.filters);
  if (metric === "quota") return fetchQuotaAttainment(prisma, repIds, window);
  const s = sourceOf(metric)!;
  const series = options.series ?? "none";
  const grain: Grain = options.grain === "month" ? "month" : "week";
  const params: unknown[] = s.isDate
    ? [localDate(window.start, window.timeZone), localEndDate(window.end, window.timeZone), repIds]
    : [sqlTimestamp(window.start), sqlTimestamp(window.end), repIds];
  const param = (v: unknown) => `$${params.push(v)}`;
  // Timestamps are stored in UTC: in a UTC workspace they are already local, skip the conversion.
  // The zone is a parameter only where a bucket uses it (PostgreSQL rejects untyped unused ones).
  const utc = window.timeZone === "UTC";
  const local = s.isDate || utc || series === "none" ? s.time : `((${s.time} AT TIME ZONE 'UTC') AT TIME ZONE ${param(window.timeZone)}::text)`;
  const bucket = `${sqlBucket(grain, local)}::timestamp`;
  const bounds = boundsOf(s);
  const rep = s.owner;
  // g numbers the grouping set like GROUPING(rep, bucket): 1 = per rep, 3 = total, 2 = bucket, 0 = rep×bucket.
  const [bucketCol, g, sets] =
    series === "none"
      ? ["NULL::timestamp", `GROUPING(${rep})::int * 2 + 1`, `(${rep}), ()`]
      : series === "total"
        ? [bucket, `GROUPING(${rep}, ${bucket})::int`, `(${rep}), (), (${bucket})`]
        : [bucket, `GROUPING(${rep}, ${bucket})::int`, `(${rep}), (), (${bucket}), (${rep}, ${bucket})`];
  const sql = `
    SELECT ${rep} AS rep, ${bucketCol} AS bucket, ${s.value("", paramsOf(options.params))} AS value, count(*)::int AS n, ${g} AS g
    FROM ${tableOf(s.table, options.convert)}
    WHERE ${bounds} AND ${rep} = ANY($3::int[]) AND ${s.where}${filterSql(options.filters, METRICS[metric].records, param)}
    GROUP BY GROUPING SETS (${sets})`;
  const rows = await prisma.$queryRawUnsafe<Row[]>(sql, ...params);
  return toFigures(rows);
}

async function fetchPipeline(prisma: PrismaClient, repIds: number[], window: Window, convert?: string, filters?: readonly ValueFilter[]): Promise<MetricFigures> {
  const params: unknown[] = [sqlTimestamp(window.end), repIds];
  const param = (v: unknown) => `$${params.push(v)}`;
  // Open at the end of the period: created before it, and not closed by then (whatever happened later).
  // An open deal may have no amount yet: counted apart (callers check rates first, so a NULL
  // amount here is a missing amount, not a missing rate); known amounts sum to 0 without them.
  const rows = await prisma.$queryRawUnsafe<(Row & { unpriced: number })[]>(
    `SELECT "ownerId" AS rep, NULL::timestamp AS bucket, (CASE WHEN count(*) > 0 THEN COALESCE(sum(amount), 0) END)::float8 AS value,
            count(*)::int AS n, count(*) FILTER (WHERE amount IS NULL)::int AS unpriced,
            GROUPING("ownerId")::int * 2 + 1 AS g
     FROM ${tableOf(`"Deal"`, convert)}
     WHERE "createdAt" < $1::timestamp AND ("closedAt" IS NULL OR "closedAt" >= $1::timestamp)
       AND "ownerId" = ANY($2::int[])${filterSql(filters, "deals", param)}
     GROUP BY GROUPING SETS (("ownerId"), ())`,
    ...params,
  );
  const f = toFigures(rows);
  const perRep = new Map(rows.filter((r) => Number(r.g) === 1 && Number(r.unpriced) > 0).map((r) => [r.rep!, Number(r.unpriced)]));
  f.unpriced = { perRep, total: Number(rows.find((r) => Number(r.g) === 3)?.unpriced ?? 0) };
  return f;
}

/**
 * Quota per rep for a window, pro rata by days: a quarterly quota asked for one month counts a
 * third. Quotas are few rows; this never scans deals.
 */
export async function fetchQuotaAmounts(prisma: PrismaClient, repIds: number[], window: Window): Promise<Map<number, number>> {
  if (repIds.length === 0) return new Map();
  const rows = await prisma.$queryRawUnsafe<{ rep: number; quota: number }[]>(
    `SELECT "ownerId" AS rep,
            sum(amount::float8 * GREATEST(0, LEAST("periodEnd" + 1, $2::date) - GREATEST("periodStart", $1::date))
                / ("periodEnd" + 1 - "periodStart")) AS quota
     FROM "Quota"
     WHERE "periodStart" < $2::date AND "periodEnd" >= $1::date AND "ownerId" = ANY($3::int[])
     GROUP BY 1`,
    localDate(window.start, window.timeZone),
    localDate(window.end, window.timeZone),
    repIds,
  );
  return new Map(rows.filter((r) => Number(r.quota) > 0).map((r) => [Number(r.rep), Number(r.quota)]));
}

/** Attainment = won sales / quota, per rep with a quota, and overall (sum of sales / sum of quotas). */
export function attainment(sales: MetricFigures, quotas: Map<number, number>): MetricFigures {
  const f = emptyFigures();
  const perRep = new Map<number, AttainmentParts>();
  let s = 0;
  let q = 0;
  for (const [rep, quota] of quotas) {
    const v = sales.perRep.get(rep) ?? 0;
    f.perRep.set(rep, v / quota);
    perRep.set(rep, { won: v, quota });
    f.countPerRep.set(rep, sales.countPerRep.get(rep) ?? 0);
    f.totalCount += sales.countPerRep.get(rep) ?? 0;
    s += v;
    q += quota;
  }
  f.total = q > 0 ? s / q : null;
  f.parts = { perRep, total: { won: s, quota: q } };
  return f;
}

/**
 * The quota period in force on `today` (a local date, "YYYY-MM-DD") for these people: the
 * periodStart..periodEnd of their quotas containing it; when those differ, the one most of them
 * have (then the later start, then the shorter). Null when none of them has a quota in force.
 */
export async function quotaPeriodInForce(prisma: PrismaClient, repIds: number[], today: string): Promise<{ from: string; to: string } | null> {
  if (repIds.length === 0) return null;
  const rows = await prisma.$queryRawUnsafe<{ from: string; to: string }[]>(
    `SELECT to_char("periodStart", 'YYYY-MM-DD') AS "from", to_char("periodEnd", 'YYYY-MM-DD') AS "to"
     FROM "Quota"
     WHERE "periodStart" <= $1::date AND "periodEnd" >= $1::date AND "ownerId" = ANY($2::int[]) AND amount > 0
     GROUP BY "periodStart", "periodEnd"
     ORDER BY count(DISTINCT "ownerId") DESC, "periodStart" DESC, "periodEnd" ASC
     LIMIT 1`,
    today,
    repIds,
  );
  return rows[0] ?? null;
}

async function fetchQuotaAttainment(prisma: PrismaClient, repIds: number[], window: Window): Promise<MetricFigures> {
  const [sales, quotas] = await Promise.all([fetchMetric(prisma, "sales", repIds, window), fetchQuotaAmounts(prisma, repIds, window)]);
  return attainment(sales, quotas);
}

/**
 * Several metrics per rep (no series) with one scan per table and time column: e.g. win rate,
 * average deal and cycle together. For the advice rules' context figures.
 */
export async function fetchMetrics(
  prisma: PrismaClient,
  metrics: readonly MetricId[],
  repIds: number[],
  window: Window,
  options: { source?: ReadFrom; convert?: string; params?: MetricParams; filters?: readonly ValueFilter[] } = {},
): Promise<Map<MetricId, MetricFigures>> {
  const metricParams = paramsOf(options.params);
  const out = new Map<MetricId, MetricFigures>();
  const groups = new Map<string, MetricId[]>();
  const singles: MetricId[] = [];
  const rolled = options.source === "raw" || options.convert || (options.filters?.length ?? 0) > 0 ? [] : metrics.filter((m) => rollupServes([m], window));
  for (const m of metrics) {
    if ((rolled as MetricId[]).includes(m)) continue;
    const source = sourceOf(m);
    if (!source) singles.push(m);
    else {
      // A snapshot (backlog) reads other rows than the flows of the same time column.
      const key = `${source.table}.${source.time}.${source.openUntil ?? ""}`;
      groups.set(key, [...(groups.get(key) ?? []), m]);
    }
  }
  await Promise.all([
    rolled.length > 0 && repIds.length > 0
      ? fetchRolledUp(prisma, rolled as RolledMetric[], repIds, window).then((fs) => fs.forEach((f, m) => out.set(m, f)))
      : rolled.forEach((m) => out.set(m, emptyFigures())),
    ...singles.map(async (m) => out.set(m, await fetchMetric(prisma, m, repIds, window, options))),
    ...[...groups.values()].map(async (ms) => {
      if (repIds.length === 0) return ms.forEach((m) => out.set(m, emptyFigures()));
      const sources = ms.map((m) => sourceOf(m)!);
      const s = sources[0]!;
      const wheres = [...new Set(sources.map((x) => x.scan ?? x.where))];
      const bounds = boundsOf(s);
      const cols = sources.map((x, i) => {
        const f = x.where === "true" ? "" : `FILTER (WHERE ${x.where})`;
        return `${x.value(f, metricParams)} AS v${i}, (count(*) ${f})::int AS n${i}`;
      });
      const params: unknown[] = s.isDate
        ? [localDate(window.start, window.timeZone), localEndDate(window.end, window.timeZone), repIds]
        : [sqlTimestamp(window.start), sqlTimestamp(window.end), repIds];
      const param = (v: unknown) => `$${params.push(v)}`;
      const rows = await prisma.$queryRawUnsafe<Record<string, number | null>[]>(
        `SELECT ${s.owner} AS rep, GROUPING(${s.owner})::int * 2 + 1 AS g, ${cols.join(", ")}
         FROM ${tableOf(s.table, options.convert)}
         WHERE ${bounds} AND ${s.owner} = ANY($3::int[]) AND (${wheres.join(" OR ")})${filterSql(options.filters, METRICS[ms[0]!].records, param)}
         GROUP BY GROUPING SETS ((${s.owner}), ())`,
        ...params,
      );
      // A rep with rows for one metric of the scan but none for this one is absent, as in fetchMetric.
      ms.forEach((m, i) =>
        out.set(m, toFigures(rows
          .map((r) => ({ rep: r.rep ?? null, bucket: null, value: r[`v${i}`] ?? null, n: Number(r[`n${i}`] ?? 0), g: Number(r.g) }))
          .filter((r) => r.g === 3 || r.n > 0))),
      );
    }),
  ]);
  return out;
}

/** ISO-style labels of local calendar buckets (constants). */
const BUCKET_KEY: Readonly<Record<"week" | "month" | "quarter", string>> = {
  week: `'IYYY-"W"IW'`,
  month: `'YYYY-MM'`,
  quarter: `'YYYY-"Q"Q'`,
};

/**
 * One metric over one window, per group and in total, in one statement (GROUPING SETS): a group's
 * figure is the metric over the group's rows (a team's win rate = its won over its closed deals),
 * never a mean of its members. Pipeline is the open deals at the window's end (their amount, or
 * with `open: "count"` their number: `deals by stage`); quota has no groups: null. A records'
 * field dimension groups rows without a value under the key "".
 */
export async function fetchGrouped(
  prisma: PrismaClient,
  metric: MetricId,
  repIds: number[],
  window: Window,
  by: GroupBy,
  options: { convert?: string; filters?: readonly ValueFilter[]; open?: "count"; params?: MetricParams; seen?: readonly number[] } = {},
): Promise<MetricFigures | null> {
  const def = METRICS[metric];
  const open = def.source === "pipeline" || options.open === "count";
  const s: SqlSource | null = open
    ? {
        table: `"Deal"`, owner: `"ownerId"`, time: `"createdAt"`, where: "true",
        value: () => (options.open === "count" ? `count(*)::float8` : `(CASE WHEN count(*) > 0 THEN COALESCE(sum(amount), 0) END)::float8`),
      }
    : sourceOf(metric);
  if (!s) return null;
  // A snapshot (backlog) has no time of its own to bucket by.
  if (s.openUntil && by.kind === "time") return null;
  const records = open ? "deals" : def.records;
  const out = emptyFigures();
  out.perGroup = new Map();
  if (repIds.length === 0) return out;
  const params: unknown[] = open
    ? [sqlTimestamp(window.end), null, repIds]
    : s.isDate
      ? [localDate(window.start, window.timeZone), localEndDate(window.end, window.timeZone), repIds]
      : [sqlTimestamp(window.start), sqlTimestamp(window.end), repIds];
  const param = (v: unknown) => `$${params.push(v)}`;
  // Open at the end of the window: created before it and not closed by then.
  const bounds = open ? `"createdAt" < $1::timestamp AND ("closedAt" IS NULL OR "closedAt" >= $1::timestamp) AND $2::text IS NULL` : boundsOf(s);
  let key: string;
  let join = "";
  let label: "campaign" | undefined;
  if (by.kind === "owner") {
    const ids = [...by.keys.keys()];
    join = `JOIN unnest(${param(ids)}::int[], ${param(ids.map((id) => by.keys.get(id)!))}::text[]) AS grp(rep, key) ON grp.rep = ${s.owner}`;
    key = "grp.key";
  } else if (by.kind === "time") {
    // Timestamps are stored in UTC: in a UTC workspace they are already local.
    const local = s.isDate || window.timeZone === "UTC" ? s.time : `((${s.time} AT TIME ZONE 'UTC') AT TIME ZONE ${param(window.timeZone)}::text)`;
    key = `to_char(date_trunc('${by.grain}', ${local}), ${BUCKET_KEY[by.grain]})`;
  } else {
    const col = columnOf(by.dim, records);
    if (!col) return null;
    key = `COALESCE(${col.column}::text, '')`;
    label = col.label;
  }
  const from = `FROM ${tableOf(s.table, options.convert)} ${join}
     WHERE ${bounds} AND ${s.owner} = ANY($3::int[]) AND ${s.where}${filterSql(options.filters, records, param)}`;
  const split: SqlSource["split"] = open
    ? options.open === "count"
      ? { parts: () => ["count(*)"], combine: ([n]) => `COALESCE(${n}, 0)::float8` }
      : { parts: () => ["count(*)", "sum(amount)"], combine: ([n, a]) => `(CASE WHEN ${n} > 0 THEN COALESCE(${a}, 0) END)::float8` }
    : s.split;
  // Where the value splits into sums, the rows are first summed per group and owner: a plain
  // GROUP BY the planner hashes (in parallel), where a DISTINCT count over GROUPING SETS sorts them.
  const parts = split?.parts(paramsOf(options.params));
  // Who contributed to a sum: an owner whose part of it is not 0 (as group.ts counts people);
  // to anything else: an owner with a record.
  const counts = split && parts && (open || def.additive) ? `WHERE (${split.combine(parts.map((_, i) => `p${i}`))}) <> 0` : "";
  // Contributors the asker does not already see one by one (the withholding rule counts those);
  // seeing nobody one by one, that is every contributor: no second DISTINCT count.
  const seeing = options.seen !== undefined && options.seen.length > 0;
  const seen = seeing ? param([...options.seen!]) : "";
  const rows = await prisma.$queryRawUnsafe<{ key: string | null; g: number; value: number | null; n: number; c: number; h: number | null }[]>(
    split && parts
      ? `SELECT k AS key, GROUPING(k)::int AS g, ${split.combine(parts.map((_, i) => `sum(p${i})`))} AS value, COALESCE(sum(n), 0)::int AS n,
                (count(DISTINCT o) ${counts ? `FILTER (${counts})` : ""})::int AS c,
                ${seeing ? `(count(DISTINCT o) FILTER (WHERE NOT (o = ANY(${seen}::int[]))${counts ? ` AND ${counts.slice(6)}` : ""}))::int` : "NULL::int"} AS h
         FROM (SELECT ${key} AS k, ${s.owner} AS o, ${parts.map((e, i) => `${e} AS p${i}`).join(", ")}, count(*) AS n ${from} GROUP BY 1, 2) x
         GROUP BY GROUPING SETS ((k), ())`
      : `SELECT ${key} AS key, GROUPING(${key})::int AS g, ${s.value("", paramsOf(options.params))} AS value, count(*)::int AS n, count(DISTINCT ${s.owner})::int AS c,
                ${seeing ? `(count(DISTINCT ${s.owner}) FILTER (WHERE NOT (${s.owner} = ANY(${seen}::int[]))))::int` : "NULL::int"} AS h
         ${from}
         GROUP BY GROUPING SETS ((${key}), ())`,
    ...params,
  );
  for (const r of rows) {
    const value = r.value === null ? null : Number(r.value);
    if (Number(r.g) === 1) {
      out.total = value;
      out.totalCount = Number(r.n);
      out.totalContributors = Number(r.c);
      out.totalHidden = r.h === null ? Number(r.c) : Number(r.h);
    } else out.perGroup.set(String(r.key), { value, n: Number(r.n), contributors: Number(r.c), hidden: r.h === null ? Number(r.c) : Number(r.h) });
  }
  if (label === "campaign" && out.perGroup.size > 0) {
    const ids = [...out.perGroup.keys()].filter((k) => k !== "").map(Number);
    const names = await prisma.$queryRawUnsafe<{ id: number; name: string }[]>(`SELECT id, name FROM "Campaign" WHERE id = ANY($1::int[])`, ids);
    for (const n of names) {
      const g = out.perGroup.get(String(n.id));
      if (g) g.label = n.name;
    }
  }
  return out;
}

/**
 * Several metrics of one family (same table and time column) per owner group, per owner and in
 * total, in one statement: the scorecard's round trip per family. Each metric's aggregate is FILTERed by its own
 * condition, so each figure equals what fetchGrouped gives for it alone (tested).
 */
export async function fetchGroupedFamily(prisma: PrismaClient, metrics: readonly MetricId[], repIds: number[], window: Window, keys: ReadonlyMap<number, string>, options: { convert?: string; params?: MetricParams } = {}): Promise<Map<MetricId, MetricFigures>> {
  const convert = options.convert;
  const metricParams = paramsOf(options.params);
  const sources = metrics.map((m) => sourceOf(m));
  const s = sources[0];
  if (!s || sources.some((x) => !x || x.table !== s.table || x.time !== s.time || x.owner !== s.owner || x.openUntil !== s.openUntil)) throw new Error(`not one family: ${metrics.join(", ")}`);
  const out = new Map<MetricId, MetricFigures>(metrics.map((m) => [m, { ...emptyFigures(), perGroup: new Map<string, GroupFigure>() }]));
  if (repIds.length === 0) return out;
  const params: unknown[] = s.isDate
    ? [localDate(window.start, window.timeZone), localEndDate(window.end, window.timeZone), repIds]
    : [sqlTimestamp(window.start), sqlTimestamp(window.end), repIds];
  const param = (v: unknown) => `$${params.push(v)}`;
  const bounds = boundsOf(s);
  const ids = [...keys.keys()];
  const join = `JOIN unnest(${param(ids)}::int[], ${param(ids.map((id) => keys.get(id)!))}::text[]) AS grp(rep, key) ON grp.rep = ${s.owner}`;
  const wheres = [...new Set(sources.map((x) => x!.where))];
  const cols = sources.map((x, i) => {
    const f = x!.where === "true" ? "" : `FILTER (WHERE ${x!.where})`;
    return `${x!.value(f, metricParams)} AS v${i}, (count(*) ${f})::int AS n${i}, (count(DISTINCT ${s.owner}) ${f})::int AS c${i}`;
  });
  const rows = await prisma.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT grp.key AS key, ${s.owner} AS rep, GROUPING(grp.key, ${s.owner})::int AS g, ${cols.join(", ")}
     FROM ${tableOf(s.table, convert)} ${join}
     WHERE ${bounds} AND ${s.owner} = ANY($3::int[]) AND (${wheres.join(" OR ")})
     GROUP BY GROUPING SETS ((grp.key), (${s.owner}), ())`,
    ...params,
  );
  metrics.forEach((m, i) => {
    const f = out.get(m)!;
    for (const r of rows) {
      const raw = r[`v${i}`];
      const value = raw === null || raw === undefined ? null : Number(raw);
      const n = Number(r[`n${i}`] ?? 0);
      const c = Number(r[`c${i}`] ?? 0);
      // g is GROUPING(key, owner): 1 = per group, 2 = per owner, 3 = total.
      const g = Number(r.g);
      if (g === 3) {
        f.total = value;
        f.totalCount = n;
        f.totalContributors = c;
      } else if (n === 0) continue;
      else if (g === 1) f.perGroup!.set(String(r.key), { value, n, contributors: c });
      else {
        f.perRep.set(Number(r.rep), value);
        f.countPerRep.set(Number(r.rep), n);
      }
    }
  });
  return out;
}

/**
 * Spend and attributed revenue (minor units) per campaign or channel of the campaigns starting in
 * the window: the points of "what spend buys" (a regression across groups).
 */
export async function fetchSpendRevenue(
  prisma: PrismaClient,
  repIds: number[],
  window: Window,
  dim: Dimension,
  options: { convert?: string; filters?: readonly ValueFilter[] } = {},
): Promise<{ key: string; spend: number; revenue: number }[]> {
  const col = columnOf(dim, "campaigns");
  if (!col || repIds.length === 0) return [];
  const params: unknown[] = [localDate(window.start, window.timeZone), localEndDate(window.end, window.timeZone), repIds];
  const param = (v: unknown) => `$${params.push(v)}`;
  const rows = await prisma.$queryRawUnsafe<{ key: string; spend: number | null; revenue: number | null }[]>(
    `SELECT ${col.column}::text AS key, sum(spend)::float8 AS spend, sum(revenue)::float8 AS revenue
     FROM ${tableOf(`"Campaign"`, options.convert)}
     WHERE "startDate" >= $1::date AND "startDate" < $2::date AND "ownerId" = ANY($3::int[])${filterSql(options.filters, "campaigns", param)}
     GROUP BY 1`,
    ...params,
  );
  return rows.flatMap((r) => (r.spend === null || r.revenue === null ? [] : [{ key: String(r.key), spend: Number(r.spend), revenue: Number(r.revenue) }]));
}
