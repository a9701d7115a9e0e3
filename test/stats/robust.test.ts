import { describe, expect, it } from "vitest";
import { MAD_SCALE, mad, robustZ, robustZScores } from "../../src/stats/index.ts";

describe("mad", () => {
  it("is the raw median absolute deviation, without the 1.4826 scale", () => {
    // The textbook example: median 2, |x − 2| = 1 1 0 0 2 4 7 → median 1.
    expect(mad([1, 1, 2, 2, 4, 6, 9])).toBe(1);
  });

  it("ignores how extreme the outliers are", () => {
    expect(mad([1, 1, 2, 2, 4, 6, 9000])).toBe(1);
  });

  it("is 0 when more than half the values are equal", () => {
    expect(mad([5, 5, 5, 1, 9])).toBe(0);
  });

  it("returns null for an empty sample", () => {
    expect(mad([])).toBeNull();
  });
});

describe("robustZ", () => {
  it("divides the distance from the median by 1.4826 · MAD", () => {
    expect(MAD_SCALE).toBe(1.4826);
    expect(robustZ(9, [1, 1, 2, 2, 4, 6, 9])).toBeCloseTo(7 / 1.4826, 12);
    expect(robustZ(0, [1, 1, 2, 2, 4, 6, 9])).toBeCloseTo(-2 / 1.4826, 12);
  });

  it("returns null when MAD is 0", () => {
    expect(robustZ(9, [5, 5, 5, 1, 9])).toBeNull();
  });

  it("returns null for an empty sample or a non-finite x", () => {
    expect(robustZ(1, [])).toBeNull();
    expect(robustZ(Number.NaN, [1, 2, 3])).toBeNull();
  });
});

describe("robustZScores", () => {
  it("scores every value against its own sample in input order", () => {
    // median 2, MAD 1
    const scores = robustZScores([3, 1, 2]);
    expect(scores[0]).toBeCloseTo(1 / 1.4826, 12);
    expect(scores[1]).toBeCloseTo(-1 / 1.4826, 12);
    expect(scores[2]).toBe(0);
  });

  it("gives all nulls when MAD is 0", () => {
    expect(robustZScores([4, 4, 4, 10])).toEqual([null, null, null, null]);
  });
});
