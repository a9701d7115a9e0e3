import {
  addDays,
  addMonths,
  daysBetween,
  fiscalQuarterOf,
  fiscalQuarterStart,
  fiscalYearOf,
  fiscalYearStart,
  formatDate,
  formatMonth,
  sameDate,
  shiftMonthsEom,
  startOfWeek,
  weekdayMon0,
  type LocalDate,
} from "../time/calendar.ts";
import { CalendarContext, type CalendarContextInput, type Grain, type Period } from "./schema.ts";
import type { Unit } from "./vocabulary.ts";
import { makeZone, type Zone } from "../time/zone.ts";

/**
 * A period as the user wrote it, before it meets a clock and a calendar.
 * Conventions: weeks start on Monday; fiscal year N starts in calendar year N on the
 * fiscal start month; a bare `q3` is Q3 of the current fiscal year; a bare month name is
 * that month of the current calendar year; `last N days` ends today (inclusive).
 */
export type PeriodSpec =
  | { kind: "relative"; unit: Unit; offset: number }
  | { kind: "toDate"; unit: "month" | "quarter" | "year" }
  | { kind: "lastN"; n: number; unit: "day" | "week" | "month" }
  | { kind: "quarter"; q: number; fy?: number }
  | { kind: "month"; month: number; year?: number }
  | { kind: "year"; fy: number }
  | { kind: "day"; date: LocalDate }
  | { kind: "range"; from: LocalDate; to: LocalDate };

/** Everything resolution needs: today's local date, the zone and the fiscal start month. */
export type Calendar = { readonly today: LocalDate; readonly zone: Zone; readonly fiscalStartMonth: number };

/** A period in local dates, `end` exclusive. */
type Span = { start: LocalDate; end: LocalDate; grain: Grain; label: string };

const MONTHS_PER: Readonly<Record<"month" | "quarter" | "year", number>> = { month: 1, quarter: 3, year: 12 };

/** Start of the calendar unit (weeks Monday, quarters and years fiscal) containing `date`. */
function unitStart(unit: Unit, date: LocalDate, fiscalStartMonth: number): LocalDate {
  switch (unit) {
    case "day":
      return date;
    case "week":
      return startOfWeek(date);
    case "month":
      return { y: date.y, m: date.m, d: 1 };
    case "quarter":
      return fiscalQuarterStart(fiscalYearOf(date, fiscalStartMonth), fiscalQuarterOf(date, fiscalStartMonth), fiscalStartMonth);
    case "year":
      return fiscalYearStart(fiscalYearOf(date, fiscalStartMonth), fiscalStartMonth);
  }
}

/** The unit after `start`: exclusive end of the unit beginning at `start`. */
function unitEnd(unit: Unit, start: LocalDate): LocalDate {
  switch (unit) {
    case "day":
      return addDays(start, 1);
    case "week":
      return addDays(start, 7);
    default:
      return addMonths(start, MONTHS_PER[unit]);
  }
}

/** Shifts a unit start by `n` units. */
function shiftUnit(unit: Unit, start: LocalDate, n: number): LocalDate {
  switch (unit) {
    case "day":
      return addDays(start, n);
    case "week":
      return addDays(start, 7 * n);
    default:
      return addMonths(start, MONTHS_PER[unit] * n);
  }
}

/**
 * Label of the whole unit starting at `start`.
 * Example: quarter starting 2026-04-01 with fiscal start 4 → "FY2026 Q1"; with 1 → "Q2 2026".
 */
export function unitLabel(unit: Unit, start: LocalDate, fiscalStartMonth: number): string {
  const fy = fiscalYearOf(start, fiscalStartMonth);
  const calendarYears = fiscalStartMonth === 1;
  switch (unit) {
    case "day":
      return formatDate(start);
    case "week":
      return `week of ${formatDate(start)}`;
    case "month":
      return formatMonth(start);
    case "quarter": {
      const q = fiscalQuarterOf(start, fiscalStartMonth);
      return calendarYears ? `Q${q} ${fy}` : `FY${fy} Q${q}`;
    }
    case "year":
      return calendarYears ? `${fy}` : `FY${fy}`;
  }
}

/** "2026-07-01..2026-09-30": first and last day, both inclusive. */
export function rangeLabel(start: LocalDate, endExclusive: LocalDate): string {
  return `${formatDate(start)}..${formatDate(addDays(endExclusive, -1))}`;
}

/** True when [start, end) is exactly one unit of `grain` as the calendar counts it. */
function isWholeUnit(grain: Grain, start: LocalDate, end: LocalDate, fiscalStartMonth: number): boolean {
  if (grain === "range") return false;
  if (grain === "week" && weekdayMon0(start) !== 0) return false;
  return sameDate(unitStart(grain, start, fiscalStartMonth), start) && sameDate(unitEnd(grain, start), end);
}

function labelSpan(grain: Grain, start: LocalDate, end: LocalDate, fiscalStartMonth: number): string {
  return grain !== "range" && isWholeUnit(grain, start, end, fiscalStartMonth)
    ? unitLabel(grain, start, fiscalStartMonth)
    : rangeLabel(start, end);
}

function toPeriod(span: Span, zone: Zone): Period {
  return { start: zone.startOfDay(span.start), end: zone.startOfDay(span.end), label: span.label, grain: span.grain };
}

const TO_DATE_SUFFIX = { year: "YTD", quarter: "QTD", month: "MTD" } as const;

function resolveSpan(spec: PeriodSpec, cal: Calendar): Span {
  const f = cal.fiscalStartMonth;
  const whole = (grain: Unit, start: LocalDate): Span => ({
    start,
    end: unitEnd(grain, start),
    grain,
    label: unitLabel(grain, start, f),
  });
  switch (spec.kind) {
    case "relative":
      return whole(spec.unit, shiftUnit(spec.unit, unitStart(spec.unit, cal.today, f), spec.offset));
    case "toDate": {
      const start = unitStart(spec.unit, cal.today, f);
      return {
        start,
        end: addDays(cal.today, 1),
        grain: spec.unit,
        label: `${unitLabel(spec.unit, start, f)} ${TO_DATE_SUFFIX[spec.unit]}`,
      };
    }
    case "lastN": {
      const end = addDays(cal.today, 1);
      const start = spec.unit === "day" ? addDays(end, -spec.n) : spec.unit === "week" ? addDays(end, -7 * spec.n) : addMonths(end, -spec.n);
      const label = spec.n === 1 ? `past ${spec.unit}` : `last ${spec.n} ${spec.unit}s`;
      return { start, end, grain: "range", label };
    }
    case "quarter":
      return whole("quarter", fiscalQuarterStart(spec.fy ?? fiscalYearOf(cal.today, f), spec.q, f));
    case "month":
      return whole("month", { y: spec.year ?? cal.today.y, m: spec.month, d: 1 });
    case "year":
      return whole("year", fiscalYearStart(spec.fy, f));
    case "day":
      return whole("day", spec.date);
    case "range": {
      const end = addDays(spec.to, 1);
      return { start: spec.from, end, grain: "range", label: rangeLabel(spec.from, end) };
    }
  }
}

/** Resolves a written period against today's date in the workspace calendar. */
export function resolvePeriod(spec: PeriodSpec, cal: Calendar): Period {
  return toPeriod(resolveSpan(spec, cal), cal.zone);
}

/** The calendar at instant `now`: today's local date, the zone and the fiscal start month. */
export function calendarAt(now: Date, ctx: CalendarContextInput): Calendar {
  const { timeZone, fiscalYearStartMonth } = CalendarContext.parse(ctx);
  const zone = makeZone(timeZone);
  return { today: zone.dateAt(now), zone, fiscalStartMonth: fiscalYearStartMonth };
}

/**
 * The whole `unit` containing `now`, shifted by `offset` units: what "this month" (0) or
 * "last week" (-1) read as at `now`. Example: `unitPeriod("month", 0, 2026-12-06, UTC)` → 2026-12.
 */
export function unitPeriod(unit: Unit, offset: number, now: Date, ctx: CalendarContextInput): Period {
  return resolvePeriod({ kind: "relative", unit, offset }, calendarAt(now, ctx));
}

/** The calendar month containing `now` in the workspace's zone: the period of a command without one. */
export function currentMonth(now: Date, ctx: CalendarContextInput): Period {
  return unitPeriod("month", 0, now, ctx);
}

/**
 * The period before `period`, for comparisons.
 * - day, week, range (incl. `last N days`): the same number of days immediately before.
 * - month, quarter, year: the previous calendar unit; a to-date period (ytd, qtd, mtd) gives the
 *   same stretch of the previous unit (YTD to 26 Nov → last year's YTD to 26 Nov; month ends
 *   stay month ends).
 * Lengths count local days, so a week across a DST change is still a week.
 * Example: previous(Q3 2026) → Q2 2026; previous(last 30 days) → the 30 days before those.
 */
export function previous(period: Period, ctx: CalendarContextInput): Period {
  const { timeZone, fiscalYearStartMonth: f } = CalendarContext.parse(ctx);
  const zone = makeZone(timeZone);
  const start = zone.dateAt(period.start);
  const end = zone.dateAt(period.end);
  const { grain } = period;
  if (grain === "month" || grain === "quarter" || grain === "year") {
    const months = MONTHS_PER[grain];
    const prevStart = addMonths(start, -months);
    const prevEnd = addDays(shiftMonthsEom(addDays(end, -1), -months), 1);
    return toPeriod({ start: prevStart, end: prevEnd, grain, label: labelSpan(grain, prevStart, prevEnd, f) }, zone);
  }
  const days = Math.max(1, daysBetween(start, end));
  const prevStart = addDays(start, -days);
  return toPeriod({ start: prevStart, end: start, grain, label: labelSpan(grain, prevStart, start, f) }, zone);
}

/**
 * The days `from`..`to` (local dates "YYYY-MM-DD", both included) as a period in the workspace
 * calendar, named as a whole month, quarter or year where it is one (a quota's period).
 * Example: `datesPeriod("2026-10-01", "2026-12-31", { timeZone: "UTC" })` → "Q4 2026".
 */
export function datesPeriod(from: string, to: string, ctx: CalendarContextInput): Period {
  const { timeZone, fiscalYearStartMonth: f } = CalendarContext.parse(ctx);
  const read = (s: string): LocalDate => {
    const [y, m, d] = s.split("-").map(Number);
    return { y: y!, m: m!, d: d! };
  };
  const start = read(from);
  const end = addDays(read(to), 1);
  const grain = (["month", "quarter", "year"] as const).find((g) => isWholeUnit(g, start, end, f)) ?? "range";
  return toPeriod({ start, end, grain, label: labelSpan(grain, start, end, f) }, makeZone(timeZone));
}
