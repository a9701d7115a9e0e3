// The chat side of scheduling: subscribe, alert, list, unsubscribe. Checks who may deliver what
// where, then stores it; the scheduler (scheduler.ts / runner.ts) does the sending.
import type { Roster } from "../access/roster.ts";
import { decide, type Viewer } from "../access/rules.ts";
import type { Request, ScheduleCommand, ScheduleDesk } from "../bot.ts";
import type { Dimension, Scope } from "../command/index.ts";
import { BY_WORDS } from "../command/vocabulary.ts";
import type { PrismaClient } from "../data/db.ts";
import { METRICS } from "../metrics/index.ts";
import { formatValue } from "../format/index.ts";
import { resolveScope, targetErrorText } from "../insights/targets.ts";
import { messages } from "../i18n/messages.ts";
import type { Logger } from "../log.ts";
import { textReply, type Lang, type Reply } from "../reply.ts";
import { localStamp } from "../time/zone.ts";
import type { Ok, Result } from "../result.ts";
import { nextFire, type Schedule } from "./schedule.ts";
import { latestMilestones, MILESTONES } from "./milestones.ts";
import { activeAlerts, activeSubscriptions, type StoredAlert } from "./stored.ts";
import { digestWords } from "./words.ts";

export type DeskDeps = { prisma: PrismaClient; now: () => Date; timeZone: string; currency: string; logger?: Logger | undefined };

/** The scope as words the parser reads back, fixed at subscribe time (`team "East"`). */
function scopeWords(scope: Scope, resolvedTeam: string | undefined): string {
  switch (scope.kind) {
    case "me":
      return "me";
    case "rep":
      return `rep "${scope.who.replace(/"/g, "")}"`;
    case "team":
      return `team "${(resolvedTeam ?? scope.name ?? "").replace(/"/g, "")}"`;
    case "org":
      return "org";
  }
}

/** A breakdown or scorecard as words the parser reads back after the metric (`by team`, `scorecard`). */
export function shapeWords(c: { by?: Dimension | undefined; scorecard?: true | undefined }): string {
  return `${c.by ? ` ${BY_WORDS[c.by].en[0]}` : ""}${c.scorecard ? " scorecard" : ""}`;
}

/** A threshold as typed → the metric's stored unit (fractions, minor units). */
export function storedThreshold(metric: keyof typeof METRICS, value: number, percent: boolean): number {
  const unit = METRICS[metric].unit;
  if (unit === "percent") return percent || Math.abs(value) > 1 ? value / (percent ? 1 : 100) : value;
  if (unit === "currency") return Math.round(value * 100);
  return value;
}

function describeWhat(lang: Lang, query: string, metric: keyof typeof METRICS | null): string {
  return `${query}${metric ? ` · ${METRICS[metric].name[lang]}` : ""}`;
}

export function createScheduleDesk(deps: DeskDeps): ScheduleDesk {
  const { prisma } = deps;

  type Target = { words: string; personal: boolean };
  type Refused = { reply: Reply };

  async function target(viewer: Viewer, roster: Roster, scope: Scope, lang: Lang): Promise<Result<Target, Refused>> {
    const t = messages(lang);
    const resolved = resolveScope(viewer, roster, scope, { org: t.org, team: t.team });
    if (!resolved.ok) return { ok: false as const, reply: textReply("error", lang, t.errorTitle, targetErrorText(lang, resolved.error)) };
    const level = decide(viewer, resolved.value.target).level;
    if (level === "none") return { ok: false as const, reply: textReply("denied", lang, t.deniedTitle, t.denied(resolved.value.label)) };
    const teamName = resolved.value.target.kind === "team" ? roster.teams.find((x) => x.id === (resolved.value.target as { teamId: number }).teamId)?.name : undefined;
    return { ok: true as const, words: scopeWords(scope, teamName), personal: scope.kind === "me" || scope.kind === "rep" };
  }

  /**
   * Who may have this delivered where: channels only for managers and admins, never one
   * person's figures in a channel, and only what the asker may see. The scope defaults by role.
   */
  async function deliverable(
    viewer: Viewer, req: Request, c: { scope?: Scope | undefined; by?: Dimension | undefined; delivery: "here" | "private"; lang: Lang }, roster: Roster,
  ): Promise<Result<{ priv: boolean; resolved: Ok<Target>; destination: string }, Refused>> {
    const w = digestWords(c.lang);
    const priv = c.delivery === "private";
    const scope: Scope = c.scope ?? (viewer.role === "rep" ? { kind: "me" } : viewer.role === "admin" ? { kind: "org" } : { kind: "team" });
    if (!priv && viewer.role === "rep") return { ok: false as const, reply: textReply("denied", c.lang, w.title, w.channelNeedsManager) };
    if (!priv && !req.where) return { ok: false as const, reply: textReply("error", c.lang, w.title, w.noChannel) };
    const resolved = await target(viewer, roster, scope, c.lang);
    if (!resolved.ok) return resolved;
    // Per-rep groups are one person's figures each: the shared-post rules keep them out of channels.
    if (!priv && (resolved.personal || c.by === "rep")) return { ok: false as const, reply: textReply("error", c.lang, w.title, w.personalInChannel) };
    return { ok: true as const, priv, resolved, destination: priv ? req.userId : req.where! };
  }

  async function subscribe(viewer: Viewer, req: Request, c: Extract<ScheduleCommand, { kind: "subscribe" }>, roster: Roster): Promise<Reply> {
    const w = digestWords(c.lang);
    const checked = await deliverable(viewer, req, c, roster);
    if (!checked.ok) return checked.reply;
    const { priv, resolved, destination } = checked;
    const owner = await prisma.user.findUnique({ where: { id: viewer.id }, select: { timezone: true } });
    const schedule: Schedule = { cadence: c.cadence, day: c.day, time: c.time, timeZone: c.timeZone ?? owner?.timezone ?? deps.timeZone };
    const query = `${resolved.words}${c.metric ? ` ${c.metric}` : ""}${shapeWords(c)}`;
    const sub = await prisma.subscription.create({
      data: {
        ownerId: viewer.id, platform: req.platform, destination, private: priv,
        cadence: schedule.cadence, day: schedule.day, time: schedule.time, timeZone: schedule.timeZone, query, lang: c.lang,
      },
    });
    const next = nextFire(schedule, deps.now());
    return {
      ...textReply("answer", c.lang, w.title, w.subscribed(`S${sub.id}`, describeWhat(c.lang, query, null), w.when(schedule.cadence, schedule.day, schedule.time, schedule.timeZone), w.where(priv), localStamp(next, schedule.timeZone))),
      followUps: [{ label: w.listTitle, command: "/kpi subscriptions" }],
    };
  }

  async function alert(viewer: Viewer, req: Request, c: Extract<ScheduleCommand, { kind: "alert" }>, roster: Roster): Promise<Reply> {
    const w = digestWords(c.lang);
    const checked = await deliverable(viewer, req, c, roster);
    if (!checked.ok) return checked.reply;
    const { priv, resolved, destination } = checked;
    const threshold = storedThreshold(c.metric, c.threshold, c.percent);
    const a = await prisma.alert.create({
      data: {
        ownerId: viewer.id, platform: req.platform, destination, private: priv,
        query: `${resolved.words}${shapeWords(c)}`, metric: c.metric, op: c.op, threshold, lang: c.lang,
      },
    });
    return textReply("answer", c.lang, w.title, w.alerted(`A${a.id}`, alertWhat(c.lang, { query: a.query, metric: c.metric, op: c.op, threshold }, deps.currency), w.where(priv)));
  }

  /** Quota milestones: always private (the note carries the figures), on a scope the owner may see. */
  async function milestones(viewer: Viewer, req: Request, c: Extract<ScheduleCommand, { kind: "milestones" }>, roster: Roster): Promise<Reply> {
    const w = digestWords(c.lang);
    const checked = await deliverable(viewer, req, { scope: c.scope, delivery: "private", lang: c.lang }, roster);
    if (!checked.ok) return checked.reply;
    const { resolved, destination } = checked;
    const a = await prisma.alert.create({
      data: { ownerId: viewer.id, platform: req.platform, destination, private: true, query: resolved.words, metric: "quota", op: "milestones", threshold: 0, lang: c.lang },
    });
    return textReply("answer", c.lang, w.title, w.milestonesSet(`A${a.id}`, alertWhat(c.lang, { query: a.query, metric: "quota", op: "milestones", threshold: 0 }, deps.currency)));
  }

  async function list(viewer: Viewer, c: Extract<ScheduleCommand, { kind: "subscriptions" | "alerts" }>): Promise<Reply> {
    const w = digestWords(c.lang);
    if (c.kind === "subscriptions") {
      const subs = await activeSubscriptions(prisma, deps.logger, { ownerId: viewer.id });
      if (subs.length === 0) return textReply("answer", c.lang, w.listTitle, w.none);
      const now = deps.now();
      return {
        ...textReply("answer", c.lang, w.listTitle, ""),
        table: {
          columns: [...w.columns], align: ["left", "left", "left", "left", "left"],
          rows: subs.map((s) => [`S${s.id}`, s.query, w.when(s.cadence, s.day, s.time, s.timeZone), w.where(s.private), localStamp(nextFire(s, now), s.timeZone)]),
        },
      };
    }
    const alerts = await activeAlerts(prisma, deps.logger, { ownerId: viewer.id });
    if (alerts.length === 0) return textReply("answer", c.lang, w.alertsTitle, w.noAlerts);
    // Milestone alerts: the highest milestone reached in the latest period they were checked in.
    const reached = await latestMilestones(prisma, alerts.filter((a) => a.op === "milestones").map((a) => a.id));
    const state = (a: StoredAlert) => {
      if (a.op !== "milestones") return a.state === "firing" ? w.firing : w.clear;
      const r = reached.get(a.id);
      return r ? w.reached(r.milestone, r.periodKey) : w.noneReached;
    };
    return {
      ...textReply("answer", c.lang, w.alertsTitle, ""),
      table: {
        columns: [...w.alertColumns], align: ["left", "left", "left", "right", "left"],
        rows: alerts.map((a) => [
          `A${a.id}`, alertWhat(c.lang, a, deps.currency), state(a),
          a.lastValue === null ? "—" : formatValue(a.lastValue, METRICS[a.metric].unit, c.lang, deps.currency), w.where(a.private),
        ]),
      },
    };
  }

  async function unsubscribe(viewer: Viewer, c: Extract<ScheduleCommand, { kind: "unsubscribe" }>): Promise<Reply> {
    const w = digestWords(c.lang);
    const id = Number(c.ref.slice(1));
    // Owners remove their own; admins may remove anyone's.
    const owner = viewer.role === "admin" ? {} : { ownerId: viewer.id };
    const r = c.ref.startsWith("S")
      ? await prisma.subscription.updateMany({ where: { id, active: true, ...owner }, data: { active: false } })
      : await prisma.alert.updateMany({ where: { id, active: true, ...owner }, data: { active: false } });
    return r.count > 0 ? textReply("answer", c.lang, w.title, w.removed(c.ref)) : textReply("error", c.lang, w.title, w.notFound(c.ref));
  }

  return {
    async handle(viewer, req, command, roster, record) {
      const reply = await route(viewer, req, command, roster);
      // Every scheduling decision is audited like a question: allowed, denied or refused.
      await record(reply.kind === "answer" ? "allowed" : reply.kind === "denied" ? "denied" : "error", command.kind);
      return reply;
    },
  };

  async function route(viewer: Viewer, req: Request, command: ScheduleCommand, roster: Roster): Promise<Reply> {
    if (req.platform === "console" && (command.kind === "subscribe" || command.kind === "alert" || command.kind === "milestones")) {
      // Scheduled messages need a chat to land in.
      return textReply("error", command.lang, digestWords(command.lang).title, messages(command.lang).schedulesUnavailable);
    }
    switch (command.kind) {
      case "subscribe":
        return subscribe(viewer, req, command, roster);
      case "alert":
        return alert(viewer, req, command, roster);
      case "milestones":
        return milestones(viewer, req, command, roster);
      case "subscriptions":
      case "alerts":
        return list(viewer, command);
      case "unsubscribe":
        return unsubscribe(viewer, command);
    }
  }
}

/** "team "East" · Win rate below 20%", "me · Quota attainment milestones 50/90/100/120%" */
export function alertWhat(lang: Lang, a: Pick<StoredAlert, "query" | "metric" | "op" | "threshold">, currency: string): string {
  const w = digestWords(lang);
  const def = METRICS[a.metric];
  if (a.op === "milestones") return `${a.query} · ${def.name[lang]} ${w.milestonesWord} ${MILESTONES.join("/")}%`;
  return `${a.query} · ${def.name[lang]} ${a.op === "below" ? w.below : w.above} ${formatValue(a.threshold, def.unit, lang, currency)}`;
}
