// When a subscription fires, and which period its digest covers. Pure: zone arithmetic through
// src/time's Zone, no clock of its own.
//
// Daylight-saving rules (tested): a delivery time that does not exist on a day (the skipped hour
// of a spring-forward change) fires shifted forward by the gap, e.g. 02:30 → 03:30 local (the
// "compatible" rule of JavaScript's Temporal and of most calendars);
// a delivery time that happens twice (the repeated hour of a fall-back change) fires once, at
// its first occurrence. node-cron, which triggers the fires, matches wall-clock seconds: it never
// sees a skipped time and may see a repeated one twice. So the scheduler also sweeps for due
// fires computed here, and the delivery ledger sends each (subscription, period) once.
import { z } from "zod";
import { TimeZone, unitPeriod, type Period } from "../command/index.ts";
import { addDays, formatDate, formatMonth, sameDate, weekdayMon0 } from "../time/calendar.ts";
import { makeZone } from "../time/zone.ts";

/** The fields of a schedule, shared with the stored Subscription row (stored.ts). */
export const scheduleShape = {
  cadence: z.enum(["weekly", "monthly"]),
  /** weekly: ISO weekday 1 (Mon) … 7 (Sun); monthly: day of month 1–28. */
  day: z.number().int().min(1).max(28),
  /** "HH:MM" local time. */
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM"),
  timeZone: TimeZone,
};

/** A weekly schedule's day is a weekday (refinement of objects with scheduleShape). */
export function dayFitsCadence<T extends z.ZodType<{ cadence: "weekly" | "monthly"; day: number }>>(schema: T): T {
  return schema.refine((s) => s.cadence === "monthly" || s.day <= 7, { message: "a weekly schedule's day is an ISO weekday 1–7", path: ["day"] });
}

export const Schedule = dayFitsCadence(z.object(scheduleShape));
export type Schedule = z.infer<typeof Schedule>;

/** The node-cron expression (minute hour day-of-month month day-of-week) for a schedule. */
export function cronExpression(s: Schedule): string {
  const [h, mi] = s.time.split(":").map(Number) as [number, number];
  return s.cadence === "weekly" ? `${mi} ${h} * * ${s.day % 7}` : `${mi} ${h} ${s.day} * *`;
}

const DAY_MS = 86_400_000;

/** Every fire of the schedule in (from, to], oldest first. */
export function firesBetween(s: Schedule, from: Date, to: Date): Date[] {
  const zone = makeZone(s.timeZone);
  const [h, mi] = s.time.split(":").map(Number) as [number, number];
  const out: Date[] = [];
  // Walk local calendar days from the day before `from` (a fire can sit on the previous local date).
  let cursor = zone.dateAt(new Date(from.getTime() - DAY_MS));
  const last = zone.dateAt(new Date(to.getTime() + DAY_MS));
  for (let i = 0; i < 4000; i++) {
    const matches = s.cadence === "weekly" ? weekdayMon0(cursor) + 1 === s.day : cursor.d === s.day;
    if (matches) {
      const at = zone.instantAt(cursor, h, mi);
      if (at > from && at <= to) out.push(at);
    }
    if (sameDate(cursor, last)) break;
    cursor = addDays(cursor, 1);
  }
  return out;
}

/** The next fire strictly after `after`. */
export function nextFire(s: Schedule, after: Date): Date {
  const horizon = s.cadence === "weekly" ? 9 * DAY_MS : 33 * DAY_MS;
  return firesBetween(s, after, new Date(after.getTime() + horizon))[0]!;
}

/**
 * The period a digest fired at `fire` covers: the full week (Monday to Monday) or calendar month
 * that ended most recently before the fire, in the subscription's zone.
 */
export function digestPeriod(s: Schedule, fire: Date, fiscalYearStartMonth = 1): Period {
  return unitPeriod(s.cadence === "weekly" ? "week" : "month", -1, fire, { timeZone: s.timeZone, fiscalYearStartMonth });
}

/** The ledger key of a period: "W2026-11-16" (week starting) or "M2026-10". */
export function periodKey(s: Schedule, period: Period): string {
  const start = makeZone(s.timeZone).dateAt(period.start);
  return s.cadence === "weekly" ? `W${formatDate(start)}` : `M${formatMonth(start)}`;
}
