import { describe, expect, it } from "vitest";
import { forecast, linearTrend, type Point } from "../../src/stats/index.ts";
import { expectRelativelyClose, readLinear } from "./nist.ts";

const points = (xs: number[], ys: number[]): Point[] => xs.map((x, i) => ({ x, y: ys[i]! }));

// x̄ = 3, ȳ = 4, Sxx = 10, Sxy = 6 → slope 0.6, intercept 2.2; fitted 2.8 3.4 4.0 4.6 5.2;
// residuals −0.8 0.6 1.0 −0.6 −0.2 → SSres = 2.4, SStot = 6, r² = 0.6, s² = 2.4 / 3 = 0.8.
const small = points([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]);

describe("linearTrend", () => {
  it("meets the NIST Norris certified slope, intercept, residual SD and R²", () => {
    const norris = readLinear("Norris");
    const trend = linearTrend(points(norris.x, norris.y));
    expect(trend?.n).toBe(36);
    expectRelativelyClose(trend?.slope, norris.certified.slope, 1e-12);
    expectRelativelyClose(trend?.intercept, norris.certified.intercept, 1e-10);
    expectRelativelyClose(trend?.residualStdError, norris.certified.residualSD, 1e-10);
    expectRelativelyClose(trend?.r2, norris.certified.rSquared, 1e-12);
  });

  it("fits a small hand-computed example", () => {
    const trend = linearTrend(small);
    expect(trend?.slope).toBeCloseTo(0.6, 14);
    expect(trend?.intercept).toBeCloseTo(2.2, 14);
    expect(trend?.r2).toBeCloseTo(0.6, 14);
    expect(trend?.residualStdError).toBeCloseTo(Math.sqrt(0.8), 14);
  });

  it("gives r² = 1 when the points lie exactly on a line", () => {
    expect(linearTrend(points([0, 1, 2, 3], [1, 3, 5, 7]))).toEqual({
      slope: 2,
      intercept: 1,
      r2: 1,
      n: 4,
      residualStdError: 0,
    });
  });

  it("gives a flat line without an r² when y does not vary (nothing to explain)", () => {
    const trend = linearTrend(points([1, 2, 3, 4], [0.1, 0.1, 0.1, 0.1]));
    expect(trend?.slope).toBeCloseTo(0, 14);
    expect(trend?.intercept).toBeCloseTo(0.1, 14);
    expect(trend?.r2).toBeNull();
  });

  it("has no residual standard error with exactly two points", () => {
    expect(linearTrend(points([1, 3], [10, 20]))).toMatchObject({ slope: 5, intercept: 5, r2: 1, n: 2, residualStdError: null });
  });

  it("keeps its precision when x is an epoch time in milliseconds", () => {
    const day = 86_400_000;
    const start = Date.UTC(2025, 0, 1);
    const trend = linearTrend(points([0, 1, 2, 3, 4, 5].map((i) => start + i * day), [100, 105, 110, 115, 120, 125]));
    expectRelativelyClose(trend?.slope, 5 / day, 1e-9);
    expect((trend?.intercept ?? 0) + (trend?.slope ?? 0) * (start + 2 * day)).toBeCloseTo(110, 6);
    expect(trend?.r2).toBeCloseTo(1, 9);
  });

  it("returns null with fewer than two points or when every x is the same", () => {
    expect(linearTrend([])).toBeNull();
    expect(linearTrend(points([1], [2]))).toBeNull();
    expect(linearTrend(points([2, 2, 2], [1, 2, 3]))).toBeNull();
  });

  it("returns null when a coordinate is not finite", () => {
    expect(linearTrend(points([1, 2, 3], [1, Number.NaN, 3]))).toBeNull();
  });
});

describe("forecast", () => {
  // Second formula, independent of x̄ and Sxx: Var(ŷ₀ − y₀) = s²·(1 + x₀ᵀ(XᵀX)⁻¹x₀) with
  // X = [1 xᵢ]. Here XᵀX = [[5, 15], [15, 55]], det = 50, (XᵀX)⁻¹ = [[55, −15], [−15, 5]] / 50,
  // and at x₀ = (1, 6): x₀ᵀ(XᵀX)⁻¹x₀ = (55 − 180 + 180) / 50 = 1.1 → √(0.8 · 2.1).
  const t3 = 3.1824463052837078; // scipy.stats.t.ppf(0.975, 3)
  const halfWidth = t3 * Math.sqrt(0.8 * (1 + (55 - 2 * 15 * 6 + 5 * 36) / 50));

  it("gives the 95 % prediction interval of a new observation", () => {
    const result = forecast(linearTrend(small)!, 6, small);
    expect(result.value).toBeCloseTo(5.8, 13);
    expect(result.lower).toBeCloseTo(5.8 - halfWidth, 12); // 1.67507814177003
    expect(result.upper).toBeCloseTo(5.8 + halfWidth, 12); // 9.92492185822997
  });

  it("uses the t quantile of the requested level", () => {
    const t3at90 = 2.3533634348018233; // scipy.stats.t.ppf(0.95, 3)
    const result = forecast(linearTrend(small)!, 6, small, 0.9);
    expect((result.upper ?? 0) - result.value).toBeCloseTo((halfWidth / t3) * t3at90, 12);
  });

  it("is narrowest at the mean of x", () => {
    const trend = linearTrend(small)!;
    const width = (x: number) => {
      const f = forecast(trend, x, small);
      return (f.upper ?? 0) - (f.lower ?? 0);
    };
    expect(width(3)).toBeLessThan(width(4));
    expect(width(3)).toBeLessThan(width(2));
    // At x̄ the leverage term vanishes: half width = t · s · √(1 + 1/5).
    expect(width(3) / 2).toBeCloseTo(t3 * Math.sqrt(0.8 * 1.2), 12);
  });

  it("returns the value without an interval from two points", () => {
    const two = points([1, 2], [10, 12]);
    expect(forecast(linearTrend(two)!, 3, two)).toEqual({ value: 14, lower: null, upper: null });
  });

  it("gives a zero-width interval for a perfect fit", () => {
    const line = points([0, 1, 2, 3], [1, 3, 5, 7]);
    expect(forecast(linearTrend(line)!, 4, line)).toEqual({ value: 9, lower: 9, upper: 9 });
  });

  it("throws for a level outside (0, 1) or points the trend was not fitted to", () => {
    const trend = linearTrend(small)!;
    expect(() => forecast(trend, 6, small, 1)).toThrow(RangeError);
    expect(() => forecast(trend, 6, small.slice(1))).toThrow(RangeError);
    expect(() => forecast(trend, Number.NaN, small)).toThrow(RangeError);
  });
});
