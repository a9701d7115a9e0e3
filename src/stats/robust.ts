/** Location and scale that a few extreme values cannot drag: median and MAD. */
import * as ss from "simple-statistics";
import { hasFiniteValues } from "./finite.ts";
import { median } from "./describe.ts";

/**
 * 1.4826 ≈ 1 / Φ⁻¹(0.75): multiplying the MAD by it estimates the standard deviation of
 * normally distributed data, so a robust z of 2 reads like "2 standard deviations".
 */
export const MAD_SCALE = 1.4826;

/**
 * Raw median absolute deviation: median(|xᵢ − median(x)|), without the 1.4826 scale.
 * `null` for an empty array. It is 0 when more than half the values are equal.
 *
 * @example
 * mad([1, 1, 2, 2, 4, 6, 9]); // => 1 (median 2, deviations 1 1 0 0 2 4 7)
 */
export function mad(xs: readonly number[]): number | null {
  return hasFiniteValues(xs) ? ss.medianAbsoluteDeviation([...xs]) : null;
}

/**
 * Robust z-score of x against a sample: (x − median) / (1.4826 · MAD). `null` when the sample
 * is empty, x is non-finite, or MAD = 0 (the spread gives no scale to measure against).
 *
 * @example
 * robustZ(9, [1, 1, 2, 2, 4, 6, 9]); // => 4.721435316336167 (7 / 1.4826)
 */
export function robustZ(x: number, xs: readonly number[]): number | null {
  if (!Number.isFinite(x)) return null;
  return robustScorer(xs)?.(x) ?? null;
}

/**
 * Robust z-score of every value against its own sample, in input order; all `null` when the
 * sample is empty or MAD = 0. Computes the median and MAD once.
 *
 * @example
 * robustZScores([1, 2, 3]); // => [-0.6744907594765952, 0, 0.6744907594765952]
 */
export function robustZScores(xs: readonly number[]): (number | null)[] {
  const score = robustScorer(xs);
  return xs.map((x) => (score ? score(x) : null));
}

/** x ↦ robust z against `xs`, or `null` when the sample gives no scale. */
function robustScorer(xs: readonly number[]): ((x: number) => number) | null {
  const centre = median(xs);
  const spread = mad(xs);
  if (centre === null || spread === null || spread === 0) return null;
  return (x) => (x - centre) / (MAD_SCALE * spread);
}
