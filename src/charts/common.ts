// Options every chart shares: title, fonts, no animation, no responsiveness, no tooltips.
import type { Chart, LegendItem, Scale, Tick } from "chart.js";
import type { Formats } from "../format/index.ts";
import type { ChartSpec, ValueRange } from "../reply.ts";
import { palette } from "./palette.ts";

export type BaseSpec = Pick<ChartSpec, "title" | "unit" | "currency" | "lang" | "range">;

/**
 * Where a chart's values may go: the spec's range, by default not below 0. A bound the data
 * itself crosses is dropped (a spec from before ranges, for a signed metric), so nothing real is
 * ever cut off.
 */
export function valueBounds(spec: BaseSpec, data: readonly number[]): ValueRange {
  const { min, max } = spec.range ?? { min: 0, max: null };
  return {
    min: min !== null && data.some((v) => v < min) ? null : min,
    max: max !== null && data.some((v) => v > max) ? null : max,
  };
}

/** `value` moved inside `bounds`. */
export function clampTo(bounds: ValueRange, value: number): number {
  if (bounds.min !== null && value < bounds.min) return bounds.min;
  if (bounds.max !== null && value > bounds.max) return bounds.max;
  return value;
}

export function titleOptions(spec: BaseSpec) {
  return {
    display: true,
    text: spec.title,
    color: palette.ink,
    font: { size: 18, weight: "bold" as const },
    padding: { top: 4, bottom: 10 },
  };
}

export const chrome = {
  responsive: false,
  animation: false as const,
  devicePixelRatio: 1,
  layout: { padding: { top: 8, right: 16, bottom: 8, left: 8 } },
};

export const legendLabels = { color: palette.ink, boxWidth: 14, boxHeight: 14, font: { size: 12 } };

/**
 * A y axis over `data` (every value the chart plots): ticks in one style for the whole axis, the
 * spec's bounds kept (the grace above and below the data never crosses them), and a rate axis
 * stopping at 100% unless some value exceeds it (quota attainment can).
 */
export function valueAxis(spec: BaseSpec, formats: Formats, data: readonly number[]) {
  const finite = data.filter(Number.isFinite);
  const bounds = valueBounds(spec, finite);
  const rateCeiling = spec.unit === "percent" && finite.every((v) => v <= 1) ? 1 : null;
  const ceiling = bounds.max === null ? rateCeiling : rateCeiling === null ? bounds.max : Math.min(bounds.max, rateCeiling);
  return {
    beginAtZero: true,
    grace: "10%",
    // No tick marks: grid lines then span exactly the plot area (tests locate it by them).
    grid: { color: palette.grid, drawTicks: false },
    border: { display: false },
    afterBuildTicks: (scale: Scale) => keepWithin(scale, bounds.min, ceiling),
    ticks: {
      padding: 8,
      color: palette.muted,
      font: { size: 12 },
      callback: (value: number | string, _index: number, ticks: Tick[]) =>
        formats.axis(
          ticks.map((t) => t.value),
          spec.unit,
          spec.lang,
          spec.currency,
          finite,
        )(Number(value)),
    },
  };
}

/** Narrows a built scale to [lo, hi] where its grace went beyond, with a tick on the bound. */
export function keepWithin(scale: Pick<Scale, "min" | "max" | "ticks">, lo: number | null, hi: number | null): void {
  const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  let ticks = scale.ticks;
  if (hi !== null && scale.max > hi && hi > scale.min) {
    scale.max = hi;
    ticks = ticks.filter((t) => t.value <= hi || near(t.value, hi));
    if (!ticks.some((t) => near(t.value, hi))) ticks.push({ value: hi });
  }
  if (lo !== null && scale.min < lo && lo < scale.max) {
    scale.min = lo;
    ticks = ticks.filter((t) => t.value >= lo || near(t.value, lo));
    if (!ticks.some((t) => near(t.value, lo))) ticks.unshift({ value: lo });
  }
  scale.ticks = ticks;
}

export const categoryAxis = {
  grid: { display: false },
  ticks: { color: palette.ink, font: { size: 12 }, autoSkip: false, maxRotation: 50 },
};

type LineLike = { label?: string; borderColor?: unknown; backgroundColor?: unknown; borderDash?: number[]; borderWidth?: unknown; fill?: unknown };

/**
 * Legend entries for line charts: a short stroke in the series' colour and dash pattern (a filled
 * square for a shaded band), skipping the datasets in `hidden`.
 */
export function lineLegend(hidden: ReadonlySet<number> = new Set()) {
  return {
    ...legendLabels,
    usePointStyle: true,
    pointStyleWidth: 26,
    generateLabels: (chart: Chart): LegendItem[] =>
      chart.data.datasets.flatMap((raw, datasetIndex) => {
        if (hidden.has(datasetIndex)) return [];
        const d = raw as LineLike;
        const band = d.fill !== undefined && d.fill !== false;
        const colour = String(band ? d.backgroundColor : d.borderColor);
        return [
          {
            text: d.label ?? "",
            datasetIndex,
            fillStyle: colour,
            strokeStyle: colour,
            fontColor: palette.ink,
            lineWidth: band ? 0 : 3,
            lineDash: band ? [] : (d.borderDash ?? []),
            pointStyle: band ? ("rect" as const) : ("line" as const),
            hidden: false,
          },
        ];
      }),
  };
}
