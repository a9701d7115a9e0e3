import { beforeAll, describe, expect, it } from "vitest";
import { createChartRenderer } from "../../src/charts/index.ts";
import type { ChartSpec } from "../../src/reply.ts";
import { decode, inkDifference, luminance, renderWithoutFonts, type Pixels } from "./support/png.ts";

// Only Chinese characters in the title: Latin glyphs would differ between any two fonts and make
// the comparison pass even if the CJK glyphs were tofu in both renders.
const spec: ChartSpec = {
  kind: "bar",
  title: "华东团队销售额第三季度",
  unit: "currency",
  currency: "CNY",
  lang: "zh",
  median: 200_000,
  bars: [
    { label: "王芳", value: 400_000, flag: "top" },
    { label: "李伟", value: 200_000, flag: null },
    { label: "张敏", value: 90_000, flag: "low" },
  ],
};

/** The title sits above the legend: rows 0–43 of an 800×450 chart. */
const TITLE = { x0: 0, y0: 0, x1: 800, y1: 44 };

let withFont: Pixels;
let again: Pixels;
let bare: Pixels;
beforeAll(async () => {
  const renderer = createChartRenderer();
  withFont = await decode(await renderer.render(spec));
  again = await decode(await renderer.render(spec));
  bare = await decode(renderWithoutFonts(spec));
}, 120_000);

describe("a chart titled in Chinese", () => {
  it("draws ink in the title region", () => {
    let ink = 0;
    for (let y = TITLE.y0; y < TITLE.y1; y++) for (let x = TITLE.x0; x < TITLE.x1; x++) if (luminance(withFont, x, y) < 160) ink++;
    expect(ink).toBeGreaterThan(800);
  });

  it("renders identically twice, so a pixel difference below means a different font", () => {
    expect(inkDifference(withFont, again, TITLE).differing).toBe(0);
  });

  it("draws the title with glyphs, not the tofu boxes a process without our font draws", () => {
    // Without registration the child falls back to fontconfig (DejaVu here, no CJK): hex boxes.
    // If our registration did not happen or the font lacked CJK, both renders would be the
    // same fallback and this fraction would be about 0.
    const diff = inkDifference(withFont, bare, TITLE);
    expect(diff.ink).toBeGreaterThan(800);
    expect(diff.fraction).toBeGreaterThan(0.5);
  });
});
