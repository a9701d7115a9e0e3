import { describe, expect, it } from "vitest";
import { studentTCdf, studentTQuantile } from "../../src/stats/index.ts";
import { expectRelativelyClose } from "./nist.ts";

describe("studentTQuantile", () => {
  it.each([
    [1, 12.7062],
    [2, 4.3027],
    [5, 2.5706],
    [10, 2.2281],
    [30, 2.0423],
    [1000, 1.9623],
  ])("matches the printed table t(0.975, df = %i) = %d to 3 decimals", (df, table) => {
    expect(studentTQuantile(0.975, df)).toBeCloseTo(table, 3);
  });

  // Reference values from SciPy 1.17 scipy.stats.t.ppf (an independent implementation).
  it.each([
    [0.975, 1, 12.706204736174694],
    [0.975, 3, 3.1824463052837078],
    [0.975, 1000, 1.9623390808264083],
    [0.95, 4, 2.1318467863266495],
    [0.995, 7, 3.4994832973504924],
    [0.9, 34, 1.30695158712643],
    [0.025, 3, -3.1824463052837086],
    [0.999999, 3, 103.29946777942898],
    [0.975, 0.5, 164.55767348048818],
    [0.9995, 1e4, 3.2914999659416355],
  ])("gives t(%d, df = %d) = %d to 1e-12 relative", (p, df, reference) => {
    expectRelativelyClose(studentTQuantile(p, df), reference, 1e-12);
  });

  it("stays within 1e-9 of the reference at a million degrees of freedom", () => {
    // ln Γ(df/2) ≈ 6e6 here, so the log-gamma difference keeps only ~1e-10 relative accuracy.
    expectRelativelyClose(studentTQuantile(0.975, 1e6), 1.959966356814107, 1e-9);
  });

  it("is antisymmetric around p = 0.5", () => {
    expect(studentTQuantile(0.5, 9)).toBe(0);
    expect(studentTQuantile(0.1, 9)).toBeCloseTo(-studentTQuantile(0.9, 9), 12);
  });

  it("inverts the CDF", () => {
    for (const df of [1, 2, 3, 4.5, 8, 25, 200]) {
      for (const p of [0.001, 0.05, 0.3, 0.7, 0.95, 0.999]) {
        expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 12);
      }
    }
  });

  it("throws for p outside (0, 1) or non-positive degrees of freedom", () => {
    expect(() => studentTQuantile(0, 5)).toThrow(RangeError);
    expect(() => studentTQuantile(1, 5)).toThrow(RangeError);
    expect(() => studentTQuantile(0.9, 0)).toThrow(RangeError);
    expect(() => studentTQuantile(0.9, Number.NaN)).toThrow(RangeError);
  });
});

describe("studentTCdf", () => {
  it("matches independent reference values", () => {
    // SciPy: t.cdf(2, 5), t.cdf(1.5, 2.5); Cauchy (df = 1): P(T ≤ −1) = 1/4 exactly.
    expectRelativelyClose(studentTCdf(2, 5), 0.9490302605850708, 1e-12);
    expectRelativelyClose(studentTCdf(1.5, 2.5), 0.8760817734568519, 1e-12);
    expectRelativelyClose(studentTCdf(-1, 1), 0.25, 1e-12);
  });

  it("is one half at zero and tends to 0 and 1 in the tails", () => {
    expect(studentTCdf(0, 4)).toBe(0.5);
    expect(studentTCdf(-1e6, 4)).toBeLessThan(1e-20);
    expect(studentTCdf(1e6, 4)).toBe(1);
  });
});
