// Numbers as people read them, shared by everything that writes them (answers, digests, charts).
// Create one Formats per long-lived owner (the bot, the chart renderer): it keeps the Intl
// formatters it builds. The free functions build theirs per call, for one-off uses and tests.
import type { Delta, Lang, Unit } from "../reply.ts";
import { axisText } from "./axis.ts";
import { comparableText } from "./comparable.ts";
import { createNumberFormats, deltaText, percentileText, slopeText, valueText, type NumberFormats } from "./numbers.ts";

export { shownUnit } from "./comparable.ts";
export type { NumberFormats, ShownUnit } from "./numbers.ts";

export type Formats = {
  /** formats.value(123456, "currency", "en", "USD") → "$1,235"; (0.314, "percent") → "31.4%". */
  value(value: number | null, unit: Unit, lang: Lang, currency?: string): string;
  /** Change from previous to current: percentage points for ratios, relative otherwise. */
  delta(current: number | null, previous: number | null, unit: Unit, lowerIsBetter: boolean, lang: Lang, currency?: string): Delta | undefined;
  /** 0.734 → "73rd percentile" / "第 73 百分位". */
  percentile(rank: number, lang: Lang): string;
  /** A signed slope per bucket: "+$1,200", "−1.5 pts". */
  slope(slope: number, unit: Unit, lang: Lang, currency?: string): string;
  /**
   * A formatter for a set of values of one unit under which different values read differently
   * ([0.82, 0.97, 1.1, 1.3] min → "0.82 min" … "1.3 min"; [0.06, 0.09] h → "3.6 min", "5.4 min").
   */
  comparable(values: readonly (number | null)[], unit: Unit, lang: Lang, currency?: string): (value: number | null) => string;
  /** Tick labels of one axis in one magnitude ("US$0.4万 … US$1.6万"); durations in the unit of `data`. */
  axis(ticks: readonly number[], unit: Unit, lang: Lang, currency?: string, data?: readonly number[]): (value: number) => string;
  /** The memoised Intl formatters underneath. */
  numbers: NumberFormats;
};

/** The formatting functions over one memo of Intl formatters; keep it as long as its owner lives. */
export function createFormats(): Formats {
  const nf = createNumberFormats();
  return {
    value: (value, unit, lang, currency) => valueText(nf, value, unit, lang, currency),
    delta: (current, previous, unit, lowerIsBetter, lang, currency) => deltaText(nf, current, previous, unit, lowerIsBetter, lang, currency),
    percentile: percentileText,
    slope: (slope, unit, lang, currency) => slopeText(nf, slope, unit, lang, currency),
    comparable: (values, unit, lang, currency) => comparableText(nf, values, unit, lang, currency),
    axis: (ticks, unit, lang, currency, data) => axisText(nf, ticks, unit, lang, currency, data),
    numbers: nf,
  };
}

/** formatValue(123456, "currency", "en", "USD") → "$1,235"; (0.314, "percent") → "31.4%". */
export function formatValue(value: number | null, unit: Unit, lang: Lang, currency = "USD"): string {
  return valueText(createNumberFormats(), value, unit, lang, currency);
}

/**
 * Change from previous to current. Ratios (percent units) change in percentage points, the rest
 * relatively. `good` follows the metric's direction.
 */
export function formatDelta(current: number | null, previous: number | null, unit: Unit, lowerIsBetter: boolean, lang: Lang, currency = "USD"): Delta | undefined {
  return deltaText(createNumberFormats(), current, previous, unit, lowerIsBetter, lang, currency);
}

/** 0.734 → "73rd percentile" / "第 73 百分位". */
export const formatPercentile = percentileText;

/** A slope per bucket: percentage points for ratios, the unit otherwise, always signed. */
export function formatSlope(slope: number, unit: Unit, lang: Lang, currency = "USD"): string {
  return slopeText(createNumberFormats(), slope, unit, lang, currency);
}

/**
 * formatComparable([0.82, 0.97, 1.1, 1.3], "minutes", "en") → a formatter giving "0.82 min",
 * "0.97 min", "1.1 min", "1.3 min" (formatValue gives "1 min" for each).
 */
export function formatComparable(values: readonly (number | null)[], unit: Unit, lang: Lang, currency = "USD"): (value: number | null) => string {
  return comparableText(createNumberFormats(), values, unit, lang, currency);
}
