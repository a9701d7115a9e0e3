/**
 * The command language: text → typed Command. Pure; no database, no clock of its own
 * (`ctx.now` is passed in).
 *
 * Conventions callers rely on:
 * - Periods are resolved in `ctx.timeZone`; `start`/`end` are UTC instants of local day starts,
 *   `end` exclusive. Weeks start Monday. Quarters and years follow `ctx.fiscalYearStartMonth`;
 *   fiscal year N starts in calendar year N ("q1-2026" with start month 4 = Apr–Jun 2026,
 *   label "FY2026 Q1"; with start month 1 labels are "Q1 2026" and "2026").
 * - A bare "q3" is Q3 of the current fiscal year; a bare month name is in the current calendar
 *   year; "last N days" ends today inclusive; "ytd"/"qtd"/"mtd" end tomorrow 00:00 (grain =
 *   the unit). Whole units are not truncated to now ("this quarter" runs to quarter end).
 * - `previous(period, ctx)` needs the same time zone and fiscal start as the parse.
 * - Absent scope/metric/period are left undefined for the core to default. An empty command
 *   is `{ kind: "query", view: "summary", lang: "en" }`.
 * - Error messages quote the user's text: escape them for Slack/Teams markup.
 */
export { parseCommand } from "./parse.ts";
export { currentMonth, datesPeriod, previous, unitPeriod } from "./period.ts";
export { periodToken } from "./token.ts";
export { formatCommandError, helpText, metricLines } from "./messages.ts";
export {
  CalendarContext,
  Command,
  CommandError,
  CommandErrorCode,
  DEFAULT_RANK,
  Dimension,
  ExportFormat,
  TIME_DIMENSIONS,
  Grain,
  Lang,
  MAX_INPUT_CHARS,
  MAX_NAME_CHARS,
  MAX_RANK,
  MetricId,
  ParseContext,
  ParseResult,
  Period,
  Rank,
  Scope,
  TimeZone,
  FiscalYearStartMonth,
  type CalendarContextInput,
  type CommandKind,
  type ParseContextInput,
} from "./schema.ts";
export { METRIC_ALIASES, PERIOD_EXAMPLES, metricAliases } from "./vocabulary.ts";
