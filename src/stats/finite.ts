/**
 * Guards shared by the statistics engine: every public function returns either a finite
 * number or `null`, never NaN or ±Infinity.
 */

/**
 * True when the array has at least `min` values and every value is a finite number.
 *
 * @example
 * hasFiniteValues([1, 2], 2); // => true
 * hasFiniteValues([1, NaN], 1); // => false
 */
export function hasFiniteValues(xs: readonly number[], min = 1): boolean {
  return xs.length >= min && xs.every(Number.isFinite);
}

/**
 * The value when it is a finite number, otherwise `null` (NaN, ±Infinity, null, undefined).
 *
 * @example
 * finiteOrNull(0.5); // => 0.5
 * finiteOrNull(1 / 0); // => null
 */
export function finiteOrNull(x: number | null | undefined): number | null {
  return typeof x === "number" && Number.isFinite(x) ? x : null;
}
