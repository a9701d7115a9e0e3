import { createCanvas } from "canvas";
import { beforeAll, describe, expect, it } from "vitest";
import { createChartRenderer, type ChartRenderer } from "../../src/charts/index.ts";
import { palette } from "../../src/charts/palette.ts";
import type { ChartSpec } from "../../src/reply.ts";
import {
  PNG_SIGNATURE,
  colourStats,
  decode,
  hex,
  ihdrSize,
  isColour,
  luminance,
  luminanceVariance,
  rgba,
  runs,
  type Pixels,
  type Rgba,
} from "./support/png.ts";

// The colours the charts promise (Okabe–Ito), written out so a palette change fails here.
const barColour = { normal: "#0072B2", low: "#D55E00", top: "#009E73" } as const;
const colour = { blue: "#0072B2", orange: "#E69F00", skyBlue: "#56B4E9", grey: "#555555" } as const;
/** The forecast band, rgba(230, 159, 0, 0.25) over white. */
const bandOnWhite = [249, 231, 191] as const;

type Spec<K extends ChartSpec["kind"]> = Extract<ChartSpec, { kind: K }>;

// Given unsorted; sorted highest first it is Ann (top), Bo, Ed, Fa, Di (low), Cy (low).
const bar: Spec<"bar"> = {
  kind: "bar",
  title: "Sales Q3 2026 · Team West",
  unit: "currency",
  currency: "USD",
  lang: "en",
  median: 230_000,
  bars: [
    { label: "Cy", value: 50_000, flag: "low" },
    { label: "Ann", value: 400_000, flag: "top" },
    { label: "Bo", value: 310_000, flag: null },
    { label: "Di", value: 120_000, flag: "low" },
    { label: "Ed", value: 260_000, flag: null },
    { label: "Fa", value: 200_000, flag: null },
  ],
};
const sortedFlags = ["top", null, null, null, "low", "low"] as const;

const trend: Spec<"trend"> = {
  kind: "trend",
  title: "Win rate by week · Q3 2026",
  unit: "percent",
  lang: "en",
  points: [0.2, 0.24, 0.23, 0.27, 0.26, 0.3].map((value, i) => ({ label: `W${i + 1}`, value })),
  trend: Array.from({ length: 10 }, (_, i) => ({ label: `W${i + 1}`, value: 0.205 + 0.018 * i })),
  forecast: [6, 7, 8, 9].map((i) => ({ label: `W${i + 1}`, value: 0.205 + 0.018 * i, lower: 0.185 + 0.012 * i, upper: 0.225 + 0.024 * i })),
};

const personal: Spec<"personal"> = {
  kind: "personal",
  title: "Your calls per week · Q3 2026",
  unit: "count",
  lang: "en",
  labels: ["W1", "W2", "W3", "W4", "W5", "W6"],
  own: [42, 51, 47, null, 58, 61],
  teamMedian: [45, 46, 44, 48, 47, 49],
  ownLabel: "You",
  teamLabel: "Team median",
};

// 20 values → Sturges k = ⌈log₂ 20⌉ + 1 = 6 bins of width 12 from 3 to 75:
// counts 6, 6, 3, 2, 2, 1; the highlighted 28 is in the third bin, [27, 39).
const distribution: Spec<"distribution"> = {
  kind: "distribution",
  title: "Days to close · Q3 2026",
  unit: "days",
  lang: "en",
  values: [3, 5, 8, 12, 12, 14, 15, 17, 19, 21, 22, 25, 28, 31, 35, 40, 44, 51, 60, 75],
  highlight: 28,
};

const specs: ChartSpec[] = [bar, trend, personal, distribution];

let renderer: ChartRenderer;
const png = new Map<ChartSpec, Buffer>();
const pixels = new Map<ChartSpec, Pixels>();
beforeAll(async () => {
  renderer = createChartRenderer();
  for (const spec of specs) {
    const buffer = await renderer.render(spec);
    png.set(spec, buffer);
    pixels.set(spec, await decode(buffer));
  }
});
const imageOf = (spec: ChartSpec) => pixels.get(spec) as Pixels;

/** The plot area, found from the topmost grid line (grid lines span it exactly: no tick marks). */
function plotArea(p: Pixels): { left: number; right: number; top: number } {
  const grid = hex(palette.grid);
  for (let y = 0; y < p.height; y++) {
    const long = runs(p, y, (px) => isColour(px, grid, 3)).find((r) => r.width > p.width / 2);
    if (long) return { left: long.start, right: long.end + 1, top: y };
  }
  throw new Error("no grid line found");
}

/** The lowest row on which at least `min` pixels have one of the given colours. */
function lowestRowWith(p: Pixels, colours: readonly (readonly [number, number, number])[], min: number): number {
  for (let y = p.height - 1; y >= 0; y--) {
    let n = 0;
    for (let x = 0; x < p.width; x++) if (colours.some((c) => isColour(rgba(p, x, y), c))) n++;
    if (n >= min) return y;
  }
  throw new Error("colour not found");
}

/** First row, from the top of the plot down, where column x has the colour: a bar's top edge. */
function topOf(p: Pixels, x: number, colour: readonly [number, number, number], from: number): number {
  for (let y = from; y < p.height; y++) if (isColour(rgba(p, x, y), colour)) return y;
  throw new Error(`no ${colour.join(",")} in column ${x}`);
}

describe("every chart kind", () => {
  it.each(specs.map((s) => [s.kind, s] as const))("renders %s as a valid 800×450 PNG under 100 kB", (_kind, spec) => {
    const buffer = png.get(spec) as Buffer;
    expect(buffer.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(ihdrSize(buffer)).toEqual({ width: 800, height: 450 });
    expect(buffer.length).toBeLessThan(100 * 1024);
  });

  it.each(specs.map((s) => [s.kind, s] as const))("draws %s on an opaque white background, not a blank one", (_kind, spec) => {
    const p = imageOf(spec);
    expect(rgba(p, 0, 0)).toEqual([255, 255, 255, 255]);
    expect(rgba(p, p.width - 1, p.height - 1)).toEqual([255, 255, 255, 255]);
    let transparent = 0;
    for (let i = 3; i < p.data.length; i += 4) if (p.data[i]! < 255) transparent++;
    expect(transparent).toBe(0);
    // A blank canvas has variance 0 (next test); our sparsest chart measures about 390.
    expect(luminanceVariance(p)).toBeGreaterThan(150);
  });

  it("measures a blank image at zero variance (the threshold above means something)", async () => {
    const canvas = createCanvas(800, 450);
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, 800, 450);
    expect(luminanceVariance(await decode(canvas.toBuffer("image/png")))).toBeLessThan(1e-6);
  });
});

describe("bar chart", () => {
  const colours = [hex(barColour.normal), hex(barColour.low), hex(barColour.top)] as const;
  const expected = sortedFlags.map((f) => hex(f === null ? barColour.normal : barColour[f]));
  const isBar = (px: Rgba) => colours.some((c) => isColour(px, c));

  it("draws the bars sorted highest first, each in its slot, flagged low in vermillion and top in green", () => {
    const p = imageOf(bar);
    const { left, right } = plotArea(p);
    const slot = (right - left) / bar.bars.length;
    const row = lowestRowWith(p, colours, 6 * 10) - 2;
    const found = runs(p, row, isBar);
    expect(found).toHaveLength(6);
    sortedFlags.forEach((_, i) => {
      const x = left + (i + 0.5) * slot; // centre of category i
      expect(Math.abs((found[i] as { centre: number }).centre - x)).toBeLessThanOrEqual(2);
      expect(rgba(p, x, row).slice(0, 3)).toEqual(expected[i]);
    });
    // The warning colour appears nowhere else on the bars' row.
    const lowRuns = found.filter((r) => isColour(rgba(p, r.centre, row), hex(barColour.low)));
    expect(lowRuns.map((r) => found.indexOf(r))).toEqual([4, 5]);
  });

  it("sizes bars in proportion to their values and writes each value above its bar", () => {
    const p = imageOf(bar);
    const row = lowestRowWith(p, colours, 60) - 2;
    const found = runs(p, row, isBar);
    const sorted = [...bar.bars].sort((a, b) => b.value - a.value);
    const base = row + 3; // one past the lowest bar row
    const { top } = plotArea(p);
    const tops = found.map((r, i) => topOf(p, r.centre, expected[i] as [number, number, number], top));
    const heightPerCent = (base - (tops[0] as number)) / (sorted[0] as { value: number }).value;
    found.forEach((r, i) => {
      expect(Math.abs(base - (tops[i] as number) - (sorted[i] as { value: number }).value * heightPerCent)).toBeLessThanOrEqual(1.5);
      // Dark label text in the 20 px above the bar.
      let dark = 0;
      for (let y = (tops[i] as number) - 20; y < (tops[i] as number) - 1; y++) {
        for (let x = r.centre - 25; x <= r.centre + 25; x++) if (luminance(p, x, y) < 90) dark++;
      }
      expect(dark).toBeGreaterThan(15);
    });
  });

  it("draws the team median as a dark line across the plot at the median's height", () => {
    const p = imageOf(bar);
    const { left, right, top: plotTop } = plotArea(p);
    const row = lowestRowWith(p, colours, 60) - 2;
    const first = runs(p, row, isBar)[0] as { centre: number };
    const top = topOf(p, first.centre, hex(barColour.top), plotTop); // Ann, $4,000
    const base = row + 3;
    const medianY = base - ((base - top) * (bar.median as number)) / 400_000;
    const darkColumns = (y0: number) => {
      let n = 0;
      for (let x = left; x < right; x++) {
        let dark = false;
        for (let y = Math.floor(y0) - 2; y <= Math.ceil(y0) + 2; y++) if (luminance(p, x, y) < 70) dark = true;
        if (dark) n++;
      }
      return n / (right - left);
    };
    expect(darkColumns(medianY)).toBeGreaterThan(0.5); // dashes 6 on, 4 off
    expect(darkColumns(medianY + 40)).toBeLessThan(0.1);
  });
});

describe("trend chart", () => {
  it("shades the forecast band from the last actual week to the end, behind the lines", () => {
    const p = imageOf(trend);
    const { left, right } = plotArea(p);
    const step = (right - left) / 9; // 10 labels, points on the grid (no offset)
    const lastActual = left + 5 * step;
    const shaded = colourStats(p, bandOnWhite, 3);
    expect(shaded.count).toBeGreaterThan(3000);
    // The band widens from zero at the last actual point; its first visible pixels are a few px in.
    expect(shaded.minX).toBeGreaterThanOrEqual(lastActual - 2);
    expect(shaded.minX).toBeLessThanOrEqual(lastActual + 10);
    expect(Math.abs(shaded.maxX - right)).toBeLessThanOrEqual(3);
  });

  it("draws the actual series only up to the last actual week and the trend line across all weeks", () => {
    const p = imageOf(trend);
    const { left, right } = plotArea(p);
    const lastActual = left + (5 * (right - left)) / 9;
    const blue = colourStats(p, hex(colour.blue), 10);
    expect(blue.count).toBeGreaterThan(500);
    expect(blue.maxX).toBeLessThanOrEqual(lastActual + 6);
    const trendLine = colourStats(p, hex(colour.grey), 12);
    expect(trendLine.count).toBeGreaterThan(300);
    expect(trendLine.maxX).toBeGreaterThan(right - 10);
    expect(colourStats(p, hex(colour.orange), 10).count).toBeGreaterThan(100);
  });
});

describe("personal chart", () => {
  it("draws one's own line with a gap where a week has no value, and the team median line throughout", () => {
    const p = imageOf(personal);
    const { left, right } = plotArea(p);
    const step = (right - left) / 5;
    const plotBlue = (x0: number, x1: number) => {
      let n = 0;
      for (let y = 80; y < p.height - 40; y++) for (let x = Math.ceil(x0); x < x1; x++) if (isColour(rgba(p, x, y), hex(colour.blue), 10)) n++;
      return n;
    };
    expect(plotBlue(left, left + 2 * step)).toBeGreaterThan(200); // W1–W3
    expect(plotBlue(left + 2 * step + 8, left + 4 * step - 8)).toBe(0); // W3 → W5 crosses the missing W4
    expect(plotBlue(left + 4 * step, right)).toBeGreaterThan(80); // W5–W6
    const team = colourStats(p, hex(colour.grey), 12);
    expect(team.count).toBeGreaterThan(300);
    expect(Math.abs(team.minX - left)).toBeLessThanOrEqual(30); // legend sample is at the right
  });
});

describe("distribution chart", () => {
  it("draws Sturges bins as evenly spaced bars with the highlighted value's bin in orange", () => {
    const p = imageOf(distribution);
    const { left, right } = plotArea(p);
    const colours = [hex(colour.skyBlue), hex(colour.orange)] as const;
    const row = lowestRowWith(p, colours, 60) - 2;
    const found = runs(p, row, (px) => colours.some((c) => isColour(px, c)));
    expect(found).toHaveLength(6);
    const slot = (right - left) / 6;
    found.forEach((r, i) => {
      const x = left + (i + 0.5) * slot;
      expect(Math.abs(r.centre - x)).toBeLessThanOrEqual(2);
      expect(rgba(p, x, row).slice(0, 3)).toEqual(i === 2 ? hex(colour.orange) : hex(colour.skyBlue));
    });
    // Heights in proportion to the counts 6, 6, 3, 2, 2, 1.
    const { top } = plotArea(p);
    const heights = found.map((r, i) => row + 3 - topOf(p, r.centre, colours[i === 2 ? 1 : 0] as [number, number, number], top));
    const unit = (heights[0] as number) / 6;
    [6, 6, 3, 2, 2, 1].forEach((count, i) => expect(Math.abs((heights[i] as number) - count * unit)).toBeLessThanOrEqual(2));
  });
});

const edgeCases: [string, ChartSpec][] = [
  ["a bar chart of 40 reps", { ...bar, bars: Array.from({ length: 40 }, (_, i) => ({ label: `Rep ${i + 1}`, value: 1000 * i, flag: i < 3 ? "low" : null })) }],
  ["a bar chart with losses (negative values)", { ...bar, unit: "count", bars: [{ label: "A", value: -5, flag: "low" }, { label: "B", value: 7, flag: null }] }],
  ["a trend without trend line or forecast", { ...trend, trend: null, forecast: null }],
  ["a trend whose forecast has no interval", { ...trend, forecast: (trend.forecast ?? []).map((f) => ({ ...f, lower: null, upper: null })) }],
  ["an empty trend", { ...trend, points: [], trend: null, forecast: null }],
  ["a personal chart with no values", { ...personal, own: personal.own.map(() => null), teamMedian: personal.teamMedian.map(() => null) }],
  ["a distribution of one repeated value", { ...distribution, values: [4, 4, 4], highlight: 4 }],
  ["an empty distribution", { ...distribution, values: [], highlight: null }],
];

describe("edge cases", () => {
  it.each(edgeCases)("renders %s as a non-blank 800×450 PNG", async (_name, spec) => {
    const buffer = await renderer.render(spec);
    expect(ihdrSize(buffer)).toEqual({ width: 800, height: 450 });
    expect(buffer.length).toBeLessThan(100 * 1024);
    expect(luminanceVariance(await decode(buffer))).toBeGreaterThan(100);
  });
});

describe("createChartRenderer", () => {
  it("renders at the size it was created with", async () => {
    const small = createChartRenderer({ width: 400, height: 300 });
    expect(ihdrSize(await small.render(bar))).toEqual({ width: 400, height: 300 });
  });

  it("returns before drawing, so callers can compose text while the chart renders", async () => {
    let read = false;
    const spec = { ...bar, get title() {
      read = true;
      return bar.title;
    } };
    const pending = renderer.render(spec);
    expect(read).toBe(false);
    await pending;
    expect(read).toBe(true);
  });

  it("rejects a size that is not a positive integer", () => {
    expect(() => createChartRenderer({ width: 0 })).toThrow(/positive integers/);
    expect(() => createChartRenderer({ height: 10.5 })).toThrow(/positive integers/);
  });

  it("still draws a titled, non-blank chart when there is no data", async () => {
    const p = await decode(await renderer.render({ ...bar, bars: [], median: null }));
    expect(luminanceVariance(p)).toBeGreaterThan(100);
    let dark = 0;
    for (let y = 150; y < 300; y++) for (let x = 250; x < 550; x++) if (luminance(p, x, y) < 160) dark++;
    expect(dark).toBeGreaterThan(100); // "No data for this period" in the middle
  });
});
