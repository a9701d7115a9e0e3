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
import { open, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
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
const quoted = (sheets: readonly SheetInfo[]) => sheets.map((s) => `"${s.name ?? ""}"`).join(", ");

/**
 * The sheet an import reads: the one named (exact, else ignoring case), else the first visible
 * worksheet in tab order. Chart (and macro) sheets hold no rows: never a default, and refused
 * when named.
 */
export function chooseSheet<S extends SheetInfo>(
  sheets: readonly S[],
  isWorksheet: (sheet: S) => boolean,
  wanted: string | undefined,
): { ok: true; sheet: S } | { ok: false; why: "none" | "missing" | "not rows"; worksheets: S[] } {
  const worksheets = sheets.filter(isWorksheet);
  if (wanted === undefined) {
    const first = worksheets.find((s) => s.state !== "hidden" && s.state !== "veryHidden") ?? worksheets[0];
    return first ? { ok: true, sheet: first } : { ok: false, why: "none", worksheets };
  }
  const named = sheets.find((s) => s.name === wanted) ?? sheets.find((s) => sameName(s.name ?? "", wanted));
  if (!named) return { ok: false, why: worksheets.length === 0 ? "none" : "missing", worksheets };
  return isWorksheet(named) ? { ok: true, sheet: named } : { ok: false, why: "not rows", worksheets };
}

/** A workbook relationship's target as a path in the archive ("worksheets/sheet1.xml" → "xl/worksheets/sheet1.xml"). */
function partPath(target: string): string {
  return target.startsWith("/") ? target.slice(1) : path.posix.normalize(`xl/${target}`);
}

const EOCD_SIGNATURE = 0x06054b50;
const EOCD_SIZE = 22;

/**
 * How many bytes from the end of the file the zip's end record starts: it is the last 22 bytes
 * plus an archive comment of up to 65,535. Searched backwards for a signature whose comment
 * length reaches exactly the end (unzipper alone looks only in the last 80 bytes, and forwards).
 * Null when there is none: not a zip archive, or one cut short.
 */
async function endRecordTail(handle: FileHandle, size: number): Promise<number | null> {
  const length = Math.min(size, EOCD_SIZE + 0xffff);
  if (length < EOCD_SIZE) return null;
  const tail = Buffer.alloc(length);
  await handle.read(tail, 0, length, size - length);
  for (let i = length - EOCD_SIZE; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIGNATURE && i + EOCD_SIZE + tail.readUInt16LE(i + 20) === length) return length - i;
  }
  return null;
}

/**
 * Bytes [start, end) of an open file as a stream. Not fs's ReadStream on the handle: destroying
 * one of those closes the file, and unzipper destroys each part's stream when the part is read.
 */
function byteRange(handle: FileHandle, start: number, end: number): Readable {
  let position = start;
  return new Readable({
    highWaterMark: 64 * 1024,
    async read(wanted) {
      try {
        const length = Math.min(wanted, end - position);
        const { bytesRead, buffer } = length <= 0 ? { bytesRead: 0, buffer: null } : await handle.read(Buffer.alloc(length), 0, length, position);
        if (bytesRead === 0 || buffer === null) {
          this.push(null);
          return;
        }
        position += bytesRead;
        this.push(buffer.subarray(0, bytesRead));
      } catch (e) {
        this.destroy(e as Error);
      }
    },
  });
}

export async function openXlsx(file: string, totalBytes: number, sheet?: string): Promise<Result<RowSource>> {
  // The file is opened once and every byte range is read from that handle: a workbook removed
  // or saved over while it is being read cannot make one range fail to open (or come from
  // another version of the file). close() releases the ranges and the handle, including those
  // of a sheet left half-read (a --guess, an aborted import).
  let handle: FileHandle | null = null;
  const ranges: Readable[] = [];
  let sheetStream: Readable | null = null;
  // A range that fails to read: unzipper does not pass its errors on, so they end the open here.
  let failWith: (e: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => (failWith = reject));
  failed.catch(() => {});
  const close = () => {
    failWith = () => {};
    sheetStream?.destroy();
    for (const r of ranges) r.destroy();
    ranges.length = 0;
    void handle?.close().catch(() => {});
    handle = null;
  };
  const unreadable = (e: unknown): Result<RowSource> => {
    close();
    const message = e instanceof Error ? e.message : String(e);
    // unzipper's word for a file with no zip directory where it should be.
    const reason = message === "FILE_ENDED" ? "not a zip archive, or cut short" : message;
    return { ok: false, error: `${file} is not a readable .xlsx workbook (${reason}); save it again from the spreadsheet, or as CSV` };
  };
  /** Run one step on one part, naming the part when it fails. */
  const part = async <T>(name: string, step: () => Promise<T>): Promise<T> => {
    try {
      return await step();
    } catch (e) {
      throw new Error(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  const reader = new ExcelJS.stream.xlsx.WorkbookReader(null as never, {
    worksheets: "emit",
    sharedStrings: "cache",
    // Date cells are told apart by their number format.
    styles: "cache",
    hyperlinks: "ignore",
    entries: "ignore",
  }) as unknown as Reader;

  type Chosen = { sheet: SheetInfo; entry: ZipEntry; sheetNo: string };
  const openParts = async (): Promise<{ refused: Result<RowSource> } | { chosen: Chosen }> => {
    let opened: FileHandle;
    try {
      opened = handle = await open(file, "r");
    } catch (e) {
      // Removed since the caller looked at it: said the way a missing file is said.
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return { refused: { ok: false, error: `cannot read ${file}: no such file` } };
      throw e;
    }
    const size = (await opened.stat()).size;
    const tailSize = await endRecordTail(opened, size);
    if (tailSize === null) return { refused: unreadable(new Error("not a zip archive, or cut short")) };
    const archive = await unzipper.Open.custom(
      {
        stream: (offset, length) => {
          const r = byteRange(opened, offset, length ? offset + length : size);
          r.on("error", (e) => failWith(e));
          ranges.push(r);
          return r;
        },
        size: async () => size,
      },
      { tailSize },
    );
    const parts = new Map(archive.files.filter((f) => f.type === "File").map((f) => [f.path, f]));
    const workbookPart = parts.get("xl/workbook.xml");
    if (!workbookPart) return { refused: unreadable(new Error("it has no xl/workbook.xml part")) };
    const rels = parts.get("xl/_rels/workbook.xml.rels");
    if (rels) await part(rels.path, () => reader._parseRels(rels.stream()));
    await part(workbookPart.path, () => reader._parseWorkbook(workbookPart.stream()));

    // The sheet first: a name the workbook lacks is refused before its strings are read.
    const relOf = (s: SheetInfo) => reader.workbookRels?.find((r) => r.Id === s.rId);
    const choice = chooseSheet(reader.model?.sheets ?? [], (s) => relOf(s)?.Type?.endsWith("/worksheet") === true, sheet);
    if (!choice.ok) {
      close();
      if (choice.why === "none") return { refused: { ok: false, error: `${file} has no worksheet` } };
      const what = choice.why === "missing" ? `${file} has no sheet named "${sheet}"` : `sheet "${sheet}" of ${file} is a chart or macro sheet, not rows`;
      return { refused: { ok: false, error: `${what}; its sheets are ${quoted(choice.worksheets)} (choose one with --sheet NAME)` } };
    }
    const target = relOf(choice.sheet)?.Target;
    const entry = target === undefined ? undefined : parts.get(partPath(target));
    if (!entry) return { refused: unreadable(new Error(`sheet "${choice.sheet.name ?? ""}" is listed but not stored in the file`)) };

    const related = (type: string, fallback: string) => {
      const rel = reader.workbookRels?.find((r) => r.Type?.endsWith(`/${type}`) && r.Target);
      return parts.get(rel ? partPath(rel.Target!) : fallback);
    };
    const strings = related("sharedStrings", "xl/sharedStrings.xml");
    if (strings) await part(strings.path, async () => {
      for await (const _ of reader._parseSharedStrings(strings.stream())) void _;
    });
    const styles = related("styles", "xl/styles.xml");
    if (styles) await part(styles.path, () => reader._parseStyles(styles.stream()));
    return { chosen: { sheet: choice.sheet, entry, sheetNo: /(\d+)\.xml$/.exec(entry.path)?.[1] ?? "1" } };
  };
  let chosen: Chosen;
  try {
    const outcome = await Promise.race([openParts(), failed]);
    if ("refused" in outcome) return outcome.refused;
    chosen = outcome.chosen;
  } catch (e) {
    return unreadable(e);
  }

  // Progress: the sheet's uncompressed bytes read, scaled to the file's size.
  const sheetSize = Math.max(1, chosen.entry.uncompressedSize);
  let inflated = 0;
  const stream = (sheetStream = chosen.entry.stream());
  // From here a range that fails to read ends the sheet's rows with its error.
  failWith = (e) => stream.destroy(e);
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
