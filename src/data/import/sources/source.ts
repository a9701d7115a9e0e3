/**
 * What every row source gives the import: the file's header, then its data records one at a time
 * as cell texts (the shape the CSV path always fed the row validators), each with the line it
 * starts on — a text line for CSV, the sheet's row number for XLSX.
 */

/** One data record: the line (CSV) or sheet row (XLSX) it starts on, 1-based, and its cells. */
export type RawRow = { line: number; cells: string[] };

export type RowsOptions = {
  /**
   * Column indexes (0-based) that hold dates: there an XLSX number cell is an Excel date serial
   * and reads as an ISO date. CSV ignores it (its dates are text already).
   */
  dateColumns?: ReadonlySet<number>;
};

export type RowSource = {
  /** "csv" or "xlsx". */
  format: "csv" | "xlsx";
  header: string[];
  /** The file's size, for progress. */
  totalBytes: number;
  /** Bytes of the file read so far (for XLSX, of the compressed file: an estimate of progress). */
  bytesRead(): number;
  /** The data records after the header, in order. Throws RowsError when the file is malformed. */
  rows(options?: RowsOptions): AsyncGenerator<RawRow, void, undefined>;
  /** Release the file (safe to call more than once, and after the rows ran out). */
  close(): void;
};

/** The file is malformed past its header (e.g. a CSV quote never closed): the import aborts. */
export class RowsError extends Error {}
