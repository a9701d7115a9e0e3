import { describe, expect, it } from "vitest";
import { currentMonth, parseCommand, periodToken, previous, unitPeriod, type Period } from "../../src/command/index.ts";

type Ctx = { timeZone: string; fiscalYearStartMonth: number };

function parse(text: string, now: Date, ctx: Ctx): Period {
  const r = parseCommand(text, { now, ...ctx });
  if (!r.ok || r.command.kind !== "query" || !r.command.period) throw new Error(`no period in '${text}': ${JSON.stringify(r)}`);
  return r.command.period;
}

const ZONES = ["UTC", "Asia/Shanghai", "America/Los_Angeles", "America/Santiago", "Pacific/Kiritimati", "Europe/Berlin"];
const FISCAL = [1, 4, 10];
// Moments near edges: a month end, a DST change in LA and Santiago, a new year, a quarter start.
const NOWS = ["2026-11-30T23:30:00Z", "2026-03-08T10:00:00Z", "2026-09-06T15:00:00Z", "2026-01-01T03:00:00Z", "2026-04-01T00:00:00Z"].map((s) => new Date(s));

/** Periods with a name of their own: the token reads back as the same period, label and grain. */
const NAMED = [
  "this month", "last month", "2026-02", "march 2025", "this quarter", "last quarter", "q1", "q4-2025", "2026-q2",
  "this year", "last year", "2025", "fy2024", "today", "yesterday", "2026-09-15",
  "2026-03-01..2026-03-31", "2026-11-16..2026-11-22", "2025-12-20..2026-01-10", "2026-01-01..2026-03-31",
];
/** Periods without one (weeks, to-date, rolling): the token is a range of the same instants. */
const UNNAMED = ["this week", "last week", "ytd", "qtd", "mtd", "last 30 days", "last 3 months", "past week"];

describe("periodToken inverts the parser", () => {
  for (const timeZone of ZONES) {
    for (const fiscalYearStartMonth of FISCAL) {
      const ctx = { timeZone, fiscalYearStartMonth };
      it(`parse(token(p)) = p for named periods and their previous ones (${timeZone}, fiscal start ${fiscalYearStartMonth})`, () => {
        for (const now of NOWS) {
          for (const text of NAMED) {
            for (const p of [parse(text, now, ctx), previous(parse(text, now, ctx), ctx)]) {
              const token = periodToken(p, timeZone, fiscalYearStartMonth);
              expect({ text, token, period: parse(token, now, ctx) }).toEqual({ text, token, period: p });
            }
          }
        }
      });
      it(`reads back weeks, to-date and rolling periods as the same instants (${timeZone}, fiscal start ${fiscalYearStartMonth})`, () => {
        for (const now of NOWS) {
          for (const text of UNNAMED) {
            const p = parse(text, now, ctx);
            const back = parse(periodToken(p, timeZone, fiscalYearStartMonth), now, ctx);
            expect({ text, start: back.start, end: back.end }).toEqual({ text, start: p.start, end: p.end });
          }
        }
      });
    }
  }

  it("names calendar and fiscal units briefly", () => {
    const now = new Date("2026-11-30T12:00:00Z");
    const utc = { timeZone: "UTC", fiscalYearStartMonth: 1 };
    const fy4 = { timeZone: "UTC", fiscalYearStartMonth: 4 };
    expect(periodToken(parse("2026-09", now, utc), "UTC")).toBe("2026-09");
    expect(periodToken(parse("q3-2026", now, utc), "UTC")).toBe("q3-2026");
    expect(periodToken(parse("2025", now, utc), "UTC")).toBe("2025");
    expect(periodToken(parse("q1-2026", now, fy4), "UTC", 4)).toBe("q1-2026");
    expect(periodToken(parse("fy2025", now, fy4), "UTC", 4)).toBe("fy2025");
    expect(periodToken(parse("2026-09-15", now, utc), "UTC")).toBe("2026-09-15");
    expect(periodToken(parse("last 7 days", now, utc), "UTC")).toBe("2026-11-24..2026-11-30");
  });

  it("spells a to-date quarter that is not yet whole as a range, not as the whole quarter", () => {
    // QTD on 30 Nov runs 1 Oct – 30 Nov: two months, not Q4.
    const p = parse("qtd", new Date("2026-11-30T12:00:00Z"), { timeZone: "UTC", fiscalYearStartMonth: 1 });
    expect(periodToken(p, "UTC")).toBe("2026-10-01..2026-11-30");
  });
});

describe("computed periods", () => {
  it("currentMonth is what 'this month' reads as, in every zone and fiscal calendar", () => {
    for (const timeZone of ZONES) {
      for (const fiscalYearStartMonth of FISCAL) {
        for (const now of NOWS) {
          expect(currentMonth(now, { timeZone, fiscalYearStartMonth })).toEqual(parse("this month", now, { timeZone, fiscalYearStartMonth }));
        }
      }
    }
  });
  it("unitPeriod(unit, -1) is what 'last <unit>' reads as", () => {
    for (const timeZone of ZONES) {
      for (const now of NOWS) {
        for (const unit of ["day", "week", "month", "quarter", "year"] as const) {
          const ctx = { timeZone, fiscalYearStartMonth: 4 };
          expect(unitPeriod(unit, -1, now, ctx)).toEqual(parse(unit === "day" ? "yesterday" : `last ${unit}`, now, ctx));
        }
      }
    }
  });
  it("takes the month of the workspace's zone, not UTC's", () => {
    // 16:30 UTC on 30 Nov is already 1 Dec in Shanghai.
    const p = currentMonth(new Date("2026-11-30T16:30:00Z"), { timeZone: "Asia/Shanghai" });
    expect(p).toMatchObject({ label: "2026-12", grain: "month", start: new Date("2026-11-30T16:00:00Z"), end: new Date("2026-12-31T16:00:00Z") });
  });
});
