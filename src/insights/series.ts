// The trend of a series and its forecast to the period's end. Only whole buckets are measured: a
// one-day "week" at either end of a period (a quarter starting on a Sunday, the week running now)
// is left out of the regression and of the chart alike, and the forecast weights the running and
// the last bucket by the share of them still to come.
import { forecast, forecastTotal, linearTrend, type LinearTrend } from "../stats/index.ts";
import { addBuckets, denseSeries, localDay as localDayOf, type Window } from "../time/buckets.ts";

const DAY = 86_400_000;

export type Bucket = { bucket: Date; value: number | null };

export type SeriesView = {
  grain: "week" | "month";
  /** Whole buckets, in order; `x` keeps partial ones counted so that x stays time. */
  points: { x: number; label: string; value: number }[];
  trend: LinearTrend | null;
  /** Sum to the period's end (additive metrics, running periods). */
  total: { value: number; lower: number | null; upper: number | null } | null;
  /** The last future bucket's value (rates and medians, running periods). */
  last: { value: number; lower: number | null; upper: number | null } | null;
  /** Per future bucket, for the chart. */
  future: { label: string; value: number; lower: number | null; upper: number | null }[];
};

const next = (b: Date, grain: "week" | "month") => addBuckets(b, grain, 1);
/** Bucket starts are local dates written as UTC midnights; the same for instants of the window. */
const localDay = (d: Date, window: Window) => localDayOf(d, window.timeZone).getTime();

/**
 * @param measured the window measured (clipped at now while the period runs)
 * @param periodEnd the period's end (the forecast's horizon)
 * @param range clamp for forecasts (non-negative metrics never forecast below 0)
 */
export function seriesView(series: readonly Bucket[], measured: Window, periodEnd: Date, grain: "week" | "month", additive: boolean, range: { min: number | null; max: number | null }): SeriesView {
  const dense = denseSeries([...series], measured, grain, additive);
  const label = (d: Date) => d.toISOString().slice(0, grain === "month" ? 7 : 10);
  const startDay = localDay(measured.start, measured);
  // Exclusive: a window ending at a local midnight ends before that day; one clipped at "now"
  // has today only in part, so today is not whole either.
  const endDay = localDay(measured.end, measured);
  const whole = (b: Date) => b.getTime() >= startDay && next(b, grain).getTime() <= endDay;
  const points = dense.flatMap((p, x) => (p.value !== null && whole(p.bucket) ? [{ x, label: label(p.bucket), value: p.value }] : []));
  const ys = points.map((p) => p.value);
  // A flat series (every week the same, say all 0) has no trend to speak of.
  const trend = points.length >= 3 && ys.some((y) => y !== ys[0]) ? linearTrend(points.map((p) => ({ x: p.x, y: p.value }))) : null;
  const view: SeriesView = { grain, points, trend, total: null, last: null, future: [] };
  if (!trend || !(measured.end < periodEnd)) return view;
  const clamp = (v: number) => Math.min(range.max ?? Infinity, Math.max(range.min ?? -Infinity, v));
  const clampF = (f: { value: number; lower: number | null; upper: number | null }) => ({ value: clamp(f.value), lower: f.lower === null ? null : clamp(f.lower), upper: f.upper === null ? null : clamp(f.upper) });
  // Future buckets: from the one running now (partly measured) to the last one in the period,
  // each weighted by the share of its time not yet measured and inside the period.
  const nowLocal = localDay(measured.end, measured) + sinceLocalMidnight(measured);
  const endLocal = localDay(new Date(periodEnd.getTime() - 1), measured) + DAY;
  const xs: number[] = [];
  const weights: number[] = [];
  const buckets: Date[] = [];
  let b = dense.length > 0 ? dense[dense.length - 1]!.bucket : null;
  for (let x = dense.length - 1; b !== null && b.getTime() < endLocal && xs.length < 60; x++, b = next(b, grain)) {
    const from = Math.max(b.getTime(), nowLocal);
    const to = Math.min(next(b, grain).getTime(), endLocal);
    if (to <= from) continue;
    xs.push(x);
    weights.push((to - from) / (next(b, grain).getTime() - b.getTime()));
    buckets.push(b);
  }
  const pts = points.map((p) => ({ x: p.x, y: p.value }));
  if (xs.length > 0) {
    if (additive) view.total = forecastTotal(trend, xs, pts, 0.95, weights);
    else view.last = clampF(forecast(trend, xs[xs.length - 1]!, pts));
    view.future = xs.map((x, i) => ({ label: label(buckets[i]!), ...clampF(forecast(trend, x, pts)) }));
  }
  return view;
}

/** Milliseconds since local midnight at `measured.end` (to place "now" within today). */
function sinceLocalMidnight(measured: Window): number {
  const [h, m, sec] = new Intl.DateTimeFormat("en-GB", { timeZone: measured.timeZone, hourCycle: "h23", hour: "2-digit", minute: "2-digit", second: "2-digit" })
    .format(measured.end).split(":").map(Number) as [number, number, number];
  return ((h * 60 + m) * 60 + sec) * 1000 + (measured.end.getTime() % 1000);
}
