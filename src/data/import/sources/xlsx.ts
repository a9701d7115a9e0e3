/**
 * XLSX row source: one sheet, one row in memory at a time (plus the workbook's shared-string
 * table, which Excel keeps in one part of the file). The header is the sheet's first row with a
 * value; a row's line is its sheet row number, as Excel shows it; rows without any value are
 * skipped like blank CSV lines.
 *
 * The file is opened through its zip central directory and exceljs's streaming reader parses the
 * parts, the workbook's own parts first. exceljs's one-pass read (WorkbookReader's iterator)
 * meets the parts in stored order, keeps sheets stored before the shared strings in temp files,
 * and under load loses the last part (exceljs#3064: "Cannot read properties of undefined
 * (reading 'sheets')" on files that store xl/workbook.xml last, as exceljs itself writes them).
 * Here a sheet is read straight from the archive, and only the one asked for.
 */
import { createReadStream, type ReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import ExcelJS from "exceljs";
import unzipper, { type ZipEntry } from "unzipper";
import type { Result } from "../amounts.ts";
import { cellText } from "./excel-values.ts";
import { RowsError, type RawRow, type RowSource, type RowsOptions } from "./source.ts";

type SheetInfo = { name?: string; state?: string; rId?: string };
type Sheet = ExcelJS.stream.xlsx.WorksheetReader & SheetInfo;
type Relationship = { Id?: string; Type?: string; Target?: string };
/** exceljs's reader, driven part by part through methods it does not type (exceljs 4.4.0). */
type Reader = {
  model?: { sheets?: SheetInfo[] };
  workbookRels?: Relationship[];
  properties?: { model?: { date1904?: boolean } };
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(chunks: AsyncIterable<Buffer>, sheetNo: string): Generator<{ eventType: string; value: Sheet }>;
};

/** "Deals", " deals " and "DEALS" name the same sheet; an exact match wins. */
const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** The sheet an import reads: the one named, else the first visible one in tab order. */
export function chooseSheet<S extends SheetInfo>(sheets: readonly S[], wanted: string | undefined): S | undefined {
  if (wanted !== undefined) return sheets.find((s) => s.name === wanted) ?? sheets.find((s) => sameName(s.name ?? "", wanted));
  return sheets.find((s) => s.state !== "hidden" && s.state !== "veryHidden") ?? sheets[0];
}

/** A workbook relationship's target as a path in the archive ("worksheets/sheet1.xml" → "xl/worksheets/sheet1.xml"). */
function partPath(target: string): string {
  return target.startsWith("/") ? target.slice(1) : path.posix.normalize(`xl/${target}`);
}

export async function openXlsx(file: string, totalBytes: number, sheet?: string): Promise<Result<RowSource>> {
  // Every byte range the archive reader opens, so close() can release them all: a sheet left
  // half-read (a --guess, an aborted import) would otherwise keep its file handle.
  const opened = new Set<ReadStream>();
  let sheetStream: Readable | null = null;
  const close = () => {
    sheetStream?.destroy();
    for (const s of opened) s.destroy();
    opened.clear();
  };
  const unreadable = (e: unknown): Result<RowSource> => {
    close();
    const message = e instanceof Error ? e.message : String(e);
    // unzipper's word for a file with no zip directory at its end: not a workbook, or cut short.
    const reason = message === "FILE_ENDED" ? "not a zip archive, or cut short" : message;
    return { ok: false, error: `${file} is not a readable .xlsx workbook (${reason}); save it again from the spreadsheet, or as CSV` };
  };

  const reader = new ExcelJS.stream.xlsx.WorkbookReader(null as never, {
    worksheets: "emit",
    sharedStrings: "cache",
    // Date cells are told apart by their number format.
    styles: "cache",
    hyperlinks: "ignore",
    entries: "ignore",
  }) as unknown as Reader;

  let chosen: { sheet: SheetInfo; entry: ZipEntry; sheetNo: string } | null = null;
  try {
    const archive = await unzipper.Open.custom({
      stream: (offset, length) => {
        const s = createReadStream(file, { start: offset, ...(length ? { end: offset + length - 1 } : {}) });
        opened.add(s);
        s.on("close", () => opened.delete(s));
        return s;
      },
      size: async () => (await stat(file)).size,
    });
    const parts = new Map(archive.files.filter((f) => f.type === "File").map((f) => [f.path, f]));
    const workbookPart = parts.get("xl/workbook.xml");
    if (!workbookPart) return unreadable(new Error("it has no xl/workbook.xml part"));
    const rels = parts.get("xl/_rels/workbook.xml.rels");
    if (rels) await reader._parseRels(rels.stream());
    await reader._parseWorkbook(workbookPart.stream());
    const related = (type: string, fallback: string) => {
      const rel = reader.workbookRels?.find((r) => r.Type?.endsWith(`/${type}`) && r.Target);
      return parts.get(rel ? partPath(rel.Target!) : fallback);
    };
    const strings = related("sharedStrings", "xl/sharedStrings.xml");
    if (strings) for await (const _ of reader._parseSharedStrings(strings.stream())) void _;
    const styles = related("styles", "xl/styles.xml");
    if (styles) await reader._parseStyles(styles.stream());

    const sheets = reader.model?.sheets ?? [];
    if (sheets.length === 0) {
      close();
      return { ok: false, error: `${file} has no worksheet` };
    }
    const wanted = chooseSheet(sheets, sheet);
    if (!wanted) {
      close();
      const list = sheets.map((s) => `"${s.name ?? ""}"`).join(", ");
      return { ok: false, error: `${file} has no sheet named "${sheet}"; its sheets are ${list} (choose one with --sheet NAME)` };
    }
    const target = reader.workbookRels?.find((r) => r.Id === wanted.rId)?.Target;
    const entry = target === undefined ? undefined : parts.get(partPath(target));
    if (!entry) return unreadable(new Error(`sheet "${wanted.name ?? ""}" is listed but not stored in the file`));
    chosen = { sheet: wanted, entry, sheetNo: /(\d+)\.xml$/.exec(entry.path)?.[1] ?? "1" };
  } catch (e) {
    return unreadable(e);
  }

  // Progress: the sheet's uncompressed bytes read, scaled to the file's size.
  const sheetSize = Math.max(1, chosen.entry.uncompressedSize);
  let inflated = 0;
  const stream = (sheetStream = chosen.entry.stream());
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      inflated += chunk.length;
      yield chunk;
    }
  }
  const found = [...reader._parseWorksheet(counted(), chosen.sheetNo)][0]!.value;
  const sheetName = chosen.sheet.name ?? "";
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
  const bytesRead = () => Math.min(totalBytes, Math.round((inflated / sheetSize) * totalBytes));

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
    } finally {
      close();
    }
  }
  return { ok: true, value: { format: "xlsx", header, totalBytes, bytesRead, rows, close } };
}
