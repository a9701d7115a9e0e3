import {
  addDays,
  addMonths,
  fiscalQuarterOf,
  fiscalQuarterStart,
  fiscalYearOf,
  fiscalYearStart,
  formatDate,
  formatMonth,
  sameDate,
  type LocalDate,
} from "../time/calendar.ts";
import { makeZone } from "../time/zone.ts";
import type { Period } from "./schema.ts";

/**
 * The shortest text the parser reads back as `period` (with the same time zone and fiscal start),
 * for follow-up buttons and digests: "2026-09", "q3-2026", "2026", "fy2026", "2026-09-15", else
 * "2026-07-01..2026-09-30". Months, quarters, years (calendar or fiscal), days and ranges read
 * back as the same period, label and grain included; weeks, to-date and "last N" periods as a
 * range of the same days.
 */
export function periodToken(period: Period, timeZone: string, fiscalYearStartMonth = 1): string {
  const zone = makeZone(timeZone);
  const start = zone.dateAt(period.start);
  const end = zone.dateAt(period.end);
  const f = fiscalYearStartMonth;
  const spans = (months: number) => start.d === 1 && sameDate(end, addMonths(start, months));
  const is = (first: LocalDate) => sameDate(start, first);
  const fy = fiscalYearOf(start, f);
  switch (period.grain) {
    case "day":
      if (sameDate(end, addDays(start, 1))) return formatDate(start);
      break;
    case "month":
      if (spans(1)) return formatMonth(start);
      break;
    case "quarter": {
      // The lexer reads "q3-2026" as Q3 of fiscal year 2026: calendar and fiscal alike.
      const q = fiscalQuarterOf(start, f);
      if (spans(3) && is(fiscalQuarterStart(fy, q, f))) return `q${q}-${fy}`;
      break;
    }
    case "year":
      if (spans(12) && is(fiscalYearStart(fy, f))) return f === 1 ? String(fy) : `fy${fy}`;
      break;
  }
  const lastDay = zone.dateAt(new Date(period.end.getTime() - 1));
  return `${formatDate(start)}..${formatDate(lastDay)}`;
}
