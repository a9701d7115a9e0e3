/**
 * Excel cell values → the text a CSV export of the same sheet would hold, so one set of row
 * validators reads both: numbers as plain decimals, date serials as ISO dates, rich text and
 * formula results as their text.
 */

const DAY_MS = 86_400_000;
/** 1970-01-01 as an Excel serial (1900 date system, after the phantom 1900-02-29). */
const UNIX_EPOCH_SERIAL = 25_569;
/** Days from 1900-01-01's serial base to 1904-01-01 (the 1904 date system's day 0). */
const DAYS_1900_TO_1904 = 1_462;

/**
 * A number as a plain decimal: at most 15 significant digits (what Excel keeps and shows), no
 * exponent, no trailing zeros, so binary float noise never reaches an amount.
 *
 * @example
 * plainDecimal(0.1 + 0.2); // => "0.3"
 * plainDecimal(1.5e-7); // => "0.00000015"
 * plainDecimal(1e21); // => "1000000000000000000000"
 */
export function plainDecimal(n: number): string {
  if (!Number.isFinite(n)) return "#NUM!";
  if (n === 0) return "0";
  const [mantissa, exp = "0"] = Math.abs(n).toPrecision(15).split("e");
  const dot = mantissa!.indexOf(".");
  const digits = mantissa!.replace(".", "");
  const point = (dot < 0 ? mantissa!.length : dot) + Number(exp);
  let int: string;
  let frac: string;
  if (point <= 0) {
    int = "0";
    frac = "0".repeat(-point) + digits;
  } else if (point >= digits.length) {
    int = digits + "0".repeat(point - digits.length);
    frac = "";
  } else {
    int = digits.slice(0, point);
    frac = digits.slice(point);
  }
  int = int.replace(/^0+(?=\d)/, "");
  frac = frac.replace(/0+$/, "");
  const text = frac === "" ? int : `${int}.${frac}`;
  return n < 0 && text !== "0" ? `-${text}` : text;
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/**
 * An Excel date serial (days, with the time of day as the fraction) → "YYYY-MM-DD", or
 * "YYYY-MM-DD HH:MM:SS[.fff]" when it has a time: wall-clock time, no offset, as Excel shows it.
 * 1900 system: serial 1 is 1900-01-01 and Excel's phantom 1900-02-29 (serial 60, kept from Lotus
 * 1-2-3) is returned as written so the date reader refuses it; serials from 61 on are one day
 * behind a plain count. 1904 system (`date1904`, Mac workbooks): serial 0 is 1904-01-01.
 * Null for a serial before day 1 (a time alone, or a negative number).
 *
 * @example
 * serialToIso(45000); // => "2023-03-15"
 * serialToIso(45000.75); // => "2023-03-15 18:00:00"
 * serialToIso(43538, true); // => "2023-03-15"
 */
export function serialToIso(serial: number, date1904 = false): string | null {
  if (!Number.isFinite(serial)) return null;
  const totalMs = Math.round(serial * DAY_MS);
  const days = Math.floor(totalMs / DAY_MS);
  const ms = totalMs - days * DAY_MS;
  if (days < (date1904 ? 0 : 1)) return null;
  if (!date1904 && days === 60) return `1900-02-29${timeOfDay(ms)}`;
  // Days since 1970-01-01 in the calendar Excel means.
  const unixDays = date1904 ? days + DAYS_1900_TO_1904 - UNIX_EPOCH_SERIAL : days < 60 ? days + 1 - UNIX_EPOCH_SERIAL : days - UNIX_EPOCH_SERIAL;
  const d = new Date(unixDays * DAY_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}${timeOfDay(ms)}`;
}

function timeOfDay(ms: number): string {
  if (ms === 0) return "";
  const h = Math.floor(ms / 3_600_000);
  const mi = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  const rest = ms % 1000;
  return ` ${pad(h)}:${pad(mi)}:${pad(s)}${rest === 0 ? "" : `.${pad(rest, 3)}`}`;
}

/**
 * The serial exceljs turned into a Date for a date-formatted cell (it reads the Date's UTC
 * fields as the wall-clock time, 1904 system included), so serialToIso can apply the calendar.
 */
export function dateCellSerial(d: Date, date1904: boolean): number {
  return d.getTime() / DAY_MS + UNIX_EPOCH_SERIAL - (date1904 ? DAYS_1900_TO_1904 : 0);
}

/** A cell's value as exceljs's reader gives it. */
export type ExcelValue =
  | null
  | undefined
  | number
  | string
  | boolean
  | Date
  | { richText: { text: string }[] }
  | { formula?: string; sharedFormula?: string; result?: unknown }
  | { error: string }
  | { text: unknown; hyperlink: string }
  | { sharedString: number };

/**
 * One cell's text. `asDate`: the column holds dates, so a number is a date serial. An error
 * value reads as its code ("#N/A") and is refused by the column that needs a value; booleans
 * read as true/false.
 *
 * @example
 * cellText({ richText: [{ text: "Acme " }, { text: "Ltd" }] }, false, false); // => "Acme Ltd"
 * cellText(45000, true, false); // => "2023-03-15"
 */
export function cellText(value: unknown, asDate: boolean, date1904: boolean): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "#VALUE!";
    return (asDate ? serialToIso(value, date1904) : null) ?? plainDecimal(value);
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return "#VALUE!";
    const serial = dateCellSerial(value, date1904);
    return serialToIso(serial, date1904) ?? plainDecimal(serial);
  }
  if (typeof value === "object") {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) return (v.richText as { text?: unknown }[]).map((r) => String(r.text ?? "")).join("");
    if ("error" in v) return String(v.error);
    if ("formula" in v || "sharedFormula" in v || "result" in v) return cellText(v.result, asDate, date1904);
    if ("hyperlink" in v) return cellText(v.text, asDate, date1904);
  }
  return String(value);
}
