/**
 * Money and counts as people type them in spreadsheets → exact integers. Digits are handled as
 * strings and BigInt, never as floats.
 *
 * Every currency is stored in hundredths (the schema's "minor units (cents)"), whatever its ISO
 * exponent: ¥1,200.50 → 120050 and ¥1,200 → 120000.
 *
 * Separators: by default "." is the decimal point and ",", " " (also no-break and thin spaces)
 * or "'" group thousands; with `decimalComma` "," is the decimal mark and "." / space / "'"
 * group. Groups must have three digits. A lone "." followed by exactly three digits ("1.200")
 * is refused as ambiguous without `decimalComma` (1.2 or 1200?). More than two decimals are
 * refused unless the extra digits are zeros ("1200.500" is an error, "1200.000" is 1200.00).
 */

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

/** A parsed amount: signed hundredths, and the ISO code a symbol or code in the text implies. */
export type ParsedAmount = {
  /** Signed amount in hundredths of the currency unit. */
  minor: bigint;
  /** ISO 4217 code named by the text ("€" → EUR, "USD" → USD), null when none or ambiguous ($, ¥). */
  currency: string | null;
};

export type NumberFormat = { decimalComma: boolean };

const INT8_MAX = 9_223_372_036_854_775_807n;
const INT4_MAX = 2_147_483_647;

/**
 * The largest amount a row may hold, in hundredths: 10,000,000,000.00 (10^12). Far below
 * BIGINT (9.2·10^18), so every stored sum fits: a rollup delta sums at most 2^20 deals
 * (≤ 1.05·10^18, see the rollup_bounds migration), and an owner's day, week or month would need
 * 9.2 million deals at this maximum to overflow (the fold then leaves those deltas pending; reads
 * still add them). SQL totals are numeric or float8 and cannot overflow at all. Applies to deal
 * amounts, quotas, campaign spend and revenue.
 */
export const MAX_MINOR = 1_000_000_000_000n;

/**
 * The largest count a row may hold (leads, conversions): 10^9. The columns are INTEGER and a
 * table holds fewer than 2^31 rows (INTEGER ids), so a BIGINT sum over a whole table stays below
 * 2.2·10^18.
 */
export const MAX_COUNT = 1_000_000_000;

/** Currency marks that name exactly one currency. `$` and `¥` alone are ambiguous (null). */
const SYMBOLS: ReadonlyMap<string, string | null> = new Map([
  ["$", null],
  ["¥", null],
  ["￥", null],
  ["€", "EUR"],
  ["£", "GBP"],
  ["₹", "INR"],
  ["₩", "KRW"],
  ["₽", "RUB"],
  ["₺", "TRY"],
  ["₪", "ILS"],
  ["₫", "VND"],
  ["฿", "THB"],
  ["₱", "PHP"],
  ["₦", "NGN"],
  ["元", "CNY"],
  ["US$", "USD"],
  ["CA$", "CAD"],
  ["C$", "CAD"],
  ["A$", "AUD"],
  ["AU$", "AUD"],
  ["NZ$", "NZD"],
  ["HK$", "HKD"],
  ["S$", "SGD"],
  ["R$", "BRL"],
  ["CN¥", "CNY"],
  ["JP¥", "JPY"],
  ["RMB", "CNY"],
]);

const SPACES = /[\s\u00a0\u202f\u2009]/g;

/**
 * Split an optional currency mark (symbol or 3-letter code, before or after the number) from the
 * text. Returns the remaining text and the ISO code the mark implies.
 */
function stripCurrency(text: string): Result<{ rest: string; currency: string | null; marked: boolean }> {
  const m = /^([^\d.,'()+\-−\s]*)\s*(.*?)\s*([^\d.,'()+\-−\s]*)$/u.exec(text);
  if (!m) return { ok: false, error: `"${text}" is not an amount` };
  const [, before = "", rest = "", after = ""] = m;
  if (before && after) return { ok: false, error: `"${text}" has two currency marks` };
  const mark = before || after;
  if (!mark) return { ok: true, value: { rest, currency: null, marked: false } };
  const upper = mark.toUpperCase();
  if (SYMBOLS.has(mark)) return { ok: true, value: { rest, currency: SYMBOLS.get(mark) ?? null, marked: true } };
  if (SYMBOLS.has(upper)) return { ok: true, value: { rest, currency: SYMBOLS.get(upper) ?? null, marked: true } };
  if (/^[A-Z]{3}$/.test(upper)) return { ok: true, value: { rest, currency: upper, marked: true } };
  return { ok: false, error: `"${text}" is not an amount (unknown currency mark "${mark}")` };
}

/** Peel a sign: leading/trailing "-" or "−", a leading "+", or accounting parentheses. */
function stripSign(text: string): { rest: string; negative: boolean } {
  let t = text.trim();
  let negative = false;
  if (/^\(.*\)$/.test(t)) {
    negative = true;
    t = t.slice(1, -1).trim();
  }
  if (/^[-−]/.test(t)) {
    negative = !negative;
    t = t.slice(1).trim();
  } else if (t.startsWith("+")) {
    t = t.slice(1).trim();
  } else if (/[-−]$/.test(t)) {
    negative = !negative;
    t = t.slice(0, -1).trim();
  }
  return { rest: t, negative };
}

/**
 * Split "1,234.50" into integer digits and fraction digits under the given convention, checking
 * thousands groups. The text has no sign and no currency mark.
 */
function splitNumber(text: string, format: NumberFormat): Result<{ int: string; frac: string }> {
  const decimal = format.decimalComma ? "," : ".";
  const other = format.decimalComma ? "." : ",";
  const compact = text.replace(SPACES, " ");
  if (!/^[\d.,' ]+$/.test(compact) || !/\d/.test(compact)) return { ok: false, error: `"${text}" is not an amount` };

  const lastDecimal = compact.lastIndexOf(decimal);
  const lastOther = compact.lastIndexOf(other);
  // The other convention's decimal mark after every grouping mark: "1.200,50" without
  // --decimal-comma, "1,200.50" with it.
  if (lastOther > lastDecimal && lastDecimal >= 0) {
    return {
      ok: false,
      error: format.decimalComma
        ? `"${text}" uses a decimal point; drop --decimal-comma for this file`
        : `"${text}" uses a decimal comma; pass --decimal-comma`,
    };
  }
  const decimals = compact.split(decimal).length - 1;
  if (decimals > 1) {
    return {
      ok: false,
      error: format.decimalComma
        ? `"${text}" has more than one decimal comma`
        : `"${text}" groups thousands with "."; pass --decimal-comma`,
    };
  }
  const [intPart = "", fracPart] = compact.split(decimal);
  if (fracPart !== undefined && !/^\d+$/.test(fracPart)) return { ok: false, error: `"${text}" is not an amount` };
  if (!format.decimalComma && /^[1-9]\d{0,2}\.\d{3}$/.test(compact)) {
    const small = `${intPart}.${fracPart!.replace(/0+$/, "") || "0"}`;
    return { ok: false, error: `"${text}" is ambiguous (${small} or ${intPart}${fracPart}?): write ${intPart}${fracPart}, or pass --decimal-comma if dots group thousands` };
  }
  // No decimal mark of this convention, but the other one before 1–2 final digits: "12,5".
  if (fracPart === undefined && new RegExp(`\\${other}\\d{1,2}$`).test(compact)) {
    return {
      ok: false,
      error: format.decimalComma
        ? `"${text}" uses a decimal point; drop --decimal-comma for this file`
        : `"${text}" uses a decimal comma; pass --decimal-comma`,
    };
  }
  let int: string;
  if (intPart === "") {
    int = "0";
  } else if (/^\d+$/.test(intPart)) {
    int = intPart;
  } else {
    const grouped = /^\d{1,3}(?:([ ,.'])\d{3})(?:\1\d{3})*$/.exec(intPart);
    if (!grouped || grouped[1] === decimal) {
      return { ok: false, error: `"${text}" has misplaced thousands separators (groups of three digits expected)` };
    }
    int = intPart.replace(/[ ,.']/g, "");
  }
  return { ok: true, value: { int, frac: fracPart ?? "" } };
}

/**
 * Parse a money amount into signed hundredths.
 *
 * @example
 * parseAmount("¥1,200.50", { decimalComma: false }); // => { ok: true, value: { minor: 120050n, currency: null } }
 * parseAmount("1.200,50 €", { decimalComma: true }); // => { ok: true, value: { minor: 120050n, currency: "EUR" } }
 * parseAmount("1.200", { decimalComma: false }); // => { ok: false, error: '"1.200" is ambiguous …' }
 */
export function parseAmount(text: string, format: NumberFormat): Result<ParsedAmount> {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, error: "is blank" };
  if (!/\d/.test(trimmed)) return { ok: false, error: `"${trimmed}" is not an amount` };
  const outer = stripSign(trimmed);
  const cur = stripCurrency(outer.rest);
  if (!cur.ok) return cur;
  const inner = stripSign(cur.value.rest);
  if (outer.negative && inner.negative) return { ok: false, error: `"${text}" is not an amount` };
  const parts = splitNumber(inner.rest, format);
  if (!parts.ok) return parts;
  const { int, frac } = parts.value;
  if (frac.length > 2 && /[^0]/.test(frac.slice(2))) {
    return { ok: false, error: `"${text}" has more than 2 decimal places (amounts are kept in hundredths)` };
  }
  const minor = BigInt(int) * 100n + BigInt((frac + "00").slice(0, 2));
  if (minor > INT8_MAX) return { ok: false, error: `"${text}" is too large` };
  return { ok: true, value: { minor: outer.negative || inner.negative ? -minor : minor, currency: cur.value.currency } };
}

/**
 * Parse a whole count (leads, conversions): digits with optional thousands groups, no decimals
 * other than zeros, at most 2,147,483,647. Signed, so the caller can say "negative".
 *
 * @example
 * parseCount("1,200", { decimalComma: false }); // => { ok: true, value: 1200 }
 * parseCount("12.5", { decimalComma: false }); // => { ok: false, error: '"12.5" is not a whole number' }
 */
export function parseCount(text: string, format: NumberFormat): Result<number> {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, error: "is blank" };
  const sign = stripSign(trimmed);
  const parts = splitNumber(sign.rest, format);
  if (!parts.ok) return parts.error.includes("ambiguous") ? parts : { ok: false, error: `"${text}" is not a whole number` };
  if (/[^0]/.test(parts.value.frac)) return { ok: false, error: `"${text}" is not a whole number` };
  const n = Number(parts.value.int);
  if (n > INT4_MAX) return { ok: false, error: `"${text}" is too large` };
  return { ok: true, value: sign.negative && n !== 0 ? -n : n };
}

/**
 * Hundredths as a plain decimal string for messages.
 *
 * @example
 * formatMinor(120050n); // => "1,200.50"
 */
export function formatMinor(minor: bigint): string {
  const negative = minor < 0n;
  const abs = negative ? -minor : minor;
  const int = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const frac = (abs % 100n).toString().padStart(2, "0");
  return `${negative ? "-" : ""}${int}.${frac}`;
}
