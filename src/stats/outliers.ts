/** Tukey's fences for spotting implausible values (used by the CSV import's cleaning report). */
import { quantile } from "./describe.ts";
import { hasFiniteValues } from "./finite.ts";

/** Quartiles (type 7, as `quantile`), their spread and the fences k·IQR beyond them. */
export type IqrFence = { q1: number; q3: number; iqr: number; lower: number; upper: number };

/**
 * Tukey fences: lower = Q1 − k·IQR, upper = Q3 + k·IQR with IQR = Q3 − Q1. The default k = 3
 * marks "far out" values (Tukey's 1.5 marks merely "outside"). `null` with fewer than 4 values,
 * where quartiles say little, or with any non-finite value. Throws a RangeError for k < 0.
 *
 * @example
 * iqrFence([1, 2, 3, 4, 5, 6, 7, 8]);
 * // => { q1: 2.75, q3: 6.25, iqr: 3.5, lower: -7.75, upper: 16.75 }
 */
export function iqrFence(xs: readonly number[], k = 3): IqrFence | null {
  if (!(k >= 0 && Number.isFinite(k))) throw new RangeError(`iqrFence k must be ≥ 0, got ${k}`);
  if (!hasFiniteValues(xs, 4)) return null;
  const q1 = quantile(xs, 0.25);
  const q3 = quantile(xs, 0.75);
  if (q1 === null || q3 === null) return null;
  const iqr = q3 - q1;
  return { q1, q3, iqr, lower: q1 - k * iqr, upper: q3 + k * iqr };
}

/**
 * True when x lies strictly above the upper fence (x > Q3 + k·IQR). A value on the fence is
 * not an outlier.
 *
 * @example
 * isUpperOutlier(17, iqrFence([1, 2, 3, 4, 5, 6, 7, 8])!); // => true (fence 16.75)
 */
export function isUpperOutlier(x: number, fence: IqrFence): boolean {
  return x > fence.upper;
}
