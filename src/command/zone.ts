import type { LocalDate } from "./calendar.ts";

/**
 * A time zone seen through Intl.DateTimeFormat (no tz database of our own).
 * Built once per zone name and shared: building its formatter costs ~50 µs.
 */
export type Zone = {
  readonly timeZone: string;
  /** The wall-calendar date at an instant. */
  dateAt(instant: Date): LocalDate;
  /**
   * The UTC instant at which local `date` begins: local midnight, or — where a DST jump
   * skips midnight (e.g. America/Santiago) — the first instant after the gap. Where midnight
   * happens twice, the earlier one.
   */
  startOfDay(date: LocalDate): Date;
  /** Local wall time minus UTC at an instant, in ms (e.g. 8 h for Asia/Shanghai). */
  offsetAt(instant: Date): number;
};

const DAY_MS = 86_400_000;

type Wall = { y: number; m: number; d: number; h: number; mi: number; s: number };

function wallToMs(w: Wall): number {
  const t = new Date(0);
  t.setUTCFullYear(w.y, w.m - 1, w.d);
  t.setUTCHours(w.h, w.mi, w.s, 0);
  return t.getTime();
}

// Zones are immutable and few (one per workspace or subscription), so they are shared.
const zones = new Map<string, Zone>();

/** Throws RangeError for an unknown zone; validate with `TimeZone` from schema.ts first. */
export function makeZone(timeZone: string): Zone {
  let zone = zones.get(timeZone);
  if (!zone) {
    zone = buildZone(timeZone);
    // Intl accepts any letter case, so typed names are unbounded: keep the memo small.
    if (zones.size >= 256) zones.clear();
    zones.set(timeZone, zone);
  }
  return zone;
}

function buildZone(timeZone: string): Zone {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  });

  // UTC (the default workspace zone) needs no formatter: its wall clock is the Date's UTC fields.
  const utc = timeZone === "UTC" || timeZone === "Etc/UTC";
  const wallAt = (ms: number): Wall => {
    if (utc) {
      const d = new Date(ms);
      return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), h: d.getUTCHours(), mi: d.getUTCMinutes(), s: d.getUTCSeconds() };
    }
    const w: Wall = { y: 0, m: 1, d: 1, h: 0, mi: 0, s: 0 };
    for (const part of format.formatToParts(new Date(ms))) {
      const v = Number(part.value);
      if (part.type === "year") w.y = v;
      else if (part.type === "month") w.m = v;
      else if (part.type === "day") w.d = v;
      else if (part.type === "hour") w.h = v;
      else if (part.type === "minute") w.mi = v;
      else if (part.type === "second") w.s = v;
    }
    return w;
  };

  /** Local wall time minus UTC, in ms, at instant `ms`. */
  const offsetAt = (ms: number): number => wallToMs(wallAt(ms)) - Math.floor(ms / 1000) * 1000;

  return {
    timeZone,
    offsetAt: (instant) => offsetAt(instant.getTime()),
    dateAt(instant) {
      const w = wallAt(instant.getTime());
      return { y: w.y, m: w.m, d: w.d };
    },
    startOfDay(date) {
      const wall = wallToMs({ ...date, h: 0, mi: 0, s: 0 });
      const before = wall - offsetAt(wall - DAY_MS);
      const after = wall - offsetAt(wall + DAY_MS);
      const exact = [before, after].filter((t) => t + offsetAt(t) === wall);
      // No exact instant: midnight falls in a DST gap; the offset from before the gap
      // lands on the first wall time after it.
      return new Date(exact.length > 0 ? Math.min(...exact) : before);
    },
  };
}
