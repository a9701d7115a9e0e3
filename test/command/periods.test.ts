import { describe, expect, it } from "vitest";
import { parseCommand, previous } from "../../src/command/index.ts";
import { at, periodOf, query, show, span } from "./support.ts";

// Thursday 26 November 2026, 10:00 UTC. Weeks start on Monday 23 November.
const utc = at("2026-11-26T10:00:00Z");

describe("period forms in UTC on Thursday 2026-11-26", () => {
  const cases: [string, ReturnType<typeof span>][] = [
    ["today", span("2026-11-26", "2026-11-27", "2026-11-26", "day")],
    ["yesterday", span("2026-11-25", "2026-11-26", "2026-11-25", "day")],
    ["this week", span("2026-11-23", "2026-11-30", "week of 2026-11-23", "week")],
    ["last week", span("2026-11-16", "2026-11-23", "week of 2026-11-16", "week")],
    ["this month", span("2026-11-01", "2026-12-01", "2026-11", "month")],
    ["last month", span("2026-10-01", "2026-11-01", "2026-10", "month")],
    ["this quarter", span("2026-10-01", "2027-01-01", "Q4 2026", "quarter")],
    ["last quarter", span("2026-07-01", "2026-10-01", "Q3 2026", "quarter")],
    ["this year", span("2026-01-01", "2027-01-01", "2026", "year")],
    ["last year", span("2025-01-01", "2026-01-01", "2025", "year")],
    ["next quarter", span("2027-01-01", "2027-04-01", "Q1 2027", "quarter")],
    ["last-quarter", span("2026-07-01", "2026-10-01", "Q3 2026", "quarter")],
    ["this-month", span("2026-11-01", "2026-12-01", "2026-11", "month")],
    ["this-year", span("2026-01-01", "2027-01-01", "2026", "year")],
    ["last-week", span("2026-11-16", "2026-11-23", "week of 2026-11-16", "week")],
    ["ytd", span("2026-01-01", "2026-11-27", "2026 YTD", "year")],
    ["year to date", span("2026-01-01", "2026-11-27", "2026 YTD", "year")],
    ["qtd", span("2026-10-01", "2026-11-27", "Q4 2026 QTD", "quarter")],
    ["mtd", span("2026-11-01", "2026-11-27", "2026-11 MTD", "month")],
    ["q3", span("2026-07-01", "2026-10-01", "Q3 2026", "quarter")],
    ["q3-2026", span("2026-07-01", "2026-10-01", "Q3 2026", "quarter")],
    ["2026-q3", span("2026-07-01", "2026-10-01", "Q3 2026", "quarter")],
    ["Q3 2026", span("2026-07-01", "2026-10-01", "Q3 2026", "quarter")],
    ["2025 q1", span("2025-01-01", "2025-04-01", "Q1 2025", "quarter")],
    ["2026-09", span("2026-09-01", "2026-10-01", "2026-09", "month")],
    ["september 2026", span("2026-09-01", "2026-10-01", "2026-09", "month")],
    ["march", span("2026-03-01", "2026-04-01", "2026-03", "month")],
    ["2026", span("2026-01-01", "2027-01-01", "2026", "year")],
    ["fy2025", span("2025-01-01", "2026-01-01", "2025", "year")],
    ["2026-09-15", span("2026-09-15", "2026-09-16", "2026-09-15", "day")],
    ["2026-07-01..2026-09-30", span("2026-07-01", "2026-10-01", "2026-07-01..2026-09-30", "range")],
    ["2026-07-01 to 2026-09-30", span("2026-07-01", "2026-10-01", "2026-07-01..2026-09-30", "range")],
    ["from 2026-07-01 - 2026-09-30", span("2026-07-01", "2026-10-01", "2026-07-01..2026-09-30", "range")],
    ["between 2026-07-01 and 2026-08-15", span("2026-07-01", "2026-08-16", "2026-07-01..2026-08-15", "range")],
    ["2026-07..2026-09", span("2026-07-01", "2026-10-01", "2026-07-01..2026-09-30", "range")],
    ["last 30 days", span("2026-10-28", "2026-11-27", "last 30 days", "range")],
    ["last-30-days", span("2026-10-28", "2026-11-27", "last 30 days", "range")],
    ["past 7 days", span("2026-11-20", "2026-11-27", "last 7 days", "range")],
    ["last 2 weeks", span("2026-11-13", "2026-11-27", "last 2 weeks", "range")],
    ["last 3 months", span("2026-08-27", "2026-11-27", "last 3 months", "range")],
    ["past week", span("2026-11-20", "2026-11-27", "past week", "range")],
  ];
  it.each(cases)("reads %s", (text, expected) => {
    expect(periodOf(text, utc)).toEqual(expected);
  });

  it("puts 'this quarter' at the whole quarter, not truncated to now", () => {
    expect(periodOf("this quarter", utc)?.end).toBe("2027-01-01T00:00:00.000Z");
  });

  it("reads 'q4 2027' as a quarter in the future", () => {
    expect(periodOf("q4 2027", utc)).toEqual(span("2027-10-01", "2028-01-01", "Q4 2027", "quarter"));
  });

  it("leaves the period undefined when none is given", () => {
    expect(query("sales", utc).period).toBeUndefined();
  });
});

describe("Chinese period words", () => {
  const cases: [string, ReturnType<typeof span>][] = [
    ["今天", span("2026-11-26", "2026-11-27", "2026-11-26", "day")],
    ["昨天", span("2026-11-25", "2026-11-26", "2026-11-25", "day")],
    ["本周", span("2026-11-23", "2026-11-30", "week of 2026-11-23", "week")],
    ["上周", span("2026-11-16", "2026-11-23", "week of 2026-11-16", "week")],
    ["本月", span("2026-11-01", "2026-12-01", "2026-11", "month")],
    ["上月", span("2026-10-01", "2026-11-01", "2026-10", "month")],
    ["上个月", span("2026-10-01", "2026-11-01", "2026-10", "month")],
    ["本季度", span("2026-10-01", "2027-01-01", "Q4 2026", "quarter")],
    ["上季度", span("2026-07-01", "2026-10-01", "Q3 2026", "quarter")],
    ["今年", span("2026-01-01", "2027-01-01", "2026", "year")],
    ["去年", span("2025-01-01", "2026-01-01", "2025", "year")],
    ["年初至今", span("2026-01-01", "2026-11-27", "2026 YTD", "year")],
    ["最近30天", span("2026-10-28", "2026-11-27", "last 30 days", "range")],
    ["最近两周", span("2026-11-13", "2026-11-27", "last 2 weeks", "range")],
    ["2026年第3季度", span("2026-07-01", "2026-10-01", "Q3 2026", "quarter")],
    ["2026年第三季度", span("2026-07-01", "2026-10-01", "Q3 2026", "quarter")],
    ["2026年Q3", span("2026-07-01", "2026-10-01", "Q3 2026", "quarter")],
    ["第2季度", span("2026-04-01", "2026-07-01", "Q2 2026", "quarter")],
    ["2026年9月", span("2026-09-01", "2026-10-01", "2026-09", "month")],
    ["九月", span("2026-09-01", "2026-10-01", "2026-09", "month")],
    ["2025年", span("2025-01-01", "2026-01-01", "2025", "year")],
    ["2026年7月1日至2026年9月30日", span("2026-07-01", "2026-10-01", "2026-07-01..2026-09-30", "range")],
  ];
  it.each(cases)("reads %s", (text, expected) => {
    expect(periodOf(text, utc)).toEqual(expected);
  });
});

describe("leap years", () => {
  const leapDay = at("2024-02-29T12:00:00Z");

  it("reads today on 29 February as that day", () => {
    expect(periodOf("today", leapDay)).toEqual(span("2024-02-29", "2024-03-01", "2024-02-29", "day"));
  });

  it("gives February 2024 its 29 days", () => {
    expect(periodOf("this month", leapDay)).toEqual(span("2024-02-01", "2024-03-01", "2024-02", "month"));
  });

  it("reads last month from 31 March 2024 as the whole of February", () => {
    expect(periodOf("last month", at("2024-03-31T23:00:00Z"))).toEqual(span("2024-02-01", "2024-03-01", "2024-02", "month"));
  });

  it("reads last year from 29 February as the previous calendar year", () => {
    expect(periodOf("last year", leapDay)).toEqual(span("2023-01-01", "2024-01-01", "2023", "year"));
  });

  it("accepts 2024-02-29 as a date but refuses 2023-02-29, suggesting the 28th", () => {
    expect(periodOf("2024-02-29", leapDay)).toEqual(span("2024-02-29", "2024-03-01", "2024-02-29", "day"));
    expect(parseCommand("2023-02-29", leapDay)).toEqual({
      ok: false,
      error: { code: "bad_period", token: "2023-02-29", suggestions: ["2023-02-28"] },
      lang: "en",
    });
  });

  it("counts last 30 days back across 29 February", () => {
    expect(periodOf("last 30 days", at("2024-03-10T08:00:00Z"))).toEqual(span("2024-02-10", "2024-03-11", "last 30 days", "range"));
  });
});

describe("fiscal years starting in April", () => {
  const april = (now: string) => at(now, { fiscalYearStartMonth: 4 });
  const may2026 = april("2026-05-15T12:00:00Z");

  it("makes April-June the first quarter, labelled FY", () => {
    expect(periodOf("this quarter", may2026)).toEqual(span("2026-04-01", "2026-07-01", "FY2026 Q1", "quarter"));
  });

  it("makes January-March the last quarter of the previous fiscal year", () => {
    expect(periodOf("last quarter", may2026)).toEqual(span("2026-01-01", "2026-04-01", "FY2025 Q4", "quarter"));
  });

  it("reads q1-2026 as the first quarter of the fiscal year starting in 2026", () => {
    expect(periodOf("q1-2026", may2026)).toEqual(span("2026-04-01", "2026-07-01", "FY2026 Q1", "quarter"));
    expect(periodOf("q4-2026", may2026)).toEqual(span("2027-01-01", "2027-04-01", "FY2026 Q4", "quarter"));
  });

  it("reads a bare q4 as Q4 of the current fiscal year", () => {
    expect(periodOf("q4", may2026)).toEqual(span("2027-01-01", "2027-04-01", "FY2026 Q4", "quarter"));
  });

  it("reads 2026 and this year as April 2026 to March 2027", () => {
    expect(periodOf("2026", may2026)).toEqual(span("2026-04-01", "2027-04-01", "FY2026", "year"));
    expect(periodOf("this year", may2026)).toEqual(span("2026-04-01", "2027-04-01", "FY2026", "year"));
  });

  it("starts ytd at the fiscal year start", () => {
    expect(periodOf("ytd", may2026)).toEqual(span("2026-04-01", "2026-05-16", "FY2026 YTD", "year"));
  });

  it("puts February 2026 in fiscal year 2025", () => {
    const feb = april("2026-02-10T12:00:00Z");
    expect(periodOf("this year", feb)).toEqual(span("2025-04-01", "2026-04-01", "FY2025", "year"));
    expect(periodOf("this quarter", feb)).toEqual(span("2026-01-01", "2026-04-01", "FY2025 Q4", "quarter"));
  });

  it("keeps months on the calendar", () => {
    expect(periodOf("this month", may2026)).toEqual(span("2026-05-01", "2026-06-01", "2026-05", "month"));
  });
});

describe("fiscal years starting in October", () => {
  const october = (now: string) => at(now, { fiscalYearStartMonth: 10 });
  const nov2026 = october("2026-11-26T10:00:00Z");

  it("makes October-December the first quarter", () => {
    expect(periodOf("this quarter", nov2026)).toEqual(span("2026-10-01", "2027-01-01", "FY2026 Q1", "quarter"));
    expect(periodOf("last quarter", nov2026)).toEqual(span("2026-07-01", "2026-10-01", "FY2025 Q4", "quarter"));
  });

  it("reads q2 as January-March of the next calendar year", () => {
    expect(periodOf("q2", nov2026)).toEqual(span("2027-01-01", "2027-04-01", "FY2026 Q2", "quarter"));
  });

  it("reads this year and ytd from 1 October", () => {
    expect(periodOf("this year", nov2026)).toEqual(span("2026-10-01", "2027-10-01", "FY2026", "year"));
    expect(periodOf("ytd", nov2026)).toEqual(span("2026-10-01", "2026-11-27", "FY2026 YTD", "year"));
  });

  it("puts 30 September in the fiscal year that started the October before", () => {
    expect(periodOf("this year", october("2026-09-30T12:00:00Z"))).toEqual(span("2025-10-01", "2026-10-01", "FY2025", "year"));
  });

  it("reads 2026年第1季度 with the fiscal calendar too", () => {
    expect(periodOf("2026年第1季度", nov2026)).toEqual(span("2026-10-01", "2027-01-01", "FY2026 Q1", "quarter"));
  });
});

describe("time zones", () => {
  it("reads Asia/Shanghai's 1 October while UTC is still on 30 September", () => {
    const now = "2026-09-30T16:30:00Z";
    const shanghai = at(now, { timeZone: "Asia/Shanghai" });
    expect(periodOf("today", shanghai)).toEqual(span("2026-09-30T16:00:00Z", "2026-10-01T16:00:00Z", "2026-10-01", "day"));
    expect(periodOf("this month", shanghai)).toEqual(span("2026-09-30T16:00:00Z", "2026-10-31T16:00:00Z", "2026-10", "month"));
    expect(periodOf("this quarter", shanghai)).toEqual(span("2026-09-30T16:00:00Z", "2026-12-31T16:00:00Z", "Q4 2026", "quarter"));
    expect(periodOf("this quarter", at(now))).toEqual(span("2026-07-01", "2026-10-01", "Q3 2026", "quarter"));
  });

  it("gives a Los Angeles week across the March DST change 167 hours", () => {
    const la = at("2026-03-10T20:00:00Z", { timeZone: "America/Los_Angeles" });
    const p = periodOf("last week", la);
    expect(p).toEqual(span("2026-03-02T08:00:00Z", "2026-03-09T07:00:00Z", "week of 2026-03-02", "week"));
  });

  it("gives the Los Angeles spring-forward day 23 hours", () => {
    const la = at("2026-03-08T20:00:00Z", { timeZone: "America/Los_Angeles" });
    expect(periodOf("today", la)).toEqual(span("2026-03-08T08:00:00Z", "2026-03-09T07:00:00Z", "2026-03-08", "day"));
  });

  it("gives a Los Angeles week across the November DST change 169 hours", () => {
    const la = at("2026-11-02T20:00:00Z", { timeZone: "America/Los_Angeles" });
    expect(periodOf("last week", la)).toEqual(span("2026-10-26T07:00:00Z", "2026-11-02T08:00:00Z", "week of 2026-10-26", "week"));
  });

  it("uses the Los Angeles date late in the evening when UTC is already tomorrow", () => {
    const la = at("2026-11-27T06:00:00Z", { timeZone: "America/Los_Angeles" });
    expect(periodOf("today", la)).toEqual(span("2026-11-26T08:00:00Z", "2026-11-27T08:00:00Z", "2026-11-26", "day"));
  });

  it("reads Pacific/Kiritimati (UTC+14) a day ahead of UTC", () => {
    const now = "2026-11-23T10:30:00Z";
    const kiritimati = at(now, { timeZone: "Pacific/Kiritimati" });
    expect(periodOf("today", kiritimati)).toEqual(span("2026-11-23T10:00:00Z", "2026-11-24T10:00:00Z", "2026-11-24", "day"));
    expect(periodOf("this week", kiritimati)).toEqual(span("2026-11-22T10:00:00Z", "2026-11-29T10:00:00Z", "week of 2026-11-23", "week"));
    expect(periodOf("today", at(now))).toEqual(span("2026-11-23", "2026-11-24", "2026-11-23", "day"));
  });

  it("starts the new year in Kiritimati while UTC is still in the old one", () => {
    const kiritimati = at("2026-12-31T10:00:00Z", { timeZone: "Pacific/Kiritimati" });
    expect(periodOf("this year", kiritimati)).toEqual(span("2026-12-31T10:00:00Z", "2027-12-31T10:00:00Z", "2027", "year"));
  });

  it("starts a day skipped at midnight by DST at the first instant that exists", () => {
    // America/Santiago jumps from 00:00 to 01:00 on 6 September 2026.
    const santiago = at("2026-09-06T15:00:00Z", { timeZone: "America/Santiago" });
    expect(periodOf("today", santiago)).toEqual(span("2026-09-06T04:00:00Z", "2026-09-07T03:00:00Z", "2026-09-06", "day"));
  });
});

describe("a calendar day a zone skipped", () => {
  // Samoa moved across the date line: 2011-12-30 never happened in Pacific/Apia.
  const apia = at("2011-12-30T12:00:00Z", { timeZone: "Pacific/Apia" });

  it("reads today as 31 December, the day after 29 December", () => {
    expect(periodOf("today", apia)).toEqual(span("2011-12-30T10:00:00Z", "2011-12-31T10:00:00Z", "2011-12-31", "day"));
  });

  it("gives the skipped day as an empty period instead of failing", () => {
    expect(periodOf("yesterday", apia)).toEqual(span("2011-12-30T10:00:00Z", "2011-12-30T10:00:00Z", "2011-12-30", "day"));
  });
});

describe("week boundaries", () => {
  it("keeps Sunday 23:59 in the week that started the Monday before", () => {
    expect(periodOf("this week", at("2026-11-29T23:59:59Z"))).toEqual(span("2026-11-23", "2026-11-30", "week of 2026-11-23", "week"));
  });

  it("starts a new week at Monday 00:00", () => {
    expect(periodOf("this week", at("2026-11-30T00:00:00Z"))).toEqual(span("2026-11-30", "2026-12-07", "week of 2026-11-30", "week"));
  });

  it("starts the week at local Monday midnight in Shanghai", () => {
    const shanghai = at("2026-11-29T16:00:00Z", { timeZone: "Asia/Shanghai" });
    expect(periodOf("本周", shanghai)).toEqual(span("2026-11-29T16:00:00Z", "2026-12-06T16:00:00Z", "week of 2026-11-30", "week"));
  });

  it("reads last week from Saturday 2027-01-02 as the last full week of 2026", () => {
    const jan2 = at("2027-01-02T12:00:00Z");
    expect(periodOf("this week", jan2)).toEqual(span("2026-12-28", "2027-01-04", "week of 2026-12-28", "week"));
    expect(periodOf("last week", jan2)).toEqual(span("2026-12-21", "2026-12-28", "week of 2026-12-21", "week"));
    expect(periodOf("last month", jan2)).toEqual(span("2026-12-01", "2027-01-01", "2026-12", "month"));
    expect(periodOf("last quarter", jan2)).toEqual(span("2026-10-01", "2027-01-01", "Q4 2026", "quarter"));
  });
});

describe("previous()", () => {
  const prev = (text: string, ctx = utc) => {
    const period = query(text, ctx).period;
    if (!period) throw new Error(`no period in ${text}`);
    return show(previous(period, ctx));
  };

  it("gives the day before a day", () => {
    expect(prev("today")).toEqual(span("2026-11-25", "2026-11-26", "2026-11-25", "day"));
    expect(prev("2024-03-01")).toEqual(span("2024-02-29", "2024-03-01", "2024-02-29", "day"));
  });

  it("gives the week before a week", () => {
    expect(prev("this week")).toEqual(span("2026-11-16", "2026-11-23", "week of 2026-11-16", "week"));
  });

  it("gives the calendar month before a month, whatever its length", () => {
    expect(prev("2026-03")).toEqual(span("2026-02-01", "2026-03-01", "2026-02", "month"));
    expect(prev("2024-03")).toEqual(span("2024-02-01", "2024-03-01", "2024-02", "month"));
  });

  it("gives the quarter before a quarter, across the year", () => {
    expect(prev("q1-2026")).toEqual(span("2025-10-01", "2026-01-01", "Q4 2025", "quarter"));
    const april = at("2026-05-15T12:00:00Z", { fiscalYearStartMonth: 4 });
    expect(prev("this quarter", april)).toEqual(span("2026-01-01", "2026-04-01", "FY2025 Q4", "quarter"));
  });

  it("gives the year before a year", () => {
    expect(prev("2026")).toEqual(span("2025-01-01", "2026-01-01", "2025", "year"));
    const october = at("2026-11-26T10:00:00Z", { fiscalYearStartMonth: 10 });
    expect(prev("this year", october)).toEqual(span("2025-10-01", "2026-10-01", "FY2025", "year"));
  });

  it("gives a range the same number of days immediately before", () => {
    expect(prev("2026-07-01..2026-09-30")).toEqual(span("2026-03-31", "2026-07-01", "2026-03-31..2026-06-30", "range"));
    expect(prev("last 30 days")).toEqual(span("2026-09-28", "2026-10-28", "2026-09-28..2026-10-27", "range"));
  });

  it("gives year-to-date the same stretch of last year", () => {
    expect(prev("ytd")).toEqual(span("2025-01-01", "2025-11-27", "2025-01-01..2025-11-26", "year"));
  });

  it("keeps a to-date period ending on a month end on the month end", () => {
    // YTD to 28 Feb 2025 compares with YTD to 29 Feb 2024.
    expect(prev("ytd", at("2025-02-28T12:00:00Z"))).toEqual(span("2024-01-01", "2024-03-01", "2024-01-01..2024-02-29", "year"));
  });

  it("clamps month-to-date into a shorter month", () => {
    // 1-30 March 2024 → 1-29 February 2024, the whole month.
    expect(prev("mtd", at("2024-03-30T12:00:00Z"))).toEqual(span("2024-02-01", "2024-03-01", "2024-02", "month"));
  });

  it("counts local days, so the week before a DST week is still a calendar week", () => {
    const la = at("2026-11-09T20:00:00Z", { timeZone: "America/Los_Angeles" });
    expect(prev("last week", la)).toEqual(span("2026-10-26T07:00:00Z", "2026-11-02T08:00:00Z", "week of 2026-10-26", "week"));
  });

  it("uses the time zone it is given", () => {
    const shanghai = at("2026-11-26T10:00:00Z", { timeZone: "Asia/Shanghai" });
    expect(prev("this month", shanghai)).toEqual(span("2026-09-30T16:00:00Z", "2026-10-31T16:00:00Z", "2026-10", "month"));
  });
});
