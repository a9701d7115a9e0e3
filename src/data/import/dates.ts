/**
 * Dates and times as CRM exports write them → UTC instants and calendar dates.
 *
 * Accepted dates (years 1900–2100):
 *   2025-03-31, 2025/03/31, 2025.03.31  year first: always year-month-day
 *   31.03.2025                      dots: always day.month.year
 *   03/31/2025, 31/03/2025, 31-03-2025
 *                                   year last with "/" or "-": read month/day or day/month
 *                                   only when the numbers decide it (one of them above 12, or
 *                                   both equal); "03/04/2025" is refused as ambiguous unless a
 *                                   date order is given. Within one file every such date must
 *                                   agree with the order the first deciding date showed.
 * An optional time may follow after "T" or a space: 14:30, 14:30:15, 14:30:15.250, 2:30 PM,
 * then an optional offset: Z, UTC, +08:00, -0500. A time without an offset is wall-clock time
 * in the import's time zone (the workspace's KPI_TIMEZONE); a date without a time is midnight
 * there. Two-digit years, month names and Excel serial numbers are refused.
 */
import { daysInMonth } from "../../time/calendar.ts";
import { makeZone, type Zone } from "../../time/zone.ts";
import type { Result } from "./amounts.ts";

export type DateOrder = "dmy" | "mdy";

export type CalendarDate = { y: number; m: number; d: number };
type Clock = { h: number; mi: number; s: number; ms: number };

/** A date as written: calendar date, optional wall-clock time and offset (minutes east of UTC). */
export type DateText = {
  date: CalendarDate;
  time: Clock | null;
  offsetMinutes: number | null;
  /** For year-last dates, the order the numbers decided (null when they cannot tell, e.g. 05/05). */
  decided: DateOrder | null;
  /** True when the text is a year-last slash/dash date (subject to the file-wide order rule). */
  yearLast: boolean;
};

const MIN_YEAR = 1900;
const MAX_YEAR = 2100;

function checkDate(text: string, y: number, m: number, d: number): Result<CalendarDate> {
  if (y < MIN_YEAR || y > MAX_YEAR) return { ok: false, error: `"${text}" has year ${y} outside ${MIN_YEAR}–${MAX_YEAR}` };
  if (m < 1 || m > 12) return { ok: false, error: `"${text}" has no month ${m}` };
  if (d < 1 || d > daysInMonth(y, m)) return { ok: false, error: `"${text}" is not a real date (day ${d} of month ${m})` };
  return { ok: true, value: { y, m, d } };
}

const TIME =
  /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*([AaPp][Mm])?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/;

function parseTime(text: string, whole: string): Result<{ time: Clock; offsetMinutes: number | null }> {
  const m = TIME.exec(text);
  if (!m) return { ok: false, error: `"${whole}" has an unreadable time "${text}" (use HH:MM or HH:MM:SS)` };
  let h = Number(m[1]);
  const mi = Number(m[2]);
  const s = m[3] === undefined ? 0 : Number(m[3]);
  const ms = m[4] === undefined ? 0 : Number((m[4] + "00").slice(0, 3));
  const ampm = m[5]?.toLowerCase();
  if (ampm) {
    if (h < 1 || h > 12) return { ok: false, error: `"${whole}" has hour ${h} with ${ampm.toUpperCase()}` };
    h = (h % 12) + (ampm === "pm" ? 12 : 0);
  }
  if (h > 23 || mi > 59 || s > 59) return { ok: false, error: `"${whole}" has an impossible time "${text}"` };
  let offsetMinutes: number | null = null;
  const zone = m[6];
  if (zone === "Z" || zone === "UTC" || zone === "GMT") offsetMinutes = 0;
  else if (zone) {
    const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
    const hours = Number(z[2]);
    const minutes = Number(z[3] ?? "0");
    if (hours > 14 || minutes > 59) return { ok: false, error: `"${whole}" has an impossible offset "${zone}"` };
    offsetMinutes = (z[1] === "-" ? -1 : 1) * (hours * 60 + minutes);
  }
  return { ok: true, value: { time: { h, mi, s, ms }, offsetMinutes } };
}

/**
 * Read a date (and optional time) as written, without deciding the time zone.
 * `order` fixes how year-last dates are read; without it they must be unambiguous.
 *
 * @example
 * parseDateText("31.03.2025").value.date; // => { y: 2025, m: 3, d: 31 }
 * parseDateText("03/04/2025").ok;          // => false (ambiguous)
 * parseDateText("03/04/2025", "dmy").value.date; // => { y: 2025, m: 4, d: 3 }
 */
export function parseDateText(text: string, order?: DateOrder): Result<DateText> {
  const t = text.trim();
  const m = /^(\d{1,4})([-/.])(\d{1,2})\2(\d{1,4})(?:(?:T|\s+)(.+))?$/.exec(t);
  if (!m) return { ok: false, error: `"${t}" is not a date (use YYYY-MM-DD)` };
  const [, a = "", sep, b = "", c = "", timeText] = m;
  let date: Result<CalendarDate>;
  let decided: DateOrder | null = null;
  let yearLast = false;
  if (a.length === 4) {
    if (c.length > 2) return { ok: false, error: `"${t}" is not a date (use YYYY-MM-DD)` };
    date = checkDate(t, Number(a), Number(b), Number(c));
  } else if (c.length === 4 && a.length <= 2) {
    const x = Number(a);
    const y = Number(b);
    if (sep === ".") {
      date = checkDate(t, Number(c), y, x);
    } else {
      yearLast = true;
      if (order) {
        decided = order;
      } else if (x === y) {
        decided = null;
      } else if (x > 12 && y <= 12) {
        decided = "dmy";
      } else if (y > 12 && x <= 12) {
        decided = "mdy";
      } else if (x <= 12 && y <= 12) {
        return {
          ok: false,
          error: `"${t}" is ambiguous (day/month or month/day?): write ${c}-${pad(y)}-${pad(x)} or ${c}-${pad(x)}-${pad(y)}, or pass --date-order`,
        };
      } else {
        return { ok: false, error: `"${t}" is not a real date` };
      }
      date = decided === "dmy" || decided === null ? checkDate(t, Number(c), y, x) : checkDate(t, Number(c), x, y);
    }
  } else if (c.length === 2 || a.length === 2) {
    return { ok: false, error: `"${t}" has a two-digit year; write the full year (YYYY-MM-DD)` };
  } else {
    return { ok: false, error: `"${t}" is not a date (use YYYY-MM-DD)` };
  }
  if (!date.ok) return date;
  if (timeText === undefined) return { ok: true, value: { date: date.value, time: null, offsetMinutes: null, decided, yearLast } };
  const time = parseTime(timeText.trim(), t);
  if (!time.ok) return time;
  return { ok: true, value: { date: date.value, ...time.value, decided, yearLast } };
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** "YYYY-MM-DD". */
export function isoDate(d: CalendarDate): string {
  return `${pad(d.y, 4)}-${pad(d.m)}-${pad(d.d)}`;
}

/**
 * Reads the date columns of one file: keeps the time zone, and per column the date order of
 * year-last dates — given (--date-order), inferred from the whole file before the import
 * (`inferred`, see date-orders.ts), or else the order the column's first deciding date showed
 * (every later one must agree). One reader per file.
 */
export class DateReader {
  readonly timeZone: string;
  private readonly order: DateOrder | undefined;
  private readonly inferred: ReadonlyMap<string, { order: DateOrder; example: string }>;
  private readonly zone: Zone | null;
  private readonly seen = new Map<string, { order: DateOrder; example: string }>();

  constructor(options: { timeZone: string; dateOrder?: DateOrder | undefined; inferred?: ReadonlyMap<string, { order: DateOrder; example: string }> }) {
    this.timeZone = options.timeZone;
    this.order = options.dateOrder;
    this.inferred = options.inferred ?? new Map();
    this.zone = options.timeZone === "UTC" ? null : makeZone(options.timeZone);
  }

  private read(text: string, column = ""): Result<DateText> {
    const known = this.order === undefined ? (this.inferred.get(column) ?? this.seen.get(column)) : undefined;
    const parsed = parseDateText(text, this.order ?? known?.order);
    if (known && !parsed.ok) {
      // Say why when the date only reads the other way round.
      const alone = parseDateText(text);
      if (alone.ok && alone.value.decided !== null && alone.value.decided !== known.order) return contradiction(text, alone.value.decided, known);
    }
    if (!parsed.ok || !parsed.value.yearLast || this.order || known || parsed.value.decided === null) return parsed;
    this.seen.set(column, { order: parsed.value.decided, example: text.trim() });
    return parsed;
  }

  /** A point in time. Without an offset the text is wall-clock time in this reader's zone. */
  instant(text: string, column?: string): Result<Date> {
    const r = this.read(text, column);
    if (!r.ok) return r;
    const { date, time, offsetMinutes } = r.value;
    const clock = time ?? { h: 0, mi: 0, s: 0, ms: 0 };
    const wall = Date.UTC(date.y, date.m - 1, date.d, clock.h, clock.mi, clock.s, clock.ms);
    if (offsetMinutes !== null) return { ok: true, value: new Date(wall - offsetMinutes * 60_000) };
    if (!this.zone) return { ok: true, value: new Date(wall) };
    // Across a DST change, the rule of periods and schedules: a repeated time is its first
    // occurrence, a skipped one is shifted forward by the gap.
    return { ok: true, value: this.zone.instantAt(date, clock.h, clock.mi, clock.s, clock.ms) };
  }

  /** A calendar date ("YYYY-MM-DD"); a time is allowed only when it is midnight. */
  calendarDate(text: string, column?: string): Result<string> {
    const r = this.read(text, column);
    if (!r.ok) return r;
    const { date, time } = r.value;
    if (time && (time.h !== 0 || time.mi !== 0 || time.s !== 0 || time.ms !== 0)) {
      return { ok: false, error: `"${text.trim()}" has a time; this column takes a date (YYYY-MM-DD)` };
    }
    return { ok: true, value: isoDate(date) };
  }
}

function contradiction(text: string, decided: DateOrder, known: { order: DateOrder; example: string }): Result<never> {
  const words = (o: DateOrder) => (o === "dmy" ? "day/month" : "month/day");
  return {
    ok: false,
    error: `"${text.trim()}" only reads as ${words(decided)}, but other dates in this column read as ${words(known.order)} (e.g. "${known.example}"); use YYYY-MM-DD`,
  };
}
