// Labels for the ticks of one value axis (or crowded bars): one style for all of them.
import type { Lang, Unit } from "../reply.ts";
import { digitsFor, extraDigits, shownUnit } from "./comparable.ts";
import { unitText, type NumberFormats } from "./numbers.ts";

type Magnitude = { divisor: number; suffix: string };

/** Largest first. Chinese counts in 万 (10⁴) and 亿 (10⁸), as Intl's compact notation does. */
const MAGNITUDES: Record<Lang, readonly Magnitude[]> = {
  en: [
    { divisor: 1e12, suffix: "T" },
    { divisor: 1e9, suffix: "B" },
    { divisor: 1e6, suffix: "M" },
    { divisor: 1e3, suffix: "K" },
  ],
  zh: [
    { divisor: 1e12, suffix: "万亿" },
    { divisor: 1e8, suffix: "亿" },
    { divisor: 1e4, suffix: "万" },
  ],
};

/** Below this (in major units) an axis keeps whole numbers: "$800" and "8,000 calls" need no suffix. */
const COMPACT_FROM: Partial<Record<Unit, number>> = { currency: 1_000, count: 10_000 };

/** The magnitude every label of a set is written in, chosen by the largest one. */
function magnitude(values: readonly number[], unit: Unit, lang: Lang): Magnitude {
  let max = 0;
  for (const v of values) if (Number.isFinite(v)) max = Math.max(max, Math.abs(v));
  const from = COMPACT_FROM[unit] ?? Infinity;
  return MAGNITUDES[lang].find((m) => max >= m.divisor && max >= from) ?? { divisor: 1, suffix: "" };
}

/** Puts the magnitude's suffix right after the number, before any trailing currency sign. */
function withSuffix(parts: Intl.NumberFormatPart[], suffix: string): string {
  let last = -1;
  parts.forEach((p, i) => {
    if (p.type === "integer" || p.type === "fraction" || p.type === "decimal" || p.type === "group") last = i;
  });
  return parts.map((p, i) => (i === last ? p.value + suffix : p.value)).join("");
}

/**
 * A formatter for the tick labels of one axis: every label in the same magnitude ("US$0.4万 …
 * US$1.6万", never "US$8000" next to "US$1.2万"), with as many digits as it takes for different
 * ticks to read differently. Durations take their unit from `data` (seconds when all of it is
 * under a minute), so the axis speaks the unit of the labels on the chart.
 *
 * @example
 * const f = axisText(nf, [0, 400000, 800000, 1200000, 1600000], "currency", "zh", "USD");
 * f(800000); // => "US$0.8万"
 * f(1600000); // => "US$1.6万"
 */
export function axisText(
  nf: NumberFormats,
  ticks: readonly number[],
  unit: Unit,
  lang: Lang,
  currency = "USD",
  data: readonly number[] = ticks,
): (value: number) => string {
  if (unit === "currency" || unit === "count") {
    const major = unit === "currency" ? 100 : 1;
    const { divisor, suffix } = magnitude(
      ticks.map((t) => t / major),
      unit,
      lang,
    );
    const scaled = (v: number) => v / major / divisor;
    const text = (v: number, digits: number) => {
      const x = scaled(v);
      const format = unit === "currency" ? nf.money(lang, currency, digits) : nf.plain(lang, digits);
      return x === 0 || suffix === "" ? format.format(x) : withSuffix(format.formatToParts(x), suffix);
    };
    const distinctTicks = [...new Set(ticks.filter(Number.isFinite))];
    let digits = 0;
    while (digits < 3 && new Set(distinctTicks.map((t) => text(t, digits))).size < distinctTicks.length) digits++;
    return (v) => text(v, digits);
  }
  const shown = shownUnit(data, unit);
  const extra = extraDigits(
    nf,
    ticks.map((t) => t * shown.scale),
    shown.unit,
    lang,
    currency,
  );
  return (v) => {
    const x = v * shown.scale;
    return unitText(nf, x, shown.unit, digitsFor(x, shown.unit, extra), lang, currency);
  };
}
