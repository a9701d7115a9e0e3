// Quota milestones (`alert me quota milestones`): a private note the first time the period's
// quota attainment reaches 50 %, 90 %, 100 %, 120 %. Each milestone of a period is recorded once,
// in the alert ledger (`AlertEvent`, unique per alert, period and milestone), under the alert's
// row lock: a milestone recorded is never recorded again, whatever the attainment does next, on
// whichever replica. Reaching several at once records them all and sends one note, the highest.
import type { PrismaClient } from "../data/db.ts";
import { formatValue } from "../format/index.ts";
import { METRICS } from "../metrics/index.ts";
import { textReply, type Reply } from "../reply.ts";
import { daysBetween } from "../time/calendar.ts";
import { localDate, makeZone } from "../time/zone.ts";
import { AlertLockRow, type StoredAlert } from "./stored.ts";
import { digestWords } from "./words.ts";

/** The milestones, in percent of the quota, lowest first. */
export const MILESTONES = [50, 90, 100, 120] as const;

/** What a milestone note says: attainment (a fraction), won and quota in minor units. */
export type Standing = { attainment: number; won: number; quota: number; currency: string; periodKey: string; daysLeft: number };

/** A recorded milestone event, as the ledger keeps it (for sending now, or resending after a crash). */
export type MilestoneEvent = {
  id: bigint;
  milestone: number | null;
  periodKey: string | null;
  value: number;
  won: bigint | null;
  quota: bigint | null;
  currency: string | null;
  daysLeft: number | null;
};

/**
 * The milestones reached by won / quota that are above `highestDone`, lowest first. Compared on the
 * sums themselves (won × 100 ≥ m × quota), so 90 000 of 100 000 is 90 % exactly.
 * Example: `newlyReached(95_000, 100_000, 0)` → [50, 90]; `newlyReached(95_000, 100_000, 90)` → [].
 */
export function newlyReached(won: number, quota: number, highestDone: number): number[] {
  if (!(quota > 0)) return [];
  return MILESTONES.filter((m) => m > highestDone && won * 100 >= m * quota);
}

/** "2026-10-01..2026-12-31": the period's first and last local day, its key in the ledger. */
export function periodKeyOf(period: { start: Date; end: Date }, timeZone: string): string {
  return `${localDate(period.start, timeZone)}..${localDate(new Date(period.end.getTime() - 1), timeZone)}`;
}

/** Days left in the period, today included (0 once it has ended). */
export function daysLeft(now: Date, periodEnd: Date, timeZone: string): number {
  const zone = makeZone(timeZone);
  return Math.max(0, daysBetween(zone.dateAt(now), zone.dateAt(periodEnd)));
}

/**
 * Record what this standing reaches that the period has not reached before. Under the alert's
 * row lock: the highest milestone of the period so far is read, each new one gets the alert's
 * next seq; the lower ones are stored as `superseded` (done, never sent), the highest as
 * `pending`, claimed by this process, which sends it after the commit. Returns that one, or null.
 */
export async function recordMilestones(prisma: PrismaClient, alertId: number, s: Standing, now: Date): Promise<MilestoneEvent | null> {
  return prisma.$transaction(async (tx) => {
    const [locked] = await tx.$queryRawUnsafe<unknown[]>(`SELECT state, seq, op, threshold FROM "Alert" WHERE id = $1 FOR UPDATE`, alertId);
    if (!locked) return null;
    const row = AlertLockRow.parse(locked);
    const done = await tx.alertEvent.aggregate({ where: { alertId, periodKey: s.periodKey, milestone: { not: null } }, _max: { milestone: true } });
    const reached = newlyReached(s.won, s.quota, done._max.milestone ?? 0);
    await tx.alert.update({ where: { id: alertId }, data: { lastValue: s.attainment, lastCheckedAt: now, seq: row.seq + reached.length } });
    let seq = row.seq;
    let last: MilestoneEvent | null = null;
    for (const m of reached) {
      seq++;
      const highest = m === reached[reached.length - 1];
      const e = await tx.alertEvent.create({
        data: {
          alertId, seq, kind: "milestone", value: s.attainment, at: now, status: highest ? "pending" : "superseded", claimedAt: new Date(),
          milestone: m, periodKey: s.periodKey, won: BigInt(Math.round(s.won)), quota: BigInt(Math.round(s.quota)), currency: s.currency, daysLeft: s.daysLeft,
        },
      });
      if (highest) last = e;
    }
    return last;
  });
}

/** Per milestone alert: the highest milestone recorded in the latest period it reached one in. */
export async function latestMilestones(prisma: PrismaClient, alertIds: number[]): Promise<Map<number, { milestone: number; periodKey: string }>> {
  if (alertIds.length === 0) return new Map();
  const events = await prisma.alertEvent.findMany({
    where: { alertId: { in: alertIds }, milestone: { not: null } },
    orderBy: { seq: "desc" },
    distinct: ["alertId"],
    select: { alertId: true, milestone: true, periodKey: true },
  });
  return new Map(events.map((e) => [e.alertId, { milestone: e.milestone!, periodKey: e.periodKey ?? "" }]));
}

/** The private note: the milestone, attainment, won of quota, the period and the days left. */
export function milestoneReply(a: Pick<StoredAlert, "id" | "query" | "lang">, e: MilestoneEvent, fallbackCurrency: string): Reply {
  const lang = a.lang;
  const w = digestWords(lang);
  const currency = e.currency ?? fallbackCurrency;
  const money = (v: bigint | null) => formatValue(v === null ? null : Number(v), "currency", lang, currency);
  const what = `${a.query} · ${METRICS.quota.name[lang]}`;
  const summary = w.milestone(what, e.milestone ?? 0, formatValue(e.value, "percent", lang, currency), money(e.won), money(e.quota), e.periodKey ?? "", e.daysLeft ?? 0);
  return textReply("answer", lang, `${w.milestoneTitle} A${a.id}`, summary);
}
