// Sends what is due: digests for subscriptions whose fire time has come (through the delivery
// ledger, once per subscription and period) and alert state changes (once per change).
// Used by the in-process scheduler, by `npm run digests -- --due`, and at start-up to catch up.
import type { Audience, Bot } from "../bot.ts";
import { periodToken } from "../command/index.ts";
import type { PrismaClient } from "../data/db.ts";
import { METRICS } from "../metrics/index.ts";
import { formatValue } from "../format/index.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../ops/metrics.ts";
import { textReply, type Reply } from "../reply.ts";
import { alertWhat } from "./desk.ts";
import { createPacer, fanOut, type Pacer } from "./fanout.ts";
import { CLAIM_LEASE_MS, claimDelivery, expireStale, markFailed, markSent } from "./ledger.ts";
import { daysLeft, milestoneReply, periodKeyOf, recordMilestones, type MilestoneEvent } from "./milestones.ts";
import { digestPeriod, firesBetween, periodKey } from "./schedule.ts";
import type { Destination, Senders } from "./sender.ts";
import { activeAlerts, activeSubscriptions, AlertLockRow, StoredAlert, type AlertOp, type StoredSubscription } from "./stored.ts";
import { digestWords } from "./words.ts";

export type RunnerDeps = {
  prisma: PrismaClient;
  bot: Bot;
  senders: Senders;
  /** Names this process in ledger claims (host:pid or similar). */
  holder: string;
  timeZone: string;
  fiscalYearStartMonth: number;
  currency: string;
  logger?: Logger;
  /** Missed fires younger than this are delivered late; older ones are skipped with a log line. */
  catchUpMs?: number;
  /** How long another process's pending claim is respected (default CLAIM_LEASE_MS). */
  claimLeaseMs?: number;
  concurrency?: number;
  /** Pause between two digests to the same channel (default 1 s, Slack's per-channel pace). */
  channelGapMs?: number;
  /** Messages per second per platform (a workspace-wide limit); unset: no pacing beyond channels. */
  ratePerSec?: number;
  /** Pacers shared beyond one run (the scheduler keeps one per platform for the process). */
  pacers?: Map<string, Pacer>;
  /** Counts digests and alerts sent, failed and skipped (GET /metrics). */
  metrics?: Pick<Metrics, "deliveries">;
  /**
   * True once the process is shutting down: no new claim is taken, and a claim still waiting for
   * its turn (pacing) is released at once, so another replica sends it without waiting out the lease.
   */
  stopping?: () => boolean;
};

export type RunSummary = { sent: number; skipped: number; failed: number; alertsFired: number; alertsCleared: number };

const DEFAULT_CATCH_UP_MS = 6 * 3_600_000;

/** Deliver one subscription's digest for the fire at `fire` (no-op if the ledger says done). */
export async function deliverDigest(
  deps: RunnerDeps,
  sub: StoredSubscription,
  fire: Date,
  run: { composed?: Map<string, Promise<Reply>>; pacer?: Pacer } = {},
): Promise<"sent" | "skipped" | "failed"> {
  const sender = deps.senders[sub.platform];
  if (!sender) {
    deps.logger?.info("digest_no_sender", { subscription: sub.id, platform: sub.platform });
    return "skipped";
  }
  const period = digestPeriod(sub, fire, deps.fiscalYearStartMonth);
  const key = periodKey(sub, period);
  if (deps.stopping?.()) return "skipped";
  const claim = await claimDelivery(deps.prisma, sub.id, key, fire, deps.holder, deps.claimLeaseMs);
  if (!claim) return "skipped";
  if (!sub.private) {
    // Channel subscriptions are for managers and admins; one who has since become a rep loses them.
    const owner = await deps.prisma.user.findUnique({ where: { id: sub.ownerId }, select: { role: true, active: true } });
    if (!owner?.active || owner.role === "rep") {
      await markFailed(deps.prisma, claim.id, "owner may no longer subscribe a channel", true);
      await pauseAndTellOwner(deps, sub, `S${sub.id}`, "only managers and admins can subscribe a channel");
      return "failed";
    }
  }
  // Channels subscribed to the same question share one answer within a run.
  const sameAnswer = `${sub.ownerId}|${sub.query}|${sub.private}|${sub.timeZone}|${key}`;
  let composing = run.composed?.get(sameAnswer);
  if (!composing) {
    composing = composeDigest(deps, sub, period);
    run.composed?.set(sameAnswer, composing);
  }
  const reply = await composing;
  if (reply.kind !== "answer") {
    // The owner lost access, left, or the team is gone: nothing to post; tell the owner instead.
    await markFailed(deps.prisma, claim.id, `${reply.kind}: ${reply.summary}`, true);
    deps.logger?.warn("digest_not_answerable", { subscription: sub.id, kind: reply.kind });
    await pauseAndTellOwner(deps, sub, `S${sub.id}`, reply.summary);
    return "failed";
  }
  await run.pacer?.take();
  if (deps.stopping?.()) {
    // Shutting down before this send began: hand it back (a transient release) for another replica.
    await markFailed(deps.prisma, claim.id, "released: the process stopped before sending", false);
    deps.logger?.info("digest_released", { subscription: sub.id, period: key });
    return "skipped";
  }
  const outcome = await sender.send({ platform: sub.platform, address: sub.destination, private: sub.private }, reply).catch((e: unknown) => ({
    ok: false as const, permanent: false, error: e instanceof Error ? e.message : String(e),
  }));
  if (outcome.ok) {
    await markSent(deps.prisma, claim.id, new Date());
    deps.logger?.info("digest_sent", { subscription: sub.id, period: key, attempt: claim.attempts });
    return "sent";
  }
  await markFailed(deps.prisma, claim.id, outcome.error, outcome.permanent);
  deps.logger?.error("digest_failed", { subscription: sub.id, period: key, permanent: outcome.permanent, error: outcome.error });
  if (outcome.permanent) await pauseAndTellOwner(deps, sub, `S${sub.id}`, outcome.error);
  return "failed";
}

/** The digest: the subscribed query over the period just ended, top 3, as its owner sees it. */
export async function composeDigest(
  deps: Pick<RunnerDeps, "bot" | "timeZone" | "fiscalYearStartMonth">,
  sub: Pick<StoredSubscription, "id" | "ownerId" | "query" | "private" | "timeZone" | "lang" | "cadence">,
  period: ReturnType<typeof digestPeriod>,
): Promise<Reply> {
  // The top 3 by name only where the reader may see individuals (a private digest).
  const personal = sub.query.startsWith("me") || sub.query.startsWith("rep");
  // A breakdown lists every group (the low ones are the news) and a scorecard every line.
  const whole = / by \w+$| scorecard$/.test(sub.query);
  const text = `${sub.query} ${periodToken(period, sub.timeZone, deps.fiscalYearStartMonth)}${sub.private && !personal && !whole ? " top 3" : ""}`;
  const audience: Audience = sub.private ? "asker" : "channel";
  // The exact period, computed in the subscription's zone, not re-read from words.
  const reply = await deps.bot.answerFor(sub.ownerId, text, audience, `digest S${sub.id}`, { period, lang: sub.lang });
  return { ...reply, title: digestWords(reply.lang).digestTitle(sub.cadence, reply.title) };
}

async function pauseAndTellOwner(deps: RunnerDeps, item: Pick<StoredSubscription, "ownerId" | "platform" | "destination" | "lang">, ref: string, error: string): Promise<void> {
  if (ref.startsWith("S")) await deps.prisma.subscription.update({ where: { id: Number(ref.slice(1)) }, data: { active: false } });
  else await deps.prisma.alert.update({ where: { id: Number(ref.slice(1)) }, data: { active: false } });
  const owner = await deps.prisma.user.findUnique({ where: { id: item.ownerId }, select: { slackUserId: true, teamsUserId: true } });
  const address = item.platform === "slack" ? owner?.slackUserId : item.platform === "teams" ? owner?.teamsUserId : null;
  const sender = deps.senders[item.platform];
  if (!address || !sender) return;
  const w = digestWords(item.lang);
  await sender.send({ platform: item.platform, address, private: true }, textReply("error", item.lang, w.title, w.undeliverable(ref, item.destination, error))).catch(() => {});
}

/**
 * Everything due at `now`: each active subscription's fires within the catch-up window, and the
 * alerts. Safe to run from several processes at once and any number of times.
 */
export async function runDue(deps: RunnerDeps, now: Date, options: { alerts?: boolean; logMissed?: boolean } = {}): Promise<RunSummary> {
  const summary: RunSummary = { sent: 0, skipped: 0, failed: 0, alertsFired: 0, alertsCleared: 0 };
  const catchUp = deps.catchUpMs ?? DEFAULT_CATCH_UP_MS;
  const subs = await activeSubscriptions(deps.prisma, deps.logger);
  const jobs: { sub: StoredSubscription; fire: Date }[] = [];
  for (const sub of subs) {
    for (const fire of firesBetween(sub, new Date(now.getTime() - catchUp), now)) jobs.push({ sub, fire });
    if (options.logMissed) {
      // At start-up: the last fire before the window is reported, not sent: too old to be news.
      const older = firesBetween(sub, new Date(now.getTime() - catchUp - 40 * 86_400_000), new Date(now.getTime() - catchUp));
      const last = older[older.length - 1];
      if (last) deps.logger?.info("digest_missed_skipped", { subscription: sub.id, fire: last.toISOString() });
    }
  }
  // Deliveries that stayed pending past the window (repeated transient failures) are given up.
  for (const e of await expireStale(deps.prisma, new Date(now.getTime() - catchUp))) {
    deps.logger?.error("digest_expired", { subscription: e.subscriptionId, period: e.periodKey });
  }
  const composed = new Map<string, Promise<Reply>>();
  const pacers = deps.pacers ?? new Map<string, Pacer>();
  const pacerFor = (platform: string) => {
    if (!deps.ratePerSec) return undefined;
    if (!pacers.has(platform)) pacers.set(platform, createPacer(deps.ratePerSec));
    return pacers.get(platform);
  };
  await fanOut(jobs, (j) => `${j.sub.platform}:${j.sub.destination}`, deps.concurrency ?? 8, async (j) => {
    const pacer = pacerFor(j.sub.platform);
    const r = await deliverDigest(deps, j.sub, j.fire, { composed, ...(pacer ? { pacer } : {}) }).catch((e: unknown) => {
      deps.logger?.error("digest_error", { subscription: j.sub.id, error: e instanceof Error ? e.message : String(e) });
      return "failed" as const;
    });
    summary[r]++;
    deps.metrics?.deliveries.inc({ type: "digest", outcome: r });
  }, deps.channelGapMs ?? 1000);
  if (options.alerts !== false) {
    const a = await checkAlerts(deps, now);
    summary.alertsFired = a.fired;
    summary.alertsCleared = a.cleared;
  }
  return summary;
}

/** Whether the alert's condition holds for a value. */
export function holds(op: AlertOp, value: number, threshold: number): boolean {
  return op === "below" ? value < threshold : op === "above" ? value > threshold : false;
}

/**
 * Check every active alert over the last 30 days. A change of state (clear → firing or back) is
 * written with the alert's next sequence number under a row lock, so only one replica records
 * and sends it; no change, no message.
 */
export async function checkAlerts(deps: RunnerDeps, now: Date): Promise<{ fired: number; cleared: number }> {
  const alerts = await activeAlerts(deps.prisma, deps.logger);
  let fired = 0;
  let cleared = 0;
  for (const a of alerts) {
    try {
      if (!deps.senders[a.platform]) continue; // not deliverable from this process: leave it to one that can
      if (a.op === "milestones") {
        if (await checkMilestones(deps, a, now)) fired++;
        continue;
      }
      const reply = await deps.bot.answerFor(a.ownerId, `${a.query} ${a.metric} last 30 days`, a.private ? "asker" : "channel", `alert A${a.id}`, { lang: a.lang });
      if (reply.kind !== "answer") {
        await pauseAndTellOwner(deps, a, `A${a.id}`, reply.summary);
        continue;
      }
      const groups = reply.figures?.breakdown?.groups;
      if (groups) {
        // A breakdown alert: each disclosed group against the threshold, each with its own state.
        const known = groups.flatMap((g) => (g.value === null ? [] : [{ key: g.key, label: g.label, value: g.value }]));
        for (const change of await recordAlertGroups(deps.prisma, a.id, known, now)) {
          if (change.kind === "fired") fired++;
          else cleared++;
          await sendAlertEvent(deps, { ...change, alert: a });
        }
        continue;
      }
      const value = reply.figures?.total;
      if (value === null || value === undefined) continue;
      const change = await recordAlertValue(deps.prisma, a.id, value, now);
      if (change?.kind === "fired") fired++;
      if (change?.kind === "cleared") cleared++;
      if (change) await sendAlertEvent(deps, { ...change, alert: a });
    } catch (e) {
      deps.logger?.error("alert_check_failed", { alert: a.id, error: e instanceof Error ? e.message : String(e) });
    }
  }
  await resendStaleAlertEvents(deps);
  return { fired, cleared };
}

type AlertEventRow = { id: bigint; kind: string; value: number; groupLabel?: string | null } & Partial<Omit<MilestoneEvent, "id" | "value">>;

/**
 * A quota milestone alert: its owner's answer for the quota period in force (the same answer
 * path, access rules and contributors rule as any question), then what it newly reaches recorded
 * once (milestones.ts) and the note sent. Returns whether a note was recorded. An owner who may
 * no longer see the figure gets the alert paused and is told; a withheld or undefined figure
 * (no quota, too few contributors) is not checked this time.
 */
async function checkMilestones(deps: RunnerDeps, a: StoredAlert, now: Date): Promise<boolean> {
  const reply = await deps.bot.answerFor(a.ownerId, `${a.query} quota`, "asker", `alert A${a.id}`, { lang: a.lang, quotaPeriod: true });
  if (reply.kind !== "answer") {
    await pauseAndTellOwner(deps, a, `A${a.id}`, reply.summary);
    return false;
  }
  const f = reply.figures;
  if (!f || f.total === null || !f.parts) return false;
  const period = { start: new Date(f.period.start), end: new Date(f.period.end) };
  const standing = {
    attainment: f.total, won: f.parts.won, quota: f.parts.quota, currency: f.currency,
    periodKey: periodKeyOf(period, deps.timeZone), daysLeft: daysLeft(now, period.end, deps.timeZone),
  };
  const e = await recordMilestones(deps.prisma, a.id, standing, now);
  if (!e) return false;
  deps.logger?.info("milestone_reached", { alert: a.id, milestone: e.milestone, period: standing.periodKey });
  await sendAlertEvent(deps, { ...e, kind: "milestone", alert: a });
  return true;
}

/**
 * Store each group's checked value; returns the events of the groups whose state changed, each
 * with the alert's next seq under its row lock (one replica records and sends each change).
 * Groups not reported this time (withheld, no data) keep their state.
 */
export async function recordAlertGroups(prisma: PrismaClient, alertId: number, groups: readonly { key: string; label: string; value: number }[], now: Date): Promise<(AlertEventRow & { kind: "fired" | "cleared" })[]> {
  return prisma.$transaction(async (tx) => {
    const [locked] = await tx.$queryRawUnsafe<unknown[]>(`SELECT state, seq, op, threshold FROM "Alert" WHERE id = $1 FOR UPDATE`, alertId);
    if (!locked) return [];
    const row = AlertLockRow.parse(locked);
    const before = new Map((await tx.alertGroup.findMany({ where: { alertId } })).map((g) => [g.groupKey, g.state]));
    let seq = row.seq;
    const out: (AlertEventRow & { kind: "fired" | "cleared" })[] = [];
    for (const g of groups) {
      const was = before.get(g.key) ?? "clear";
      const nowHolds = holds(row.op, g.value, row.threshold);
      const change = nowHolds && was !== "firing" ? "fired" : !nowHolds && was === "firing" ? "cleared" : null;
      const state = change ? (nowHolds ? "firing" : "clear") : was;
      before.set(g.key, state);
      await tx.alertGroup.upsert({
        where: { alertId_groupKey: { alertId, groupKey: g.key } },
        create: { alertId, groupKey: g.key, label: g.label, state, lastValue: g.value },
        update: { label: g.label, state, lastValue: g.value },
      });
      if (!change) continue;
      seq++;
      const e = await tx.alertEvent.create({ data: { alertId, seq, kind: change, value: g.value, at: now, status: "pending", claimedAt: new Date(), groupKey: g.key, groupLabel: g.label } });
      out.push({ id: e.id, kind: change, value: g.value, groupLabel: g.label });
    }
    const firing = [...before.values()].some((x) => x === "firing");
    await tx.alert.update({ where: { id: alertId }, data: { lastCheckedAt: now, seq, state: firing ? "firing" : "clear" } });
    return out;
  });
}

/** Store a checked value; returns the event of the state change it caused, if any. */
export async function recordAlertValue(prisma: PrismaClient, alertId: number, value: number, now: Date): Promise<(AlertEventRow & { kind: "fired" | "cleared" }) | null> {
  return prisma.$transaction(async (tx) => {
    const [locked] = await tx.$queryRawUnsafe<unknown[]>(`SELECT state, seq, op, threshold FROM "Alert" WHERE id = $1 FOR UPDATE`, alertId);
    if (!locked) return null;
    const row = AlertLockRow.parse(locked);
    const nowHolds = holds(row.op, value, row.threshold);
    const change = nowHolds && row.state !== "firing" ? "fired" : !nowHolds && row.state === "firing" ? "cleared" : null;
    await tx.alert.update({
      where: { id: alertId },
      data: { lastValue: value, lastCheckedAt: now, ...(change ? { state: nowHolds ? "firing" : "clear", seq: row.seq + 1 } : {}) },
    });
    if (!change) return null;
    // Claimed by its recorder at once (real clock): it sends it right after the commit.
    const e = await tx.alertEvent.create({ data: { alertId, seq: row.seq + 1, kind: change, value, at: now, status: "pending", claimedAt: new Date() } });
    return { id: e.id, kind: change, value };
  });
}

async function sendAlertEvent(deps: RunnerDeps, e: AlertEventRow & { alert: StoredAlert }): Promise<void> {
  const sender = deps.senders[e.alert.platform];
  if (!sender) {
    deps.metrics?.deliveries.inc({ type: "alert", outcome: "skipped" });
    return;
  }
  const reply =
    e.milestone !== null && e.milestone !== undefined
      ? milestoneReply(e.alert, { id: e.id, milestone: e.milestone, periodKey: e.periodKey ?? null, value: e.value, won: e.won ?? null, quota: e.quota ?? null, currency: e.currency ?? null, daysLeft: e.daysLeft ?? null }, deps.currency)
      : alertReply(e.alert, e.kind, e.value, deps.currency, e.groupLabel ?? null);
  const to: Destination = { platform: e.alert.platform, address: e.alert.destination, private: e.alert.private };
  const outcome = await sender.send(to, reply).catch((err: unknown) => ({ ok: false as const, permanent: false, error: String(err) }));
  deps.metrics?.deliveries.inc({ type: "alert", outcome: outcome.ok ? "sent" : "failed" });
  if (outcome.ok) {
    await deps.prisma.alertEvent.update({ where: { id: e.id }, data: { status: "sent", sentAt: new Date() } });
    return;
  }
  await deps.prisma.alertEvent.update({ where: { id: e.id }, data: outcome.permanent ? { status: "failed", error: outcome.error } : { error: outcome.error, claimedAt: new Date(0) } });
  if (outcome.permanent) await pauseAndTellOwner(deps, e.alert, `A${e.alert.id}`, outcome.error);
}

/** Events left pending by a process that died (or failed transiently): claimed by compare-and-set, sent once. */
async function resendStaleAlertEvents(deps: RunnerDeps): Promise<void> {
  const stale = new Date(Date.now() - (deps.claimLeaseMs ?? CLAIM_LEASE_MS));
  const events = await deps.prisma.alertEvent.findMany({
    where: { status: "pending", claimedAt: { lt: stale }, alert: { active: true } },
    include: { alert: true },
    orderBy: { id: "asc" },
  });
  for (const e of events) {
    // checkAlerts, which runs first, has paused alerts that do not parse.
    const alert = StoredAlert.safeParse(e.alert);
    if (!alert.success || !deps.senders[alert.data.platform]) continue;
    try {
      const claimed = await deps.prisma.alertEvent.updateMany({ where: { id: e.id, status: "pending", claimedAt: e.claimedAt }, data: { claimedAt: new Date() } });
      if (claimed.count === 1) await sendAlertEvent(deps, { ...e, alert: alert.data });
    } catch (err) {
      deps.logger?.error("alert_resend_failed", { event: String(e.id), error: err instanceof Error ? err.message : String(err) });
    }
  }
}

export function alertReply(a: StoredAlert, kind: string, value: number, currency: string, group: string | null = null): Reply {
  const lang = a.lang;
  const w = digestWords(lang);
  const unit = METRICS[a.metric].unit;
  const v = formatValue(value, unit, lang, currency);
  // A breakdown alert names the group that crossed.
  const what = `${alertWhat(lang, a, currency)}${group ? ` · ${group}` : ""}`;
  const reply = textReply("answer", lang, `${w.alertTitle} A${a.id}`, kind === "fired" ? w.fired(what, v) : w.cleared(what, v));
  // A channel alert carries only an aggregate (its query was answered for a channel audience).
  return a.private ? reply : { ...reply, visibility: "shareable" };
}
