// Day, week (ISO: Monday) and month buckets of a series, and the buckets covering a window.
// A bucket is named by its first day's midnight written as a UTC Date: "2026-07-06T00:00Z" is the
// week of Monday 6 July in any zone — what SQL's date_trunc returns for a local timestamp.
import { dayNumber } from "./calendar.ts";
import { makeZone } from "./zone.ts";

/** The grains a series is bucketed by. */
export type BucketGrain = "week" | "month";

/** A half-open interval [start, end) of instants, plus the time zone its local days are counted in. */
export type Window = { start: Date; end: Date; timeZone: string };

export type SeriesPoint = { bucket: Date; value: number | null };

const DAY_MS = 86_400_000;

/** The local date of `instant` in `timeZone`, as a UTC-labelled midnight: the day's bucket name. */
export function localDay(instant: Date, timeZone: string): Date {
  return new Date(dayNumber(makeZone(timeZone).dateAt(instant)) * DAY_MS);
}

/**
 * Start of the UTC day, ISO week or month containing `d`.
 * Example: `bucketStart(2027-01-02 (a Saturday), "week")` → 2026-12-28.
 */
export function bucketStart(d: Date, grain: "day" | BucketGrain): Date {
  const day = Math.floor(d.getTime() / DAY_MS) * DAY_MS;
  switch (grain) {
    case "day":
      return new Date(day);
    case "week":
      // getUTCDay(): Sunday 0 … Saturday 6; days since Monday.
      return new Date(day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS);
    case "month":
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
  }
}

/** `n` buckets after bucket start `b` (before, when negative). */
export function addBuckets(b: Date, grain: "day" | BucketGrain, n: number): Date {
  return grain === "month" ? new Date(Date.UTC(b.getUTCFullYear(), b.getUTCMonth() + n, 1)) : new Date(b.getTime() + n * (grain === "week" ? 7 : 1) * DAY_MS);
}

/** The first bucket start at or after `d`: `d` itself when it starts a bucket. */
export function nextBucketStart(d: Date, grain: "day" | BucketGrain): Date {
  const start = bucketStart(d, grain);
  return start.getTime() === d.getTime() ? start : addBuckets(start, grain, 1);
}

/**
 * Every bucket from the one containing the window's first local day to the one containing its
 * last, in order (at most `limit`). Example: July 2026 by week → the Mondays 06-29 … 07-27.
 */
export function bucketsCovering(window: Window, grain: BucketGrain, limit = 600): Date[] {
  const first = bucketStart(localDay(window.start, window.timeZone), grain);
  const last = bucketStart(localDay(new Date(window.end.getTime() - 1), window.timeZone), grain);
  const out: Date[] = [];
  for (let b = first; b <= last && out.length < limit; b = addBuckets(b, grain, 1)) out.push(b);
  return out;
}

/**
 * Every bucket covering the window (see bucketsCovering), with the series' value: weeks (months)
 * without records are 0 for additive metrics and unknown otherwise, so the regression's x is time,
 * not the count of non-empty weeks.
 */
export function denseSeries(series: SeriesPoint[], window: Window, grain: BucketGrain, additive: boolean): SeriesPoint[] {
  const byTime = new Map(series.map((s) => [s.bucket.getTime(), s.value]));
  return bucketsCovering(window, grain).map((bucket) => ({ bucket, value: byTime.get(bucket.getTime()) ?? (additive ? 0 : null) }));
}

/** What a time breakdown groups by. */
export type TimeGrain = "week" | "month" | "quarter";

/** ISO week key of a bucket start (a UTC-labelled local date): 2026-06-29 → "2026-W27". */
export function isoWeekKey(d: Date): string {
  const thursday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 4 - (d.getUTCDay() || 7)));
  const week = Math.ceil(((thursday.getTime() - Date.UTC(thursday.getUTCFullYear(), 0, 1)) / 86_400_000 + 1) / 7);
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

/** The keys of the buckets covering a window, as the SQL writes them: `2026-07`, `2026-W27`, `2026-Q3`. */
export function timeKeys(window: Window, grain: TimeGrain): string[] {
  return [...new Set(bucketsCovering(window, grain === "week" ? "week" : "month").map((d) => timeKey(d, grain)))];
}

/** The key of the bucket starting at `d`. */
export function timeKey(d: Date, grain: TimeGrain): string {
  return grain === "week" ? isoWeekKey(d) : grain === "month" ? d.toISOString().slice(0, 7) : `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
}

/**
 * The buckets of a UTC window with their keys, each clipped to the window: a quarter is its
 * months joined. Example: 2026-01-01…2026-11-26 12:00 by month → 2026-01 … 2026-11 (clipped).
 */
export function timeBuckets(window: Window, grain: TimeGrain): { key: string; start: Date; end: Date }[] {
  const unit = grain === "week" ? "week" : "month";
  const out: { key: string; start: Date; end: Date }[] = [];
  for (const b of bucketsCovering(window, unit)) {
    const start = new Date(Math.max(b.getTime(), window.start.getTime()));
    const end = new Date(Math.min(addBuckets(b, unit, 1).getTime(), window.end.getTime()));
    const key = timeKey(b, grain);
    const last = out.at(-1);
    if (last?.key === key) last.end = end;
    else out.push({ key, start, end });
  }
  return out;
}


