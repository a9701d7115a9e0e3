import { describe, expect, it } from "vitest";
import { DateReader, parseDateText } from "../../src/data/import/dates.ts";

function date(text: string, order?: "dmy" | "mdy") {
  const r = parseDateText(text, order);
  if (!r.ok) throw new Error(`expected ${text} to parse: ${r.error}`);
  return r.value.date;
}

function refusal(text: string, order?: "dmy" | "mdy") {
  const r = parseDateText(text, order);
  if (r.ok) throw new Error(`expected ${text} to be refused`);
  return r.error;
}

function instant(text: string, timeZone = "UTC") {
  const r = new DateReader({ timeZone }).instant(text);
  if (!r.ok) throw new Error(`expected ${text} to parse: ${r.error}`);
  return r.value.toISOString();
}

describe("parseDateText", () => {
  it.each([
    ["2025-03-31", { y: 2025, m: 3, d: 31 }],
    ["2025/03/31", { y: 2025, m: 3, d: 31 }],
    ["2025.3.5", { y: 2025, m: 3, d: 5 }],
    ["31.03.2025", { y: 2025, m: 3, d: 31 }],
    ["05.04.2025", { y: 2025, m: 4, d: 5 }],
    ["03/31/2025", { y: 2025, m: 3, d: 31 }],
    ["31/03/2025", { y: 2025, m: 3, d: 31 }],
    ["31-03-2025", { y: 2025, m: 3, d: 31 }],
    ["05/05/2025", { y: 2025, m: 5, d: 5 }],
    ["2024-02-29", { y: 2024, m: 2, d: 29 }],
  ])("reads %s", (text, expected) => {
    expect(date(text)).toEqual(expected);
  });

  it("refuses a year-last date both readings allow, naming both ISO spellings", () => {
    expect(refusal("03/04/2025")).toBe(
      '"03/04/2025" is ambiguous (day/month or month/day?): write 2025-04-03 or 2025-03-04, or pass --date-order',
    );
  });

  it("reads ambiguous dates when the order is given, and then checks them", () => {
    expect(date("03/04/2025", "dmy")).toEqual({ y: 2025, m: 4, d: 3 });
    expect(date("03/04/2025", "mdy")).toEqual({ y: 2025, m: 3, d: 4 });
    expect(refusal("13/04/2025", "mdy")).toMatch(/no month 13/);
  });

  it.each([
    ["2025-02-29", /not a real date/],
    ["2025-13-01", /no month 13/],
    ["31.04.2025", /not a real date/],
    ["03/04/25", /two-digit year/],
    ["1850-01-01", /outside 1900–2100/],
    ["Mar 3, 2025", /not a date/],
    ["45678", /not a date/],
    ["2025-03-31 25:00", /impossible time/],
    ["2025-03-31 noon", /unreadable time/],
    ["13/13/2025", /no month 13/],
  ])("refuses %j", (text, message) => {
    expect(refusal(text)).toMatch(message);
  });
});

describe("DateReader.instant", () => {
  it("reads ISO datetimes with offsets exactly", () => {
    expect(instant("2025-03-31T10:30:00Z")).toBe("2025-03-31T10:30:00.000Z");
    expect(instant("2025-03-01T09:00:00+08:00")).toBe("2025-03-01T01:00:00.000Z");
    expect(instant("2025-03-01 09:00 -0500")).toBe("2025-03-01T14:00:00.000Z");
    expect(instant("2025-03-01T09:00:00.123456Z")).toBe("2025-03-01T09:00:00.123Z");
  });

  it("reads times without an offset as wall-clock time in the workspace zone", () => {
    expect(instant("2025-03-31", "UTC")).toBe("2025-03-31T00:00:00.000Z");
    expect(instant("2025-03-31", "America/New_York")).toBe("2025-03-31T04:00:00.000Z");
    expect(instant("2025-01-31 14:30", "America/New_York")).toBe("2025-01-31T19:30:00.000Z");
    expect(instant("2025-06-30 08:00", "Asia/Shanghai")).toBe("2025-06-30T00:00:00.000Z");
    // Either side of Europe/Berlin's switch to summer time on 2025-03-30.
    expect(instant("2025-03-29 12:00", "Europe/Berlin")).toBe("2025-03-29T11:00:00.000Z");
    expect(instant("2025-03-31 12:00", "Europe/Berlin")).toBe("2025-03-31T10:00:00.000Z");
  });

  it("reads a wall time a DST change repeats or skips as periods and schedules do", () => {
    // Repeated: the first occurrence (summer time), west and east of UTC.
    expect(instant("2026-11-01 01:30", "America/New_York")).toBe("2026-11-01T05:30:00.000Z");
    expect(instant("2026-10-25 02:30:15.250", "Europe/Berlin")).toBe("2026-10-25T00:30:15.250Z");
    // Skipped: shifted forward by the gap (02:30 → 03:30 summer time).
    expect(instant("2026-03-08 02:30", "America/New_York")).toBe("2026-03-08T07:30:00.000Z");
    expect(instant("2026-03-29 02:30", "Europe/Berlin")).toBe("2026-03-29T01:30:00.000Z");
    // Milliseconds next to a change.
    expect(instant("2026-03-08 03:00:00.001", "America/New_York")).toBe("2026-03-08T07:00:00.001Z");
  });

  it("reads 12-hour clock times", () => {
    expect(instant("3/31/2025 2:30 PM")).toBe("2025-03-31T14:30:00.000Z");
    expect(instant("3/31/2025 12:05 am")).toBe("2025-03-31T00:05:00.000Z");
  });

  it("holds a column to the day/month order its first deciding date showed, and reads later ambiguous ones that way", () => {
    const reader = new DateReader({ timeZone: "UTC" });
    expect(reader.instant("31/03/2025").ok).toBe(true);
    expect(reader.instant("05/05/2025").ok).toBe(true);
    expect(reader.instant("03/04/2025")).toEqual({ ok: true, value: new Date("2025-04-03T00:00:00Z") });
    // Another column decides for itself.
    expect(reader.instant("03/31/2025", "closed_at").ok).toBe(true);
    const r = reader.instant("03/31/2025");
    expect(r).toEqual({
      ok: false,
      error: '"03/31/2025" only reads as month/day, but other dates in this column read as day/month (e.g. "31/03/2025"); use YYYY-MM-DD',
    });
  });
});

describe("DateReader.calendarDate", () => {
  it("returns YYYY-MM-DD and accepts a midnight time", () => {
    const reader = new DateReader({ timeZone: "Asia/Shanghai" });
    expect(reader.calendarDate("15.04.2025")).toEqual({ ok: true, value: "2025-04-15" });
    expect(reader.calendarDate("2025-04-15 00:00:00")).toEqual({ ok: true, value: "2025-04-15" });
    expect(reader.calendarDate("2025-04-15 13:00")).toMatchObject({ ok: false });
  });
});
