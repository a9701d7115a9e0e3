// Per-rep bar chart: sorted, flagged bars coloured, values on the bars, team median as a line.
import type { ChartConfiguration, LegendItem, Plugin } from "chart.js";
import { formatValue } from "../insights/format.ts";
import type { ChartSpec } from "../reply.ts";
import { categoryAxis, chrome, legendLabels, titleOptions, valueAxis } from "./common.ts";
import { barColour, palette } from "./palette.ts";
import { horizontalLine, noDataNote, valueLabels } from "./plugins.ts";
import { formatTick } from "./ticks.ts";
import { words } from "./words.ts";

export type BarSpec = Extract<ChartSpec, { kind: "bar" }>;

/** Highest first; equal values keep the spec's order. */
export function sortBars(bars: BarSpec["bars"]): BarSpec["bars"] {
  return bars.map((bar, i) => ({ bar, i })).sort((a, b) => b.bar.value - a.bar.value || a.i - b.i).map((x) => x.bar);
}

/** More bars than this and the value labels switch to the compact tick format. */
const CROWDED = 12;

export function barConfig(spec: BarSpec): ChartConfiguration<"bar"> {
  const bars = sortBars(spec.bars);
  const w = words(spec.lang);
  const full = (v: number) => formatValue(v, spec.unit, spec.lang, spec.currency);
  const short = (v: number) => formatTick(v, spec.unit, spec.lang, spec.currency);
  const plugins: Plugin<"bar">[] = [valueLabels<"bar">(bars.length > CROWDED ? short : full, bars.length > CROWDED ? 10 : 12)];
  if (spec.median !== null && bars.length > 0) {
    plugins.push(horizontalLine<"bar">(spec.median, `${w.teamMedian} ${full(spec.median)}`));
  }
  if (bars.length === 0) plugins.push(noDataNote<"bar">(w.noData));

  const legend: LegendItem[] = [];
  if (bars.some((b) => b.flag === "low")) legend.push(legendItem(w.low, barColour.low));
  if (bars.some((b) => b.flag === "top")) legend.push(legendItem(w.top, barColour.top));
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
          labels: { ...legendLabels, generateLabels: () => legend },
        },
        tooltip: { enabled: false },
      },
      scales: {
        x: categoryAxis,
        y: { ...valueAxis(spec), ...(spec.median !== null ? { suggestedMax: spec.median } : {}) },
      },
    },
    plugins,
  };
}

function legendItem(text: string, colour: string): LegendItem {
  return { text, fillStyle: colour, strokeStyle: colour, lineWidth: 0, hidden: false, fontColor: palette.ink };
}
