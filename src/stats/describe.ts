/**
 * Descriptive statistics on a plain array of numbers, on top of simple-statistics.
 *
 * Contract shared by the whole module: data that make a statistic undefined (empty input, too
 * few points, any NaN/±Infinity in the input) give `null`; invalid parameters (a quantile
 * outside [0, 1]) are caller bugs and throw a RangeError.
 */
import * as ss from "simple-statistics";
import { finiteOrNull, hasFiniteValues } from "./finite.ts";

/**
 * Arithmetic mean (compensated summation), or `null` for an empty array.
 *
 * @example
 * mean([1, 2, 3, 4]); // => 2.5
 * mean([]); // => null
 */
export function mean(xs: readonly number[]): number | null {
  return hasFiniteValues(xs) ? finiteOrNull(ss.mean([...xs])) : null;
}

/**
 * Median (the middle value, or the mean of the two middle values), or `null` when empty.
 *
 * @example
 * median([3, 1, 2]); // => 2
 * median([4, 1, 3, 2]); // => 2.5
 */
export function median(xs: readonly number[]): number | null {
  return hasFiniteValues(xs) ? finiteOrNull(ss.median([...xs])) : null;
}

/**
 * Sample variance (divisor n − 1, two-pass), or `null` with fewer than 2 values.
 *
 * @example
 * sampleVariance([2, 4, 4, 4, 5, 5, 7, 9]); // => 4.571428571428571 (32 / 7)
 * sampleVariance([5]); // => null
 */
export function sampleVariance(xs: readonly number[]): number | null {
  return hasFiniteValues(xs, 2) ? finiteOrNull(ss.sampleVariance([...xs])) : null;
}

/**
 * Sample standard deviation (square root of the n − 1 variance), or `null` with fewer than 2
 * values. Zero for constant data.
 *
 * @example
 * sampleStdDev([2, 4, 4, 4, 5, 5, 7, 9]); // => 2.138089935299395
 */
export function sampleStdDev(xs: readonly number[]): number | null {
  const variance = sampleVariance(xs);
  return variance === null ? null : Math.sqrt(variance);
}

/**
 * The p-quantile by linear interpolation between order statistics — Hyndman & Fan type 7,
 * the default of R's `quantile`, NumPy's `quantile` and Excel's `PERCENTILE.INC`:
 * position h = (n − 1)·p in the sorted data, value x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
 * `null` for an empty array; throws a RangeError unless 0 ≤ p ≤ 1. The input is not mutated.
 *
 * @example
 * quantile([7, 15, 36, 39, 40, 41], 0.25); // => 20.25
 * quantile([1, 2, 3, 4], 0.5); // => 2.5
 */
export function quantile(xs: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile p must be in [0, 1], got ${p}`);
  return hasFiniteValues(xs) ? finiteOrNull(ss.quantile([...xs], p)) : null;
}

/**
 * Share of the values that are less than or equal to `x`, from 0 to 1 (the empirical CDF at x).
 * Ties count as "at or below", so the maximum has rank 1 and a value below every other has
 * rank 0. This is not simple-statistics' `quantileRank`, which averages the ranks of ties.
 * `null` for an empty array or a non-finite `x`.
 *
 * @example
 * percentileRank([1, 2, 2, 3, 4], 2); // => 0.6 (three of five values are ≤ 2)
 * percentileRank([1, 2, 3], 0); // => 0
 */
export function percentileRank(xs: readonly number[], x: number): number | null {
  if (!hasFiniteValues(xs) || !Number.isFinite(x)) return null;
  return xs.filter((v) => v <= x).length / xs.length;
}

/** Five-number-style summary of a sample; each statistic is `null` where it is undefined. */
export type Summary = {
  n: number;
  mean: number | null;
  median: number | null;
  sd: number | null;
  min: number | null;
  max: number | null;
  q1: number | null;
  q3: number | null;
};

/**
 * Count, mean, median, sample SD, extremes and type-7 quartiles in one object. `n` is the
 * array length; everything else is `null` when empty (and `sd` is `null` below 2 values).
 *
 * @example
 * summary([1, 2, 3, 4]);
 * // => { n: 4, mean: 2.5, median: 2.5, sd: 1.2909944487358056, min: 1, max: 4, q1: 1.75, q3: 3.25 }
 */
export function summary(xs: readonly number[]): Summary {
  const usable = hasFiniteValues(xs);
  return {
    n: xs.length,
    mean: mean(xs),
    median: median(xs),
    sd: sampleStdDev(xs),
    min: usable ? ss.min([...xs]) : null,
    max: usable ? ss.max([...xs]) : null,
    q1: quantile(xs, 0.25),
    q3: quantile(xs, 0.75),
  };
}
