// What a metric is, said once: names and words (en/zh), unit, direction, who it applies to, its
// SQL source, what the rollups hold of it, how far from the median a flag must be, and which other
// metrics its advice reads. Parser words, SQL, answers, flags and the README table derive from it.
import { z } from "zod";
import type { Lang } from "../i18n/lang.ts";

export const Unit = z.enum(["currency", "count", "percent", "days", "minutes", "hours", "score", "ratio"]);
export type Unit = z.infer<typeof Unit>;

/** What a team does; a metric belongs to one (its people are ranked on it). */
export const MetricFunction = z.enum(["sales", "service", "marketing"]);
export type MetricFunction = z.infer<typeof MetricFunction>;

/** The CRM records a metric is computed from. Someone with one of these, ever, "does" the metric. */
export type RecordKind = "deals" | "activities" | "tickets" | "campaigns";

/** Table and owner column of each kind of record (constants: never user text). */
export const RECORDS: Readonly<Record<RecordKind, { table: string; owner: string }>> = {
  deals: { table: `"Deal"`, owner: `"ownerId"` },
  activities: { table: `"Activity"`, owner: `"ownerId"` },
  tickets: { table: `"Ticket"`, owner: `"agentId"` },
  campaigns: { table: `"Campaign"`, owner: `"ownerId"` },
};

/**
 * How a metric is computed from raw rows: `value(f)` is the aggregate, with `f` empty or a
 * FILTER (WHERE …) clause applied to every aggregate call. Every fragment is a constant.
 */
export type SqlSource = {
  table: string;
  owner: string;
  /** Column that places a record in a period. */
  time: string;
  /** `time` is a date column (compared with local dates) rather than a UTC timestamp. */
  isDate?: boolean;
  where: string;
  /**
   * A snapshot rather than a flow: the records open at the end of the period — `time` before the
   * end and this column null or not before it (backlog: opened, not yet resolved by then).
   */
  openUntil?: string;
  /** The rows every metric of this table and time column draws from, when read in one scan. */
  scan?: string;
  value: (f: string, p: MetricParams) => string;
  /**
   * The same value as sums of parts, for breakdowns: rows are first aggregated per group and owner
   * (a hash aggregate the planner can run in parallel), then the parts' sums are combined. Absent
   * where the value does not decompose (medians). `combine` gets the SQL of each part's sum and
   * must give exactly `value` (an average is numeric sum / count, as avg() computes it; tested).
   */
  split?: { parts: (p: MetricParams) => string[]; combine: (sums: string[]) => string };
  /** The currency column of the money this metric adds up (for the currency check). */
  currency?: string;
};

/**
 * The workspace settings a metric's SQL depends on (validated numbers, the only values spliced in
 * besides constants): the first-response target of SLA attainment.
 */
export const MetricParams = z.object({ slaMinutes: z.number().int().min(1).max(7 * 24 * 60) });
export type MetricParams = z.infer<typeof MetricParams>;

export const DEFAULT_METRIC_PARAMS: MetricParams = { slaMinutes: 60 };

/** The sums the rollup tables keep: won amount, won count, lost count, activities. */
export type RollupSum = "wa" | "wc" | "lc" | "ac";

export type MetricSpec = {
  id: string;
  name: Record<Lang, string>;
  /** Every word that names it; the first of each language is its display name. */
  words: { readonly en: readonly string[]; readonly zh: readonly string[] };
  definition: Record<Lang, string>;
  /** What the figure over a whole group is called: "Total" for sums, "Overall CSAT", … */
  overall: Record<Lang, string>;
  unit: Unit;
  lowerIsBetter: boolean;
  /** A sum over people (a person without records counts 0) rather than a rate or a median. */
  additive: boolean;
  /** Amounts of money, in the currency of the records. */
  money: boolean;
  /** Made of amounts of money (a ratio of them, like ROI): one currency needed, but shown unitless. */
  ofMoney?: boolean;
  function: MetricFunction;
  records: RecordKind;
  /** Raw-row SQL, or a reader of its own (pipeline: a snapshot; quota: sales over quotas). */
  source: SqlSource | "pipeline" | "quota";
  /** The rollup sums it is made of; null when it is read from raw rows only. */
  rollup: readonly RollupSum[] | null;
  /** Has a weekly/monthly series (snapshots and ratios of periods do not). */
  series: boolean;
  /** One of its function's key metrics: a line of the scorecard (`team east scorecard`), in registry order. */
  scorecard?: boolean;
  /**
   * A flag also needs a practical difference from the median: at least `absolute` (in the
   * metric's stored unit) and at least `relative` × |median|. Tightly bunched scores are not news.
   */
  minGap: { absolute: number; relative: number };
  /** Other metrics the advice for a low flag reads (within the same function). */
  context: readonly string[];
  /** Values it can take (forecasts are clamped to it); default: not below 0. */
  range?: { min: number | null; max: number | null };
};

/** Identity with a type check: each metric file says `export default defineMetric({...})`. */
export const defineMetric = <const M extends MetricSpec>(m: M): M => m;

export const CLOSED = `status IN ('won', 'lost')`;

/** Split forms of the common values (see SqlSource.split). */
export const sumOf = (expr: string): NonNullable<SqlSource["split"]> => ({ parts: () => [`sum(${expr})`], combine: ([s]) => `(${s})::float8` });
/** A count over no rows is 0 (count(*)), where a sum over no rows is NULL. */
export const countOf: NonNullable<SqlSource["split"]> = { parts: () => [`count(*)`], combine: ([n]) => `COALESCE(${n}, 0)::float8` };
/** avg(expr) as numeric sum / count of non-null values: the division avg() itself does. */
export const averageOf = (expr: string): NonNullable<SqlSource["split"]> => ({ parts: () => [`sum(${expr})`, `count(${expr})`], combine: ([s, n]) => `(${s}::numeric / NULLIF(${n}, 0))::float8` });
/** sum(a) / sum(b) in float8, as the ratio metrics compute it. */
export const ratioOf = (a: string, b: string): NonNullable<SqlSource["split"]> => ({ parts: () => [`sum(${a})`, `sum(${b})`], combine: ([x, y]) => `(${x})::float8 / NULLIF(${y}, 0)` });
export const seconds = (a: string, b: string) => `extract(epoch FROM (${b} - ${a}))`;
export const medianOf = (expr: string) => (f: string) => `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${expr}) ${f}`;
/** `n minutes` as an SQL interval; n is a validated integer (MetricParams), never user text. */
export function minutesInterval(n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new Error(`not a whole number of minutes: ${n}`);
  return `(${n} * interval '1 minute')`;
}
