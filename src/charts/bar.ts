// Per-rep bar chart: sorted, flagged bars coloured, values on the bars, team median as a line.
import type { ChartConfiguration, LegendItem, Plugin } from "chart.js";
import type { Formats } from "../format/index.ts";
import type { ChartSpec } from "../reply.ts";
import { categoryAxis, chrome, legendLabels, titleOptions, valueAxis } from "./common.ts";
import { barColour, palette } from "./palette.ts";
import { MEDIAN_DASH, horizontalLine, noDataNote, valueLabels } from "./plugins.ts";
import { words } from "./words.ts";

export type BarSpec = Extract<ChartSpec, { kind: "bar" }>;

/** Highest first; equal values keep the spec's order. */
export function sortBars(bars: BarSpec["bars"]): BarSpec["bars"] {
  return bars.map((bar, i) => ({ bar, i })).sort((a, b) => b.bar.value - a.bar.value || a.i - b.i).map((x) => x.bar);
}

/** More bars than this and the value labels switch to the compact axis format. */
const CROWDED = 12;

/** The labels of a bar chart's values and its median, in one style so that different values differ. */
export function barValueText(spec: BarSpec, formats: Formats): (value: number) => string {
  const values = [...spec.bars.map((b) => b.value), ...(spec.median === null ? [] : [spec.median])];
  if (spec.bars.length > CROWDED) return formats.axis(values, spec.unit, spec.lang, spec.currency);
  const f = formats.comparable(values, spec.unit, spec.lang, spec.currency);
  return (v) => f(v);
}

export function barConfig(spec: BarSpec, formats: Formats): ChartConfiguration<"bar"> {
  const bars = sortBars(spec.bars);
  const w = words(spec.lang);
  const text = barValueText(spec, formats);
  const plugins: Plugin<"bar">[] = [valueLabels<"bar">(text, bars.length > CROWDED ? 10 : 12)];
  const legend: LegendItem[] = [];
  if (bars.some((b) => b.flag === "low")) legend.push(boxItem(w.low, barColour.low));
  if (bars.some((b) => b.flag === "top")) legend.push(boxItem(w.top, barColour.top));
  if (spec.median !== null && bars.length > 0) {
    plugins.push(horizontalLine<"bar">(spec.median));
    // Named in the legend, above the plot, where no bar or value label can reach it.
    legend.push(lineItem(`${w.teamMedian} ${text(spec.median)}`, palette.ink));
  }
  if (bars.length === 0) plugins.push(noDataNote<"bar">(w.noData));
  const values = bars.map((b) => b.value);

  return {
    type: "bar",
    data: {
      labels: bars.map((b) => b.label),
      datasets: [
        {
          data: values,
          backgroundColor: bars.map((b) => (b.flag === null ? barColour.normal : barColour[b.flag])),
          borderWidth: 0,
          barPercentage: 0.8,
          categoryPercentage: 0.9,
          maxBarThickness: 90,
          // A rep at zero still shows a sliver in their flag colour.
          minBarLength: 3,
        },
      ],
    },
    options: {
      ...chrome,
      plugins: {
        title: titleOptions(spec),
        legend: {
          display: legend.length > 0,
          position: "top",
          align: "end",
          labels: { ...legendLabels, usePointStyle: true, pointStyleWidth: 26, generateLabels: () => legend },
        },
        tooltip: { enabled: false },
      },
      scales: {
        x: categoryAxis,
        y: {
          ...valueAxis(spec, formats, spec.median === null ? values : [...values, spec.median]),
          ...(spec.median !== null ? { suggestedMax: spec.median } : {}),
        },
      },
    },
    plugins,
  };
}

function boxItem(text: string, colour: string): LegendItem {
  return { text, fillStyle: colour, strokeStyle: colour, lineWidth: 0, hidden: false, fontColor: palette.ink, pointStyle: "rect" };
}

function lineItem(text: string, colour: string): LegendItem {
  return { text, fillStyle: colour, strokeStyle: colour, lineWidth: 2, lineDash: MEDIAN_DASH, hidden: false, fontColor: palette.ink, pointStyle: "line" };
}
