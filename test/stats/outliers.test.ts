import { describe, expect, it } from "vitest";
import { iqrFence, isUpperOutlier } from "../../src/stats/index.ts";

describe("iqrFence", () => {
  it("puts the fences 3 IQRs beyond the type-7 quartiles by default", () => {
    // numpy.quantile(range(1, 9), [0.25, 0.75]) → [2.75, 6.25]; IQR 3.5
    expect(iqrFence([1, 2, 3, 4, 5, 6, 7, 8])).toEqual({ q1: 2.75, q3: 6.25, iqr: 3.5, lower: -7.75, upper: 16.75 });
  });

  it("uses Tukey's 1.5 when asked", () => {
    expect(iqrFence([1, 2, 3, 4, 5, 6, 7, 8], 1.5)).toMatchObject({ lower: -2.5, upper: 11.5 });
  });

  it("returns null with fewer than four values", () => {
    expect(iqrFence([1, 2, 3])).toBeNull();
    expect(iqrFence([1, 2, 3, 4])).not.toBeNull();
  });

  it("returns null when a value is not finite", () => {
    expect(iqrFence([1, 2, 3, Number.NaN])).toBeNull();
  });

  it("throws for a negative k", () => {
    expect(() => iqrFence([1, 2, 3, 4], -1)).toThrow(RangeError);
  });
});

describe("isUpperOutlier", () => {
  it("is strictly above the upper fence", () => {
    const fence = iqrFence([1, 2, 3, 4, 5, 6, 7, 8])!;
    expect(isUpperOutlier(16.75, fence)).toBe(false);
    expect(isUpperOutlier(16.76, fence)).toBe(true);
  });

  it("catches a deal amount typed with two extra zeros", () => {
    // numpy quartiles 1650 and 2300 → upper fence 2300 + 3 · 650 = 4250
    const amounts = [1200, 1500, 1800, 2000, 2100, 2500, 250000];
    const fence = iqrFence(amounts)!;
    expect(fence.upper).toBeCloseTo(4250, 9);
    expect(amounts.filter((a) => isUpperOutlier(a, fence))).toEqual([250000]);
  });
});
