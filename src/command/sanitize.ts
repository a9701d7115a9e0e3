import { MAX_INPUT_CHARS } from "./schema.ts";

/**
 * Untrusted text → clean text: lone surrogates dropped, NFKC (full-width letters, digits and
 * ideographic spaces become ASCII), control and format characters removed, typographic
 * dashes and quotes made plain, whitespace collapsed. `undefined` when the result is longer
 * than MAX_INPUT_CHARS code points (or the raw text is absurdly long to begin with).
 * Example: `sanitize("ＳＡＬＥＳ\u3000Ｑ３")` → "SALES Q3".
 */
export function sanitize(raw: string): string | undefined {
  // Guard before normalising: NFKC can expand text, and no command needs this much.
  if (raw.length > MAX_INPUT_CHARS * 4) return undefined;
  const text = raw
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "")
    .normalize("NFKC")
    .replace(/[\p{Cc}\p{Zl}\p{Zp}\u200B]/gu, " ")
    .replace(/\p{Cf}/gu, "")
    .replace(/[\u2010-\u2015\u2212]/g, "-")
    .replace(/[\u301C\u3030]/g, "~")
    .replace(/[\u201C-\u201F\u2033\u00AB\u00BB\u300C-\u300F]/g, '"')
    .replace(/[\u2018-\u201B\u2032]/g, "'")
    .replace(/\s+/gu, " ")
    .trim();
  return codePointLength(text) > MAX_INPUT_CHARS ? undefined : text;
}

export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** True when the text contains Han characters (the zh signal). */
export function hasHan(text: string): boolean {
  return /\p{Script=Han}/u.test(text);
}

/** Drops a leading `/kpi` or `kpi` (any case). Example: "/KPI sales" → "sales". */
export function stripCommandName(text: string): string {
  return text.replace(/^\/?kpi(?![a-z0-9_])/i, "").trim();
}

/** Shortens user text for quoting it back in a message. */
export function clip(text: string, max = 40): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}
