import { describe, expect, it } from "vitest";
import { forecast, forecastTotal, linearTrend } from "../../src/stats/index.ts";

describe("forecastTotal", () => {
  const points = [1, 2, 3, 4, 5, 6].map((x) => ({ x, y: 10 + 2 * x + (x % 2 === 0 ? 1 : -1) }));
  const trend = linearTrend(points)!;

  it("for one future point equals the single-observation prediction interval", () => {
    const one = forecast(trend, 8, points);
    const total = forecastTotal(trend, [8], points);
    expect(total.value).toBeCloseTo(one.value, 12);
    expect(total.lower!).toBeCloseTo(one.lower!, 12);
    expect(total.upper!).toBeCloseTo(one.upper!, 12);
  });

  it("sums the predictions and widens with shared line error (hand-computed)", () => {
    // x̄ = 3.5, Sxx = 17.5; y = 9,15,15,19,19,23 → slope 2.3429, intercept 7.1333 (least squares)
    const total = forecastTotal(trend, [7, 8], points);
    const yhat = (x: number) => trend.intercept + trend.slope * x;
    expect(total.value).toBeCloseTo(yhat(7) + yhat(8), 10);
    const s = trend.residualStdError!;
    const t = 2.7764451051977987; // t_{0.975, 4}
    const half = t * s * Math.sqrt(2 + 4 / 6 + (3.5 + 4.5) ** 2 / 17.5);
    expect(total.upper! - total.value).toBeCloseTo(half, 6);
  });

  it("has no interval with fewer than 3 points", () => {
    const two = [{ x: 1, y: 1 }, { x: 2, y: 3 }];
    const f = forecastTotal(linearTrend(two)!, [3], two);
    expect(f.value).toBeCloseTo(5, 12);
    expect(f.lower).toBeNull();
  });
});
