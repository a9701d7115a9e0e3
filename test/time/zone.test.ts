import { describe, expect, it } from "vitest";
import { isTimeZone, localDate, localEndDate, localStamp, makeZone } from "../../src/time/zone.ts";

const t = (s: string) => new Date(s);

describe("time zones", () => {
  it("knows IANA names in any letter case, and refuses others", () => {
    expect(["UTC", "Etc/UTC", "Asia/Shanghai", "america/new_york"].map(isTimeZone)).toEqual([true, true, true, true]);
    expect(["", "Mars/Olympus", "UTC+8"].map(isTimeZone)).toEqual([false, false, false]);
  });

  it("gives the local date of an instant", () => {
    expect(localDate(t("2026-06-30T16:00:00Z"), "Asia/Shanghai")).toBe("2026-07-01");
    expect(localDate(t("2026-06-30T16:00:00Z"), "UTC")).toBe("2026-06-30");
    expect(localDate(t("2026-07-01T03:59:59Z"), "America/New_York")).toBe("2026-06-30");
    expect(localDate(t("2026-07-01T04:00:00Z"), "America/New_York")).toBe("2026-07-01");
  });

  it("ends a window on the end's date at local midnight, on the day after otherwise", () => {
    expect(localEndDate(t("2026-07-31T16:00:00Z"), "Asia/Shanghai")).toBe("2026-08-01");
    expect(localEndDate(t("2026-07-15T10:00:00Z"), "Asia/Shanghai")).toBe("2026-07-16");
    expect(localEndDate(t("2026-08-01T00:00:00Z"), "UTC")).toBe("2026-08-01");
    expect(localEndDate(t("2026-12-31T12:00:00Z"), "UTC")).toBe("2027-01-01");
  });

  it("finds local midnight, also where a DST jump skips it (Santiago, 6 Sep 2026)", () => {
    expect(makeZone("Asia/Shanghai").startOfDay({ y: 2026, m: 7, d: 1 })).toEqual(t("2026-06-30T16:00:00Z"));
    // Clocks jump from 00:00 to 01:00 at -04:00: the day begins at 01:00 -03:00.
    expect(makeZone("America/Santiago").startOfDay({ y: 2026, m: 9, d: 6 })).toEqual(t("2026-09-06T04:00:00Z"));
  });

  it("places a wall time skipped by spring forward after the gap, a repeated one at its first occurrence", () => {
    const ny = makeZone("America/New_York");
    // 8 Mar 2026: 02:00 → 03:00. 02:30 does not happen; it reads as 03:30 EDT.
    expect(ny.instantAt({ y: 2026, m: 3, d: 8 }, 2, 30)).toEqual(t("2026-03-08T07:30:00Z"));
    // 1 Nov 2026: 01:30 happens at -04:00 and again at -05:00.
    expect(ny.instantAt({ y: 2026, m: 11, d: 1 }, 1, 30)).toEqual(t("2026-11-01T05:30:00Z"));
    expect(ny.offsetAt(t("2026-07-01T00:00:00Z"))).toBe(-4 * 3_600_000);
  });

  it("reads UTC from the Date's own fields: the same zone object every time", () => {
    expect(makeZone("UTC")).toBe(makeZone("UTC"));
    expect(makeZone("UTC").dateAt(t("2026-12-31T23:59:59Z"))).toEqual({ y: 2026, m: 12, d: 31 });
    expect(makeZone("Etc/UTC").startOfDay({ y: 2026, m: 1, d: 1 })).toEqual(t("2026-01-01T00:00:00Z"));
  });

  it("writes a local date and time to the minute, as Intl does", () => {
    expect(localStamp(t("2026-11-30T01:00:00Z"), "Asia/Shanghai")).toBe("2026-11-30 09:00");
    expect(localStamp(t("2026-11-01T05:59:59.999Z"), "America/New_York")).toBe("2026-11-01 01:59");
    expect(localStamp(t("2026-11-01T06:00:00Z"), "America/New_York")).toBe("2026-11-01 01:00");
    const intl = (d: Date, timeZone: string) =>
      new Intl.DateTimeFormat("sv-SE", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(d);
    for (const timeZone of ["UTC", "Asia/Kolkata", "America/Santiago", "Pacific/Chatham", "Europe/Berlin"]) {
      for (let ms = Date.parse("2026-01-01T00:00:00Z"); ms < Date.parse("2027-01-01T00:00:00Z"); ms += 3_601_234 * 7) {
        expect([timeZone, localStamp(new Date(ms), timeZone)]).toEqual([timeZone, intl(new Date(ms), timeZone)]);
      }
    }
  });
});
