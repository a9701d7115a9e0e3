// Distribution chart: a Sturges histogram of the values, the bin holding the highlighted value marked.
import type { ChartConfiguration, LegendItem, Plugin } from "chart.js";
import type { Formats } from "../format/index.ts";
import type { ChartSpec } from "../reply.ts";
import { chrome, legendLabels, titleOptions, valueAxis } from "./common.ts";
import { binIndex, sturgesHistogram } from "./histogram.ts";
import { palette } from "./palette.ts";
import { noDataNote, valueLabels } from "./plugins.ts";
import { words } from "./words.ts";

export type DistributionSpec = Extract<ChartSpec, { kind: "distribution" }>;

export const binColour = { normal: palette.skyBlue, highlight: palette.orange } as const;

export function distributionConfig(spec: DistributionSpec, formats: Formats): ChartConfiguration<"bar"> {
  const w = words(spec.lang);
  const { edges, counts } = sturgesHistogram(spec.values);
  // Bin edges in one style, in the unit the values read in (seconds for sub-minute responses).
  const tick = formats.axis(edges, spec.unit, spec.lang, spec.currency, spec.values);
  const labels = counts.map((_, i) => {
    const lo = edges[i] as number;
    const hi = edges[i + 1] as number;
    return lo === hi ? tick(lo) : `${tick(lo)}–${tick(hi)}`;
  });
  const highlighted = spec.highlight === null ? null : binIndex(edges, spec.highlight);
  const plugins: Plugin<"bar">[] = [valueLabels<"bar">((n) => String(n))];
  if (counts.length === 0) plugins.push(noDataNote<"bar">(w.noData));
  const legend: LegendItem[] =
    highlighted === null || spec.highlight === null
      ? []
      : [
          {
            text: `${w.yourValue}: ${formats.comparable([...spec.values, spec.highlight], spec.unit, spec.lang, spec.currency)(spec.highlight)}`,
            fillStyle: binColour.highlight,
            strokeStyle: binColour.highlight,
            lineWidth: 0,
            hidden: false,
            fontColor: palette.ink,
          },
        ];
  const countAxis = valueAxis({ ...spec, unit: "count", range: { min: 0, max: null } }, formats, counts);
  return {
    type: "bar",
    data: {
      labels,
      datasets: [
        {
          data: counts,
          backgroundColor: counts.map((_, i) => (i === highlighted ? binColour.highlight : binColour.normal)),
          borderWidth: 0,
          barPercentage: 1,
          categoryPercentage: 0.94,
        },
      ],
    },
    options: {
      ...chrome,
      plugins: {
        title: titleOptions(spec),
        legend: { display: legend.length > 0, position: "top", align: "end", labels: { ...legendLabels, generateLabels: () => legend } },
        tooltip: { enabled: false },
      },
      scales: {
        x: { grid: { display: false }, ticks: { color: palette.ink, font: { size: 11 }, autoSkip: false, maxRotation: 40 } },
        y: {
          ...countAxis,
          ticks: { ...countAxis.ticks, precision: 0 },
          title: { display: true, text: w.count, color: palette.muted, font: { size: 12 } },
        },
      },
    },
    plugins,
  };
}
