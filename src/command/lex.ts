import { isValidDate, daysInMonth, formatDate, type LocalDate } from "../time/calendar.ts";
import { EN_SHAPES, ZH_ANCHORED, parseNumber } from "./patterns.ts";
import type { PeriodSpec } from "./period.ts";
import { DEFAULT_RANK, MAX_RANK, type CommandErrorCode } from "./schema.ts";
import type { Token } from "./tokenize.ts";
import {
  BY_WORDS,
  EXPORT_WORDS,
  FILLER_WORDS,
  FILTER_WORDS,
  LAST_N_UNIT_WORDS,
  METRIC_ALIASES,
  MONTH_NAMES,
  OPTION_WORDS,
  PERIOD_WORDS_EN,
  PERIOD_WORDS_ZH,
  RANGE_JOINERS,
  RELATIVE_WORDS,
  SCOPE_WORDS,
  UNIT_WORDS,
  type DimensionWord,
  type ExportFormat,
  type Lang,
  type MetricId,
  type OptionWord,
  type PeriodWord,
  type ScopeWord,
  type Words,
} from "./vocabulary.ts";

/** Years a period may name. */
export const MIN_YEAR = 1970;
export const MAX_YEAR = 2999;
/** Longest `last N …` windows. */
const LAST_N_MAX: Readonly<Record<"day" | "week" | "month", number>> = { day: 3660, week: 520, month: 120 };

/** What a token (or a run of tokens) means, before the parts are put together. */
export type LexemeBody =
  | { t: "metric"; id: MetricId }
  | { t: "scope"; word: ScopeWord }
  | { t: "period"; spec: PeriodSpec }
  | { t: "rank"; dir?: "top" | "bottom"; n?: number }
  | { t: "option"; word: "dist" | "compare" | "vs" | "help" | "metrics" | "scorecard" }
  | { t: "by"; dim: DimensionWord }
  /** `export` / `导出` (no format: CSV unless a format word says otherwise), `csv`, `xlsx`. */
  | { t: "export"; format?: ExportFormat }
  | { t: "filter"; dim: DimensionWord }
  | { t: "filler" }
  | { t: "person"; text: string }
  | { t: "quoted"; text: string }
  | { t: "word"; text: string }
  | { t: "error"; code: CommandErrorCode; suggestions: string[] };

/** `src` is the user's text for it (for messages); `lang` the language of the word, if any. */
export type Lexeme = LexemeBody & { src: string; lang?: Lang };

type Match = { len: number; body: LexemeBody; lang?: Lang };

type Entry = { words: readonly string[]; body: LexemeBody; lang: Lang };

function entriesOf(words: Words, body: LexemeBody): Entry[] {
  return [
    ...words.en.map((w) => ({ words: w.split(" "), body, lang: "en" as const })),
    ...words.zh.map((w) => ({ words: [w], body, lang: "zh" as const })),
  ];
}

function optionBody(word: OptionWord): LexemeBody {
  switch (word) {
    case "top":
    case "bottom":
      return { t: "rank", dir: word };
    case "rank":
      return { t: "rank" };
    default:
      return { t: "option", word };
  }
}

function periodBody(word: PeriodWord): LexemeBody {
  return { t: "period", spec: word };
}

/** Every fixed word and phrase, grouped by first word, longest phrase first. */
const PHRASES: ReadonlyMap<string, readonly Entry[]> = (() => {
  const all: Entry[] = [
    ...Object.entries(METRIC_ALIASES).flatMap(([id, words]) => entriesOf(words, { t: "metric", id: id as MetricId })),
    ...Object.entries(SCOPE_WORDS).flatMap(([word, words]) => entriesOf(words, { t: "scope", word: word as ScopeWord })),
    ...Object.entries(OPTION_WORDS).flatMap(([word, words]) => entriesOf(words, optionBody(word as OptionWord))),
    ...Object.entries(EXPORT_WORDS).flatMap(([word, words]) =>
      entriesOf(words, word === "export" ? { t: "export" } : { t: "export", format: word as ExportFormat }),
    ),
    ...Object.entries(BY_WORDS).flatMap(([dim, words]) => entriesOf(words, { t: "by", dim: dim as DimensionWord })),
    ...Object.entries(FILTER_WORDS).flatMap(([dim, words]) => entriesOf(words!, { t: "filter", dim: dim as DimensionWord })),
    ...Object.entries(PERIOD_WORDS_EN).map(([w, p]) => ({ words: w.split(" "), body: periodBody(p), lang: "en" as const })),
    ...Object.entries(PERIOD_WORDS_ZH).map(([w, p]) => ({ words: [w], body: periodBody(p), lang: "zh" as const })),
    ...entriesOf(FILLER_WORDS, { t: "filler" }),
  ];
  const map = new Map<string, Entry[]>();
  for (const e of all) {
    const first = e.words[0] ?? "";
    map.set(first, [...(map.get(first) ?? []), e]);
  }
  for (const [k, list] of map) map.set(k, [...list].sort((a, b) => b.words.length - a.words.length));
  return map;
})();

const HAN = /\p{Script=Han}/u;

/** Lower-cased text of a word or punctuation token at `i`; quoted text and people never match vocabulary. */
function wordAt(toks: readonly Token[], i: number): string | undefined {
  const tok = toks[i];
  return tok && (tok.kind === "word" || tok.kind === "punct") ? tok.lower : undefined;
}

function matchPhrase(toks: readonly Token[], i: number): Match | undefined {
  const first = wordAt(toks, i);
  if (first === undefined) return undefined;
  for (const e of PHRASES.get(first) ?? []) {
    if (e.words.every((w, k) => wordAt(toks, i + k) === w)) return { len: e.words.length, body: e.body, lang: e.lang };
  }
  return undefined;
}

const badPeriod = (suggestions: string[] = []): LexemeBody => ({ t: "error", code: "bad_period", suggestions });
const outOfRange = (suggestions: string[] = []): LexemeBody => ({ t: "error", code: "out_of_range", suggestions });

const yearOk = (y: number): boolean => y >= MIN_YEAR && y <= MAX_YEAR;

/** "2026" or "fy2026" (or "fy26") → 2026 when in range. */
function yearOf(word: string | undefined): number | undefined {
  if (word === undefined) return undefined;
  const m = /^(?:fy)?(\d{4})$/.exec(word) ?? /^fy(\d{2})$/.exec(word);
  if (!m) return undefined;
  const y = m[1]!.length === 2 ? 2000 + Number(m[1]) : Number(m[1]);
  return yearOk(y) ? y : undefined;
}

function quarterOf(word: string | undefined): number | undefined {
  const m = word === undefined ? null : /^q([1-4])$/.exec(word);
  return m ? Number(m[1]) : undefined;
}

type Endpoint = { from: LocalDate; to: LocalDate } | "invalid";

/** A range endpoint: a day (`2026-07-01`, `2026年7月1日`) or a whole month (`2026-07`, `2026年7月`). */
function endpointOf(word: string | undefined): Endpoint | undefined {
  if (word === undefined) return undefined;
  const day = EN_SHAPES.date.exec(word) ?? ZH_ANCHORED.yearMonthDay.exec(word);
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    if (!yearOk(y) || !isValidDate(y, m, d)) return "invalid";
    const date = { y, m, d };
    return { from: date, to: date };
  }
  const month = EN_SHAPES.month.exec(word) ?? ZH_ANCHORED.yearMonth.exec(word);
  if (month) {
    const [y, m] = [Number(month[1]), parseNumber(month[2] ?? "") ?? 0];
    if (!yearOk(y) || m < 1 || m > 12) return "invalid";
    return { from: { y, m, d: 1 }, to: { y, m, d: daysInMonth(y, m) } };
  }
  return undefined;
}

/** Suggests the nearest real day for an impossible date: 2026-02-30 → 2026-02-28. */
function dateSuggestion(word: string): string[] {
  const m = EN_SHAPES.date.exec(word);
  if (!m) return [];
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!yearOk(y) || mo < 1 || mo > 12 || d < 1) return [];
  return [formatDate({ y, m: mo, d: Math.min(d, daysInMonth(y, mo)) })];
}

function rangeBody(a: Endpoint, b: Endpoint): LexemeBody {
  if (a === "invalid" || b === "invalid") return badPeriod();
  if (formatDate(a.from) > formatDate(b.to)) return badPeriod([`${formatDate(b.from)}..${formatDate(a.to)}`]);
  return { t: "period", spec: { kind: "range", from: a.from, to: b.to } };
}

/** `[from|between] D (..|to|-|~|至|and) D`, or a single `D..D` token. */
function matchRange(toks: readonly Token[], i: number): Match | undefined {
  const lead = wordAt(toks, i);
  const skip = lead === "from" || lead === "between" ? 1 : 0;
  const single = wordAt(toks, i + skip);
  const joined = single === undefined ? null : EN_SHAPES.range.exec(single);
  if (joined) {
    const [a, b] = [endpointOf(joined[1]), endpointOf(joined[2])];
    return { len: skip + 1, body: a && b ? rangeBody(a, b) : badPeriod() };
  }
  const a = endpointOf(single);
  const joiner = wordAt(toks, i + skip + 1);
  const b = endpointOf(wordAt(toks, i + skip + 2));
  if (!a || !b || joiner === undefined) return undefined;
  if (!RANGE_JOINERS.includes(joiner) && !(lead === "between" && joiner === "and")) return undefined;
  return { len: skip + 3, body: rangeBody(a, b), lang: HAN.test(joiner) ? "zh" : undefined };
}

function lastNBody(n: number | undefined, unit: "day" | "week" | "month"): LexemeBody {
  if (n === undefined || n < 1 || n > LAST_N_MAX[unit]) return outOfRange([`last ${Math.min(Math.max(n ?? 1, 1), LAST_N_MAX[unit])} ${unit}s`]);
  return { t: "period", spec: { kind: "lastN", n, unit } };
}

/** English periods of two or three words. */
function matchPeriodPhrase(toks: readonly Token[], i: number): Match | undefined {
  const [w0, w1, w2] = [wordAt(toks, i), wordAt(toks, i + 1), wordAt(toks, i + 2)];
  if (w0 === undefined) return undefined;
  const rel = RELATIVE_WORDS[w0];
  const unit = w1 === undefined ? undefined : UNIT_WORDS[w1];
  if (rel !== undefined && unit !== undefined) {
    return { len: 2, body: { t: "period", spec: { kind: "relative", unit, offset: rel } }, lang: "en" };
  }
  if (w0 === "last" || w0 === "past" || w0 === "previous") {
    const nUnit = w2 === undefined ? undefined : LAST_N_UNIT_WORDS[w2];
    if (w1 !== undefined && EN_SHAPES.number.test(w1) && nUnit) {
      return { len: 3, body: lastNBody(Number(w1), nUnit), lang: "en" };
    }
    if (w0 === "past" && unit !== undefined) {
      const rolling = unit === "quarter" ? 3 : unit === "year" ? 12 : 1;
      return { len: 2, body: lastNBody(rolling, unit === "week" ? "week" : "month"), lang: "en" };
    }
  }
  const q0 = quarterOf(w0);
  const y1 = yearOf(w1);
  if (q0 !== undefined && y1 !== undefined) return { len: 2, body: { t: "period", spec: { kind: "quarter", q: q0, fy: y1 } } };
  const y0 = yearOf(w0);
  const q1 = quarterOf(w1);
  if (y0 !== undefined && q1 !== undefined) return { len: 2, body: { t: "period", spec: { kind: "quarter", q: q1, fy: y0 } } };
  const month = MONTH_NAMES[w0];
  if (month !== undefined && y1 !== undefined) {
    return { len: 2, body: { t: "period", spec: { kind: "month", month, year: y1 } }, lang: "en" };
  }
  if (month !== undefined && w0 !== "may") return { len: 1, body: { t: "period", spec: { kind: "month", month } }, lang: "en" };
  return undefined;
}

/** One-token periods: q3, q3-2026, 2026-q3, fy2026, 2026, 2026-09, 2026-09-15, and the Chinese shapes. */
function periodTokenBody(w: string): { body: LexemeBody; lang?: Lang } | undefined {
  const q = EN_SHAPES.quarter.exec(w);
  if (q) {
    const n = Number(q[1]);
    return { body: n >= 1 && n <= 4 ? { t: "period", spec: { kind: "quarter", q: n } } : badPeriod(["q1", "q2", "q3", "q4"]) };
  }
  const qy = EN_SHAPES.quarterYear.exec(w);
  const yq = EN_SHAPES.yearQuarter.exec(w);
  if (qy || yq) {
    const [qq, yy] = qy ? [Number(qy[1]), Number(qy[2])] : [Number(yq![2]), Number(yq![1])];
    return { body: yearOk(yy) ? { t: "period", spec: { kind: "quarter", q: qq, fy: yy } } : badPeriod() };
  }
  if (EN_SHAPES.fiscalYear.test(w) || EN_SHAPES.year.test(w)) {
    const y = yearOf(w);
    return { body: y === undefined ? badPeriod() : { t: "period", spec: { kind: "year", fy: y } } };
  }
  const month = EN_SHAPES.month.exec(w);
  if (month) {
    const [y, m] = [Number(month[1]), Number(month[2])];
    return { body: yearOk(y) && m >= 1 && m <= 12 ? { t: "period", spec: { kind: "month", month: m, year: y } } : badPeriod() };
  }
  const date = EN_SHAPES.date.exec(w);
  if (date) {
    const end = endpointOf(w);
    return {
      body: end && end !== "invalid" ? { t: "period", spec: { kind: "day", date: end.from } } : badPeriod(dateSuggestion(w)),
    };
  }
  return zhPeriodTokenBody(w);
}

function zhPeriodTokenBody(w: string): { body: LexemeBody; lang: Lang } | undefined {
  const zh = (body: LexemeBody): { body: LexemeBody; lang: Lang } => ({ body, lang: "zh" });
  const quarterNumber = (s: string | undefined): number => parseNumber(s ?? "") ?? 0;
  let m = ZH_ANCHORED.yearQuarter.exec(w);
  if (m) {
    const y = Number(m[1]);
    const q = quarterNumber(m[2] ?? m[3]);
    return zh(yearOk(y) ? { t: "period", spec: { kind: "quarter", q, fy: y } } : badPeriod());
  }
  m = ZH_ANCHORED.quarter.exec(w);
  if (m) return zh({ t: "period", spec: { kind: "quarter", q: quarterNumber(m[1] ?? m[2]) } });
  if (ZH_ANCHORED.yearMonthDay.test(w) || ZH_ANCHORED.yearMonth.test(w)) {
    const end = endpointOf(w);
    if (!end || end === "invalid") return zh(badPeriod());
    const spec: PeriodSpec = ZH_ANCHORED.yearMonthDay.test(w)
      ? { kind: "day", date: end.from }
      : { kind: "month", month: end.from.m, year: end.from.y };
    return zh({ t: "period", spec });
  }
  m = ZH_ANCHORED.month.exec(w);
  if (m) {
    const month = parseNumber(m[1] ?? "") ?? 0;
    return zh(month >= 1 && month <= 12 ? { t: "period", spec: { kind: "month", month } } : badPeriod());
  }
  m = ZH_ANCHORED.year.exec(w);
  if (m) {
    const y = Number(m[1]);
    return zh(yearOk(y) ? { t: "period", spec: { kind: "year", fy: y } } : badPeriod());
  }
  m = ZH_ANCHORED.lastN.exec(w);
  if (m) {
    const unit = m[2] === "天" || m[2] === "日" ? "day" : m[2] === "月" ? "month" : "week";
    const n = parseNumber(m[1] ?? "");
    const body = lastNBody(n, unit);
    return zh(body.t === "error" ? outOfRange([`最近${Math.min(Math.max(n ?? 1, 1), LAST_N_MAX[unit])}${m[2]}`]) : body);
  }
  return undefined;
}

function rankBody(dir: "top" | "bottom", n: number | undefined, lang: Lang): LexemeBody {
  if (n !== undefined && n >= 1 && n <= MAX_RANK) return { t: "rank", dir, n };
  const fix = Math.min(Math.max(n ?? DEFAULT_RANK, 1), MAX_RANK);
  const zh = dir === "top" ? `前${fix}名` : `后${fix}名`;
  return outOfRange([lang === "zh" ? zh : `${dir} ${fix}`]);
}

/** `top 5`, `bottom 3`, `top5`, `前5名`, `后3名`. (`top` alone is a phrase-table word.) */
function matchRank(toks: readonly Token[], i: number): Match | undefined {
  const [w0, w1] = [wordAt(toks, i), wordAt(toks, i + 1)];
  if (w0 === undefined) return undefined;
  const joined = EN_SHAPES.rank.exec(w0);
  if (joined) return { len: 1, body: rankBody(joined[1] as "top" | "bottom", Number(joined[2]), "en"), lang: "en" };
  const zhTop = ZH_ANCHORED.top.exec(w0);
  if (zhTop) return { len: 1, body: rankBody("top", parseNumber(zhTop[1] ?? ""), "zh"), lang: "zh" };
  const zhBottom = ZH_ANCHORED.bottom.exec(w0);
  if (zhBottom) return { len: 1, body: rankBody("bottom", parseNumber(zhBottom[1] ?? ""), "zh"), lang: "zh" };
  const isIn = (words: readonly string[]): boolean => words.includes(w0);
  const dir = isIn(OPTION_WORDS.top.en) ? "top" : isIn(OPTION_WORDS.bottom.en) ? "bottom" : undefined;
  // Up to three digits: a four-digit number after `top` is a year ("top 2026" = top 5 in 2026).
  if (dir && w1 !== undefined && /^\d{1,3}$/.test(w1)) return { len: 2, body: rankBody(dir, Number(w1), "en"), lang: "en" };
  return undefined;
}

/** The longest meaning starting at token `i`, or undefined. */
function matchAt(toks: readonly Token[], i: number): Match | undefined {
  const w = wordAt(toks, i);
  const single = w === undefined ? undefined : periodTokenBody(w);
  const candidates = [
    matchRange(toks, i),
    matchPeriodPhrase(toks, i),
    matchRank(toks, i),
    single && { len: 1, ...single },
    matchPhrase(toks, i),
  ];
  let best: Match | undefined;
  for (const c of candidates) if (c && (!best || c.len > best.len)) best = c;
  return best;
}

const DANGLING: ReadonlySet<string> = new Set([...Object.keys(RELATIVE_WORDS), "past"]);

/** `last` without a unit: suggest the unit the next word was probably meant to be. */
function danglingRelative(toks: readonly Token[], i: number, near: (word: string) => string | undefined): Match | undefined {
  const w0 = wordAt(toks, i);
  if (w0 === undefined || !DANGLING.has(w0)) return undefined;
  const w1 = wordAt(toks, i + 1);
  const unit = w1 === undefined ? undefined : near(w1);
  if (unit) return { len: 2, body: badPeriod([`${w0} ${unit}`]), lang: "en" };
  return { len: 1, body: badPeriod(["week", "month", "quarter", "year"].map((u) => `${w0} ${u}`)), lang: "en" };
}

function srcOf(toks: readonly Token[]): string {
  return toks.map((t) => t.text).join(" ");
}

/**
 * Tokens → lexemes, left to right, longest match first. A dashed word that is not itself
 * known is tried as its parts (`last-30-days` = `last 30 days`).
 * `nearUnit` maps a misspelt unit to the unit ("quartr" → "quarter") for the hint after `last`.
 */
export function lex(toks: readonly Token[], nearUnit: (word: string) => string | undefined): Lexeme[] {
  const out: Lexeme[] = [];
  let i = 0;
  while (i < toks.length) {
    const tok = toks[i]!;
    if (tok.kind === "person" || tok.kind === "quoted") {
      out.push({ t: tok.kind, text: tok.text, src: tok.text });
      i++;
      continue;
    }
    const found = matchAt(toks, i) ?? dashed(tok) ?? danglingRelative(toks, i, nearUnit);
    if (found) {
      const src = srcOf(toks.slice(i, i + found.len));
      out.push(found.lang ? { ...found.body, src, lang: found.lang } : { ...found.body, src });
      i += found.len;
      continue;
    }
    out.push(tok.kind === "punct" ? { t: "filler", src: tok.text } : { t: "word", text: tok.text, src: tok.text });
    i++;
  }
  return out;
}

/** `this-month`, `last-30-days`, `average-deal`: a dashed word whose parts make one meaning. */
function dashed(tok: Token): Match | undefined {
  if (tok.kind !== "word" || !tok.lower.includes("-")) return undefined;
  const parts = tok.text.split("-").filter((p) => p !== "");
  if (parts.length < 2) return undefined;
  const toks: Token[] = parts.map((p) => ({ kind: "word", text: p, lower: p.toLowerCase() }));
  const m = matchAt(toks, 0);
  return m && m.len === toks.length ? { ...m, len: 1 } : undefined;
}
