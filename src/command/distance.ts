/**
 * Damerau–Levenshtein distance (unrestricted: insertions, deletions, substitutions and
 * transpositions of adjacent characters, with edits allowed between transposed characters),
 * counted in Unicode code points. Lowrance–Wagner algorithm.
 * Examples: ("salse", "sales") → 1, ("kitten", "sitting") → 3, ("ca", "abc") → 2
 * (the restricted "optimal string alignment" distance would give 3).
 */
export function damerauLevenshtein(a: string, b: string): number {
  const s = Array.from(a);
  const t = Array.from(b);
  const n = s.length;
  const m = t.length;
  if (n === 0) return m;
  if (m === 0) return n;
  const inf = n + m;
  const width = m + 2;
  const d = new Array<number>((n + 2) * width).fill(0);
  const at = (i: number, j: number): number => d[i * width + j] ?? inf;
  const set = (i: number, j: number, v: number): void => {
    d[i * width + j] = v;
  };
  set(0, 0, inf);
  for (let i = 0; i <= n; i++) {
    set(i + 1, 0, inf);
    set(i + 1, 1, i);
  }
  for (let j = 0; j <= m; j++) {
    set(0, j + 1, inf);
    set(1, j + 1, j);
  }
  const lastRow = new Map<string, number>();
  for (let i = 1; i <= n; i++) {
    let lastMatchCol = 0;
    for (let j = 1; j <= m; j++) {
      const i1 = lastRow.get(t[j - 1] ?? "") ?? 0;
      const j1 = lastMatchCol;
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      if (cost === 0) lastMatchCol = j;
      set(
        i + 1,
        j + 1,
        Math.min(
          at(i, j) + cost,
          at(i + 1, j) + 1,
          at(i, j + 1) + 1,
          at(i1, j1) + (i - i1 - 1) + 1 + (j - j1 - 1),
        ),
      );
    }
    lastRow.set(s[i - 1] ?? "", i);
  }
  return at(n + 1, m + 1);
}

/**
 * Largest distance still worth suggesting for a word of this many code points:
 * 0 for one character (two for ASCII), 1 up to four, 2 beyond. Chinese words are short,
 * so two Han characters already allow one edit.
 */
export function maxSuggestDistance(word: string): number {
  const len = Array.from(word).length;
  const han = /\p{Script=Han}/u.test(word);
  if (len <= (han ? 1 : 2)) return 0;
  return len <= 4 ? 1 : 2;
}

/**
 * A word to compare against and what to suggest when it is close. Candidates sharing a
 * `key` (e.g. the aliases of one metric) yield one suggestion, the closest.
 */
export type Candidate<K extends string = string> = {
  readonly text: string;
  readonly suggestion: string;
  readonly kind: K;
  readonly key?: string;
};

/**
 * The candidates close to `word`, nearest first (ties keep candidate order), distinct
 * suggestions, at most `limit`. Example: closest("revnue", […"revenue"…]) → [revenue].
 */
export function closest<K extends string>(word: string, candidates: readonly Candidate<K>[], limit = 3): Candidate<K>[] {
  const max = maxSuggestDistance(word);
  if (max === 0) return [];
  const len = Array.from(word).length;
  const scored: { c: Candidate<K>; dist: number; order: number }[] = [];
  candidates.forEach((c, order) => {
    if (Math.abs(Array.from(c.text).length - len) > max) return;
    const dist = damerauLevenshtein(word, c.text);
    if (dist <= max) scored.push({ c, dist, order });
  });
  scored.sort((x, y) => x.dist - y.dist || x.order - y.order);
  const seen = new Set<string>();
  const out: Candidate<K>[] = [];
  for (const { c } of scored) {
    const key = c.key ?? c.suggestion;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(c);
    if (out.length === limit) break;
  }
  return out;
}
