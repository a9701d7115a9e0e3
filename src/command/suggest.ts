import { closest, type Candidate } from "./distance.ts";
import {
  BY_WORDS,
  METRIC_ALIASES,
  MONTH_NAMES,
  OPTION_WORDS,
  PERIOD_WORDS_EN,
  PERIOD_WORDS_ZH,
  RELATIVE_WORDS,
  SCOPE_WORDS,
  UNIT_WORDS,
  type Lang,
  type Words,
} from "./vocabulary.ts";

/** What a close candidate is, which decides the error code of an unknown word. */
export type SuggestionKind = "metric" | "period" | "scope" | "option" | "dimension";

const dash = (phrase: string): string => phrase.replaceAll(" ", "-");

function fromWords(table: Readonly<Record<string, Words>>, lang: Lang, kind: SuggestionKind): Candidate<SuggestionKind>[] {
  return Object.entries(table).flatMap(([key, words]) =>
    words[lang].map((w) => ({ text: dash(w.toLowerCase()), suggestion: w, kind, key: `${kind}:${key}` })),
  );
}

const UNIT_LIST = Object.keys(UNIT_WORDS);

function englishPeriods(): Candidate<SuggestionKind>[] {
  const relative = Object.keys(RELATIVE_WORDS).flatMap((rel) =>
    UNIT_LIST.map((unit) => ({ text: `${rel}-${unit}`, suggestion: `${rel} ${unit}`, kind: "period" as const })),
  );
  const units = UNIT_LIST.flatMap((unit) => [
    { text: unit, suggestion: `this ${unit}`, kind: "period" as const },
    { text: unit, suggestion: `last ${unit}`, kind: "period" as const },
  ]);
  const words = [...Object.keys(PERIOD_WORDS_EN), ...Object.keys(MONTH_NAMES).filter((m) => m.length > 3)].map((w) => ({
    text: dash(w),
    suggestion: w,
    kind: "period" as const,
  }));
  return [
    ...words,
    ...relative,
    { text: "last-30-days", suggestion: "last 30 days", kind: "period" },
    { text: "days", suggestion: "last 30 days", kind: "period" },
    ...units,
  ];
}

/** Everything an unknown word is compared with, metrics first (they win ties). */
const CANDIDATES: Readonly<Record<Lang, readonly Candidate<SuggestionKind>[]>> = {
  en: [
    ...fromWords(METRIC_ALIASES, "en", "metric"),
    ...englishPeriods(),
    ...fromWords(SCOPE_WORDS, "en", "scope"),
    ...fromWords(OPTION_WORDS, "en", "option"),
    ...fromWords(BY_WORDS, "en", "dimension"),
  ],
  zh: [
    ...fromWords(METRIC_ALIASES, "zh", "metric"),
    ...Object.keys(PERIOD_WORDS_ZH).map((w) => ({ text: w, suggestion: w, kind: "period" as const })),
    ...fromWords(SCOPE_WORDS, "zh", "scope"),
    ...fromWords(OPTION_WORDS, "zh", "option"),
    ...fromWords(BY_WORDS, "zh", "dimension"),
  ],
};

const UNIT_CANDIDATES: readonly Candidate<SuggestionKind>[] = [
  ...UNIT_LIST.map((u) => ({ text: u, suggestion: u, kind: "period" as const })),
  { text: "days", suggestion: "30 days", kind: "period" },
];

/**
 * Close words for an unknown word, by Damerau–Levenshtein distance, in the word's script
 * (Han → Chinese vocabulary, anything else → English). Example: "salse" → [sales (metric)].
 */
export function suggestFor(word: string): Candidate<SuggestionKind>[] {
  const lang: Lang = /\p{Script=Han}/u.test(word) ? "zh" : "en";
  return closest(word.toLowerCase(), CANDIDATES[lang]);
}

/** The unit a misspelt word after `last`/`this` was probably meant to be: "quartr" → "quarter". */
export function nearUnit(word: string): string | undefined {
  return closest(word.toLowerCase(), UNIT_CANDIDATES, 1)[0]?.suggestion;
}
