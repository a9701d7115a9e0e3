import { describe, expect, it } from "vitest";
import {
  addMonths,
  daysInMonth,
  fiscalQuarterOf,
  fiscalYearOf,
  shiftMonthsEom,
  startOfWeek,
  weekdayMon0,
} from "../../src/time/calendar.ts";

const d = (y: number, m: number, day: number) => ({ y, m, d: day });

describe("calendar arithmetic", () => {
  it("knows leap years, including the century rules", () => {
    expect([daysInMonth(2024, 2), daysInMonth(2023, 2), daysInMonth(1900, 2), daysInMonth(2000, 2)]).toEqual([29, 28, 28, 29]);
  });

  it("clamps the day when adding months", () => {
    expect(addMonths(d(2024, 3, 31), -1)).toEqual(d(2024, 2, 29));
    expect(addMonths(d(2026, 1, 31), 1)).toEqual(d(2026, 2, 28));
    expect(addMonths(d(2026, 11, 15), 3)).toEqual(d(2027, 2, 15));
  });

  it("keeps month ends on month ends when shifting", () => {
    expect(shiftMonthsEom(d(2026, 6, 30), -3)).toEqual(d(2026, 3, 31));
    expect(shiftMonthsEom(d(2025, 2, 28), -12)).toEqual(d(2024, 2, 29));
    expect(shiftMonthsEom(d(2026, 6, 29), -3)).toEqual(d(2026, 3, 29));
  });

  it("counts weekdays from Monday and starts weeks on Monday", () => {
    expect(weekdayMon0(d(2026, 11, 23))).toBe(0);
    expect(weekdayMon0(d(2026, 11, 29))).toBe(6);
    expect(startOfWeek(d(2027, 1, 2))).toEqual(d(2026, 12, 28));
  });

  it("names fiscal years by the calendar year they start in", () => {
    expect(fiscalYearOf(d(2026, 3, 31), 4)).toBe(2025);
    expect(fiscalYearOf(d(2026, 4, 1), 4)).toBe(2026);
    expect(fiscalQuarterOf(d(2026, 3, 31), 4)).toBe(4);
    expect(fiscalQuarterOf(d(2026, 12, 1), 10)).toBe(1);
    expect(fiscalQuarterOf(d(2026, 9, 30), 1)).toBe(3);
  });
});
