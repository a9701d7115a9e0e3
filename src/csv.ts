/**
 * The one way the project writes CSV: RFC 4180 quoting, and OWASP's CSV-injection rule so a
 * spreadsheet never runs a cell as a formula. Every CSV file the project writes goes through
 * csvLine.
 */

/** Characters that make a spreadsheet read a cell as a formula (OWASP: = + - @ tab CR). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One cell: a cell that would start a formula gets a leading "'" (shown as text, never run),
 * then quotes where the cell holds a quote, comma, line break or edge space.
 *
 * @example
 * csvCell("=HYPERLINK(\"http://x\")"); // => "\"'=HYPERLINK(\"\"http://x\"\")\""
 * csvCell("-5"); // => "'-5"
 */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV line of cells, ending in "\n". */
export function csvLine(cells: readonly string[]): string {
  return cells.map(csvCell).join(",") + "\n";
}
