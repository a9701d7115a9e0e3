// Small inline Chart.js plugins: value labels on bars, a team-median line, a "no data" note.
import type { Chart, ChartType, Plugin } from "chart.js";
import { FONT_STACK } from "./fonts.ts";
import { palette } from "./palette.ts";

type Point = { x: number; y: number };

/**
 * Writes each bar's formatted value just beyond its end (above for ≥ 0, below for < 0), or just
 * inside it where the plot ends there. When the widest label is wider than a bar's slot (dozens
 * of reps) labels would overlap: none are drawn.
 */
export function valueLabels<T extends ChartType>(format: (value: number) => string, fontSize = 12): Plugin<T> {
  return {
    id: "kpiValueLabels",
    afterDatasetsDraw(chart: Chart<T>) {
      const { ctx } = chart;
      const meta = chart.getDatasetMeta(0);
      const data = chart.data.datasets[0]?.data ?? [];
      ctx.save();
      ctx.font = `bold ${fontSize}px ${FONT_STACK}`;
      ctx.fillStyle = palette.ink;
      ctx.textAlign = "center";
      const labels = data.map((v) => (typeof v === "number" && Number.isFinite(v) ? format(v) : null));
      const slot = (chart.chartArea.right - chart.chartArea.left) / Math.max(1, data.length);
      const widest = Math.max(0, ...labels.map((l) => (l === null ? 0 : ctx.measureText(l).width)));
      if (widest > slot - 2) {
        ctx.restore();
        return;
      }
      meta.data.forEach((element, i) => {
        const value = data[i];
        const label = labels[i];
        if (typeof value !== "number" || label == null) return;
        const { x, y } = element.getProps(["x", "y"], true) as Point;
        // A bar reaching the top of the plot (a 100% rate on an axis that stops there) has no
        // room above it: its label goes inside the bar's end, in white.
        const inside = value >= 0 ? y - 3 - fontSize < chart.chartArea.top : y + 3 + fontSize > chart.chartArea.bottom;
        const up = value >= 0 !== inside;
        ctx.fillStyle = inside ? palette.background : palette.ink;
        ctx.textBaseline = up ? "bottom" : "top";
        ctx.fillText(label, x, up ? y - 3 : y + 3);
      });
      ctx.restore();
    },
  };
}

/**
 * A dashed horizontal line across the plot at `value`. Its label belongs in the legend: written on
 * the plot it would sit on whichever bar's value label reaches the same height.
 */
export function horizontalLine<T extends ChartType>(value: number, colour: string = palette.ink): Plugin<T> {
  return {
    id: "kpiHorizontalLine",
    afterDatasetsDraw(chart: Chart<T>) {
      const y = chart.scales["y"]?.getPixelForValue(value);
      if (y === undefined || !Number.isFinite(y)) return;
      const { ctx, chartArea } = chart;
      ctx.save();
      ctx.strokeStyle = colour;
      ctx.lineWidth = 2;
      ctx.setLineDash(MEDIAN_DASH);
      ctx.beginPath();
      ctx.moveTo(chartArea.left, y);
      ctx.lineTo(chartArea.right, y);
      ctx.stroke();
      ctx.restore();
    },
  };
}

/** The dash of the median line, in the plot and in the legend. */
export const MEDIAN_DASH = [6, 4];

/** Says so in the middle of the plot when a chart has nothing to show. */
export function noDataNote<T extends ChartType>(text: string): Plugin<T> {
  return {
    id: "kpiNoData",
    afterDraw(chart: Chart<T>) {
      const { ctx, chartArea } = chart;
      ctx.save();
      ctx.font = `16px ${FONT_STACK}`;
      ctx.fillStyle = palette.muted;
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.fillText(text, (chartArea.left + chartArea.right) / 2, (chartArea.top + chartArea.bottom) / 2);
      ctx.restore();
    },
  };
}
