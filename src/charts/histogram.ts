// Equal-width histogram bins for the distribution chart.

export type Histogram = {
  /** k + 1 bin edges, ascending; bin i is [edges[i], edges[i+1]), the last one closed. */
  edges: number[];
  counts: number[];
};

/**
 * Sturges' rule: k = ⌈log₂ n⌉ + 1 equal-width bins from the minimum to the maximum. All-equal
 * values make one bin of zero width. Non-finite values are ignored.
 *
 * @example
 * sturgesHistogram([1, 2, 2, 3, 4, 5, 6, 8]); // n = 8 → k = 4, width 7/4
 * // => { edges: [1, 2.75, 4.5, 6.25, 8], counts: [3, 2, 2, 1] }
 */
export function sturgesHistogram(values: readonly number[]): Histogram {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { edges: [], counts: [] };
  let min = Infinity;
  let max = -Infinity;
  for (const v of finite) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === max) return { edges: [min, max], counts: [finite.length] };
  const k = Math.ceil(Math.log2(finite.length)) + 1;
  const width = (max - min) / k;
  const edges = Array.from({ length: k + 1 }, (_, i) => (i === k ? max : min + i * width));
  const counts = new Array<number>(k).fill(0);
  for (const v of finite) {
    const i = binIndex(edges, v);
    if (i !== null) counts[i] = (counts[i] ?? 0) + 1;
  }
  return { edges, counts };
}

/** Which bin of `edges` holds `value` (the last bin includes its upper edge); null outside. */
export function binIndex(edges: readonly number[], value: number): number | null {
  const k = edges.length - 1;
  const lo = edges[0];
  const hi = edges[k];
  if (k < 1 || lo === undefined || hi === undefined || !(value >= lo && value <= hi)) return null;
  // Binary search on the same edges used for the labels, so rounding cannot move a value.
  let a = 0;
  let b = k - 1;
  while (a < b) {
    const mid = (a + b + 1) >> 1;
    if (value >= (edges[mid] as number)) a = mid;
    else b = mid - 1;
  }
  return a;
}
