import { describe, expect, it } from "vitest";
import { addBuckets, bucketsCovering, bucketStart, denseSeries, localDay, nextBucketStart } from "../../src/time/buckets.ts";

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

describe("buckets", () => {
  it("starts weeks on ISO Mondays and months on the 1st", () => {
    // 2027-01-02 is a Saturday; 2026-11-23 a Monday; 2026-11-29 a Sunday.
    expect(bucketStart(d("2027-01-02"), "week")).toEqual(d("2026-12-28"));
    expect(bucketStart(d("2026-11-23"), "week")).toEqual(d("2026-11-23"));
    expect(bucketStart(d("2026-11-29"), "week")).toEqual(d("2026-11-23"));
    expect(bucketStart(new Date("2026-11-29T23:59:59Z"), "month")).toEqual(d("2026-11-01"));
    expect(bucketStart(new Date("2026-11-29T23:59:59Z"), "day")).toEqual(d("2026-11-29"));
  });
  it("rounds up to the next bucket start, keeping one that already is", () => {
    expect(nextBucketStart(d("2026-11-24"), "week")).toEqual(d("2026-11-30"));
    expect(nextBucketStart(d("2026-11-30"), "week")).toEqual(d("2026-11-30"));
    expect(nextBucketStart(d("2026-11-29"), "week")).toEqual(d("2026-11-30"));
    expect(nextBucketStart(d("2026-12-02"), "month")).toEqual(d("2027-01-01"));
    expect(nextBucketStart(d("2026-12-01"), "month")).toEqual(d("2026-12-01"));
    expect(nextBucketStart(new Date("2026-12-01T00:00:00.001Z"), "day")).toEqual(d("2026-12-02"));
  });
  it("steps by whole weeks and months, either way", () => {
    expect(addBuckets(d("2026-12-28"), "week", 1)).toEqual(d("2027-01-04"));
    expect(addBuckets(d("2026-11-01"), "month", 3)).toEqual(d("2027-02-01"));
    expect(addBuckets(d("2026-01-01"), "month", -1)).toEqual(d("2025-12-01"));
  });
  it("covers a window from the bucket of its first local day to that of its last", () => {
    const q = { start: d("2026-10-01"), end: d("2027-01-01"), timeZone: "UTC" };
    const weeks = bucketsCovering(q, "week");
    expect([weeks[0], weeks.at(-1), weeks.length]).toEqual([d("2026-09-28"), d("2026-12-28"), 14]);
    expect(bucketsCovering(q, "month")).toEqual([d("2026-10-01"), d("2026-11-01"), d("2026-12-01")]);
    // Local days: the last instant of the window is 31 Dec in Los Angeles, not 1 Jan.
    const la = { start: new Date("2026-10-01T07:00:00Z"), end: new Date("2027-01-01T08:00:00Z"), timeZone: "America/Los_Angeles" };
    expect(bucketsCovering(la, "month")).toEqual([d("2026-10-01"), d("2026-11-01"), d("2026-12-01")]);
  });
  it("names a local day by its UTC-labelled midnight", () => {
    expect(localDay(new Date("2026-06-30T16:00:00Z"), "Asia/Shanghai")).toEqual(d("2026-07-01"));
    expect(localDay(new Date("2026-06-30T16:00:00Z"), "UTC")).toEqual(d("2026-06-30"));
  });
});
