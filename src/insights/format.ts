// Numbers as people read them, per unit and language. Money arrives in minor units (cents).
import type { Delta, Lang, Unit } from "../reply.ts";

const locale = (lang: Lang) => (lang === "zh" ? "zh-CN" : "en-US");

// Building an Intl.NumberFormat costs ~25 µs, and a 500-rep table formats over a thousand numbers.
// The formatters are immutable, so a process-wide memo of the two shapes used here is safe.
const plainFormats = new Map<string, Intl.NumberFormat>();
function plainFormat(lang: Lang, digits: number): Intl.NumberFormat {
  const key = `${lang}|${digits}`;
  let f = plainFormats.get(key);
  if (!f) plainFormats.set(key, (f = new Intl.NumberFormat(locale(lang), { maximumFractionDigits: digits, minimumFractionDigits: 0 })));
  return f;
}
const currencyFormats = new Map<string, Intl.NumberFormat>();
function currencyFormat(lang: Lang, currency: string, digits: number): Intl.NumberFormat {
  const key = `${lang}|${currency}|${digits}`;
  let f = currencyFormats.get(key);
  if (!f) currencyFormats.set(key, (f = new Intl.NumberFormat(locale(lang), { style: "currency", currency, maximumFractionDigits: digits, minimumFractionDigits: 0 })));
  return f;
}

/** formatValue(123456, "currency", "en", "USD") → "$1,235"; (0.314, "percent") → "31.4%". */
export function formatValue(value: number | null, unit: Unit, lang: Lang, currency = "USD"): string {
  if (value === null || !Number.isFinite(value)) return "—";
  switch (unit) {
    case "currency": {
      const major = value / 100;
      return currencyFormat(lang, currency, Math.abs(major) >= 100 ? 0 : 2).format(major);
    }
    case "percent":
      return `${plainFormat(lang, 1).format(value * 100)}%`;
    case "days":
      return lang === "zh" ? `${plainFormat(lang, 1).format(value)} 天` : `${plainFormat(lang, 1).format(value)} d`;
    case "minutes":
      return lang === "zh" ? `${plainFormat(lang, 0).format(value)} 分钟` : `${plainFormat(lang, 0).format(value)} min`;
    case "hours":
      return lang === "zh" ? `${plainFormat(lang, 1).format(value)} 小时` : `${plainFormat(lang, 1).format(value)} h`;
    case "score":
      return `${plainFormat(lang, 2).format(value)} / 5`;
    case "count":
      return plainFormat(lang, 1).format(value);
    case "ratio":
      return plainFormat(lang, 2).format(value);
  }
}

/**
 * Change from previous to current. Ratios (percent units) change in percentage points, the rest
 * relatively. `good` follows the metric's direction.
 */
export function formatDelta(current: number | null, previous: number | null, unit: Unit, lowerIsBetter: boolean, lang: Lang): Delta | undefined {
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
    text = lang === "zh" ? `${sign}${formatValue(Math.abs(diff), unit, lang)}（上期为 0）` : `${sign}${formatValue(Math.abs(diff), unit, lang)} (from 0)`;
  } else {
    text = `${sign}${Math.abs((diff / Math.abs(previous)) * 100).toFixed(1)}%`;
  }
  return { text, direction, good };
}

/** 0.734 → "73rd percentile" / "第 73 百分位". */
export function formatPercentile(rank: number, lang: Lang): string {
  const p = Math.round(rank * 100);
  if (lang === "zh") return `第 ${p} 百分位`;
  const suffix = p % 100 >= 11 && p % 100 <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[p % 10] ?? "th";
  return `${p}${suffix} percentile`;
}

/** A slope per bucket: percentage points for ratios, the unit otherwise, always signed. */
export function formatSlope(slope: number, unit: Unit, lang: Lang, currency = "USD"): string {
  const sign = slope > 0 ? "+" : slope < 0 ? "−" : "±";
  if (unit === "percent") return `${sign}${Math.abs(slope * 100).toFixed(1)}${lang === "zh" ? " 个百分点" : " pts"}`;
  return `${sign}${formatValue(Math.abs(slope), unit, lang, currency)}`;
}
