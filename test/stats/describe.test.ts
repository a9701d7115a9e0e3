import { describe, expect, it } from "vitest";
import { mean, median, percentileRank, quantile, sampleStdDev, sampleVariance, summary } from "../../src/stats/index.ts";
import { expectRelativelyClose, readUnivariate } from "./nist.ts";

describe("mean and sample standard deviation against NIST StRD certified values", () => {
  // Relative tolerances: well-conditioned sets agree to ~1e-13 in double precision. NumAcc3/4
  // (values near 1e6 / 1e7 with spread 0.1) lose digits to the representation of the data
  // itself; the two-pass variance reaches 3.5e-10 and 5.6e-9 there (LRE ≈ 9.5 and 8.3).
  it.each([
    ["Lew", 1e-12],
    ["Lottery", 1e-12],
    ["Mavro", 1e-12],
    ["Michelso", 1e-12],
    ["PiDigits", 1e-12],
    ["NumAcc1", 1e-12],
    ["NumAcc2", 1e-12],
    ["NumAcc3", 1e-9],
    ["NumAcc4", 1e-8],
  ])("meets %s's certified mean and SD (relative tolerance %s)", (name, tolerance) => {
    const set = readUnivariate(name);
    expect(set.data).toHaveLength(set.n);
    expectRelativelyClose(mean(set.data), set.certified.mean, 1e-14);
    expectRelativelyClose(sampleStdDev(set.data), set.certified.std, tolerance);
    expectRelativelyClose(sampleVariance(set.data), set.certified.std ** 2, 2 * tolerance);
  });
});

describe("mean, median, variance", () => {
  it("gives the textbook values on a small sample", () => {
    const xs = [2, 4, 4, 4, 5, 5, 7, 9]; // Σ(x − 5)² = 32
    expect(mean(xs)).toBe(5);
    expect(median(xs)).toBe(4.5);
    expect(sampleVariance(xs)).toBeCloseTo(32 / 7, 14);
    expect(sampleStdDev(xs)).toBeCloseTo(Math.sqrt(32 / 7), 14);
  });

  it("takes the middle value for an odd count and the mean of the two middle values for an even count", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("returns null instead of NaN for an empty sample", () => {
    expect(mean([])).toBeNull();
    expect(median([])).toBeNull();
    expect(sampleVariance([])).toBeNull();
    expect(sampleStdDev([])).toBeNull();
  });

  it("returns null for the variance of a single value", () => {
    expect(sampleVariance([5])).toBeNull();
    expect(sampleStdDev([5])).toBeNull();
    expect(mean([5])).toBe(5);
  });

  it("gives zero spread for constant data", () => {
    expect(sampleVariance([3, 3, 3])).toBe(0);
    expect(sampleStdDev([3, 3, 3])).toBe(0);
  });

  it("returns null when any value is NaN or infinite", () => {
    expect(mean([1, Number.NaN])).toBeNull();
    expect(median([1, Number.POSITIVE_INFINITY])).toBeNull();
    expect(sampleStdDev([1, 2, Number.NaN])).toBeNull();
  });

  it("returns null when the sum overflows", () => {
    expect(mean([Number.MAX_VALUE, Number.MAX_VALUE])).toBeNull();
  });
});

describe("quantile (type 7, as R, NumPy and Excel PERCENTILE.INC)", () => {
  it("interpolates between order statistics like numpy.quantile", () => {
    // numpy.quantile([7, 15, 36, 39, 40, 41], [0.25, 0.75]) → [20.25, 39.75]
    expect(quantile([7, 15, 36, 39, 40, 41], 0.25)).toBeCloseTo(20.25, 12);
    expect(quantile([7, 15, 36, 39, 40, 41], 0.75)).toBeCloseTo(39.75, 12);
    // numpy.quantile([7, 15, 36, 39, 40, 41], [0.1, 0.9, 0.37]) → [11, 40.5, 32.85] (h = 5p, e.g. 1.85 → 15 + 0.85 · 21)
    expect(quantile([7, 15, 36, 39, 40, 41], 0.1)).toBeCloseTo(11, 12);
    expect(quantile([7, 15, 36, 39, 40, 41], 0.9)).toBeCloseTo(40.5, 12);
    expect(quantile([7, 15, 36, 39, 40, 41], 0.37)).toBeCloseTo(32.85, 12);
    // h = 3 · 0.25 = 0.75 → 1 + 0.75 · (2 − 1)
    expect(quantile([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 12);
  });

  it("sorts unsorted input without changing the caller's array", () => {
    const xs = [41, 7, 39, 15, 40, 36];
    expect(quantile(xs, 0.25)).toBeCloseTo(20.25, 12);
    expect(xs).toEqual([41, 7, 39, 15, 40, 36]);
  });

  it("returns the minimum at p = 0 and the maximum at p = 1", () => {
    expect(quantile([5, 1, 9], 0)).toBe(1);
    expect(quantile([5, 1, 9], 1)).toBe(9);
  });

  it("returns null for an empty sample", () => {
    expect(quantile([], 0.5)).toBeNull();
  });

  it("throws for p outside [0, 1]", () => {
    expect(() => quantile([1, 2], 1.5)).toThrow(RangeError);
    expect(() => quantile([1, 2], -0.1)).toThrow(RangeError);
    expect(() => quantile([1, 2], Number.NaN)).toThrow(RangeError);
  });
});

describe("percentileRank (share of values ≤ x)", () => {
  it("counts ties as at or below", () => {
    expect(percentileRank([1, 2, 2, 3, 4], 2)).toBe(0.6);
  });

  it("gives 0 below the minimum and 1 at the maximum", () => {
    expect(percentileRank([1, 2, 3], 0)).toBe(0);
    expect(percentileRank([1, 2, 3], 3)).toBe(1);
  });

  it("ranks a value between data points by the values below it", () => {
    expect(percentileRank([10, 20, 30, 40], 25)).toBe(0.5);
  });

  it("returns null for an empty sample or a non-finite x", () => {
    expect(percentileRank([], 1)).toBeNull();
    expect(percentileRank([1, 2], Number.NaN)).toBeNull();
  });
});

describe("summary", () => {
  it("collects count, centre, spread, extremes and quartiles", () => {
    const s = summary([4, 1, 3, 2]);
    expect(s).toMatchObject({ n: 4, mean: 2.5, median: 2.5, min: 1, max: 4 });
    expect(s.sd).toBeCloseTo(Math.sqrt(5 / 3), 14);
    expect(s.q1).toBeCloseTo(1.75, 12);
    expect(s.q3).toBeCloseTo(3.25, 12);
  });

  it("reports nulls for an empty sample", () => {
    expect(summary([])).toEqual({ n: 0, mean: null, median: null, sd: null, min: null, max: null, q1: null, q3: null });
  });

  it("has no standard deviation for a single value", () => {
    expect(summary([7])).toEqual({ n: 1, mean: 7, median: 7, sd: null, min: 7, max: 7, q1: 7, q3: 7 });
  });
});
