/**
 * Civil-date arithmetic without time zones: a `LocalDate` is a wall-calendar day.
 * All functions are pure and use the proleptic Gregorian calendar through Date.UTC.
 */

export type LocalDate = { readonly y: number; readonly m: number; readonly d: number };

const DAY_MS = 86_400_000;

/** Milliseconds of UTC midnight of y-m-d; unlike Date.UTC, years 0-99 are not shifted to 19xx. */
function utcMs(y: number, m: number, d: number): number {
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d);
  return t.getTime();
}

/** Days since 1970-01-01. Example: `dayNumber({ y: 1970, m: 1, d: 2 })` → 1. */
export function dayNumber(date: LocalDate): number {
  return Math.round(utcMs(date.y, date.m, date.d) / DAY_MS);
}

/** Inverse of `dayNumber`. */
export function fromDayNumber(n: number): LocalDate {
  const t = new Date(n * DAY_MS);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

/** Example: `addDays({ y: 2024, m: 2, d: 28 }, 1)` → 2024-02-29. */
export function addDays(date: LocalDate, n: number): LocalDate {
  return fromDayNumber(dayNumber(date) + n);
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return dayNumber(b) - dayNumber(a);
}

/** Example: `daysInMonth(2024, 2)` → 29. */
export function daysInMonth(y: number, m: number): number {
  return new Date(utcMs(y, m + 1, 0)).getUTCDate();
}

/** Shifts by whole months, clamping the day: `addMonths(2024-03-31, -1)` → 2024-02-29. */
export function addMonths(date: LocalDate, n: number): LocalDate {
  const index = date.y * 12 + (date.m - 1) + n;
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return { y, m, d: Math.min(date.d, daysInMonth(y, m)) };
}

/** True on the last day of its month. */
export function isMonthEnd(date: LocalDate): boolean {
  return date.d === daysInMonth(date.y, date.m);
}

/**
 * Shifts by whole months keeping month ends at month ends (like a spreadsheet's EDATE
 * plus EOMONTH): `shiftMonthsEom(2026-06-30, -3)` → 2026-03-31.
 */
export function shiftMonthsEom(date: LocalDate, n: number): LocalDate {
  const shifted = addMonths(date, n);
  return isMonthEnd(date) ? { ...shifted, d: daysInMonth(shifted.y, shifted.m) } : shifted;
}

/** Day of week with Monday = 0 … Sunday = 6. */
export function weekdayMon0(date: LocalDate): number {
  return (new Date(utcMs(date.y, date.m, date.d)).getUTCDay() + 6) % 7;
}

/** Monday on or before `date`: weeks start on Monday. */
export function startOfWeek(date: LocalDate): LocalDate {
  return addDays(date, -weekdayMon0(date));
}

/** True when y-m-d names a real day. */
export function isValidDate(y: number, m: number, d: number): boolean {
  return Number.isInteger(y) && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

export function sameDate(a: LocalDate, b: LocalDate): boolean {
  return a.y === b.y && a.m === b.m && a.d === b.d;
}

const pad = (n: number, width: number): string => String(n).padStart(width, "0");

/** ISO form: `formatDate({ y: 2026, m: 9, d: 1 })` → "2026-09-01". */
export function formatDate(date: LocalDate): string {
  return `${pad(date.y, 4)}-${pad(date.m, 2)}-${pad(date.d, 2)}`;
}

/** ISO month: "2026-09". */
export function formatMonth(date: LocalDate): string {
  return `${pad(date.y, 4)}-${pad(date.m, 2)}`;
}

/** Fiscal year (named by the calendar year it starts in) containing `date`. */
export function fiscalYearOf(date: LocalDate, fiscalStartMonth: number): number {
  return date.m >= fiscalStartMonth ? date.y : date.y - 1;
}

/** Fiscal quarter 1-4 containing `date`. */
export function fiscalQuarterOf(date: LocalDate, fiscalStartMonth: number): number {
  return Math.floor((((date.m - fiscalStartMonth) % 12) + 12) % 12 / 3) + 1;
}

/** First day of fiscal year `fy`. */
export function fiscalYearStart(fy: number, fiscalStartMonth: number): LocalDate {
  return { y: fy, m: fiscalStartMonth, d: 1 };
}

/** First day of quarter `q` of fiscal year `fy`. */
export function fiscalQuarterStart(fy: number, q: number, fiscalStartMonth: number): LocalDate {
  return addMonths(fiscalYearStart(fy, fiscalStartMonth), 3 * (q - 1));
}
