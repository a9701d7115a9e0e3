// Formatting a set of values of one unit so that values that differ read differently.
import type { Lang, Unit } from "../reply.ts";
import { baseDigits, unitText, type NumberFormats, type ShownUnit } from "./numbers.ts";

const DURATIONS: ReadonlySet<ShownUnit> = new Set(["seconds", "minutes", "hours", "days"]);

/**
 * The unit a set of values is shown in: durations all under one minute in seconds, all under one
 * hour in minutes (a call centre answers in 0.8 min and resolves in 0.1 h); otherwise as given.
 *
 * @example
 * shownUnit([0.82, 0.97], "minutes"); // => { unit: "seconds", scale: 60 }
 */
export function shownUnit(values: readonly number[], unit: Unit): { unit: ShownUnit; scale: number } {
  let max = 0;
  for (const v of values) if (Number.isFinite(v)) max = Math.max(max, Math.abs(v));
  if (max > 0 && max < 1) {
    if (unit === "minutes") return { unit: "seconds", scale: 60 };
    if (unit === "hours") return { unit: "minutes", scale: 60 };
  }
  return { unit, scale: 1 };
}

/** Fraction digits of `value` with `extra` more than its default; money never beyond cents. */
export function digitsFor(value: number, unit: ShownUnit, extra: number): number {
  const digits = baseDigits(value, unit) + extra;
  return unit === "currency" ? Math.min(2, digits) : digits;
}

/** Finite values without repeats (equal within float noise), ascending. */
function distinct(values: readonly number[]): number[] {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const out: number[] = [];
  for (const v of sorted) {
    const last = out.at(-1);
    if (last === undefined || Math.abs(v - last) > 1e-9 * Math.max(1, Math.abs(v))) out.push(v);
  }
  return out;
}

/**
 * The fewest extra fraction digits (0–3) at which different values of the set (already in the
 * shown unit) give different texts, and every duration keeps two significant digits (0.82 min,
 * not 0.8 min); 3 if none suffices.
 */
export function extraDigits(nf: NumberFormats, values: readonly number[], unit: ShownUnit, lang: Lang, currency = "USD"): number {
  const set = distinct(values);
  const steps = unit === "currency" ? [0, 2] : [0, 1, 2, 3];
  for (const extra of steps) {
    const twoSignificant = (v: number) => v === 0 || digitsFor(v, unit, extra) >= 1 - Math.floor(Math.log10(Math.abs(v)));
    if (DURATIONS.has(unit) && !set.every(twoSignificant)) continue;
    const texts = new Set(set.map((v) => unitText(nf, v, unit, digitsFor(v, unit, extra), lang, currency)));
    if (texts.size === set.length) return extra;
  }
  return steps.at(-1) as number;
}

/**
 * A formatter for the values of one set (a flag's value and its median, a table column, the bars
 * of a chart) under which values that differ read differently: more significant digits, or a
 * finer unit for short durations. Values outside the set are formatted in the same style.
 *
 * @example
 * const f = comparableText(nf, [0.82, 0.97, 1.1, 1.3], "minutes", "en");
 * [0.82, 0.97, 1.1, 1.3].map(f); // => ["0.82 min", "0.97 min", "1.1 min", "1.3 min"]
 * comparableText(nf, [0.06, 0.09, 0.14], "hours", "en")(0.06); // => "3.6 min"
 */
export function comparableText(
  nf: NumberFormats,
  values: readonly (number | null)[],
  unit: Unit,
  lang: Lang,
  currency = "USD",
): (value: number | null) => string {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const shown = shownUnit(finite, unit);
  const extra = extraDigits(
    nf,
    finite.map((v) => v * shown.scale),
    shown.unit,
    lang,
    currency,
  );
  return (value) => {
    if (value === null || !Number.isFinite(value)) return "—";
    const v = value * shown.scale;
    return unitText(nf, v, shown.unit, digitsFor(v, shown.unit, extra), lang, currency);
  };
}
