/** CSV row source: csv-parse, streamed, at most one record in memory (MAX_RECORD_SIZE). */
import { createReadStream } from "node:fs";
import { CsvError, parse, type Info } from "csv-parse";
import type { Result } from "../amounts.ts";
import { MAX_RECORD_SIZE } from "../cells.ts";
import { RowsError, type RawRow, type RowSource } from "./source.ts";

export async function openCsv(file: string, totalBytes: number): Promise<Result<RowSource>> {
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
  const firstInfo = first.value.info;
  let bytes = firstInfo.bytes;
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
  return { ok: true, value: { format: "csv", header: first.value.record, totalBytes, bytesRead: () => bytes, rows, close } };
}
