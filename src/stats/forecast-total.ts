/** Forecast of the sum of several future observations on a least-squares line. */
import * as ss from "simple-statistics";
import { studentTQuantile } from "./studentT.ts";
import type { LinearTrend, Point } from "./trend.ts";

export type TotalForecast = { value: number; lower: number | null; upper: number | null };

/**
 * Predicted sum of new observations at `xs`, with a prediction interval. The predictions share
 * the fitted line's error, so the variance is not k·Var(one): for k new points
 *   Var = s² · (k + k²/n + (Σ(xᵢ − x̄))² / Sxx)
 * (independent new errors plus the common error of intercept and slope).
 * With `weights` (the share of each future bucket still to come, e.g. 0.4 of the running week),
 * the sum is Σ wᵢ·ŷ(xᵢ) and Var = s² · (Σwᵢ² + (Σwᵢ)²/n + (Σwᵢ(xᵢ − x̄))² / Sxx).
 * @example forecastTotal(trend, [11, 12, 13], points) // remaining three weeks of a quarter
 */
export function forecastTotal(trend: LinearTrend, xs: readonly number[], points: readonly Point[], level = 0.95, weights?: readonly number[]): TotalForecast {
  const w = (i: number) => weights?.[i] ?? 1;
  const k = xs.length;
  const value = xs.reduce((sum, x, i) => sum + w(i) * (trend.intercept + trend.slope * x), 0);
  const n = points.length;
  const s = trend.residualStdError;
  if (k === 0 || n < 3 || s === null) return { value, lower: null, upper: null };
  const xbar = ss.mean(points.map((p) => p.x));
  const sxx = points.reduce((acc, p) => acc + (p.x - xbar) ** 2, 0);
  const sw = xs.reduce((acc, _, i) => acc + w(i), 0);
  const sw2 = xs.reduce((acc, _, i) => acc + w(i) ** 2, 0);
  const spread = xs.reduce((acc, x, i) => acc + w(i) * (x - xbar), 0);
  const half = studentTQuantile((1 + level) / 2, n - 2) * s * Math.sqrt(sw2 + (sw * sw) / n + (spread * spread) / sxx);
  return { value, lower: value - half, upper: value + half };
}
