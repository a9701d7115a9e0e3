// When a subscription fires, and which period its digest covers. Pure: zone arithmetic through
// Intl (the parser's Zone), no clock of its own.
//
// Daylight-saving rules (tested): a delivery time that does not exist on a day (the skipped hour
// of a spring-forward change) fires shifted forward by the gap, e.g. 02:30 → 03:30 local (the
// "compatible" rule of JavaScript's Temporal and of most calendars);
// a delivery time that happens twice (the repeated hour of a fall-back change) fires once, at
// its first occurrence. node-cron, which triggers the fires, matches wall-clock seconds: it never
// sees a skipped time and may see a repeated one twice. So the scheduler also sweeps for due
// fires computed here, and the delivery ledger sends each (subscription, period) once.
import { z } from "zod";
import { parseCommand, TimeZone } from "../command/index.ts";
import type { Period } from "../command/index.ts";
import { makeZone, type Zone } from "../command/zone.ts";

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

/**
 * The UTC instant at which local wall time y-m-d h:mi happens in `zone`: the earlier one when it
 * happens twice, shifted forward by the gap when it does not happen at all.
 */
export function instantOfLocal(zone: Zone, y: number, m: number, d: number, h: number, mi: number): Date {
  const wall = Date.UTC(y, m - 1, d, h, mi);
  const before = wall - zone.offsetAt(new Date(wall - DAY_MS));
  const after = wall - zone.offsetAt(new Date(wall + DAY_MS));
  const exact = [before, after].filter((t) => t + zone.offsetAt(new Date(t)) === wall);
  // In a gap neither candidate reads back as the wall time; the pre-gap offset lands the gap's
  // length later (02:30 → 03:30).
  return new Date(exact.length > 0 ? Math.min(...exact) : before);
}

/** Every fire of the schedule in (from, to], oldest first. */
export function firesBetween(s: Schedule, from: Date, to: Date): Date[] {
  const zone = makeZone(s.timeZone);
  const [h, mi] = s.time.split(":").map(Number) as [number, number];
  const out: Date[] = [];
  // Walk local calendar days from the day before `from` (a fire can sit on the previous local date).
  let cursor = zone.dateAt(new Date(from.getTime() - DAY_MS));
  const last = zone.dateAt(new Date(to.getTime() + DAY_MS));
  for (let i = 0; i < 4000; i++) {
    const weekday = ((new Date(Date.UTC(cursor.y, cursor.m - 1, cursor.d)).getUTCDay() + 6) % 7) + 1;
    const matches = s.cadence === "weekly" ? weekday === s.day : cursor.d === s.day;
    if (matches) {
      const at = instantOfLocal(zone, cursor.y, cursor.m, cursor.d, h, mi);
      if (at > from && at <= to) out.push(at);
    }
    if (cursor.y === last.y && cursor.m === last.m && cursor.d === last.d) break;
    const next = new Date(Date.UTC(cursor.y, cursor.m - 1, cursor.d) + DAY_MS);
    cursor = { y: next.getUTCFullYear(), m: next.getUTCMonth() + 1, d: next.getUTCDate() };
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
  const words = s.cadence === "weekly" ? "last week" : "last month";
  const r = parseCommand(words, { now: fire, timeZone: s.timeZone, fiscalYearStartMonth });
  if (!r.ok || r.command.kind !== "query" || !r.command.period) throw new Error(`the parser no longer reads '${words}'`);
  return r.command.period;
}

/** The ledger key of a period: "W2026-11-16" (week starting) or "M2026-10". */
export function periodKey(s: Schedule, period: Period): string {
  const start = makeZone(s.timeZone).dateAt(period.start);
  const pad = (n: number) => String(n).padStart(2, "0");
  return s.cadence === "weekly" ? `W${start.y}-${pad(start.m)}-${pad(start.d)}` : `M${start.y}-${pad(start.m)}`;
}
