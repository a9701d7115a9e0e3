// Book → CSV: UTF-8 with a byte-order mark (so Excel reads Chinese names right), the About block
// first, then each table under its name, a blank line between. Text cells are formula-safe,
// numbers bare (src/csv.ts).
import { csvRow } from "../csv.ts";
import type { Book, Cell } from "./book.ts";

const BOM = "\uFEFF";

const plain = (c: Cell): string | number | null => (c === null || typeof c === "string" ? c : c.n);

/**
 * @example
 * bookToCsv(book).subarray(0, 3) // => <Buffer ef bb bf>
 */
export function bookToCsv(book: Book): Buffer {
  const parts: string[] = [BOM];
  parts.push(csvRow(book.about.header));
  for (const row of book.about.rows) parts.push(csvRow(row.map(plain)));
  for (const sheet of book.data) {
    parts.push("\n", csvRow([sheet.name]), csvRow(sheet.header));
    for (const row of sheet.rows) parts.push(csvRow(row.map(plain)));
  }
  return Buffer.from(parts.join(""), "utf8");
}
