/**
 * Calendar helpers shared by the demo and benchmark data: UTC days, calendar quarters, and the
 * seasonality of deal creation (Q4 heavier, a summer and new-year dip, quiet weekends).
 */

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

/** Days of history the generated data covers, ending at `now`. */
export const HISTORY_DAYS = 730;

/** Midnight UTC of the day containing t. */
export function startOfUtcDay(t: Date): Date {
  return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()));
}

export function addDays(t: Date, days: number): Date {
  return new Date(t.getTime() + days * DAY_MS);
}

/**
 * First day (UTC) of the calendar quarter containing t.
 *
 * @example
 * quarterStart(new Date("2026-11-26T15:00:00Z")); // => 2026-10-01T00:00:00.000Z
 */
export function quarterStart(t: Date): Date {
  return new Date(Date.UTC(t.getUTCFullYear(), Math.floor(t.getUTCMonth() / 3) * 3, 1));
}

/** First day of the quarter `n` quarters after the one starting at q (n may be negative). */
export function shiftQuarter(q: Date, n: number): Date {
  return new Date(Date.UTC(q.getUTCFullYear(), q.getUTCMonth() + 3 * n, 1));
}

/** YYYY-MM-DD of a UTC date. */
export function isoDate(t: Date): string {
  return t.toISOString().slice(0, 10);
}

/**
 * Calendar quarters (UTC) overlapping [from, to], plus `extra` quarters after the last, as
 * { start, end, startDate } with start and end YYYY-MM-DD and `end` the quarter's last day
 * (inclusive).
 *
 * @example
 * quartersBetween(new Date("2026-02-10T00:00Z"), new Date("2026-04-01T00:00Z")).map((q) => [q.start, q.end]);
 * // => [["2026-01-01", "2026-03-31"], ["2026-04-01", "2026-06-30"]]
 */
export function quartersBetween(from: Date, to: Date, extra = 0): { start: string; end: string; startDate: Date }[] {
  const out: { start: string; end: string; startDate: Date }[] = [];
  const last = shiftQuarter(quarterStart(to), extra);
  for (let q = quarterStart(from); q.getTime() <= last.getTime(); q = shiftQuarter(q, 1)) {
    out.push({ start: isoDate(q), end: isoDate(addDays(shiftQuarter(q, 1), -1)), startDate: q });
  }
  return out;
}

/** Relative deal-creation volume by UTC month, January first: Q4 is the busiest quarter. */
export const MONTH_WEIGHT: readonly number[] = [0.8, 0.9, 1.0, 0.95, 1.0, 0.95, 0.8, 0.8, 1.05, 1.25, 1.35, 1.25];

/** Relative volume by UTC weekday, Sunday first: little happens at weekends. */
export const WEEKDAY_WEIGHT: readonly number[] = [0.04, 1, 1.05, 1.05, 1, 0.85, 0.04];

/** Seasonal weight of the UTC day containing t (month × weekday). */
export function dayWeight(t: Date): number {
  return MONTH_WEIGHT[t.getUTCMonth()]! * WEEKDAY_WEIGHT[t.getUTCDay()]!;
}

/**
 * Inverse cumulative distribution of the seasonal weights over `days` days starting at `first`:
 * `size` slots, slot k holding the day offset that quantile k/size falls on. Indexing it with a
 * uniform number draws a day with probability proportional to its weight (used in SQL, where a
 * table lookup is cheaper than a search).
 */
export function seasonalDayTable(first: Date, days: number, size = 4096): number[] {
  const weights = Array.from({ length: days }, (_, d) => dayWeight(addDays(first, d)));
  const total = weights.reduce((s, w) => s + w, 0);
  const table: number[] = [];
  let day = 0;
  let cumulative = weights[0]!;
  for (let k = 0; k < size; k++) {
    const q = ((k + 0.5) / size) * total;
    while (cumulative < q && day < days - 1) {
      day += 1;
      cumulative += weights[day]!;
    }
    table.push(day);
  }
  return table;
}
