import * as ss from "simple-statistics";
import { describe, expect, it } from "vitest";
import { pearson } from "../../src/stats/index.ts";
import { expectRelativelyClose, readLinear } from "./nist.ts";

describe("pearson", () => {
  it("matches a hand-computed correlation", () => {
    // x̄ = 3, ȳ = 4: Sxy = 6, Sxx = 10, Syy = 6 → r = 6 / √60
    expect(pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])).toBeCloseTo(6 / Math.sqrt(60), 14);
  });

  it("is −1 for a perfectly decreasing relation", () => {
    expect(pearson([1, 2, 3, 4], [8, 6, 4, 2])).toBeCloseTo(-1, 14);
  });

  it("squares to the certified R² of the NIST Norris regression", () => {
    const norris = readLinear("Norris");
    const r = pearson(norris.x, norris.y);
    expectRelativelyClose(r === null ? null : r * r, norris.certified.rSquared, 1e-12);
  });

  it("never exceeds 1 even when rounding pushes simple-statistics above it", () => {
    const xs = [0.7, 1.4];
    const ys = [0.48999999999999994, 0.9799999999999999];
    expect(ss.sampleCorrelation(xs, ys)).toBeGreaterThan(1);
    expect(pearson(xs, ys)).toBe(1);
  });

  it("returns null when either sample has zero variance", () => {
    expect(pearson([1, 2, 3], [5, 5, 5])).toBeNull();
    expect(pearson([2, 2, 2], [1, 2, 3])).toBeNull();
  });

  it("returns null for fewer than two pairs or mismatched lengths", () => {
    expect(pearson([1], [2])).toBeNull();
    expect(pearson([], [])).toBeNull();
    expect(pearson([1, 2, 3], [1, 2])).toBeNull();
  });

  it("returns null when a value is not finite", () => {
    expect(pearson([1, 2, Number.NaN], [1, 2, 3])).toBeNull();
  });
});
