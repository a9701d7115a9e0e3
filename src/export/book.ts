// Reply → Book: the answer's figures as sheets of cells, the one model the CSV and XLSX writers
// share. Only the reply's own figures go in (figures.rows / breakdown / scorecard / sides, which
// the answer path already filtered for the asker), so a file never shows more than the answer.
import { DIMENSIONS } from "../dimensions/registry.ts";
import { createFormats, type Formats } from "../format/index.ts";
import type { Lang } from "../i18n/lang.ts";
import { METRICS, type MetricId, type Unit } from "../metrics/index.ts";
import type { ExportRequest, Figures, Reply } from "../reply.ts";
import { exportWords, type ExportWords } from "./words.ts";

/**
 * How a number cell is shown in a spreadsheet: money (major units, two decimals), a fraction
 * shown as a percentage, a whole number, or a plain decimal. CSV writes the bare number.
 */
export type NumberStyle = "money" | "percent" | "integer" | "decimal";

/** null: an empty cell (withheld, no data, not applicable). Text is written as text, never as a formula. */
export type Cell = null | string | { n: number; style: NumberStyle };

export type Sheet = { name: string; header: string[]; rows: Cell[][] };

/** `about`: title, period, scope, who asked, when; `data`: one sheet per table of figures. */
export type Book = { about: Sheet; data: Sheet[] };

/** A reply that can be exported: an answer with figures, asked for as a file. */
export type ExportableReply = Reply & { kind: "answer"; figures: Figures; export: ExportRequest };

export function isExportable(reply: Reply): reply is ExportableReply {
  return reply.kind === "answer" && reply.figures !== undefined && reply.export !== undefined;
}

/**
 * A value as a number cell: money from minor to major units (600000 → 6000, shown 6,000.00),
 * ratios stay fractions (0.25, shown 25%), counts whole. null and non-finite values: empty.
 *
 * @example
 * numberCell(123456, "currency") // => { n: 1234.56, style: "money" }
 * numberCell(0.25, "percent")    // => { n: 0.25, style: "percent" }
 */
export function numberCell(value: number | null | undefined, unit: Unit): Cell {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  switch (unit) {
    case "currency":
      return { n: Math.round(value) / 100, style: "money" };
    case "percent":
      return { n: value, style: "percent" };
    case "count":
      return { n: value, style: Number.isInteger(value) ? "integer" : "decimal" };
    default:
      return { n: value, style: "decimal" };
  }
}

const integer = (v: number | null | undefined): Cell => (v === null || v === undefined ? null : { n: v, style: "integer" });
const text = (v: string | null | undefined): Cell => (v === null || v === undefined || v === "" ? null : v);

/** The unit as a header word: the currency code for money, else the unit's id ("percent", "days"). */
const unitLabel = (unit: Unit, currency: string): string => (unit === "currency" ? currency : unit);

type Ctx = { reply: ExportableReply; f: Figures; lang: Lang; w: ExportWords; formats: Formats };

function formatted(ctx: Ctx, value: number | null | undefined, unit: Unit = ctx.f.unit): Cell {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  return ctx.formats.value(value, unit, ctx.lang, ctx.f.currency);
}

function metricName(id: string, lang: Lang): string {
  return id in METRICS ? METRICS[id as MetricId].name[lang] : id;
}

function unitOf(id: string, fallback: Unit): Unit {
  return id in METRICS ? METRICS[id as MetricId].unit : fallback;
}

function aboutSheet(ctx: Ctx): Sheet {
  const { reply, f, w } = ctx;
  const e = reply.export;
  const isScorecard = f.scorecard !== undefined;
  const row = (label: string, value: Cell, shown: Cell = null): Cell[] => [label, value, shown];
  const rows: Cell[][] = [
    row(w.title, reply.title),
    row(w.metric, isScorecard ? w.scorecard : metricName(f.metric, ctx.lang)),
    row(w.period, f.period.label),
    row(w.from, f.period.start),
    row(w.to, f.period.end),
    row(w.scope, e.scope),
  ];
  if (!isScorecard && !f.sides) {
    rows.push(row(w.total, numberCell(f.total, f.unit), formatted(ctx, f.total)));
    rows.push(row(w.median, numberCell(f.median, f.unit), formatted(ctx, f.median)));
  }
  if (f.members !== undefined) rows.push(row(w.members, integer(f.members)));
  if (isScorecard || f.unit === "currency") rows.push(row(w.currency, f.currency));
  rows.push(
    row(w.askedBy, e.askedBy),
    row(w.generatedAt, e.generatedAt),
    row(w.visibility, reply.visibility === "private" ? w.privateFile : w.shareableFile),
    row(w.notes, w.notesText),
  );
  return { name: w.about, header: [w.field, w.value, w.formatted], rows };
}

function peopleSheet(ctx: Ctx): Sheet {
  const { f, w, reply } = ctx;
  const money = f.unit === "currency";
  const flagOf = (name: string): Cell => {
    const flag = reply.flags.find((x) => x.subject === name);
    return flag ? (flag.kind === "low" ? w.low : w.top) : null;
  };
  const name = metricName(f.metric, ctx.lang);
  return {
    name: w.people,
    header: [w.name, w.email, `${name} (${unitLabel(f.unit, f.currency)})`, ...(money ? [w.currency] : []), `${name} (${w.formatted})`, w.flag],
    rows: f.rows.map((r) => [
      r.name,
      text(r.email),
      numberCell(r.value, f.unit),
      ...(money ? [r.value === null ? null : f.currency] : []),
      formatted(ctx, r.value),
      flagOf(r.name),
    ]),
  };
}

function breakdownSheet(ctx: Ctx, breakdown: NonNullable<Figures["breakdown"]>): Sheet {
  const { f, w } = ctx;
  const money = f.unit === "currency";
  const dim = DIMENSIONS[breakdown.by].name[ctx.lang];
  const name = metricName(f.metric, ctx.lang);
  return {
    name: w.by(dim),
    header: [w.key, dim, `${name} (${unitLabel(f.unit, f.currency)})`, ...(money ? [w.currency] : []), `${name} (${w.formatted})`, w.members, w.share, w.change, w.flag],
    rows: breakdown.groups.map((g) => [
      g.key,
      g.label,
      numberCell(g.value, f.unit),
      ...(money ? [g.value === null ? null : f.currency] : []),
      formatted(ctx, g.value),
      integer(g.members),
      numberCell(g.share, "percent"),
      numberCell(g.delta, f.unit),
      g.flag === null ? null : g.flag === "low" ? w.low : w.top,
    ]),
  };
}

function scorecardSheet(ctx: Ctx, lines: NonNullable<Figures["scorecard"]>): Sheet {
  const { f, w } = ctx;
  return {
    name: w.scorecard,
    header: [w.metric, w.unit, w.currency, w.value, w.formatted, w.previous, `${w.previous} (${w.formatted})`, w.rank, w.of, w.flag],
    rows: lines.map((l) => {
      const unit = unitOf(l.metric, f.unit);
      return [
        metricName(l.metric, ctx.lang),
        unitLabel(unit, f.currency),
        unit === "currency" ? f.currency : null,
        numberCell(l.value, unit),
        formatted(ctx, l.value, unit),
        numberCell(l.previous, unit),
        formatted(ctx, l.previous, unit),
        integer(l.rank),
        integer(l.of),
        l.flag === null ? null : l.flag === "low" ? w.low : w.top,
      ];
    }),
  };
}

function sidesSheet(ctx: Ctx, sides: NonNullable<Figures["sides"]>): Sheet {
  const { f, w } = ctx;
  return {
    name: w.periods,
    header: [w.period, w.from, w.to, `${w.total} (${unitLabel(f.unit, f.currency)})`, `${w.total} (${w.formatted})`, `${w.median} (${unitLabel(f.unit, f.currency)})`, `${w.median} (${w.formatted})`, w.members],
    rows: sides.map((s) => [s.label, s.start, s.end, numberCell(s.total, f.unit), formatted(ctx, s.total), numberCell(s.median, f.unit), formatted(ctx, s.median), integer(s.members)]),
  };
}

/**
 * The sheets of an exportable reply: About, then the scorecard, the breakdown, the compared
 * periods and the people (whichever the answer has; the people sheet always, even empty, when
 * there is nothing else, so a file with only aggregates still has its table's header).
 */
export function bookOf(reply: ExportableReply, formats: Formats = createFormats()): Book {
  const ctx: Ctx = { reply, f: reply.figures, lang: reply.lang, w: exportWords(reply.lang), formats };
  const data: Sheet[] = [];
  if (ctx.f.scorecard) data.push(scorecardSheet(ctx, ctx.f.scorecard));
  if (ctx.f.breakdown) data.push(breakdownSheet(ctx, ctx.f.breakdown));
  if (ctx.f.sides) data.push(sidesSheet(ctx, ctx.f.sides));
  if (ctx.f.rows.length > 0 || data.length === 0) data.push(peopleSheet(ctx));
  return { about: aboutSheet(ctx), data };
}
