import cron from "node-cron";
import { describe, expect, it } from "vitest";
import { cronExpression, digestPeriod, firesBetween, nextFire, periodKey, type Schedule } from "../../src/digests/schedule.ts";

const iso = (d: Date) => d.toISOString();

describe("subscription schedules", () => {
  const monShanghai: Schedule = { cadence: "weekly", day: 1, time: "09:00", timeZone: "Asia/Shanghai" };

  it("fires at the local time in the subscription's zone", () => {
    // Monday 2026-11-30 09:00 in Shanghai = 01:00 UTC.
    expect(iso(nextFire(monShanghai, new Date("2026-11-26T12:00:00Z")))).toBe("2026-11-30T01:00:00.000Z");
    expect(cronExpression(monShanghai)).toBe("0 9 * * 1");
    expect(cronExpression({ cadence: "monthly", day: 15, time: "08:30", timeZone: "UTC" })).toBe("30 8 15 * *");
  });

  it("keeps 09:00 local across a DST change (New York, 2026-03-08 and 2026-11-01)", () => {
    const ny: Schedule = { cadence: "weekly", day: 1, time: "09:00", timeZone: "America/New_York" };
    const fires = firesBetween(ny, new Date("2026-02-28T00:00:00Z"), new Date("2026-03-17T00:00:00Z")).map(iso);
    // EST (UTC−5) before 8 March, EDT (UTC−4) after.
    expect(fires).toEqual(["2026-03-02T14:00:00.000Z", "2026-03-09T13:00:00.000Z", "2026-03-16T13:00:00.000Z"]);
    const autumn = firesBetween(ny, new Date("2026-10-25T00:00:00Z"), new Date("2026-11-10T00:00:00Z")).map(iso);
    expect(autumn).toEqual(["2026-10-26T13:00:00.000Z", "2026-11-02T14:00:00.000Z", "2026-11-09T14:00:00.000Z"]);
  });

  it("fires a time in the skipped hour shifted forward by the gap", () => {
    // 2026-03-08 02:30 does not exist in New York (02:00 → 03:00 EDT): fire at 03:30 EDT = 07:30 UTC.
    const skipped: Schedule = { cadence: "weekly", day: 7, time: "02:30", timeZone: "America/New_York" };
    expect(firesBetween(skipped, new Date("2026-03-07T00:00:00Z"), new Date("2026-03-09T00:00:00Z")).map(iso)).toEqual(["2026-03-08T07:30:00.000Z"]);
  });

  it("fires a time in the repeated hour once, at its first occurrence", () => {
    // 2026-11-01 01:30 happens twice in New York: 05:30 UTC (EDT) and 06:30 UTC (EST).
    const repeated: Schedule = { cadence: "weekly", day: 7, time: "01:30", timeZone: "America/New_York" };
    expect(firesBetween(repeated, new Date("2026-10-31T00:00:00Z"), new Date("2026-11-02T00:00:00Z")).map(iso)).toEqual(["2026-11-01T05:30:00.000Z"]);
  });

  it("agrees with node-cron's own next runs away from DST changes", () => {
    const task = cron.schedule(cronExpression(monShanghai), () => {}, { timezone: "Asia/Shanghai" });
    const next = task.getNextRun();
    expect(next && iso(next)).toBe(iso(nextFire(monShanghai, new Date())));
    void task.destroy();
  });

  it("a digest covers the period that just ended", () => {
    const fire = new Date("2026-11-30T01:00:00Z"); // Monday 09:00 Shanghai
    const week = digestPeriod(monShanghai, fire);
    expect([iso(week.start), iso(week.end)]).toEqual(["2026-11-22T16:00:00.000Z", "2026-11-29T16:00:00.000Z"]); // Mon 23 – Mon 30 local
    expect(periodKey(monShanghai, week)).toBe("W2026-11-23");
    const monthly: Schedule = { cadence: "monthly", day: 1, time: "09:00", timeZone: "UTC" };
    const month = digestPeriod(monthly, new Date("2026-12-01T09:00:00Z"));
    expect(month.label).toBe("2026-11");
    expect(periodKey(monthly, month)).toBe("M2026-11");
  });
});
