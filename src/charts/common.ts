// Options every chart shares: title, fonts, no animation, no responsiveness, no tooltips.
import type { Chart, LegendItem } from "chart.js";
import type { ChartSpec } from "../reply.ts";
import { palette } from "./palette.ts";
import { formatTick } from "./ticks.ts";

export type BaseSpec = Pick<ChartSpec, "title" | "unit" | "currency" | "lang">;

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

/** A y axis whose ticks use the unit's short format. */
export function valueAxis(spec: BaseSpec) {
  return {
    beginAtZero: true,
    grace: "10%",
    // No tick marks: grid lines then span exactly the plot area (tests locate it by them).
    grid: { color: palette.grid, drawTicks: false },
    border: { display: false },
    ticks: {
      padding: 8,
      color: palette.muted,
      font: { size: 12 },
      callback: (value: number | string) => formatTick(Number(value), spec.unit, spec.lang, spec.currency),
    },
  };
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
