// Every metric, from its own file. Add a metric by adding a file and a line here; ids, parser
// words, SQL, answers, the metrics help and the README table all follow from it.
import { z } from "zod";
import activities from "./activities.ts";
import attributed from "./attributed.ts";
import backlog from "./backlog.ts";
import conversions from "./conversions.ts";
import cpa from "./cpa.ts";
import resrate from "./resrate.ts";
import roas from "./roas.ts";
import satisfied from "./satisfied.ts";
import sla from "./sla.ts";
import spend from "./spend.ts";
import tickets from "./tickets.ts";
import avgdeal from "./avgdeal.ts";
import conversion from "./conversion.ts";
import cpl from "./cpl.ts";
import csat from "./csat.ts";
import cycle from "./cycle.ts";
import deals from "./deals.ts";
import frt from "./frt.ts";
import leads from "./leads.ts";
import pipeline from "./pipeline.ts";
import quota from "./quota.ts";
import resolution from "./resolution.ts";
import roi from "./roi.ts";
import sales from "./sales.ts";
import winrate from "./winrate.ts";
import type { MetricFunction, MetricSpec, RollupSum } from "./metric.ts";

const ALL = [sales, deals, winrate, avgdeal, cycle, pipeline, activities, quota, csat, frt, resolution, tickets, backlog, resrate, sla, satisfied, leads, conversion, cpl, roi, spend, conversions, attributed, roas, cpa] as const;

type Ids = (typeof ALL)[number]["id"];

export const MetricId = z.enum(ALL.map((m) => m.id) as [Ids, ...Ids[]]);
export type MetricId = z.infer<typeof MetricId>;

/** A registry entry, with its id and context typed as metric ids. */
export type Metric = Omit<MetricSpec, "id" | "context"> & { id: MetricId; context: readonly MetricId[] };

export const METRICS: Readonly<Record<MetricId, Metric>> = Object.fromEntries(ALL.map((m) => [m.id, m as unknown as Metric])) as Record<MetricId, Metric>;

export const METRIC_IDS: readonly MetricId[] = MetricId.options;

/** The metrics the rollup tables hold (sums and counts of deals and activities). */
export type RolledMetric = Extract<(typeof ALL)[number], { rollup: readonly RollupSum[] }>["id"];

export const ROLLED_UP: readonly RolledMetric[] = ALL.filter((m) => m.rollup !== null).map((m) => m.id as RolledMetric);

export function isRolledUp(metric: MetricId): metric is RolledMetric {
  return METRICS[metric].rollup !== null;
}

/** The key metrics of a function, in registry order: the lines of its scorecard. */
export function scorecardMetrics(fn: MetricFunction): MetricId[] {
  return METRIC_IDS.filter((id) => METRICS[id].scorecard === true && METRICS[id].function === fn);
}

/** The values a metric can take: forecasts and chart bands stay inside. */
export function valueRange(metric: Metric): { min: number | null; max: number | null } {
  return metric.range ?? { min: 0, max: null };
}
