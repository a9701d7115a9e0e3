/**
 * Column parsers shared by the kinds: each is a zod schema from the cell's text to a typed
 * value, failing with a message that names what is wrong and a short `reason` used to group
 * rejections in the cleaning report.
 */
import { z } from "zod";
import { formatMinor, MAX_COUNT, MAX_MINOR, parseAmount, parseCount, type NumberFormat, type ParsedAmount } from "../amounts.ts";
import type { DateReader } from "../dates.ts";

/** What the row parsers need to know about this import. */
export type ParseContext = {
  /** Number convention for amounts and counts. */
  format: NumberFormat;
  /** ISO code filled in where a currency is missing. */
  currency: string;
  /** Reads this file's dates (time zone, day/month order). */
  dates: DateReader;
};

type Ctx = z.core.$RefinementCtx;

/** Record why the row is rejected (`path`: the column, when the check spans columns). */
export function issue(ctx: Ctx, reason: string, message: string, path?: string[]): void {
  ctx.addIssue({ code: "custom", message, params: { reason }, ...(path ? { path } : {}) });
}

/** Record a rejection of the current cell; returns z.NEVER, to end a transform with. */
export function fail(ctx: Ctx, reason: string, message: string): never {
  issue(ctx, reason, message);
  return z.NEVER;
}

/**
 * The parsed row, the missing values that were filled in (report descriptions, each starting
 * with its column and " → "), and the columns the row gives no value for (blank cells of
 * optional columns: an existing record keeps its stored value there unless --clear-empty).
 */
export type Parsed<Row> = { row: Row; fills: string[]; unset: string[] };

/** The columns among `columns` whose parsed value is null (their cell was blank). */
export function blanks<T extends Record<string, unknown>>(r: T, columns: readonly (keyof T & string)[]): string[] {
  return columns.filter((c) => r[c] === null);
}

const cell = z.string();

/** Non-blank text, trimmed. */
export const requiredText = cell.transform((s, ctx) => s.trim() || fail(ctx, "missing value", "is blank"));

/** Trimmed text, null when blank. */
export const optionalText = cell.transform((s) => s.trim() || null);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function readEmail(s: string, ctx: Ctx): string {
  const e = s.trim().toLowerCase();
  return EMAIL.test(e) ? e : fail(ctx, "invalid email", `"${s.trim()}" is not an email address`);
}

/** An email address, lowercased (emails are matched case-insensitively). */
export const requiredEmail = cell.transform((s, ctx) => (s.trim() ? readEmail(s, ctx) : fail(ctx, "missing value", "is blank")));

/** Who a row names: an email address (lowercased), or a person's full name to look up. */
export type PersonRef = { email: string } | { name: string };

/**
 * An email address or a person's full name, required. Text with an "@" must be an email; any
 * other text is a name, matched later against the people stored (case and spaces ignored).
 *
 * @example
 * personRef.parse(" Ada  Lovelace "); // => { name: "Ada Lovelace" }
 */
export const personRef = cell.transform((s, ctx): PersonRef => {
  const t = s.trim();
  if (t === "") return fail(ctx, "missing value", "is blank");
  if (t.includes("@")) return { email: readEmail(t, ctx) };
  return { name: t.replace(/\s+/g, " ") };
});

/** An email address, lowercased, or null when blank. */
export const optionalEmail = cell.transform((s, ctx) => (s.trim() ? readEmail(s, ctx) : null));

/**
 * One of `values`, matched case-insensitively with spaces, "_" and "-" alike, plus extra
 * spellings in `aliases` (e.g. "closed won" → won). Blank is an error unless `optional`, then null.
 */
export function enumWord<const T extends string>(values: readonly T[], aliases?: Record<string, T>): z.ZodType<T, string>;
export function enumWord<const T extends string>(values: readonly T[], aliases: Record<string, T>, optional: true): z.ZodType<T | null, string>;
export function enumWord<const T extends string>(values: readonly T[], aliases: Record<string, T> = {}, optional = false) {
  const lookup = new Map<string, T>(values.map((v) => [v.toLowerCase(), v]));
  for (const [alias, v] of Object.entries(aliases)) lookup.set(alias, v);
  return cell.transform((s, ctx): T | null => {
    const word = s.trim().toLowerCase().replace(/[\s_-]+/g, " ");
    if (word === "") return optional ? null : fail(ctx, "missing value", `is blank (expected ${values.join(", ")})`);
    const found = lookup.get(word);
    if (found !== undefined) return found;
    const guess = closest(word, lookup);
    return fail(ctx, "unknown value", `"${s.trim()}" is not one of ${values.join(", ")}${guess ? ` (did you mean ${guess}?)` : ""}`);
  });
}

/** Edit distance (insert, delete, substitute one character). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The value a mistyped word most likely meant: the spelling (value or alias) within a third of
 * its length in edits, or one the word starts (3 letters at least); undefined when none is close.
 *
 * @example
 * closest("sale", new Map([["sales", "sales"], ["service", "service"]])); // => "sales"
 */
export function closest<T extends string>(word: string, spellings: ReadonlyMap<string, T>): T | undefined {
  let best: { value: T; d: number } | undefined;
  for (const [spelling, value] of spellings) {
    const d = word.length >= 3 && spelling.startsWith(word) ? 0.5 : distance(word, spelling);
    if (d <= Math.max(1, Math.floor(spelling.length / 3)) && (!best || d < best.d)) best = { value, d };
  }
  return best?.value;
}

/**
 * A non-negative money amount in hundredths, and the currency its symbol names (if any);
 * blank is an error unless `required` is false, then null.
 */
export function amount(p: ParseContext): z.ZodType<ParsedAmount, string>;
export function amount(p: ParseContext, required: false): z.ZodType<ParsedAmount | null, string>;
export function amount(p: ParseContext, required = true): z.ZodType<ParsedAmount | null, string> {
  return cell.transform((s, ctx): ParsedAmount | null => {
    if (!required && s.trim() === "") return null;
    const r = parseAmount(s, p.format);
    if (!r.ok) return r.error === "is blank" ? fail(ctx, "missing value", "is blank") : fail(ctx, "invalid amount", r.error);
    if (r.value.minor < 0n) return fail(ctx, "negative amount", `"${s.trim()}" is negative`);
    if (r.value.minor > MAX_MINOR) return fail(ctx, "amount out of range", `"${s.trim()}" is above the largest amount accepted, ${formatMinor(MAX_MINOR)}`);
    return r.value;
  });
}

/** A whole number ≥ 0 (leads, conversions). */
export function count(p: ParseContext) {
  return cell.transform((s, ctx) => {
    const r = parseCount(s, p.format);
    if (!r.ok) return r.error === "is blank" ? fail(ctx, "missing value", "is blank") : fail(ctx, "invalid number", r.error);
    if (r.value < 0) return fail(ctx, "negative number", `"${s.trim()}" is negative`);
    return r.value > MAX_COUNT ? fail(ctx, "number out of range", `"${s.trim()}" is above the largest count accepted, ${MAX_COUNT.toLocaleString("en-US")}`) : r.value;
  });
}

/** A 3-letter ISO currency code, uppercased; null when blank. */
export const optionalCurrency = cell.transform((s, ctx) => {
  const c = s.trim().toUpperCase();
  if (c === "") return null;
  return /^[A-Z]{3}$/.test(c) ? c : fail(ctx, "invalid currency", `"${s.trim()}" is not a 3-letter currency code`);
});

/** A point in time (see dates.ts for accepted forms); required or null when blank. `column`: whose date order applies. */
export function instant(p: ParseContext, required: true, column?: string): z.ZodType<Date, string>;
export function instant(p: ParseContext, required: false, column?: string): z.ZodType<Date | null, string>;
export function instant(p: ParseContext, required: boolean, column?: string): z.ZodType<Date | null, string> {
  return cell.transform((s, ctx) => {
    if (s.trim() === "") return required ? fail(ctx, "missing value", "is blank") : null;
    const r = p.dates.instant(s, column);
    return r.ok ? r.value : fail(ctx, "invalid date", r.error);
  });
}

/** A calendar date "YYYY-MM-DD"; required or null when blank. */
export function calendarDate(p: ParseContext, required: true, column?: string): z.ZodType<string, string>;
export function calendarDate(p: ParseContext, required: false, column?: string): z.ZodType<string | null, string>;
export function calendarDate(p: ParseContext, required: boolean, column?: string): z.ZodType<string | null, string> {
  return cell.transform((s, ctx) => {
    if (s.trim() === "") return required ? fail(ctx, "missing value", "is blank") : null;
    const r = p.dates.calendarDate(s, column);
    return r.ok ? r.value : fail(ctx, "invalid date", r.error);
  });
}

/**
 * The currency of a money row: the currency column, else the one the amount's symbol names,
 * else the import's default. A symbol that names another currency than the column is an error.
 * Pushes a fill description when the column was blank, and "currency" to `unset` when nothing
 * in the row named one.
 */
export function settleCurrency(
  ctx: Ctx,
  fills: string[],
  column: string | null,
  marks: { column: string; currency: string | null }[],
  fallback: string,
  unset: string[],
): string {
  const named = marks.filter((m) => m.currency !== null);
  if (column !== null) {
    for (const m of named) {
      if (m.currency !== column) issue(ctx, "currency mismatch", `is in ${m.currency} but currency is ${column}`, [m.column]);
    }
    return column;
  }
  const first = named[0];
  if (first) {
    for (const m of named) {
      if (m.currency !== first.currency) issue(ctx, "currency mismatch", `is in ${m.currency} but ${first.column} is in ${first.currency}`, [m.column]);
    }
    fills.push(`currency → ${first.currency} (from the amount's symbol)`);
    return first.currency!;
  }
  fills.push(`currency → ${fallback} (default currency)`);
  unset.push("currency");
  return fallback;
}
