// Personal chart for `/kpi me`: one's own series against the team median series.
import type { ChartConfiguration, Plugin } from "chart.js";
import type { Formats } from "../format/index.ts";
import type { ChartSpec } from "../reply.ts";
import { categoryAxis, chrome, lineLegend, titleOptions, valueAxis } from "./common.ts";
import { palette } from "./palette.ts";
import { noDataNote } from "./plugins.ts";
import { words } from "./words.ts";

export type PersonalSpec = Extract<ChartSpec, { kind: "personal" }>;

export function personalConfig(spec: PersonalSpec, formats: Formats): ChartConfiguration<"line"> {
  const empty = spec.labels.length === 0 || [...spec.own, ...spec.teamMedian].every((v) => v === null);
  const plugins: Plugin<"line">[] = empty ? [noDataNote<"line">(words(spec.lang).noData)] : [];
  return {
    type: "line",
    data: {
      labels: spec.labels,
      datasets: [
        {
          label: spec.ownLabel,
          data: spec.own,
          borderColor: palette.blue,
          backgroundColor: palette.blue,
          borderWidth: 3,
          pointRadius: 3.5,
          fill: false,
        },
        {
          label: spec.teamLabel,
          data: spec.teamMedian,
          borderColor: palette.muted,
          backgroundColor: palette.muted,
          borderWidth: 2,
          borderDash: [6, 4],
          pointRadius: 0,
          fill: false,
        },
      ],
    },
    options: {
      ...chrome,
      plugins: {
        title: titleOptions(spec),
        legend: { display: !empty, position: "top", align: "end", labels: lineLegend() },
        tooltip: { enabled: false },
      },
      scales: { x: categoryAxis, y: valueAxis(spec, formats, [...spec.own, ...spec.teamMedian].filter((v): v is number => v !== null)) },
    },
    plugins,
  };
}
