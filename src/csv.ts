/**
 * The one way the project writes CSV: RFC 4180 quoting, and OWASP's CSV-injection rule so a
 * spreadsheet never runs a cell as a formula. Every CSV file the project writes goes through
 * csvLine (text) or csvRow (typed cells: exports).
 */

/** Characters that make a spreadsheet read a cell as a formula (OWASP: = + - @ tab CR). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Text a spreadsheet will never run: a leading "'" before a cell that would start a formula.
 * Every text cell the project writes to CSV or XLSX goes through it (numbers are written as
 * numbers, never as text, so they need no prefix).
 *
 * @example
 * formulaSafe("=1+1"); // => "'=1+1"
 * formulaSafe("Ann");  // => "Ann"
 */
export function formulaSafe(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * One cell: a cell that would start a formula gets a leading "'" (shown as text, never run),
 * then quotes where the cell holds a quote, comma, line break or edge space.
 *
 * @example
 * csvCell("=HYPERLINK(\"http://x\")"); // => "\"'=HYPERLINK(\"\"http://x\"\")\""
 * csvCell("-5"); // => "'-5"
 */
export function csvCell(value: string): string {
  const safe = formulaSafe(value);
  return /[",\r\n]|^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV line of cells, ending in "\n". */
export function csvLine(cells: readonly string[]): string {
  return cells.map(csvCell).join(",") + "\n";
}

/**
 * One CSV line of typed cells: text as csvCell, numbers bare (a real number a spreadsheet can
 * sum, `-5` stays `-5`), null as an empty cell.
 *
 * @example
 * csvRow(["=x", -5, null, 0.25]); // => "'=x,-5,,0.25\n"
 */
export function csvRow(cells: readonly (string | number | null)[]): string {
  return cells.map((c) => (c === null ? "" : typeof c === "number" ? (Number.isFinite(c) ? String(c) : "") : csvCell(c))).join(",") + "\n";
}
