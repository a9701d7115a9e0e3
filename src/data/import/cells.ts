/**
 * Checks every cell of the kind's columns must pass before its column's own parser sees it:
 * text PostgreSQL can store (no NUL byte) and of a sane length. Cells of ignored columns are
 * never written, so they are not checked (a CRM export's long "notes" column is fine).
 */
import type { HeaderPlan } from "./columns.ts";
import type { RowIssue } from "./writers/writer.ts";

/** The longest cell a column of an import kind accepts, in characters. */
export const MAX_FIELD_LENGTH = 1_000;

/**
 * A record larger than this (all its cells together, in characters) makes the file malformed
 * (csv-parse's max_record_size): it bounds the memory one row can take, while a single long
 * field below it is rejected with its row.
 */
export const MAX_RECORD_SIZE = 16 * 1024 * 1024;

/**
 * The problems of one record's cells, by column.
 *
 * @example
 * cellIssues(plan, ["D1", "a\u0000b"]); // => [{ column: "owner_email", reason: "NUL byte", … }]
 */
export function cellIssues(plan: Pick<HeaderPlan, "index">, cells: readonly string[]): RowIssue[] {
  const issues: RowIssue[] = [];
  for (const [column, i] of plan.index) {
    const cell = cells[i];
    if (cell === undefined) continue;
    if (cell.includes("\u0000")) {
      issues.push({ column, reason: "NUL byte", message: `contains a NUL byte (\\0, character ${cell.indexOf("\u0000") + 1}); remove it` });
    } else if (cell.length > MAX_FIELD_LENGTH) {
      issues.push({
        column,
        reason: "too long",
        message: `is ${cell.length.toLocaleString("en-US")} characters long; at most ${MAX_FIELD_LENGTH.toLocaleString("en-US")} are accepted`,
      });
    }
  }
  return issues;
}
