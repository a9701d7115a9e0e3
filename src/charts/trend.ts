// Trend line chart: actual values, the least-squares line, and the forecast with a shaded band.
import type { ChartConfiguration, Plugin } from "chart.js";
import type { Formats } from "../format/index.ts";
import type { ChartSpec } from "../reply.ts";
import { categoryAxis, chrome, clampTo, lineLegend, titleOptions, valueAxis, valueBounds } from "./common.ts";
import { bandFill, palette } from "./palette.ts";
import { noDataNote } from "./plugins.ts";
import { words } from "./words.ts";

export type TrendSpec = Extract<ChartSpec, { kind: "trend" }>;

/** Labels of all three series in first-seen order: the actual periods, then the forecast ones. */
export function trendLabels(spec: TrendSpec): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const { label } of [...spec.points, ...(spec.trend ?? []), ...(spec.forecast ?? [])]) {
    if (!seen.has(label)) {
      seen.add(label);
      out.push(label);
    }
  }
  return out;
}

/**
 * The forecast inside the values the metric can take: a band of ±2 standard errors around a
 * small total would otherwise promise negative sales.
 */
export function boundedForecast(spec: TrendSpec): NonNullable<TrendSpec["forecast"]> {
  const bounds = valueBounds(spec, spec.points.map((p) => p.value));
  const clamp = (v: number | null) => (v === null ? null : clampTo(bounds, v));
  return (spec.forecast ?? []).map((f) => ({ ...f, value: clampTo(bounds, f.value), lower: clamp(f.lower), upper: clamp(f.upper) }));
}

/** Dataset indices; the band fills from UPPER down to LOWER (fill "-1"). */
export const TREND_DATASET = { actual: 0, trend: 1, forecast: 2, lower: 3, upper: 4 } as const;

export function trendConfig(spec: TrendSpec, formats: Formats): ChartConfiguration<"line"> {
  const w = words(spec.lang);
  const labels = trendLabels(spec);
  const at = new Map(labels.map((l, i) => [l, i]));
  const series = <T extends { label: string }>(items: readonly T[], pick: (item: T) => number | null) => {
    const out: (number | null)[] = labels.map(() => null);
    for (const item of items) out[at.get(item.label) as number] = pick(item);
    return out;
  };
  const forecastItems = boundedForecast(spec);
  const actual = series(spec.points, (p) => p.value);
  const trend = series(spec.trend ?? [], (p) => p.value);
  const forecast = series(forecastItems, (p) => p.value);
  const lower = series(forecastItems, (p) => p.lower);
  const upper = series(forecastItems, (p) => p.upper);
  const hasBand = forecastItems.some((f) => f.lower !== null && f.upper !== null);

  // Start the forecast line and its band at the last actual value so they read as a continuation.
  const last = spec.points.at(-1);
  if (last && forecastItems.length > 0) {
    const i = at.get(last.label) as number;
    forecast[i] ??= last.value;
    lower[i] ??= last.value;
    upper[i] ??= last.value;
  }

  const plugins: Plugin<"line">[] = spec.points.length === 0 ? [noDataNote<"line">(w.noData)] : [];
  const hiddenFromLegend = new Set<number>([TREND_DATASET.lower]);
  if (!spec.trend) hiddenFromLegend.add(TREND_DATASET.trend);
  if (forecastItems.length === 0) hiddenFromLegend.add(TREND_DATASET.forecast);
  if (!hasBand) hiddenFromLegend.add(TREND_DATASET.upper);

  const line = { pointRadius: 0, borderWidth: 2, fill: false, spanGaps: true, order: 0 };
  return {
    type: "line",
    data: {
      labels,
      datasets: [
        {
          ...line,
          label: w.actual,
          data: actual,
          borderColor: palette.blue,
          backgroundColor: palette.blue,
          borderWidth: 3,
          pointRadius: 3.5,
          spanGaps: false,
        },
        { ...line, label: w.trend, data: trend, borderColor: palette.muted, backgroundColor: palette.muted, borderDash: [6, 4] },
        {
          ...line,
          label: w.forecast,
          data: forecast,
          borderColor: palette.orange,
          backgroundColor: palette.orange,
          borderDash: [3, 3],
          pointRadius: 3,
        },
        // The band is drawn first (higher order) so the lines stay on top of it.
        { ...line, label: "lower", data: lower, borderColor: "rgba(0,0,0,0)", borderWidth: 0, order: 10 },
        {
          ...line,
          label: w.range,
          data: upper,
          borderColor: "rgba(0,0,0,0)",
          borderWidth: 0,
          backgroundColor: bandFill,
          fill: hasBand ? "-1" : false,
          order: 10,
        },
      ],
    },
    options: {
      ...chrome,
      plugins: {
        title: titleOptions(spec),
        legend: {
          display: spec.points.length > 0,
          position: "top",
          align: "end",
          labels: lineLegend(hiddenFromLegend),
        },
        tooltip: { enabled: false },
      },
      scales: { x: categoryAxis, y: { ...valueAxis(spec, formats, plotted(actual, trend, forecast, lower, upper)), beginAtZero: false } },
    },
    plugins,
  };
}

function plotted(...series: (number | null)[][]): number[] {
  return series.flat().filter((v): v is number => v !== null);
}
