import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { binIndex, sturgesHistogram } from "../../src/charts/histogram.ts";

describe("sturgesHistogram", () => {
  it("makes ⌈log₂ n⌉ + 1 equal-width bins from min to max (hand-computed)", () => {
    // n = 8 → k = 4; width (8 − 1) / 4 = 1.75
    expect(sturgesHistogram([1, 2, 2, 3, 4, 5, 6, 8])).toEqual({ edges: [1, 2.75, 4.5, 6.25, 8], counts: [3, 2, 2, 1] });
    // n = 20 → k = ⌈4.32⌉ + 1 = 6; width 12
    const h = sturgesHistogram([3, 5, 8, 12, 12, 14, 15, 17, 19, 21, 22, 25, 28, 31, 35, 40, 44, 51, 60, 75]);
    expect(h.edges).toEqual([3, 15, 27, 39, 51, 63, 75]);
    expect(h.counts).toEqual([6, 6, 3, 2, 2, 1]);
  });

  it("puts a value on an inner edge in the upper bin and the maximum in the last bin", () => {
    const { edges, counts } = sturgesHistogram([0, 1, 2, 3]); // k = 3, edges 0, 1, 2, 3
    expect(edges).toEqual([0, 1, 2, 3]);
    expect(counts).toEqual([1, 1, 2]);
  });

  it("makes one bin when all values are equal, and none when there are no finite values", () => {
    expect(sturgesHistogram([5, 5, 5])).toEqual({ edges: [5, 5], counts: [3] });
    expect(sturgesHistogram([Number.NaN, Number.POSITIVE_INFINITY])).toEqual({ edges: [], counts: [] });
  });

  it("counts every finite value exactly once, in the bin whose edges hold it", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 300 }), (values) => {
        const { edges, counts } = sturgesHistogram(values);
        expect(counts.reduce((a, b) => a + b, 0)).toBe(values.length);
        for (const v of values) {
          const i = binIndex(edges, v);
          expect(i).not.toBeNull();
          expect(v).toBeGreaterThanOrEqual(edges[i as number] as number);
          expect(v).toBeLessThanOrEqual(edges[(i as number) + 1] as number);
        }
      }),
    );
  });
});

describe("binIndex", () => {
  it("is null outside the edges", () => {
    expect(binIndex([0, 1, 2], -0.1)).toBeNull();
    expect(binIndex([0, 1, 2], 2.1)).toBeNull();
    expect(binIndex([], 1)).toBeNull();
    expect(binIndex([0, 1, 2], 2)).toBe(1);
  });
});
