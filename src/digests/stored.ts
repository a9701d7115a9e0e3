// Subscription and Alert rows as the scheduler uses them: parsed with zod when read, never cast.
// A row that does not parse (edited by hand, written by another version, a zone the runtime no
// longer knows) is paused and logged, so one bad row cannot stop everyone else's deliveries.
import { z } from "zod";
import { Lang, MetricId } from "../command/index.ts";
import type { PrismaClient } from "../data/db.ts";
import type { Logger } from "../log.ts";
import { dayFitsCadence, scheduleShape } from "./schedule.ts";

/** The chats that deliver scheduled messages. */
export const Platform = z.enum(["slack", "teams"]);

const delivery = {
  id: z.number().int().positive(),
  ownerId: z.number().int().positive(),
  platform: Platform,
  /** A channel / conversation id, or the owner's platform user id for a private delivery. */
  destination: z.string().min(1),
  private: z.boolean(),
  /** The query words the bot reads back, e.g. `team "East" sales`. */
  query: z.string().trim().min(1).max(500),
  lang: Lang,
};

export const StoredSubscription = dayFitsCadence(z.object({ ...delivery, ...scheduleShape }));
export type StoredSubscription = z.infer<typeof StoredSubscription>;

/** below/above a threshold, or `milestones`: quota attainment milestones (no threshold; milestones.ts). */
export const AlertOp = z.enum(["below", "above", "milestones"]);
export type AlertOp = z.infer<typeof AlertOp>;
export const AlertState = z.enum(["clear", "firing"]);

export const StoredAlert = z.object({
  ...delivery,
  metric: MetricId,
  op: AlertOp,
  /** In the metric's stored unit (fractions for percentages, minor units for money). */
  threshold: z.number().finite(),
  state: AlertState,
  lastValue: z.number().nullable(),
});
export type StoredAlert = z.infer<typeof StoredAlert>;

/** The locked columns recordAlertValue reads (raw SQL: numbers may come back as strings). */
export const AlertLockRow = z.object({ state: AlertState, seq: z.coerce.number().int(), op: AlertOp, threshold: z.coerce.number().finite() });

type Kind = "subscription" | "alert";

/** "timeZone: unknown IANA time zone": where and why, never the stored value (it may be user text). */
const describe = (error: z.ZodError) => error.issues.map((i) => `${i.path.join(".") || "row"}: ${i.message}`);

/**
 * The rows that parse, in order; each other one is paused (active = false) and logged as a
 * warning by the process that paused it (replicas reading it at once log it once).
 */
async function keepValid<R extends { id: number }, T>(
  rows: R[], schema: z.ZodType<T>, kind: Kind, pause: (id: number) => Promise<number>, logger: Logger | undefined,
): Promise<T[]> {
  const out: T[] = [];
  for (const row of rows) {
    const parsed = schema.safeParse(row);
    if (parsed.success) {
      out.push(parsed.data);
      continue;
    }
    if ((await pause(row.id)) > 0) logger?.warn(`${kind}_invalid_paused`, { [kind]: row.id, issues: describe(parsed.error) });
  }
  return out;
}

/** Active subscriptions (optionally one owner's), oldest first; bad rows paused and logged. */
export async function activeSubscriptions(prisma: PrismaClient, logger?: Logger, where: { ownerId?: number } = {}): Promise<StoredSubscription[]> {
  const rows = await prisma.subscription.findMany({ where: { ...where, active: true }, orderBy: { id: "asc" } });
  const pause = async (id: number) => (await prisma.subscription.updateMany({ where: { id, active: true }, data: { active: false } })).count;
  return keepValid(rows, StoredSubscription, "subscription", pause, logger);
}

/** Active alerts (optionally one owner's), oldest first; bad rows paused and logged. */
export async function activeAlerts(prisma: PrismaClient, logger?: Logger, where: { ownerId?: number } = {}): Promise<StoredAlert[]> {
  const rows = await prisma.alert.findMany({ where: { ...where, active: true }, orderBy: { id: "asc" } });
  const pause = async (id: number) => (await prisma.alert.updateMany({ where: { id, active: true }, data: { active: false } })).count;
  return keepValid(rows, StoredAlert, "alert", pause, logger);
}
