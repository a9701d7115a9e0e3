import { describe, expect, it } from "vitest";
import { denseSeries } from "../../src/insights/query.ts";

const d = (s: string) => new Date(`${s}T00:00:00Z`);

describe("denseSeries", () => {
  const window = { start: d("2026-07-01"), end: d("2026-08-01"), timeZone: "UTC" };
  it("fills empty weeks with 0 for additive metrics, from the week containing the start (Mon 06-29)", () => {
    const out = denseSeries([{ bucket: d("2026-07-06"), value: 5 }, { bucket: d("2026-07-27"), value: 7 }], window, "week", true);
    expect(out.map((p) => [p.bucket.toISOString().slice(0, 10), p.value])).toEqual([
      ["2026-06-29", 0], ["2026-07-06", 5], ["2026-07-13", 0], ["2026-07-20", 0], ["2026-07-27", 7],
    ]);
  });
  it("leaves empty weeks unknown for ratios", () => {
    const out = denseSeries([{ bucket: d("2026-07-06"), value: 0.5 }], window, "week", false);
    expect(out.map((p) => p.value)).toEqual([null, 0.5, null, null, null]);
  });
  it("uses local weeks in the workspace time zone", () => {
    // 2026-06-30T16:00Z is 07-01 00:00 in Shanghai: the first bucket is still Mon 06-29.
    const sh = { start: new Date("2026-06-30T16:00:00Z"), end: new Date("2026-07-31T16:00:00Z"), timeZone: "Asia/Shanghai" };
    expect(denseSeries([], sh, "week", true).map((p) => p.bucket.toISOString().slice(0, 10))).toEqual(["2026-06-29", "2026-07-06", "2026-07-13", "2026-07-20", "2026-07-27"]);
  });
  it("buckets a year by month", () => {
    const y = { start: d("2026-01-01"), end: d("2027-01-01"), timeZone: "UTC" };
    expect(denseSeries([], y, "month", true)).toHaveLength(12);
  });
});
