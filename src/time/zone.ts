// Time zones through Intl.DateTimeFormat (no tz database of our own): validating a zone name,
// the local date of an instant, and the instant of a local wall time.
import { addDays, formatDate, type LocalDate } from "./calendar.ts";

/** A time zone: wall-calendar dates and times at instants, and instants of wall times. */
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
  /**
   * The UTC instant of local wall time `h:mi:s.ms` on `date`: the earlier one when it happens
   * twice (fall back), shifted forward by the gap when it does not happen at all (spring
   * forward: 02:30 → 03:30, the "compatible" rule of JavaScript's Temporal).
   */
  instantAt(date: LocalDate, h: number, mi: number, s?: number, ms?: number): Date;
  /** Local wall time minus UTC at an instant, in ms (e.g. 8 h for Asia/Shanghai). */
  offsetAt(instant: Date): number;
};

const DAY_MS = 86_400_000;

type Wall = { y: number; m: number; d: number; h: number; mi: number; s: number };

function wallToMs(w: Wall): number {
  // Date.UTC reads years 0–99 as 19xx; only those take the slower way.
  if (w.y >= 100) return Date.UTC(w.y, w.m - 1, w.d, w.h, w.mi, w.s);
  const t = new Date(0);
  t.setUTCFullYear(w.y, w.m - 1, w.d);
  t.setUTCHours(w.h, w.mi, w.s, 0);
  return t.getTime();
}

const utcWall = (ms: number): Wall => {
  const d = new Date(ms);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), h: d.getUTCHours(), mi: d.getUTCMinutes(), s: d.getUTCSeconds() };
};

const isUtcName = (timeZone: string) => timeZone === "UTC" || timeZone === "Etc/UTC";

function zoneOf(timeZone: string, wallAt: (ms: number) => Wall): Zone {
  /** Local wall time minus UTC, in ms, at instant `ms`. */
  const offsetAt = (ms: number): number => wallToMs(wallAt(ms)) - Math.floor(ms / 1000) * 1000;
  const instantAt = (date: LocalDate, h: number, mi: number, s = 0, ms = 0): Date => {
    const wall = wallToMs({ y: date.y, m: date.m, d: date.d, h, mi, s }) + ms;
    const before = wall - offsetAt(wall - DAY_MS);
    const after = wall - offsetAt(wall + DAY_MS);
    // No change of offset within a day either side (nearly always): the one answer, in two
    // lookups — imports convert every timestamp of a file this way.
    if (before === after) return new Date(before);
    const exact = [before, after].filter((t) => t + offsetAt(t) === wall);
    // No exact instant: the wall time falls in a DST gap; the offset from before the gap
    // lands the gap's length later.
    return new Date(exact.length > 0 ? Math.min(...exact) : before);
  };
  return {
    timeZone,
    offsetAt: (instant) => offsetAt(instant.getTime()),
    dateAt(instant) {
      const w = wallAt(instant.getTime());
      return { y: w.y, m: w.m, d: w.d };
    },
    startOfDay: (date) => instantAt(date, 0, 0),
    instantAt,
  };
}

/** UTC (the default workspace zone) needs no formatter: its wall clock is the Date's UTC fields. */
const UTC_ZONE: Zone = zoneOf("UTC", utcWall);

/** Throws RangeError for an unknown zone name. */
function buildZone(timeZone: string): Zone {
  if (isUtcName(timeZone)) return timeZone === "UTC" ? UTC_ZONE : zoneOf(timeZone, utcWall);
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
  return zoneOf(timeZone, (ms) => {
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
  });
}

// The one cache of the time module (see README, "Time"): building a zone's formatter costs
// 65–120 µs, formatting with it 2–10 µs, and a request looks zones up ~15 times (parse,
// previous period, SQL date bounds, series buckets, follow-up tokens), a digest sweep once per
// subscription. Zones are immutable, so sharing them is safe; UTC never reaches the map.
// Intl accepts any letter case, so names are unbounded: the map is emptied at 256 entries.
const zones = new Map<string, Zone>();
const MAX_ZONES = 256;

/** The zone named `timeZone`. Throws RangeError for an unknown name: validate with `isTimeZone` first. */
export function makeZone(timeZone: string): Zone {
  if (timeZone === "UTC") return UTC_ZONE;
  let zone = zones.get(timeZone);
  if (!zone) {
    zone = buildZone(timeZone);
    if (zones.size >= MAX_ZONES) zones.clear();
    zones.set(timeZone, zone);
  }
  return zone;
}

/** True for an IANA time zone name this runtime's Intl knows ("Asia/Shanghai", "UTC"). */
export function isTimeZone(timeZone: string): boolean {
  try {
    makeZone(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The calendar date ("YYYY-MM-DD") of an instant in a time zone. */
export function localDate(instant: Date, timeZone: string): string {
  return formatDate(makeZone(timeZone).dateAt(instant));
}

/**
 * The first local date not inside [start, end): the end's date when the end is a local midnight
 * (a whole period), the day after otherwise (a period clipped at "now" still includes today).
 */
export function localEndDate(end: Date, timeZone: string): string {
  const lastDay = makeZone(timeZone).dateAt(new Date(end.getTime() - 1));
  return formatDate(addDays(lastDay, 1));
}

/** Local date and time to the minute, for people: `localStamp(2026-11-30T01:00Z, "Asia/Shanghai")` → "2026-11-30 09:00". */
export function localStamp(instant: Date, timeZone: string): string {
  // The offset moves the instant onto the wall clock, whose fields then read as UTC.
  const wall = new Date(instant.getTime() + makeZone(timeZone).offsetAt(instant));
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${localDate(wall, "UTC")} ${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}`;
}
