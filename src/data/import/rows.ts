/**
 * The one place where a file's rows are opened: its header, then its records one at a time with
 * the line each starts on. Today CSV only (csv-parse, streamed); an `.xlsx` row source plugs in
 * here (the file's extension picks it), and everything above — header plans, date inference,
 * the import — reads every format through `openRows`.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { CsvError, parse, type Info } from "csv-parse";
import type { Result } from "./amounts.ts";
import { MAX_RECORD_SIZE } from "./cells.ts";

/** One data record: the line it starts on (1-based, as a text editor counts) and its cells. */
export type RawRow = { line: number; cells: string[] };

export type RowSource = {
  header: string[];
  /** The file's size, for progress. */
  totalBytes: number;
  /** Bytes read so far (an estimate for formats that are not line-based). */
  bytesRead(): number;
  /** The data records after the header, in order. Throws RowsError when the file is malformed. */
  rows(): AsyncGenerator<RawRow, void, undefined>;
  close(): void;
};

/** The file is malformed past its header (e.g. a CSV quote never closed): the import aborts. */
export class RowsError extends Error {}

/** Extensions the import reads (a folder's other files are skipped). */
export const ROW_FILE_EXTENSIONS = [".csv", ".xlsx"] as const;

/**
 * Open a file and read its header. Errors (no such file, not a file, empty, unreadable header)
 * are values whose message names the file.
 */
export async function openRows(file: string): Promise<Result<RowSource>> {
  let totalBytes: number;
  try {
    const s = await stat(file);
    if (!s.isFile()) return { ok: false, error: `${file} is not a file` };
    totalBytes = s.size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, error: `cannot read ${file}: ${code === "ENOENT" ? "no such file" : (e as Error).message}` };
  }
  if (path.extname(file).toLowerCase() === ".xlsx") {
    return { ok: false, error: `${file}: .xlsx files are not readable in this build yet; save the sheet as CSV` };
  }
  return openCsv(file, totalBytes);
}

async function openCsv(file: string, totalBytes: number): Promise<Result<RowSource>> {
  const input = createReadStream(file);
  const parser = input.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, max_record_size: MAX_RECORD_SIZE }));
  input.on("error", (e) => parser.destroy(e));
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[]; info: Info }>;
  const close = () => {
    parser.destroy();
    input.destroy();
  };
  let first: IteratorResult<{ record: string[]; info: Info }>;
  try {
    first = await records.next();
  } catch (e) {
    close();
    if (e instanceof CsvError) return { ok: false, error: `the header is not valid CSV: ${e.message}` };
    return { ok: false, error: `cannot read ${file}: ${(e as Error).message}` };
  }
  if (first.done) {
    close();
    return { ok: false, error: `${file} is empty: expected a header line` };
  }
  let bytes = first.value.info.bytes;
  const firstInfo = first.value.info;
  async function* rows(): AsyncGenerator<RawRow, void, undefined> {
    let lastLine = firstInfo.lines;
    let lastEmpty = firstInfo.empty_lines;
    // csv-parse counts a CRLF inside a quoted cell as two lines; `overcount` undoes that.
    let overcount = 0;
    try {
      for (let next = await records.next(); !next.done; next = await records.next()) {
        const { record, info } = next.value;
        // info.lines is where the record ends; it starts after the previous one and any blank lines.
        const line = lastLine + 1 + (info.empty_lines - lastEmpty);
        for (const cell of record) if (cell.includes("\r\n")) overcount += cell.split("\r\n").length - 1;
        lastLine = info.lines - overcount;
        lastEmpty = info.empty_lines;
        bytes = info.bytes;
        yield { line, cells: record };
      }
    } catch (e) {
      if (e instanceof CsvError) throw new RowsError(`malformed CSV: ${e.message}`);
      throw e;
    }
  }
  return { ok: true, value: { header: first.value.record, totalBytes, bytesRead: () => bytes, rows, close } };
}
