// handle(Request) → Reply: the one entry every adapter calls. Parses, checks access, answers,
// audits. User mistakes come back as replies; only bugs and outages are exceptions, and even
// those are turned into a polite reply here (the adapter never shows a stack trace).
import { z } from "zod";
import { teamFunction, visibility, type Audience, type Viewer } from "./access/rules.ts";
import { resolveViewer, viewerById, type Identity } from "./access/identity.ts";
import { createRosterCache, type Roster } from "./access/roster.ts";
import { currentMonth, formatCommandError, parseCommand, previous, unitPeriod, type Command, type Lang, type Period } from "./command/index.ts";
import { messages } from "./i18n/messages.ts";
import { answerCompare } from "./insights/compare.ts";
import { createFormats, type Formats } from "./format/index.ts";
import { METRICS } from "./metrics/index.ts";
import { REVENUE_NOTE, revenueMeaning } from "./metrics/revenue.ts";
import { answerBreakdown } from "./insights/breakdown.ts";
import { resolveFilters } from "./insights/filters.ts";
import type { ValueFilter } from "./data/kpi-queries.ts";
import { answerQuery, type EngineDeps } from "./insights/query.ts";
import { quotaPeriod } from "./insights/quota-period.ts";
import { answerScorecard } from "./insights/scorecard.ts";
import { defaultScope, resolveScope, targetErrorText, type TargetError } from "./insights/targets.ts";
import type { Logger } from "./log.ts";
import { textReply, type Reply } from "./reply.ts";

/** Text safe to store: no control characters (PostgreSQL rejects NUL), no lone surrogates. */
export function storableText(s: string, max: number): string {
  return s.toWellFormed().replace(/[\u0000-\u001f\u007f]/g, " ").slice(0, max);
}

const platformId = z.string().min(1).max(200).transform((s) => storableText(s, 200).trim());

export const Request = z.object({
  platform: z.enum(["slack", "teams", "console"]),
  /** The platform's user id (Slack U…, Teams AAD id, or an email on the console). */
  userId: platformId,
  email: z.string().max(320).transform((s) => storableText(s, 320).trim()).optional(),
  /**
   * The platform proved who sent this request (a verified signature or token). Only then is a
   * user found by email linked to this platform id for good; otherwise the email is used for
   * this request alone.
   */
  authenticated: z.boolean().optional(),
  /** Where it was asked (channel / conversation id), for shareability decisions by adapters. */
  where: z.string().max(500).optional(),
  text: z.string(),
  /**
   * The id an adapter gave this command: the core's log lines and the audit row carry it, so one
   * command can be followed from the adapter through the core to the platform call.
   */
  requestId: z.string().max(100).transform((s) => storableText(s, 100)).optional(),
  /**
   * A "Post to channel" running the command again: the answer is for a channel, so an export word
   * in it makes no file (and no `export_requested` audit row).
   */
  share: z.boolean().optional(),
});
export type Request = z.infer<typeof Request>;


export type ScheduleCommand = Extract<Command, { kind: "subscribe" | "alert" | "milestones" | "subscriptions" | "alerts" | "unsubscribe" }>;

const isScheduleCommand = (c: Command): c is ScheduleCommand =>
  c.kind === "subscribe" || c.kind === "alert" || c.kind === "milestones" || c.kind === "subscriptions" || c.kind === "alerts" || c.kind === "unsubscribe";

/** Subscriptions and alerts (src/digests), given to the bot where scheduling is set up. */
export type ScheduleDesk = {
  /** `record` writes the decision to the audit log. */
  handle(viewer: Viewer, req: Request, command: ScheduleCommand, roster: Roster, record: (decision: string, reason?: string) => Promise<void>): Promise<Reply>;
};

/** The bot keeps one `formats` (its memo of number formatters) unless given one. */
export type BotDeps = Omit<EngineDeps, "formats"> & { formats?: Formats; logger?: Logger; schedules?: ScheduleDesk };

export type { Audience };

export type AnswerForOptions = {
  /** An exact period (a digest's week in the subscription's zone). */
  period?: Period;
  /** The quota period in force for whom the answer is about (quota milestones); see quota-period.ts. */
  quotaPeriod?: boolean;
  lang?: Lang;
};

export type Bot = {
  handle(request: Request): Promise<Reply>;
  /** Answer a query as a CRM user, for scheduled deliveries (`via` names the job in the audit log). */
  answerFor(userId: number, text: string, audience: Audience, via: string, options?: AnswerForOptions): Promise<Reply>;
};

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const guessLang = (text: string): Lang => (CJK.test(text) ? "zh" : "en");

function targetErrorReply(lang: Lang, e: TargetError): Reply {
  return textReply("error", lang, messages(lang).errorTitle, targetErrorText(lang, e));
}

function metricsReply(lang: Lang): Reply {
  const t = messages(lang);
  return {
    ...textReply("help", lang, t.metricsTitle, ""),
    table: {
      columns: [t.metric, t.definition],
      align: ["left", "left"],
      rows: Object.values(METRICS).map((m) => [`${m.id} (${m.name[lang]})`, m.definition[lang]]),
    },
    visibility: "shareable",
  };
}

export function createBot(botDeps: BotDeps): Bot {
  const deps: EngineDeps & BotDeps = { ...botDeps, formats: botDeps.formats ?? createFormats() };
  const { prisma } = deps;
  const rosters = createRosterCache(prisma);

  async function audit(viewerId: number | null, req: Request, decision: string, reason?: string): Promise<void> {
    // The audit log keeps who asked what and the decision; never tokens or other payload.
    // createMany: an INSERT without RETURNING, since nothing is read back.
    await prisma.auditLog
      .createMany({ data: [{ userId: viewerId, platform: req.platform, platformUserId: req.userId, command: storableText(req.text, 500), decision, reason: reason ?? null, requestId: req.requestId ?? null }] })
      .catch((e: unknown) => deps.logger?.error("audit_failed", { error: String(e) }));
  }

  async function handleCommand(req: Request, command: Command): Promise<Reply> {
    const t = messages(command.lang);
    const roster = await rosters.current();
    const identity: Identity = { platform: req.platform, userId: req.userId, email: req.email, authenticated: req.authenticated === true };
    const viewer = await resolveViewer(prisma, identity, roster);
    if (!viewer) {
      await audit(null, req, "unlinked");
      return textReply("unlinked", command.lang, t.unlinkedTitle, t.unlinked(req.email ?? req.userId));
    }
    if (command.kind === "help") return { ...textReply("help", command.lang, t.helpTitle, t.help), visibility: "shareable" };
    if (command.kind === "metrics") return metricsReply(command.lang);
    if (isScheduleCommand(command)) {
      if (!deps.schedules) return textReply("error", command.lang, t.errorTitle, t.schedulesUnavailable);
      return deps.schedules.handle(viewer, req, command, roster, (decision, reason) => audit(viewer.id, req, decision, reason));
    }

    const asked = req.share && command.exportAs ? { ...command, exportAs: undefined } : command;
    const reply = await answerAs(viewer, roster, asked, (decision, reason) => audit(viewer.id, req, decision, reason), "asker");
    // Asked as a file but nothing to put in one (a denial, an unknown team): say so, plainly.
    if (asked.exportAs && !reply.export) return { ...reply, summary: `${reply.summary}\n${t.exportNothing}` };
    return reply;
  }

  /** A query or comparison as this viewer; `audience` "channel" caps the answer at aggregates. */
  async function answerAs(
    viewer: Viewer,
    roster: Roster,
    command: Extract<Command, { kind: "query" | "compare" }>,
    record: (decision: string, reason?: string) => Promise<void>,
    audience: Audience,
    inQuotaPeriod = false,
  ): Promise<Reply> {
    const t = messages(command.lang);
    const scope = command.scope ?? defaultScope(viewer);
    if (audience === "channel" && (scope.kind === "me" || scope.kind === "rep")) {
      // A channel never gets one person's figures, whoever asks.
      await record("denied", "personal_scope_in_channel");
      return textReply("denied", command.lang, t.deniedTitle, t.denied(scope.kind === "me" ? t.you : scope.who));
    }
    const resolved = resolveScope(viewer, roster, scope, { org: t.org, team: t.team });
    if (!resolved.ok) {
      await record("error", resolved.error.code);
      return targetErrorReply(command.lang, resolved.error);
    }
    // What this answer may show: decided here, once, and handed to the answer modules.
    const vis = visibility(viewer, resolved.value.target, audience);
    if (!vis) {
      await record("denied", `${resolved.value.target.kind}:not_allowed`);
      return textReply("denied", command.lang, t.deniedTitle, t.denied(resolved.value.label));
    }
    // The audit row is written alongside the answer (not before it): both must finish before replying.
    const audited = record("allowed", vis.reason);
    // "revenue" is attributed campaign revenue for a marketing scope, won sales otherwise.
    const target = resolved.value.target;
    const meaning = command.metricWord === "revenue" ? revenueMeaning(target.kind, target.kind === "org" ? null : teamFunction(roster.teams, target.teamId) ?? null) : null;
    const metric = meaning?.metric ?? command.metric ?? "sales";
    const ctx = { timeZone: deps.timeZone, fiscalYearStartMonth: deps.fiscalYearStartMonth };
    let scoped = resolved.value;
    let filters: ValueFilter[] | undefined;
    if (command.filters && command.filters.length > 0) {
      // Values are looked up among the records of the people this answer covers (what the asker may see).
      const people = [...new Set([...scoped.group.map((p) => p.id), ...(scoped.subject ? [scoped.subject.id] : [])])];
      const f = await resolveFilters(prisma, command.filters, METRICS[metric], people, command.lang);
      if (!f.ok) {
        await audited;
        return textReply("error", command.lang, t.errorTitle, f.message);
      }
      filters = f.filters;
      scoped = { ...scoped, label: `${scoped.label} · ${f.label}` };
    }
    const common = { metric, resolved: scoped, roster, visibility: vis, lang: command.lang, filters };
    let answer: Promise<Reply>;
    if (command.kind === "compare") {
      answer = answerCompare(deps, viewer, { ...common, a: command.a, b: command.b });
    } else {
      const period = command.period ?? (inQuotaPeriod ? await quotaPeriod(deps, scoped) : defaultPeriod(deps, command.by));
      const q = { ...common, period, previous: previous(period, ctx), rank: command.rank, view: command.view };
      answer = command.scorecard ? answerScorecard(deps, viewer, q) : command.by ? answerBreakdown(deps, viewer, { ...q, by: command.by }) : answerQuery(deps, viewer, q);
    }
    const [answered] = await Promise.all([answer, audited]);
    let reply = answered;
    if (meaning?.assumed && reply.kind === "answer") {
      const note = REVENUE_NOTE[command.lang];
      reply = { ...reply, summary: `${reply.summary}\n${note.text}`, followUps: [{ label: note.label, command: note.command }, ...reply.followUps] };
    }
    if (command.exportAs && audience === "asker" && reply.kind === "answer" && reply.figures) {
      // The file is built from this reply's figures (src/export), already cut to what the asker
      // may see; the export is audited like the answer, on its own row.
      await record("export_requested", command.exportAs);
      reply = { ...reply, export: { format: command.exportAs, scope: scoped.label, askedBy: `${viewer.name} <${viewer.email}>`, generatedAt: deps.now().toISOString() } };
    }
    return reply;
  }

  return {
    async answerFor(userId: number, text: string, audience: Audience, via: string, options: AnswerForOptions = {}): Promise<Reply> {
      const { period } = options;
      const parsed = parseCommand(text, { now: deps.now(), timeZone: deps.timeZone, fiscalYearStartMonth: deps.fiscalYearStartMonth });
      const lang = parsed.ok ? parsed.command.lang : parsed.lang;
      const t = messages(lang);
      if (!parsed.ok) return textReply("error", lang, t.errorTitle, formatCommandError(parsed.error, lang));
      if (parsed.command.kind !== "query" && parsed.command.kind !== "compare") return textReply("error", lang, t.errorTitle, t.internalError);
      const roster = await rosters.current();
      const viewer = viewerById(roster, userId);
      if (!viewer) return textReply("unlinked", lang, t.unlinkedTitle, t.unlinked(String(userId)));
      const req: Request = { platform: "console", userId: `user:${userId}`, text: `${via}: ${text}` };
      // An exact period (a digest's week in the subscription's zone) wins over re-reading words.
      // …and the subscriber's language wins over the language of the stored (English) words.
      const command = {
        ...(period && parsed.command.kind === "query" ? { ...parsed.command, period } : parsed.command),
        ...(options.lang ? { lang: options.lang } : {}),
      };
      return answerAs(viewer, roster, command, (decision, reason) => audit(viewer.id, req, decision, reason), audience, options.quotaPeriod === true);
    },
    async handle(raw: Request): Promise<Reply> {
      const parsedReq = Request.safeParse(raw);
      const text = typeof raw?.text === "string" ? raw.text : "";
      const lang = guessLang(text.slice(0, 2000));
      if (!parsedReq.success) return textReply("error", lang, messages(lang).errorTitle, messages(lang).internalError);
      const req = parsedReq.data;
      const log = req.requestId ? deps.logger?.child({ requestId: req.requestId }) : deps.logger;
      const started = performance.now();
      const reply = await handleRequest(req, log);
      // Kinds and timings only: never the user's text (the audit row keeps what is kept).
      if (req.requestId) log?.info("request_answered", { platform: req.platform, kind: reply.kind, ms: Math.round(performance.now() - started) });
      return reply;
    },
  };

  async function handleRequest(req: Request, log: Logger | undefined): Promise<Reply> {
    const parsed = parseCommand(req.text, { now: deps.now(), timeZone: deps.timeZone, fiscalYearStartMonth: deps.fiscalYearStartMonth });
    if (!parsed.ok) {
      const t = messages(parsed.lang);
      return textReply("error", parsed.lang, t.errorTitle, formatCommandError(parsed.error, parsed.lang), [
        { label: "help", command: parsed.lang === "zh" ? "/kpi 帮助" : "/kpi help" },
      ]);
    }
    try {
      return await handleCommand(req, parsed.command);
    } catch (e) {
      log?.error("handle_failed", { error: e instanceof Error ? e.message : String(e) });
      const t = messages(parsed.command.lang);
      return textReply("error", parsed.command.lang, t.errorTitle, t.internalError);
    }
  }
}

/** This month; a time breakdown without a period spans enough buckets to show a trend: weeks of this quarter, months or quarters of this year. */
function defaultPeriod(deps: EngineDeps, by?: string) {
  const ctx = { timeZone: deps.timeZone, fiscalYearStartMonth: deps.fiscalYearStartMonth };
  if (by === "week") return unitPeriod("quarter", 0, deps.now(), ctx);
  if (by === "month" || by === "quarter") return unitPeriod("year", 0, deps.now(), ctx);
  return currentMonth(deps.now(), ctx);
}
