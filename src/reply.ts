// The platform-neutral answer every adapter renders (Block Kit, Adaptive Cards, terminal text).
// It is a public interface: `npm run ask -- --json` prints it, the README documents it.
import { z } from "zod";
import { EXPORT_FORMATS } from "./command/vocabulary.ts";
import { Dimension } from "./dimensions/registry.ts";
import { Lang } from "./i18n/lang.ts";
import { Unit } from "./metrics/index.ts";

export { Lang, Unit };

export const Delta = z.object({
  /** Formatted change, e.g. "+12.4%" or "−3 pts". */
  text: z.string(),
  direction: z.enum(["up", "down", "flat"]),
  /** Whether the change is an improvement (depends on the metric's direction); null if unknown. */
  good: z.boolean().nullable(),
});
export type Delta = z.infer<typeof Delta>;

export const Fact = z.object({ label: z.string(), value: z.string(), delta: Delta.optional() });
export type Fact = z.infer<typeof Fact>;

export const Table = z.object({
  columns: z.array(z.string()),
  /** Right-align numeric columns when rendering monospaced. */
  align: z.array(z.enum(["left", "right"])),
  rows: z.array(z.array(z.string())),
});
export type Table = z.infer<typeof Table>;


/**
 * The values a metric can take, where narrower than all numbers: a chart's forecast band and axis
 * stay inside it (null: unbounded on that side). Absent: never below 0, which holds for every
 * metric but a signed one (ROI ≥ −100%: { min: -1, max: null }; a change: both null).
 */
export const ValueRange = z.object({ min: z.number().nullable(), max: z.number().nullable() });
export type ValueRange = z.infer<typeof ValueRange>;

const ChartBase = z.object({ title: z.string(), unit: Unit, currency: z.string().optional(), lang: Lang, range: ValueRange.optional() });

/** Chart specs are data only; src/charts renders them. */
export const ChartSpec = z.discriminatedUnion("kind", [
  ChartBase.extend({
    kind: z.literal("bar"),
    bars: z.array(z.object({ label: z.string(), value: z.number(), flag: z.enum(["low", "top"]).nullable() })),
    median: z.number().nullable(),
  }),
  ChartBase.extend({
    kind: z.literal("trend"),
    points: z.array(z.object({ label: z.string(), value: z.number() })),
    trend: z.array(z.object({ label: z.string(), value: z.number() })).nullable(),
    forecast: z
      .array(z.object({ label: z.string(), value: z.number(), lower: z.number().nullable(), upper: z.number().nullable() }))
      .nullable(),
  }),
  ChartBase.extend({
    kind: z.literal("personal"),
    labels: z.array(z.string()),
    own: z.array(z.number().nullable()),
    teamMedian: z.array(z.number().nullable()),
    ownLabel: z.string(),
    teamLabel: z.string(),
  }),
  ChartBase.extend({
    kind: z.literal("distribution"),
    values: z.array(z.number()),
    highlight: z.number().nullable(),
  }),
]);
export type ChartSpec = z.infer<typeof ChartSpec>;

export const ReplyFlag = z.object({
  kind: z.enum(["low", "top"]),
  subject: z.string(),
  reason: z.string(),
  advice: z.string(),
});
export type ReplyFlag = z.infer<typeof ReplyFlag>;

export const FollowUp = z.object({ label: z.string(), command: z.string() });
export type FollowUp = z.infer<typeof FollowUp>;

/**
 * A breakdown's groups (`by team`, `by month` …), values unformatted like `rows`. `label`: the
 * group's name as stored; time groups have ISO keys (`2026-07`, `2026-W27`, `2026-Q3`).
 * `value: null`: withheld (fewer than 3 contributors the asker may not see). `share`: of the
 * total, additive metrics only. `delta`: vs the previous period (time groups: the bucket before).
 */
export const BreakdownGroup = z.object({
  key: z.string(),
  label: z.string(),
  value: z.number().nullable(),
  /** People in the group (a team's size) or contributing to it; null where a withheld group's count would say how few. */
  members: z.number().int().nullable(),
  share: z.number().min(0).max(1).nullable(),
  delta: z.number().nullable(),
  flag: z.enum(["low", "top"]).nullable(),
});
export type BreakdownGroup = z.infer<typeof BreakdownGroup>;
export const Breakdown = z.object({ by: Dimension, groups: z.array(BreakdownGroup) });
export type Breakdown = z.infer<typeof Breakdown>;

/**
 * One line of a scorecard: `metric` is the registry id, `value` over the period and `previous` over
 * the previous period of the same length (unformatted; null: no data or withheld), `rank` of `of`
 * among peer teams (a team) or in the team's distribution (a person), null where not shown.
 */
export const ScorecardLine = z.object({
  metric: z.string(),
  value: z.number().nullable(),
  previous: z.number().nullable(),
  rank: z.number().int().positive().nullable(),
  of: z.number().int().positive().nullable(),
  flag: z.enum(["low", "top"]).nullable(),
});
export type ScorecardLine = z.infer<typeof ScorecardLine>;

/** The answer's numbers unformatted, for scripts (`--json`). Money in minor units. */
export const Figures = z.object({
  metric: z.string(),
  unit: Unit,
  currency: z.string(),
  period: z.object({ label: z.string(), start: z.string(), end: z.string() }),
  total: z.number().nullable(),
  median: z.number().nullable(),
  /** How many people the metric ranks here (the people it applies to). */
  members: z.number().int().optional(),
  /** Quota attainment: the won sales and the quota behind `total` (minor units), when `total` is shown. */
  parts: z.object({ won: z.number(), quota: z.number() }).optional(),
  /** `compare`: each period's figures, in the order asked. */
  sides: z.array(z.object({ label: z.string(), start: z.string(), end: z.string(), total: z.number().nullable(), median: z.number().nullable(), members: z.number().int() })).optional(),
  /** Per person, only when the asker may see individuals. */
  rows: z.array(z.object({ name: z.string(), email: z.string(), value: z.number().nullable() })),
  /** `by <dimension>`: one figure per group. */
  breakdown: Breakdown.optional(),
  /** `scorecard`: the key metrics of the scope's function(s), one line each. */
  scorecard: z.array(ScorecardLine).optional(),
});
export type Figures = z.infer<typeof Figures>;

/**
 * An answer asked for as a file (`csv`, `xlsx`, `导出`): what the file needs beyond the reply's
 * own figures. Adapters turn the reply into the file with `buildExport` (src/export) and deliver
 * it privately; the figures in it are the reply's, so the file shows nothing the answer does not.
 */
export const ExportRequest = z.object({
  format: z.enum(EXPORT_FORMATS),
  /** Whose figures, as the answer names them ("Team Alpha", "Org", "Ann Lee"). */
  scope: z.string(),
  /** "Name <email>" of the asker. */
  askedBy: z.string(),
  /** ISO instant the answer was computed. */
  generatedAt: z.string(),
});
export type ExportRequest = z.infer<typeof ExportRequest>;

export const Reply = z.object({
  kind: z.enum(["answer", "help", "error", "denied", "unlinked"]),
  lang: Lang,
  title: z.string(),
  summary: z.string(),
  facts: z.array(Fact),
  table: Table.optional(),
  charts: z.array(ChartSpec),
  flags: z.array(ReplyFlag),
  followUps: z.array(FollowUp),
  figures: Figures.optional(),
  /** Whom the figures are about: the asker alone, one other person, or a group (answers only). */
  about: z.enum(["self", "person", "group"]).optional(),
  /** private: figures about individual people, only the asker should see it. */
  visibility: z.enum(["private", "shareable"]),
  /** Present when the command asked for a file (answers only). */
  export: ExportRequest.optional(),
});
export type Reply = z.infer<typeof Reply>;

/** A reply that is only text (help, errors, denials). */
export function textReply(kind: Reply["kind"], lang: Lang, title: string, summary: string, followUps: FollowUp[] = []): Reply {
  return { kind, lang, title, summary, facts: [], charts: [], flags: [], followUps, visibility: "private" };
}

/**
 * Whether an asker may post this reply to a channel (after a fresh access check): answers to a
 * question about a group or another person; never answers about the asker alone, and never
 * confirmations of commands that change things (sharing would run them again).
 */
export function isShareable(reply: Reply): boolean {
  return reply.kind === "answer" && (reply.about === "group" || reply.about === "person");
}
