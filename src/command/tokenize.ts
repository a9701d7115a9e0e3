import { zhStickyPatterns } from "./patterns.ts";
import {
  BY_WORDS,
  EXPORT_WORDS,
  FILLER_WORDS,
  FILTER_WORDS,
  METRIC_ALIASES,
  OPTION_WORDS,
  PERIOD_WORDS_ZH,
  RANGE_JOINERS,
  SCOPE_WORDS,
  type Words,
} from "./vocabulary.ts";

/**
 * A piece of the command text.
 * - `word`: a word or a Chinese segment (`text` keeps the user's case, `lower` is for matching)
 * - `quoted`: the inside of "double quotes" (a multi-word name)
 * - `person`: a Slack mention `<@U123>` / `<@U123|name>`, a Teams `<at>Name</at>`, an email,
 *   `@handle`; Slack's `<mailto:a@b.c|a@b.c>` becomes the plain address
 * - `punct`: punctuation only (`-`, `..`, `~`), meaningful only between two dates
 */
export type Token = { readonly kind: "word" | "quoted" | "person" | "punct"; readonly text: string; readonly lower: string };


const HAN = /\p{Script=Han}/u;
const HANDLE = /^@[\p{L}\p{N}._-]+$/u;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/u;
const ASCII_RUN = "[A-Za-z0-9@._~/'-]+";

function allWords(table: Readonly<Record<string, Words>>): string[] {
  return Object.values(table).flatMap((w) => w.zh);
}

/** Every Chinese word the segmenter should cut out of unspaced text. */
const ZH_LEXICON: ReadonlySet<string> = new Set([
  ...allWords(METRIC_ALIASES),
  ...allWords(SCOPE_WORDS),
  ...allWords(OPTION_WORDS),
  ...allWords(BY_WORDS),
  ...allWords(EXPORT_WORDS),
  ...allWords(FILTER_WORDS as Record<string, Words>),
  ...Object.keys(PERIOD_WORDS_ZH),
  ...FILLER_WORDS.zh,
  ...RANGE_JOINERS.filter((j) => HAN.test(j)),
]);
const ZH_LEXICON_MAX = Math.max(...[...ZH_LEXICON].map((w) => w.length));

const token = (kind: Token["kind"], text: string): Token => ({ kind, text, lower: text.toLowerCase() });

/** Length of the longest vocabulary word or numbered shape starting at `i`, or 0. */
function knownLengthAt(chunk: string, i: number, shapes: readonly RegExp[]): number {
  let best = 0;
  for (const re of shapes) {
    re.lastIndex = i;
    const m = re.exec(chunk);
    if (m && m[0].length > best) best = m[0].length;
  }
  for (let len = Math.min(ZH_LEXICON_MAX, chunk.length - i); len > best; len--) {
    if (ZH_LEXICON.has(chunk.slice(i, i + len))) return len;
  }
  return best;
}

/**
 * Cuts a chunk of Chinese (possibly mixed with ASCII) into words: known words and numbered
 * shapes by longest match, ASCII runs whole, and whatever lies between as one unknown piece
 * (usually a name). Example: "团队东区销售额上季度" → ["团队", "东区", "销售额", "上季度"].
 * Names that contain a vocabulary word need spaces or quotes around them.
 */
export function segmentHan(chunk: string): string[] {
  const shapes = zhStickyPatterns();
  const asciiRun = new RegExp(ASCII_RUN, "y");
  const out: string[] = [];
  let pending = "";
  const flush = (): void => {
    if (pending) out.push(pending);
    pending = "";
  };
  let i = 0;
  while (i < chunk.length) {
    const known = knownLengthAt(chunk, i, shapes);
    if (known > 0) {
      flush();
      out.push(chunk.slice(i, i + known));
      i += known;
      continue;
    }
    asciiRun.lastIndex = i;
    const ascii = asciiRun.exec(chunk);
    if (ascii) {
      flush();
      out.push(ascii[0]);
      i += ascii[0].length;
      continue;
    }
    const step = (chunk.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
    pending += chunk.slice(i, i + step);
    i += step;
  }
  flush();
  return out;
}

/** Trims punctuation from the edges of a word (a leading `@` stays) and a possessive 's. */
function trimWord(word: string): string {
  return word
    .replace(/^[^\p{L}\p{N}@]+/u, "")
    .replace(/[^\p{L}\p{N}]+$/u, "")
    .replace(/(?<=\p{L})'s$/iu, "");
}

function plainToken(raw: string): Token {
  if (!/[\p{L}\p{N}]/u.test(raw)) return token("punct", raw);
  const word = trimWord(raw);
  return HANDLE.test(word) || EMAIL.test(word) ? token("person", word) : token("word", word);
}

function wordTokens(raw: string): Token[] {
  const first = plainToken(raw);
  if (first.kind !== "word" || !HAN.test(first.text)) return [first];
  return segmentHan(first.text).map(plainToken);
}

/**
 * Splits sanitized text into tokens. Separators: whitespace and , ; ! ? ( ) [ ] { } | : < >
 * and Chinese 。、【】《》. Never throws.
 * Example: `tokenize('rep "Li Wei" sales')` → word rep, quoted Li Wei, word sales.
 */
export function tokenize(text: string): Token[] {
  const pieces =
    /<@[A-Za-z0-9]+(?:\|[^<>]*)?>|<mailto:([^<>|]+)(?:\|[^<>]*)?>|<at>[^<>]*<\/at>|"([^"]*)"?|[^\s"<>,;!?()[\]{}|:。、【】《》]+/gu;
  const out: Token[] = [];
  for (const m of text.matchAll(pieces)) {
    const piece = m[0];
    if (piece.startsWith("<")) {
      out.push(token("person", m[1] ?? piece));
    } else if (piece.startsWith('"')) {
      const inside = (m[2] ?? "").trim();
      if (inside) out.push(token("quoted", inside));
    } else {
      out.push(...wordTokens(piece));
    }
  }
  return out;
}
