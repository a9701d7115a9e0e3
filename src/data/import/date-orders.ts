/**
 * Day/month order inferred per date column from the whole file, before the import reads it:
 * a year-last date such as `13/01/2021` can only be day first, so the whole column is read day
 * first (its `03/04/2021` is 3 April). A column whose dates are all ambiguous takes the order the
 * file's other date columns agree on; a file with no deciding date at all still needs
 * --date-order. The scan reads only cells (no database) and stops as soon as every date column
 * is decided or is seen to be written year first.
 */
import type { DateOrder } from "./dates.ts";
import type { RawRow } from "./rows.ts";

/** The columns of each kind that hold dates (the list XLSX date serials are read in, too). */
export { DATE_FIELDS as DATE_COLUMNS } from "./sources/date-fields.ts";

/** How one column's year-last dates are read, and why (for the report). */
export type ColumnOrder = { order: DateOrder; example: string; line: number; from: string };

const YEAR_LAST = /^\s*(\d{1,2})[-/](\d{1,2})[-/]\d{4}(?:$|[\sT])/;

/**
 * The order a year-last date's numbers prove, "ambiguous" when both readings are possible,
 * null when the text is not a year-last slash/dash date.
 *
 * @example
 * provenOrder("13/01/2021"); // => "dmy"
 * provenOrder("01/13/2021"); // => "mdy"
 * provenOrder("03/04/2021"); // => "ambiguous"
 * provenOrder("2021-01-13"); // => null
 */
export function provenOrder(text: string): DateOrder | "ambiguous" | null {
  const m = YEAR_LAST.exec(text);
  if (!m) return null;
  const a = Number(m[1]);
  const b = Number(m[2]);
  if (a > 12 && b <= 12) return "dmy";
  if (b > 12 && a <= 12) return "mdy";
  return a === b || a > 12 ? null : "ambiguous";
}

export const orderWords = (o: DateOrder) => (o === "dmy" ? "day/month" : "month/day");

/**
 * Scan `rows` for the order of each date column in `index` (column → cell position).
 * Returns the columns that have year-last dates and the order they are read in; a column with
 * ambiguous dates and no proof anywhere in the file is absent (its dates are refused as today).
 * Columns proving both orders keep the first proof; the import then rejects the rows that
 * contradict it.
 */
export async function inferDateOrders(rows: AsyncIterable<RawRow>, index: ReadonlyMap<string, number>, columns: readonly string[]): Promise<Map<string, ColumnOrder>> {
  const present = columns.filter((c) => index.has(c));
  const proof = new Map<string, ColumnOrder>();
  const yearLast = new Set<string>();
  /** Columns whose first non-blank cell was not a year-last date: assumed year first throughout. */
  const otherForm = new Set<string>();
  const settled = () => present.every((c) => proof.has(c) || otherForm.has(c));
  if (present.length === 0) return proof;
  for await (const row of rows) {
    for (const column of present) {
      if (proof.has(column) || otherForm.has(column)) continue;
      const cell = row.cells[index.get(column)!] ?? "";
      if (cell.trim() === "") continue;
      const o = provenOrder(cell);
      if (o === null) {
        if (!yearLast.has(column)) otherForm.add(column);
        continue;
      }
      yearLast.add(column);
      if (o !== "ambiguous") proof.set(column, { order: o, example: cell.trim(), line: row.line, from: column });
    }
    if (settled()) break;
  }
  // Ambiguous columns follow the file's proven columns when those agree.
  const orders = new Set([...proof.values()].map((p) => p.order));
  const [agreed] = orders;
  if (orders.size === 1 && agreed !== undefined) {
    const witness = [...proof.values()][0]!;
    for (const column of yearLast) if (!proof.has(column)) proof.set(column, { ...witness, from: witness.from });
  }
  return proof;
}

/** "closed_at: day/month (line 5: "13/01/2021")" for the report. */
export function describeOrder(column: string, o: ColumnOrder): string {
  const where = o.from === column ? "" : ` of ${o.from}`;
  return `${orderWords(o.order)} (line ${o.line}${where}: "${o.example}")`;
}
