// Numbers as people read them, per unit and language. Money arrives in minor units (cents).
import type { Delta, Lang, Unit } from "../reply.ts";

const locale = (lang: Lang) => (lang === "zh" ? "zh-CN" : "en-US");

/**
 * Memoised Intl.NumberFormat instances. Building one costs ~50 µs (formatting with a built one
 * ~1 µs), and a 500-rep table formats over a thousand numbers, so whoever formats many numbers
 * creates one of these and keeps it (the chart renderer, the bot); nothing is cached per module.
 */
export type NumberFormats = {
  /** Plain numbers with at most `digits` fraction digits. */
  plain(lang: Lang, digits: number): Intl.NumberFormat;
  /** Money in major units with at most `digits` fraction digits. */
  money(lang: Lang, currency: string, digits: number): Intl.NumberFormat;
};

export function createNumberFormats(): NumberFormats {
  const plains = new Map<string, Intl.NumberFormat>();
  const moneys = new Map<string, Intl.NumberFormat>();
  return {
    plain(lang, digits) {
      const key = `${lang}|${digits}`;
      let f = plains.get(key);
      if (!f) plains.set(key, (f = new Intl.NumberFormat(locale(lang), { maximumFractionDigits: digits, minimumFractionDigits: 0 })));
      return f;
    },
    money(lang, currency, digits) {
      const key = `${lang}|${currency}|${digits}`;
      let f = moneys.get(key);
      if (!f) {
        f = new Intl.NumberFormat(locale(lang), { style: "currency", currency, maximumFractionDigits: digits, minimumFractionDigits: 0 });
        moneys.set(key, f);
      }
      return f;
    },
  };
}

/** A unit as shown: the reply's units plus seconds, which a set of sub-minute durations reads in. */
export type ShownUnit = Unit | "seconds";

/** The fraction digits a value gets by default; sets that need more add to these. */
export function baseDigits(value: number, unit: ShownUnit): number {
  switch (unit) {
    case "currency":
      return Math.abs(value / 100) >= 100 ? 0 : 2;
    case "minutes":
    case "seconds":
      return 0;
    case "percent":
    case "days":
    case "hours":
    case "count":
      return 1;
    case "score":
    case "ratio":
      return 2;
  }
}

/** One value in a unit with exactly the given maximum fraction digits (trailing zeros dropped). */
export function unitText(nf: NumberFormats, value: number, unit: ShownUnit, digits: number, lang: Lang, currency = "USD"): string {
  const n = (v: number) => nf.plain(lang, digits).format(v);
  const zh = lang === "zh";
  switch (unit) {
    case "currency":
      return nf.money(lang, currency, digits).format(value / 100);
    case "percent":
      return `${n(value * 100)}%`;
    case "days":
      return zh ? `${n(value)} 天` : `${n(value)} d`;
    case "hours":
      return zh ? `${n(value)} 小时` : `${n(value)} h`;
    case "minutes":
      return zh ? `${n(value)} 分钟` : `${n(value)} min`;
    case "seconds":
      return zh ? `${n(value)} 秒` : `${n(value)} s`;
    case "score":
      return `${n(value)} / 5`;
    case "count":
    case "ratio":
      return n(value);
  }
}

/** formatValue(123456, "currency", "en", "USD") → "$1,235"; (0.314, "percent") → "31.4%". */
export function valueText(nf: NumberFormats, value: number | null, unit: Unit, lang: Lang, currency = "USD"): string {
  if (value === null || !Number.isFinite(value)) return "—";
  return unitText(nf, value, unit, baseDigits(value, unit), lang, currency);
}

/**
 * Change from previous to current. Ratios (percent units) change in percentage points, the rest
 * relatively. `good` follows the metric's direction.
 */
export function deltaText(
  nf: NumberFormats,
  current: number | null,
  previous: number | null,
  unit: Unit,
  lowerIsBetter: boolean,
  lang: Lang,
  currency = "USD",
): Delta | undefined {
  if (current === null || previous === null || !Number.isFinite(current) || !Number.isFinite(previous)) return undefined;
  const diff = current - previous;
  if (current === 0 && previous === 0) return { text: "±0", direction: "flat", good: null };
  const direction = Math.abs(diff) < 1e-12 ? "flat" : diff > 0 ? "up" : "down";
  const good = direction === "flat" ? null : (direction === "up") !== lowerIsBetter;
  const sign = diff > 0 ? "+" : diff < 0 ? "−" : "±";
  let text: string;
  if (unit === "percent") {
    const pts = Math.abs(diff * 100).toFixed(1);
    text = lang === "zh" ? `${sign}${pts} 个百分点` : `${sign}${pts} pts`;
  } else if (previous === 0) {
    const size = valueText(nf, Math.abs(diff), unit, lang, currency);
    text = lang === "zh" ? `${sign}${size}（上期为 0）` : `${sign}${size} (from 0)`;
  } else {
    text = `${sign}${Math.abs((diff / Math.abs(previous)) * 100).toFixed(1)}%`;
  }
  return { text, direction, good };
}

/** 0.734 → "73rd percentile" / "第 73 百分位". */
export function percentileText(rank: number, lang: Lang): string {
  const p = Math.round(rank * 100);
  if (lang === "zh") return `第 ${p} 百分位`;
  const suffix = p % 100 >= 11 && p % 100 <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[p % 10] ?? "th";
  return `${p}${suffix} percentile`;
}

/** A slope per bucket: percentage points for ratios, the unit otherwise, always signed. */
export function slopeText(nf: NumberFormats, slope: number, unit: Unit, lang: Lang, currency = "USD"): string {
  const sign = slope > 0 ? "+" : slope < 0 ? "−" : "±";
  if (unit === "percent") return `${sign}${Math.abs(slope * 100).toFixed(1)}${lang === "zh" ? " 个百分点" : " pts"}`;
  return `${sign}${valueText(nf, Math.abs(slope), unit, lang, currency)}`;
}
