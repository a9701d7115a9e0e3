// Axis tick labels: the reply's number formats, made compact where an axis has little room.
import { formatValue } from "../insights/format.ts";
import type { Lang, Unit } from "../reply.ts";

const locale = (lang: Lang) => (lang === "zh" ? "zh-CN" : "en-US");

/**
 * A short label for an axis tick or a crowded bar. Money arrives in minor units.
 *
 * @example
 * formatTick(450_000_00, "currency", "en", "USD"); // => "$450K"
 * formatTick(0.25, "percent", "en");               // => "25%"
 */
export function formatTick(value: number, unit: Unit, lang: Lang, currency = "USD"): string {
  const number = (v: number, digits: number, compact = false) =>
    new Intl.NumberFormat(locale(lang), {
      maximumFractionDigits: digits,
      minimumFractionDigits: 0,
      ...(compact ? { notation: "compact" as const } : {}),
    }).format(v);
  switch (unit) {
    case "currency": {
      const major = value / 100;
      return new Intl.NumberFormat(locale(lang), {
        style: "currency",
        currency,
        minimumFractionDigits: 0,
        maximumFractionDigits: Math.abs(major) >= 1000 ? 1 : Math.abs(major) >= 100 ? 0 : 2,
        ...(Math.abs(major) >= 1000 ? { notation: "compact" as const } : {}),
      }).format(major);
    }
    case "percent":
      return `${number(value * 100, 1)}%`;
    case "count":
      return number(value, 1, Math.abs(value) >= 10_000);
    case "score":
    case "ratio":
      return number(value, 2);
    case "days":
    case "minutes":
    case "hours":
      return formatValue(value, unit, lang);
  }
}
