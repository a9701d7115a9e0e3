/**
 * rates: currency,base,month,rate — operator-provided exchange rates, one per currency pair and
 * month: 1 unit of `currency` = `rate` units of `base`. Upserted by (currency, base, month).
 * month: YYYY-MM, or any date (its month). Rejected: the same currency on both sides, a rate
 * that is not a number above 0, or outside 10^-9 – 10^9.
 */
import { z } from "zod";
import { fail, issue, type ParseContext } from "./fields.ts";
import type { Kind } from "./kind.ts";

export type RateRow = {
  currency: string;
  base: string;
  /** First day of the month, YYYY-MM-01. */
  month: string;
  rate: number;
};

/** The smallest and largest rate accepted (a rate times the largest amount stays far inside float8). */
export const MIN_RATE = 1e-9;
export const MAX_RATE = 1e9;

const cell = z.string();

const code = cell.transform((s, ctx) => {
  const c = s.trim().toUpperCase();
  if (c === "") return fail(ctx, "missing value", "is blank");
  return /^[A-Z]{3}$/.test(c) ? c : fail(ctx, "invalid currency", `"${s.trim()}" is not a 3-letter currency code`);
});

/** "2025-03" or "2025/3" → "2025-03-01"; any date the import reads → the first of its month. */
function month(p: ParseContext) {
  return cell.transform((s, ctx) => {
    const t = s.trim();
    if (t === "") return fail(ctx, "missing value", "is blank");
    const ym = /^(\d{4})[-/.](\d{1,2})$/.exec(t);
    if (ym) {
      const y = Number(ym[1]);
      const m = Number(ym[2]);
      if (y < 1900 || y > 2100) return fail(ctx, "invalid date", `"${t}" has year ${y} outside 1900–2100`);
      if (m < 1 || m > 12) return fail(ctx, "invalid date", `"${t}" has no month ${m}`);
      return `${y}-${String(m).padStart(2, "0")}-01`;
    }
    const d = p.dates.calendarDate(t, "month");
    return d.ok ? `${d.value.slice(0, 7)}-01` : fail(ctx, "invalid date", `${d.error} (write the month as YYYY-MM)`);
  });
}

/** A decimal number above 0: "7.1", "0.000123", "1,234.5", "1.5e-3" ("7,1" with --decimal-comma). */
function rate(p: ParseContext) {
  return cell.transform((s, ctx) => {
    const t = s.trim().replace(/[\s\u00a0\u202f\u2009']/g, "");
    if (t === "") return fail(ctx, "missing value", "is blank");
    const [group, point] = p.format.decimalComma ? [".", ","] : [",", "."];
    const plain = new RegExp(`^(\\d{1,3}(\\${group}\\d{3})+|\\d+)(\\${point}\\d+)?([eE][+-]?\\d+)?$`);
    if (!plain.test(t)) return fail(ctx, "invalid rate", `"${s.trim()}" is not a number such as 7.25`);
    const n = Number(t.split(group).join("").replace(point, "."));
    if (!(n > 0)) return fail(ctx, "invalid rate", `"${s.trim()}" is not above 0`);
    if (n < MIN_RATE || n > MAX_RATE) return fail(ctx, "rate out of range", `"${s.trim()}" is outside ${MIN_RATE} – ${MAX_RATE.toLocaleString("en-US")}`);
    return n;
  });
}

export const rates: Kind<RateRow> = {
  name: "rates",
  required: ["currency", "base", "month", "rate"],
  optional: [],
  keyColumns: ["currency", "base", "month"],
  key: (row) => `${row.currency}|${row.base}|${row.month}`,
  schema: (p) =>
    z
      .object({ currency: code, base: code, month: month(p), rate: rate(p) })
      .transform((r, ctx) => {
        if (r.currency === r.base) issue(ctx, "same currency", `is ${r.base}, the same as currency`, ["base"]);
        return { row: { currency: r.currency, base: r.base, month: r.month, rate: r.rate }, fills: [], unset: [] };
      }),
};
