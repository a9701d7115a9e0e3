import { z } from "zod";
import { isTimeZone } from "../time/zone.ts";
import { DIMENSIONS, EXPORT_FORMATS, Lang, MetricId } from "./vocabulary.ts";
import { Filter } from "../dimensions/registry.ts";

export { Filter };
export type { Filter as FilterType } from "../dimensions/registry.ts";

export { Lang, MetricId };

/** Longest input accepted, in Unicode code points after normalisation. */
export const MAX_INPUT_CHARS = 500;
/** Longest rep or team name kept from the text. */
export const MAX_NAME_CHARS = 100;
/** Largest N in `top N` / `bottom N`. */
export const MAX_RANK = 50;
/** N used by `top` / `bottom` / `rank` without a number. */
export const DEFAULT_RANK = 5;

export const Grain = z.enum(["day", "week", "month", "quarter", "year", "range"]);
export type Grain = z.infer<typeof Grain>;

/**
 * A concrete time span. `start` and `end` are the UTC instants of local midnights in the
 * workspace time zone (where DST skips midnight: the first instant of the day); `end` is
 * exclusive. `label` is English and language-neutral where it can be ("Q3 2026", "FY2026 Q1",
 * "2026-09", "week of 2026-11-23", "2026-07-01..2026-09-30", "last 30 days", "2026 YTD").
 * `start < end`, except for a calendar day a zone skipped entirely (Pacific/Apia 2011-12-30),
 * which is empty: `start = end`.
 */
export const Period = z
  .object({
    start: z.date(),
    end: z.date(),
    label: z.string().min(1),
    grain: Grain,
  })
  .refine((p) => p.start.getTime() <= p.end.getTime(), { message: "period start must not be after end" });
export type Period = z.infer<typeof Period>;

/** Raw user text naming a person or team, trimmed; resolution happens elsewhere. */
export const Name = z.string().trim().min(1).max(MAX_NAME_CHARS);

/**
 * Whose numbers. `rep.who` is a name, an email, `@handle`, a Slack mention `<@U123>` /
 * `<@U123|name>` or a Teams mention `<at>Name</at>`, exactly as typed.
 * `team` without `name` means the asker's own team(s).
 */
export const Scope = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("me") }),
  z.object({ kind: z.literal("rep"), who: Name }),
  z.object({ kind: z.literal("team"), name: Name.optional() }),
  z.object({ kind: z.literal("org") }),
]);
export type Scope = z.infer<typeof Scope>;

export const Rank = z.object({
  dir: z.enum(["top", "bottom"]),
  n: z.number().int().min(1).max(MAX_RANK),
});
export type Rank = z.infer<typeof Rank>;

/** What a breakdown groups by: sub-teams, people, calendar buckets, campaign channels. */
export const Dimension = z.enum(DIMENSIONS);
export type Dimension = z.infer<typeof Dimension>;

/** Dimensions whose groups are time buckets (ISO keys, a line chart). */
export const TIME_DIMENSIONS: readonly Dimension[] = ["month", "week", "quarter"];


/** `csv`, `xlsx`, `export`, `导出`: the answer also comes as a file of its table and figures. */
export const ExportFormat = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof ExportFormat>;

export const QueryCommand = z.object({
  kind: z.literal("query"),
  scope: Scope.optional(),
  metric: MetricId.optional(),
  /** The metric was named by "revenue" (收入, 营收): its meaning follows the scope (metrics/revenue.ts). */
  metricWord: z.literal("revenue").optional(),
  period: Period.optional(),
  view: z.enum(["summary", "dist"]),
  rank: Rank.optional(),
  /** `by team`, `按月`: one figure per group instead of one per person. */
  by: Dimension.optional(),
  /** `product "GTX Pro"`, `地区 华东`: only records with that value (as typed; resolved against the data). */
  filters: z.array(Filter).max(8).optional(),
  /** `scorecard`, `计分卡`: the key metrics of the scope's function(s) instead of one metric. */
  scorecard: z.literal(true).optional(),
  exportAs: ExportFormat.optional(),
  lang: Lang,
});

/** `compare A vs B`: `a` is the first period named, `b` the second (or `previous(a)`). */
export const CompareCommand = z.object({
  kind: z.literal("compare"),
  scope: Scope.optional(),
  metric: MetricId.optional(),
  metricWord: z.literal("revenue").optional(),
  a: Period,
  b: Period,
  filters: z.array(Filter).max(8).optional(),
  exportAs: ExportFormat.optional(),
  lang: Lang,
});

export const HelpCommand = z.object({ kind: z.literal("help"), lang: Lang });
export const MetricsCommand = z.object({ kind: z.literal("metrics"), lang: Lang });

// Scheduling commands (digests and alerts); parsed by schedule.ts.
export const Delivery = z.enum(["here", "private"]);

export const SubscribeCommand = z.object({
  kind: z.literal("subscribe"),
  cadence: z.enum(["weekly", "monthly"]),
  /** weekly: ISO weekday 1 (Mon) … 7 (Sun); monthly: day of month 1–28. */
  day: z.number().int().min(1).max(28),
  /** Local time of delivery, "HH:MM". */
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
  /** IANA zone; absent: the asker's zone, else the workspace's. */
  timeZone: z.string().optional(),
  scope: Scope.optional(),
  metric: MetricId.optional(),
  /** `subscribe weekly org csat by team`: the digest is the breakdown. */
  by: Dimension.optional(),
  /** `subscribe weekly team east scorecard`: the digest is the scorecard. */
  scorecard: z.literal(true).optional(),
  /** here: the channel it was asked in; private: a direct message to the asker. */
  delivery: Delivery,
  lang: Lang,
});
export type SubscribeCommand = z.infer<typeof SubscribeCommand>;

export const AlertCommand = z.object({
  kind: z.literal("alert"),
  scope: Scope.optional(),
  metric: MetricId,
  /** `alert team east winrate by product below 15%`: fires per group that crosses. */
  by: Dimension.optional(),
  op: z.enum(["below", "above"]),
  /** As typed: a percentage is already a fraction (20% → 0.2); money in major units. */
  threshold: z.number().finite(),
  percent: z.boolean(),
  delivery: Delivery,
  lang: Lang,
});
export type AlertCommand = z.infer<typeof AlertCommand>;

/**
 * `alert me quota milestones`, `alert team east quota milestones`, `提醒 我 配额 里程碑`: a private
 * note the first time the period's quota attainment reaches 50 %, 90 %, 100 %, 120 %.
 */
export const MilestonesCommand = z.object({
  kind: z.literal("milestones"),
  scope: Scope.optional(),
  lang: Lang,
});
export type MilestonesCommand = z.infer<typeof MilestonesCommand>;

export const ListCommand = z.object({ kind: z.enum(["subscriptions", "alerts"]), lang: Lang });
export type ListCommand = z.infer<typeof ListCommand>;
export const UnsubscribeCommand = z.object({
  kind: z.literal("unsubscribe"),
  /** "S12" (subscription) or "A7" (alert). */
  ref: z.string().regex(/^[SA]\d{1,9}$/),
  lang: Lang,
});
export type UnsubscribeCommand = z.infer<typeof UnsubscribeCommand>;


/** Every command carries `lang`; add new kinds (subscribe, alert) as new members here. */
export const Command = z.union([
  z.discriminatedUnion("kind", [QueryCommand, CompareCommand, HelpCommand, MetricsCommand, SubscribeCommand, AlertCommand, MilestonesCommand, UnsubscribeCommand]),
  ListCommand,
]);
export type Command = z.infer<typeof Command>;
export type CommandKind = Command["kind"];

export const CommandErrorCode = z.enum([
  /** a word the language does not know and nothing close to it */
  "unknown_word",
  /** a word close to a metric name */
  "unknown_metric",
  /** a period that cannot be read or does not exist (q5, 2026-02-30, `last` alone) */
  "bad_period",
  /** a keyword without its value (`rep` without a name, `compare` without periods) */
  "missing_value",
  /** two of a kind that cannot be combined (two metrics, two periods, top and bottom) */
  "conflict",
  /** the message, or a name in it, is longer than allowed */
  "too_long",
  /** a number outside its range (`top 80`, `last 0 days`) */
  "out_of_range",
  /** a subscription or alert whose schedule words cannot be read (`subscribe weekly 25:00`) */
  "bad_schedule",
]);
export type CommandErrorCode = z.infer<typeof CommandErrorCode>;

/**
 * A mistake the user can fix. `token` is the user's text at fault (for `conflict`: the
 * later item), `other` the earlier item of a conflict, `suggestions` what to type instead
 * (command-language fragments, best first, at most 3).
 */
export const CommandError = z.object({
  code: CommandErrorCode,
  token: z.string().optional(),
  other: z.string().optional(),
  suggestions: z.array(z.string()),
});
export type CommandError = z.infer<typeof CommandError>;

export const ParseResult = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true), command: Command }),
  z.object({ ok: z.literal(false), error: CommandError, lang: Lang }),
]);
export type ParseResult = z.infer<typeof ParseResult>;

/** An IANA time zone name that this runtime's Intl knows ("Asia/Shanghai", "UTC"). */
export const TimeZone = z.string().refine(isTimeZone, { message: "unknown IANA time zone" });

/** First month (1-12) of the fiscal year; fiscal year N starts in calendar year N. */
export const FiscalYearStartMonth = z.number().int().min(1).max(12);

export const ParseContext = z.object({
  now: z.date(),
  timeZone: TimeZone.default("UTC"),
  fiscalYearStartMonth: FiscalYearStartMonth.default(1),
});
/** The context after defaults. */
export type ParseContext = z.output<typeof ParseContext>;
/** What callers pass: `timeZone` and `fiscalYearStartMonth` may be left out. */
export type ParseContextInput = z.input<typeof ParseContext>;

/** The calendar settings periods depend on; `previous()` needs them too. */
export const CalendarContext = ParseContext.pick({ timeZone: true, fiscalYearStartMonth: true });
export type CalendarContextInput = z.input<typeof CalendarContext>;
