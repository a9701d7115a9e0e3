/**
 * XLSX row source: exceljs's streaming reader (ExcelJS.stream.xlsx.WorkbookReader), one sheet,
 * one row in memory at a time (plus the workbook's shared-string table, which Excel keeps in one
 * part of the file). The header is the sheet's first row with a value; a row's line is its sheet
 * row number, as Excel shows it; rows without any value are skipped like blank CSV lines.
 */
import { createReadStream } from "node:fs";
import ExcelJS from "exceljs";
import type { Result } from "../amounts.ts";
import { cellText } from "./excel-values.ts";
import { RowsError, type RawRow, type RowSource, type RowsOptions } from "./source.ts";

type SheetInfo = { name?: string; state?: string };
/** The parts of the reader exceljs does not type: the workbook part and its properties. */
type Reader = {
  model?: { sheets?: SheetInfo[] };
  properties?: { model?: { date1904?: boolean } };
};
type Sheet = ExcelJS.stream.xlsx.WorksheetReader & SheetInfo;

/** "Deals", " deals " and "DEALS" name the same sheet; an exact match wins. */
const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** The sheet an import reads: the one named, else the first visible one in tab order. */
function wantedSheet(reader: Reader, sheet: string | undefined, candidate: Sheet): boolean {
  const name = candidate.name ?? "";
  if (sheet !== undefined) {
    const names = reader.model?.sheets?.map((s) => s.name ?? "") ?? [];
    return name === sheet || (!names.includes(sheet) && sameName(name, sheet));
  }
  const sheets = reader.model?.sheets;
  if (!sheets || sheets.length === 0) return true;
  const first = sheets.find((s) => s.state !== "hidden" && s.state !== "veryHidden") ?? sheets[0]!;
  return first.name === name;
}

export async function openXlsx(file: string, totalBytes: number, sheet?: string): Promise<Result<RowSource>> {
  const input = createReadStream(file);
  let bytes = 0;
  input.on("data", (chunk) => (bytes += chunk.length));
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: "emit",
    sharedStrings: "cache",
    // Date cells are told apart by their number format.
    styles: "cache",
    hyperlinks: "ignore",
    entries: "ignore",
  });
  const sheets = workbook[Symbol.asyncIterator]();
  const reader = workbook as unknown as Reader;
  const close = () => input.destroy();
  const unreadable = (e: unknown): Result<RowSource> => {
    close();
    return { ok: false, error: `${file} is not a readable .xlsx workbook (${(e as Error).message}); save it again from the spreadsheet, or as CSV` };
  };

  let found: Sheet | null = null;
  const seen: string[] = [];
  try {
    for (let next = await sheets.next(); !next.done; next = await sheets.next()) {
      const candidate = next.value as Sheet;
      seen.push(candidate.name ?? "");
      if (wantedSheet(reader, sheet, candidate)) {
        found = candidate;
        break;
      }
      // Not this one: read it to its end before asking for the next. A sheet that came before the
      // shared strings waits in a temp file, which exceljs deletes when asked for the next sheet:
      // a stream of it not read yet would then fail to open (ENOENT, uncaught, under load).
      for await (const _row of candidate) void _row;
    }
  } catch (e) {
    return unreadable(e);
  }
  if (found === null) {
    close();
    const names = reader.model?.sheets?.map((s) => s.name ?? "") ?? seen;
    if (names.length === 0) return { ok: false, error: `${file} has no worksheet` };
    const list = names.map((n) => `"${n}"`).join(", ");
    return { ok: false, error: `${file} has no sheet named "${sheet}"; its sheets are ${list} (choose one with --sheet NAME)` };
  }

  const sheetName = found.name ?? "";
  const date1904 = reader.properties?.model?.date1904 === true;
  const records = found[Symbol.asyncIterator]();
  /** The row's cells as text, cut after its last value; null when it has no value. */
  const texts = (row: ExcelJS.Row, dates: ReadonlySet<number>): string[] | null => {
    const values = row.values as unknown[];
    const cells: string[] = [];
    let width = 0;
    for (let c = 1; c < values.length; c++) {
      const text = cellText(values[c], dates.has(c - 1), date1904);
      cells.push(text);
      if (text !== "") width = c;
    }
    if (width === 0) return null;
    cells.length = width;
    return cells;
  };

  let header: string[] | null = null;
  try {
    for (let next = await records.next(); !next.done; next = await records.next()) {
      header = texts(next.value, new Set());
      if (header !== null) break;
    }
  } catch (e) {
    return unreadable(e);
  }
  if (header === null) {
    close();
    return { ok: false, error: `sheet "${sheetName}" of ${file} is empty: expected a header row` };
  }
  const width = header.length;

  async function* rows(options: RowsOptions = {}): AsyncGenerator<RawRow, void, undefined> {
    const dates = options.dateColumns ?? new Set<number>();
    try {
      for (let next = await records.next(); !next.done; next = await records.next()) {
        const cells = texts(next.value, dates);
        if (cells === null) continue;
        // Blank cells after the row's last value are the header's blank cells; a value beyond
        // the header stays, so the row is refused for having more fields than the header.
        while (cells.length < width) cells.push("");
        yield { line: next.value.number, cells };
      }
    } catch (e) {
      throw new RowsError(`malformed XLSX (sheet "${sheetName}"): ${(e as Error).message}`);
    }
  }
  return { ok: true, value: { format: "xlsx", header, totalBytes, bytesRead: () => bytes, rows, close } };
}
