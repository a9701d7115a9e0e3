/** Straight-line trend by least squares, and prediction intervals around it. */
import * as ss from "simple-statistics";
import { hasFiniteValues } from "./finite.ts";
import { studentTQuantile } from "./studentT.ts";

/** One observation: x is usually a period index or a time, y the metric. */
export type Point = { x: number; y: number };

/** A fitted line y = intercept + slope·x. */
export type LinearTrend = {
  slope: number;
  intercept: number;

  /** Share of variance explained; null for a flat series (nothing to explain). */
  r2: number | null;
  n: number;
  /** s = √(Σ residual² / (n − 2)); `null` for n = 2, where it is undefined. */
  residualStdError: number | null;
};

/**
 * Ordinary least-squares line with intercept (simple-statistics' centred `linearRegression`).
 * `null` with fewer than 2 points, when all x are equal (no line is determined) or when any
 * coordinate is non-finite.
 *
 * r² = 1 − SS_res / SS_tot. When y is constant SS_tot is 0 and r² is 0/0 in the textbook; we
 * define it as 1 because the flat fitted line reproduces every point exactly — the same rule
 * as any fit with zero residuals. Callers should read a flat trend (slope 0) with r² = 1 as
 * "steady", not as "strong trend". With n = 2 the line passes through both points: r² = 1 and
 * residualStdError is `null`.
 *
 * @example
 * linearTrend([{ x: 1, y: 2 }, { x: 2, y: 4 }, { x: 3, y: 5 }, { x: 4, y: 4 }, { x: 5, y: 5 }]);
 * // => { slope: 0.6, intercept: 2.2, r2: 0.6, n: 5, residualStdError: 0.894427190999916 } (up to rounding)
 */
export function linearTrend(points: readonly Point[]): LinearTrend | null {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  if (!hasFiniteValues(xs, 2) || !hasFiniteValues(ys, 2)) return null;
  if (xs.every((x) => x === xs[0])) return null;
  const { m: slope, b: intercept } = ss.linearRegression(points.map((p) => [p.x, p.y]));
  if (!Number.isFinite(slope) || !Number.isFinite(intercept)) return null;
  const n = points.length;
  const ssRes = ss.sum(points.map((p) => (p.y - (intercept + slope * p.x)) ** 2));
  // A flat series explains nothing and has nothing to explain: no r² (not a perfect 1).
  const constantY = ys.every((y) => y === ys[0]);
  const r2 = constantY ? null : ssRes === 0 ? 1 : Math.max(0, 1 - ssRes / ss.sumNthPowerDeviations(ys, 2));
  const residualStdError = n > 2 ? Math.sqrt(ssRes / (n - 2)) : null;
  return { slope, intercept, r2, n, residualStdError };
}

/** A forecast value with its prediction interval (`null` bounds when it cannot be computed). */
export type Forecast = { value: number; lower: number | null; upper: number | null };

/**
 * Predicts y at `x` from a trend, with a prediction interval for one new observation:
 * ŷ ± t_{n−2, (1+level)/2} · s · √(1 + 1/n + (x − x̄)² / Sxx),
 * where x̄ and Sxx = Σ(xᵢ − x̄)² come from `points`, which must be the points the trend was
 * fitted to. With n < 3 (no residual degrees of freedom) the bounds are `null` but the value is
 * still given. A perfect fit (s = 0) gives a zero-width interval.
 * Throws a RangeError for a non-finite x, a level outside (0, 1), or points of another size.
 *
 * @example
 * const points = [{ x: 1, y: 2 }, { x: 2, y: 4 }, { x: 3, y: 5 }, { x: 4, y: 4 }, { x: 5, y: 5 }];
 * forecast(linearTrend(points)!, 6, points);
 * // => { value: 5.8, lower: 1.675…, upper: 9.924… }  (t_{3, 0.975} = 3.1824, s·√2.1 = 1.2961)
 */
export function forecast(trend: LinearTrend, x: number, points: readonly Point[], level = 0.95): Forecast {
  if (!Number.isFinite(x)) throw new RangeError(`forecast x must be finite, got ${x}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`forecast level must be in (0, 1), got ${level}`);
  if (points.length !== trend.n) {
    throw new RangeError(`forecast needs the ${trend.n} points the trend was fitted to, got ${points.length}`);
  }
  const value = trend.intercept + trend.slope * x;
  const s = trend.residualStdError;
  if (s === null || trend.n < 3) return { value, lower: null, upper: null };
  const xs = points.map((p) => p.x);
  const xMean = ss.mean(xs);
  const sxx = ss.sumNthPowerDeviations(xs, 2);
  const standardError = s * Math.sqrt(1 + 1 / trend.n + (x - xMean) ** 2 / sxx);
  const half = studentTQuantile((1 + level) / 2, trend.n - 2) * standardError;
  return { value, lower: value - half, upper: value + half };
}
