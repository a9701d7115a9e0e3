// How instants and buckets are written in SQL. Timestamps are stored as UTC in `timestamp
// without time zone` columns, so an instant is passed as its UTC wall time.
import type { BucketGrain } from "./buckets.ts";

/** "2026-07-01 00:00:00.000": a UTC timestamp literal for `timestamp without time zone` columns. */
export function sqlTimestamp(d: Date): string {
  return d.toISOString().replace("T", " ").replace("Z", "");
}

/**
 * The SQL expression of the bucket start of a timestamp expression: PostgreSQL's date_trunc,
 * whose weeks start on ISO Mondays like `bucketStart` (a test holds the two together).
 * `grain` is one of two constants, never user text.
 */
export function sqlBucket(grain: BucketGrain, timestamp: string): string {
  return `date_trunc('${grain === "month" ? "month" : "week"}', ${timestamp})`;
}
