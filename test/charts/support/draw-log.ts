// A chart drawn in this process with the renderer's configuration, keeping the Chart.js instance
// and the box of every piece of text it wrote, so tests can check layout by geometry.
import type { Chart, ChartConfiguration, ChartItem } from "chart.js";
import { ChartJSNodeCanvas } from "chartjs-node-canvas";
import { chartConfig } from "../../../src/charts/config.ts";
import { registerChartFontsOnce } from "../../../src/charts/fonts.ts";
import { canvasOptions } from "../../../src/charts/renderer.ts";
import type { ChartSpec } from "../../../src/reply.ts";

export type Box = { x0: number; y0: number; x1: number; y1: number };
export type TextBox = Box & { text: string };

class ProbeCanvas extends ChartJSNodeCanvas {
  draw(configuration: ChartConfiguration): { chart: Chart; texts: TextBox[] } {
    const canvas = this._createCanvas(this._width, this._height);
    const ctx = canvas.getContext("2d");
    const texts: TextBox[] = [];
    const fillText = ctx.fillText.bind(ctx);
    ctx.fillText = (text: string, x: number, y: number, maxWidth?: number) => {
      // measureText's bounding box is relative to the current alignment and baseline.
      const m = ctx.measureText(text);
      texts.push({ text, x0: x - m.actualBoundingBoxLeft, x1: x + m.actualBoundingBoxRight, y0: y - m.actualBoundingBoxAscent, y1: y + m.actualBoundingBoxDescent });
      if (maxWidth === undefined) fillText(text, x, y);
      else fillText(text, x, y, maxWidth);
    };
    const chart = new this._chartJs(ctx as unknown as ChartItem, configuration);
    return { chart, texts };
  }
}

/** Draws `spec` at the renderer's default size; destroy the chart when done. */
export function drawLogged(spec: ChartSpec, width = 800, height = 450): { chart: Chart; texts: TextBox[] } {
  registerChartFontsOnce();
  return new ProbeCanvas(canvasOptions(width, height)).draw(chartConfig(spec));
}

export function overlaps(a: Box, b: Box): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/** The rectangles of the bars of dataset 0. */
export function barBoxes(chart: Chart): Box[] {
  return chart.getDatasetMeta(0).data.map((el) => {
    const { x, y, base, width } = el.getProps(["x", "y", "base", "width"], true) as { x: number; y: number; base: number; width: number };
    return { x0: x - width / 2, x1: x + width / 2, y0: Math.min(y, base), y1: Math.max(y, base) };
  });
}

/** The y axis's tick labels as drawn. */
export function yTickLabels(chart: Chart): string[] {
  return (chart.scales["y"]?.ticks ?? []).map((t) => String(t.label));
}
