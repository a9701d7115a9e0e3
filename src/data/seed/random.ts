/**
 * A small seeded pseudo-random source for the demo data: mulberry32 underneath, so the same seed
 * always yields the same sequence on every platform. State lives in the returned closure only.
 */

/** A seeded stream of numbers and the few distributions the demo data draws from. */
export interface Random {
  /** Uniform on [0, 1). */
  next(): number;
  /** Uniform on [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Integer uniform on [lo, hi] (both inclusive). */
  int(lo: number, hi: number): number;
  /** true with probability p. */
  chance(p: number): boolean;
  /** Standard normal (Box–Muller) scaled to mean mu and standard deviation sd. */
  normal(mu?: number, sd?: number): number;
  /** Log-normal with the given median and log-scale sigma. */
  logNormal(median: number, sigma: number): number;
  /** Poisson count with mean lambda (Knuth; fine for the small means used here). */
  poisson(lambda: number): number;
  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** One key, with probability proportional to its weight. */
  weighted<K extends string | number>(weights: readonly (readonly [K, number])[]): K;
  /** A string of n characters drawn from alphabet. */
  chars(alphabet: string, n: number): string;
}

/**
 * mulberry32: a 32-bit generator, uniform on [0, 1).
 *
 * @example
 * const next = mulberry32(42);
 * next(); // => 0.6011037519201636
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Mix a seed with a stream number, so independent parts of the data (people, deals, tickets)
 * draw from separate streams and changing one part leaves the others as they were.
 *
 * @example
 * deriveSeed(42, 1) !== deriveSeed(42, 2); // => true
 */
export function deriveSeed(seed: number, stream: number): number {
  let h = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(stream + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A Random seeded with seed (an integer; only its low 32 bits matter). */
export function createRandom(seed: number): Random {
  const next = mulberry32(seed);
  const normal = (mu = 0, sd = 1) => {
    const u1 = 1 - next(); // (0, 1]: log is finite
    const u2 = next();
    return mu + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  };
  return {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    normal,
    logNormal: (median, sigma) => median * Math.exp(sigma * normal()),
    poisson(lambda) {
      if (lambda <= 0) return 0;
      const limit = Math.exp(-lambda);
      let k = 0;
      let p = next();
      while (p > limit) {
        k += 1;
        p *= next();
      }
      return k;
    },
    pick(items) {
      if (items.length === 0) throw new RangeError("pick from an empty list");
      return items[Math.floor(next() * items.length)]!;
    },
    weighted(weights) {
      const total = weights.reduce((s, [, w]) => s + w, 0);
      let r = next() * total;
      for (const [key, w] of weights) {
        r -= w;
        if (r < 0) return key;
      }
      return weights[weights.length - 1]![0];
    },
    chars(alphabet, n) {
      let out = "";
      for (let i = 0; i < n; i++) out += alphabet[Math.floor(next() * alphabet.length)];
      return out;
    },
  };
}
