import type { Err, Result } from "../result.ts";
import { lex, type Lexeme } from "./lex.ts";
import { previous, resolvePeriod, type Calendar, type PeriodSpec } from "./period.ts";
import { clip, hasHan, sanitize, stripCommandName } from "./sanitize.ts";
import {
  DEFAULT_RANK,
  MAX_NAME_CHARS,
  ParseContext,
  type Command,
  type CommandError,
  type Dimension,
  type ExportFormat,
  type Filter,
  type Lang,
  type MetricId,
  type ParseContextInput,
  type ParseResult,
  type Period,
  type Scope,
} from "./schema.ts";
import { parseAlert, parseSubscribe, parseUnsubscribe, scheduleHead, type PartsReader } from "./schedule.ts";
import { nearUnit, suggestFor } from "./suggest.ts";
import { tokenize } from "./tokenize.ts";
import { BY_WORDS, POSSESSIVE_WORDS, ZH_REP_OR_SALES } from "./vocabulary.ts";
import { isRevenueWord } from "../metrics/revenue.ts";
import { makeZone } from "../time/zone.ts";

type Failure = Err<{ error: CommandError }>;
type Found<T> = { value: T; src: string };

const failure = (error: CommandError): Failure => ({ ok: false, error });

const conflict = (first: string, second: string, suggestions: string[] = []): Failure =>
  failure({ code: "conflict", token: clip(second), other: clip(first), suggestions });

/**
 * The command language's parser: text → Command, pure, never throws for any text.
 *
 * `/kpi [scope] [metric] [period] [options]` in any order, any case, English or Chinese;
 * filler words are skipped so a plain question works. Examples:
 *   parseCommand("how did team east do on sales last quarter?", ctx)
 *     → { kind: "query", scope: { kind: "team", name: "east" }, metric: "sales", period: <last quarter>, view: "summary", lang: "en" }
 *   parseCommand("团队东区销售额上季度", ctx) → the same with name "东区" and lang "zh".
 * Throws only when `ctx` itself is invalid (unknown time zone, month outside 1-12): a bug, not user input.
 */
export function parseCommand(text: string, ctx: ParseContextInput): ParseResult {
  const context = ParseContext.parse(ctx);
  const raw = typeof text === "string" ? text : "";
  const clean = sanitize(raw);
  if (clean === undefined) {
    return { ok: false, error: { code: "too_long", suggestions: [] }, lang: hasHan(raw.slice(0, 2000)) ? "zh" : "en" };
  }
  const body = stripCommandName(clean);
  if (/^\?+$/.test(body)) return { ok: true, command: { kind: "help", lang: "en" } };
  const scheduled = scheduleHead(body);
  if (scheduled) return parseScheduled(scheduled, context);
  const lexemes = lex(tokenize(body), nearUnit);
  const lang = detectLang(lexemes, body);
  const result = commandOf(lexemes, lang, context);
  return result.ok ? result : { ok: false, error: result.error, lang };
}

/** subscribe / unsubscribe / subscriptions / alert / alerts: schedule words here, the rest as a query. */
function parseScheduled(s: NonNullable<ReturnType<typeof scheduleHead>>, ctx: ParseContext): ParseResult {
  const { head, rest } = s;
  const lexed = lex(tokenize(rest), nearUnit);
  const lang: Lang = s.lang === "zh" ? "zh" : detectLang(lexed, rest) === "zh" && rest !== "" ? "zh" : s.lang;
  const read: PartsReader = (text) => {
    const r = commandOf(lex(tokenize(text), nearUnit), lang, ctx);
    if (!r.ok) return r;
    if (r.command.kind !== "query") return { ok: false, error: { code: "unknown_word", token: text, suggestions: [] } satisfies CommandError };
    // A digest or alert is a message, not a file: an export word in one is a mistake to point at.
    const exported = exportWord(lex(tokenize(text), nearUnit));
    if (exported) return { ok: false, error: { code: "conflict", token: clip(exported), other: clip(head), suggestions: [examples.export[lang]] } satisfies CommandError };
    // Breakdowns and scorecards are carried; ranks and distributions are the digest's to choose.
    return { ok: true, parts: { scope: r.command.scope, metric: r.command.metric, by: r.command.by, scorecard: r.command.scorecard, lang }, hasPeriod: r.command.period !== undefined };
  };
  const done = (r: Result<{ command: Command }, { error: unknown }>): ParseResult =>
    r.ok ? { ok: true, command: r.command } : { ok: false, error: r.error as CommandError, lang };
  switch (head) {
    case "subscriptions":
    case "alerts":
      return { ok: true, command: { kind: head, lang } };
    case "unsubscribe":
      return done(parseUnsubscribe(rest, lang));
    case "subscribe":
      return done(parseSubscribe(rest, lang, ctx, read));
    case "alert":
      return done(parseAlert(rest, lang, read));
  }
}

/**
 * Chinese when any recognised word is Chinese, else English when any is English; names,
 * mentions and numbers do not count (`rep 李伟 sales` is English). With no recognised word
 * at all: Chinese when the text has Han characters.
 */
export function detectLang(lexemes: readonly Lexeme[], text: string): Lang {
  if (lexemes.some((l) => l.lang === "zh")) return "zh";
  if (lexemes.some((l) => l.lang === "en")) return "en";
  return hasHan(text) ? "zh" : "en";
}

/** The user's text of the first export word (`csv`, `导出` …), if any. */
function exportWord(lexemes: readonly Lexeme[]): string | undefined {
  return lexemes.find((l) => l.t === "export")?.src;
}

function commandOf(lexemes: readonly Lexeme[], lang: Lang, ctx: ParseContext): Result<{ command: Command }, { error: CommandError }> {
  // Help and the metric list are text, not figures: nothing to put in a file.
  const exported = exportWord(lexemes);
  const help = lexemes.find((l) => l.t === "option" && l.word === "help");
  if (help) return exported ? conflict(help.src, exported, [examples.export[lang]]) : { ok: true, command: { kind: "help", lang } };
  const meaningful = lexemes.filter((l) => l.t !== "filler" && l.t !== "export");
  if (meaningful.length > 0 && meaningful.every((l) => l.t === "option" && l.word === "metrics")) {
    return exported ? conflict(meaningful[0]!.src, exported, [examples.export[lang]]) : { ok: true, command: { kind: "metrics", lang } };
  }
  return assemble(lexemes, lang, ctx);
}

/** Everything a query or comparison collects while walking the lexemes. */
type Parts = {
  scope?: Found<Scope>;
  metric?: Found<MetricId>;
  periods: Found<PeriodSpec>[];
  dist?: string;
  rank?: { dir?: "top" | "bottom"; n?: number; src: string };
  compare?: string;
  by?: Found<Dimension>;
  filters: { value: Filter; src: string }[];
  scorecard?: string;
  export?: { format?: ExportFormat; src: string };
};

type Step = Result<{ parts: Parts; skip: number }, { error: CommandError }>;

const examples = {
  export: { en: "team sales last-quarter csv", zh: "团队 销售额 上季度 导出" },
  rep: { en: "rep @li.wei", zh: "销售 李伟" },
  compare: { en: "compare last-quarter vs this-quarter", zh: "对比 上季度 和 本季度" },
} as const;

function withScope(parts: Parts, scope: Scope, src: string): Step {
  if (parts.scope) return conflict(parts.scope.src, src);
  return { ok: true, parts: { ...parts, scope: { value: scope, src } }, skip: 0 };
}

function withMetric(parts: Parts, id: MetricId, src: string): Step {
  if (parts.metric) return parts.metric.value === id ? { ok: true, parts, skip: 0 } : conflict(parts.metric.src, src);
  return { ok: true, parts: { ...parts, metric: { value: id, src } }, skip: 0 };
}

function withRank(parts: Parts, dir: "top" | "bottom" | undefined, n: number | undefined, src: string): Step {
  const old = parts.rank;
  if (old && ((dir && old.dir && dir !== old.dir) || (n !== undefined && old.n !== undefined && n !== old.n))) {
    return conflict(old.src, src);
  }
  const rank = { dir: dir ?? old?.dir, n: n ?? old?.n, src: old ? `${old.src} ${src}` : src };
  return { ok: true, parts: { ...parts, rank }, skip: 0 };
}

/** `export`, `csv`, `导出 xlsx`: one format per answer; `export` alone leaves it to a format word or CSV. */
function withExport(parts: Parts, format: ExportFormat | undefined, src: string): Step {
  const old = parts.export;
  if (old?.format && format && old.format !== format) return conflict(old.src, src);
  const merged = { format: format ?? old?.format, src: old ? `${old.src} ${src}` : src };
  return { ok: true, parts: { ...parts, export: merged }, skip: 0 };
}

/** `rep`/`team`/`销售`/`代表` and the name after it, if any. */
function scopeWithName(parts: Parts, l: Lexeme & { t: "scope" }, next: Lexeme | undefined, lang: Lang): Step {
  const name = next && (next.t === "word" || next.t === "quoted" || next.t === "person") ? next.text.trim() : undefined;
  if (name !== undefined && next) {
    const length = Array.from(name).length;
    if (length > MAX_NAME_CHARS) return failure({ code: "too_long", token: clip(name), suggestions: [] });
    // "销售額": a one-character "name" after 销售 is more likely a misspelt word than a person.
    if (next.t === "word" && length === 1 && hasHan(l.src)) {
      const near = suggestFor(l.src + name).filter((c) => c.kind === "metric" || c.kind === "period");
      const first = near[0];
      if (first) {
        const code = first.kind === "metric" ? "unknown_metric" : "bad_period";
        return failure({ code, token: l.src + name, suggestions: near.map((c) => c.suggestion) });
      }
    }
    const scope: Scope = l.word === "rep" ? { kind: "rep", who: name } : { kind: "team", name };
    const step = withScope(parts, scope, `${l.src} ${next.src}`);
    return step.ok ? { ...step, skip: 1 } : step;
  }
  if (l.word === "team") return withScope(parts, { kind: "team" }, l.src);
  if (l.src === ZH_REP_OR_SALES) return withMetric(parts, "sales", l.src);
  return failure({ code: "missing_value", token: l.src, suggestions: [examples.rep[lang]] });
}

/** `product "GTX Pro"`, `region emea`, `地区 华东`: a filter word and the value after it. */
function withFilter(parts: Parts, l: Lexeme & { t: "filter" }, next: Lexeme | undefined, lang: Lang): Step {
  const value = next && (next.t === "word" || next.t === "quoted") ? next.text.trim() : undefined;
  if (value === undefined || value === "") {
    const example = lang === "zh" ? `${l.src} 华东` : `${l.src} "value"`;
    return failure({ code: "missing_value", token: clip(l.src), suggestions: [example] });
  }
  if (Array.from(value).length > MAX_NAME_CHARS) return failure({ code: "too_long", token: clip(value), suggestions: [] });
  const same = parts.filters.find((f) => f.value.dim === l.dim);
  if (same) return conflict(same.src, `${l.src} ${next!.src}`);
  return { ok: true, parts: { ...parts, filters: [...parts.filters, { value: { dim: l.dim, value }, src: `${l.src} ${next!.src}` }] }, skip: 1 };
}

function unknownWord(l: Lexeme & { t: "word" | "quoted" }, before: Lexeme | undefined, nameOf: Lexeme | undefined, lang: Lang): Failure {
  const token = clip(l.src);
  if (l.t === "quoted") {
    const q = `"${l.text}"`;
    return failure({ code: "unknown_word", token, suggestions: lang === "zh" ? [`销售 ${q}`, `团队 ${q}`] : [`rep ${q}`, `team ${q}`] });
  }
  const near = suggestFor(l.text);
  const first = near[0];
  if (first) {
    const code = first.kind === "metric" ? "unknown_metric" : first.kind === "period" ? "bad_period" : "unknown_word";
    return failure({ code, token, suggestions: near.map((c) => c.suggestion) });
  }
  // "rep Li Wei": an unquoted two-word name.
  if (nameOf && before && before.t === "word") {
    return failure({ code: "unknown_word", token, suggestions: [`${nameOf.src} "${before.text} ${l.text}"`] });
  }
  if (hasHan(l.text)) return failure({ code: "unknown_word", token, suggestions: [`团队 ${l.text}`, `销售 ${l.text}`] });
  return failure({ code: "unknown_word", token, suggestions: [] });
}

/** `by product`, `按产品`: a dimension we cannot group by (yet); suggest the closest ones that exist. */
function unknownDimension(l: Lexeme & { t: "word" | "quoted" }, before: Lexeme | undefined): Failure | undefined {
  const zh = l.t === "word" && l.text.startsWith("按") && Array.from(l.text).length > 1;
  const en = before?.t === "filler" && before.src.toLowerCase() === "by";
  if (!zh && !en) return undefined;
  const typed = zh ? l.text : `by ${l.text}`;
  const near = suggestFor(typed.replaceAll(" ", "-")).filter((c) => c.kind === "dimension").map((c) => c.suggestion);
  const all = Object.values(BY_WORDS).map((w) => (zh ? w.zh[0]! : w.en[0]!));
  return failure({ code: "unknown_word", token: clip(typed), suggestions: (near.length > 0 ? near : all).slice(0, 3) });
}

function step(parts: Parts, lexemes: readonly Lexeme[], i: number, lang: Lang): Step {
  const l = lexemes[i]!;
  const next = lexemes[i + 1];
  const same: Step = { ok: true, parts, skip: 0 };
  switch (l.t) {
    case "filler":
      return same;
    case "error":
      return failure({ code: l.code, token: clip(l.src), suggestions: l.suggestions });
    case "metric":
      return withMetric(parts, l.id, l.src);
    case "scope":
      if (l.word === "me") {
        const possessive = next?.t === "scope" && POSSESSIVE_WORDS.includes(l.src.toLowerCase()); // "my team"
        return possessive ? same : withScope(parts, { kind: "me" }, l.src);
      }
      if (l.word === "org") return withScope(parts, { kind: "org" }, l.src);
      return scopeWithName(parts, l, next, lang);
    case "person":
      return withScope(parts, { kind: "rep", who: l.text }, l.src);
    case "quoted":
    case "word": {
      const before = lexemes[i - 1];
      const keyword = lexemes[i - 2];
      const nameOf = keyword?.t === "scope" && (keyword.word === "rep" || keyword.word === "team") ? keyword : undefined;
      const dimension = unknownDimension(l, before);
      return dimension ?? unknownWord(l, before, nameOf, lang);
    }
    case "period":
      return { ok: true, parts: { ...parts, periods: [...parts.periods, { value: l.spec, src: l.src }] }, skip: 0 };
    case "rank":
      return withRank(parts, l.dir, l.n, l.src);
    case "by":
      // "sales by team east": `by` is filler before a named team or rep.
      if ((l.dim === "team" || l.dim === "rep") && (next?.t === "word" || next?.t === "quoted" || next?.t === "person") && !next.text.startsWith("按")) {
        return scopeWithName(parts, { t: "scope", word: l.dim, src: l.src.split(" ").at(-1)! }, next, lang);
      }
      if (parts.by) return parts.by.value === l.dim ? same : conflict(parts.by.src, l.src);
      return { ok: true, parts: { ...parts, by: { value: l.dim, src: l.src } }, skip: 0 };
    case "filter":
      return withFilter(parts, l, next, lang);
    case "export":
      return withExport(parts, l.format, l.src);
    case "option":
      if (l.word === "dist") return { ok: true, parts: { ...parts, dist: parts.dist ?? l.src }, skip: 0 };
      if (l.word === "compare" || l.word === "vs") return { ok: true, parts: { ...parts, compare: parts.compare ?? l.src }, skip: 0 };
      if (l.word === "scorecard") return { ok: true, parts: { ...parts, scorecard: parts.scorecard ?? l.src }, skip: 0 };
      return same; // "metrics" among other words: "team east metrics" = all metrics
  }
}

function assemble(lexemes: readonly Lexeme[], lang: Lang, ctx: ParseContext): Result<{ command: Command }, { error: CommandError }> {
  let parts: Parts = { periods: [], filters: [] };
  for (let i = 0; i < lexemes.length; i++) {
    const s = step(parts, lexemes, i, lang);
    if (!s.ok) return s;
    parts = s.parts;
    i += s.skip;
  }
  const zone = makeZone(ctx.timeZone);
  const cal: Calendar = { today: zone.dateAt(ctx.now), zone, fiscalStartMonth: ctx.fiscalYearStartMonth };
  const resolve = (p: Found<PeriodSpec>): Period => resolvePeriod(p.value, cal);
  const common = {
    ...(parts.scope && { scope: parts.scope.value }),
    ...(parts.metric && { metric: parts.metric.value }),
    ...(parts.filters.length > 0 && { filters: parts.filters.map((f) => f.value) }),
    ...(parts.metric?.value === "sales" && isRevenueWord(parts.metric.src) && { metricWord: "revenue" as const }),
    ...(parts.export && { exportAs: parts.export.format ?? ("csv" as const) }),
    lang,
  };
  const [p0, p1, p2] = parts.periods;
  if (parts.dist && parts.rank) return conflict(parts.dist, parts.rank.src);
  if (parts.dist && parts.by) return conflict(parts.dist, parts.by.src);
  if (parts.scorecard) {
    // A scorecard is its own set of metrics, one figure each: nothing to rank, split or compare.
    const extra = parts.metric?.src ?? parts.by?.src ?? parts.dist ?? parts.rank?.src ?? parts.compare;
    if (extra) return conflict(parts.scorecard, extra);
  }
  if (parts.compare !== undefined) {
    const extra = parts.dist ?? parts.rank?.src ?? parts.by?.src;
    if (extra) return conflict(parts.compare, extra);
    if (!p0) return failure({ code: "missing_value", token: parts.compare, suggestions: [examples.compare[lang]] });
    if (p2 && p1) return conflict(p1.src, p2.src);
    const a = resolve(p0);
    const b = p1 ? resolve(p1) : previous(a, ctx);
    return { ok: true, command: { kind: "compare", ...common, a, b } };
  }
  if (p0 && p1) {
    const hint = lang === "zh" ? `对比 ${p0.src} 和 ${p1.src}` : `compare ${p0.src} vs ${p1.src}`;
    return conflict(p0.src, p1.src, [hint]);
  }
  return {
    ok: true,
    command: {
      kind: "query",
      ...common,
      ...(p0 && { period: resolve(p0) }),
      view: parts.dist ? "dist" : "summary",
      ...(parts.rank && { rank: { dir: parts.rank.dir ?? "top", n: parts.rank.n ?? DEFAULT_RANK } }),
      ...(parts.by && { by: parts.by.value }),
      ...(parts.scorecard && { scorecard: true as const }),
    },
  };
}
