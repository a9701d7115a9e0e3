// The worker-pool renderer draws exactly what the in-process renderer draws, several at a time.
import { afterAll, describe, expect, it } from "vitest";
import { createChartRenderer, createPooledChartRenderer, defaultChartThreads } from "../../src/charts/index.ts";
import { exampleSpecs } from "../../src/charts/examples.ts";
import type { ChartSpec } from "../../src/reply.ts";

describe("pooled chart renderer", () => {
  const pool = createPooledChartRenderer({ threads: 2, width: 640, height: 360 });
  const local = createChartRenderer({ width: 640, height: 360 });
  afterAll(() => pool.close());

  it("renders byte-identical PNGs to the in-process renderer, for every chart kind", async () => {
    for (const spec of Object.values(exampleSpecs) as ChartSpec[]) {
      const [a, b] = await Promise.all([pool.render(spec), local.render(spec)]);
      expect(a.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
      expect(a.equals(b)).toBe(true);
      expect(pool.altText(spec)).toBe(local.altText(spec));
    }
  });

  it("serves concurrent renders on its threads and keeps each result with its request", async () => {
    const specs = Object.values(exampleSpecs) as ChartSpec[];
    const many = Array.from({ length: 12 }, (_, i) => specs[i % specs.length]!);
    const pngs = await Promise.all(many.map((s) => pool.render(s)));
    const expected = await Promise.all(specs.map((s) => local.render(s)));
    pngs.forEach((png, i) => expect(png.equals(expected[i % specs.length]!)).toBe(true));
    expect(pool.threads).toBe(2);
  });

  it("leaves a core for the event loop and caps threads at 4", () => {
    expect([1, 2, 3, 8, 64].map((c) => defaultChartThreads(c))).toEqual([1, 1, 2, 4, 4]);
    expect(() => createPooledChartRenderer({ threads: 0 })).toThrow(/positive integer/);
  });
});
