/** Correlation between two paired samples. */
import * as ss from "simple-statistics";
import { hasFiniteValues } from "./finite.ts";

/**
 * Pearson's product-moment correlation r of paired samples, clamped to [−1, 1] (rounding can
 * otherwise give 1.0000000000000002). `null` when the lengths differ, there are fewer than 2
 * pairs, either sample is constant (r is 0/0) or any value is non-finite.
 *
 * @example
 * pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]); // => 0.7745966692414834 (6 / √60)
 * pearson([1, 2, 3], [5, 5, 5]); // => null
 */
export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  if (xs.length !== ys.length || !hasFiniteValues(xs, 2) || !hasFiniteValues(ys, 2)) return null;
  if (isConstant(xs) || isConstant(ys)) return null;
  const r = ss.sampleCorrelation([...xs], [...ys]);
  return Number.isFinite(r) ? Math.max(-1, Math.min(1, r)) : null;
}

function isConstant(xs: readonly number[]): boolean {
  return xs.every((x) => x === xs[0]);
}
