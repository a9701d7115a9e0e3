/**
 * The one place where an import file's rows are opened: `openRows(file, { sheet })` gives its
 * header and then its records as cell texts, whatever the format — CSV (csv-parse) or XLSX
 * (exceljs's streaming reader), chosen by the file's extension. Everything above it (header
 * plans, row validators, the import) reads every format the same way.
 */
import { stat } from "node:fs/promises";
import path from "node:path";
import type { Result } from "../amounts.ts";
import { openCsv } from "./csv.ts";
import type { RowSource } from "./source.ts";
import { openXlsx } from "./xlsx.ts";

export { dateColumns, DATE_FIELDS } from "./date-fields.ts";
export { RowsError, type RawRow, type RowSource, type RowsOptions } from "./source.ts";

/** Extensions an import reads (a folder's other files are skipped). */
export const ROW_FILE_EXTENSIONS = [".csv", ".xlsx"] as const;

export type OpenRowsOptions = {
  /** XLSX: the sheet to read (default: the first visible one). Ignored for CSV. */
  sheet?: string;
};

/** "xlsx" for a workbook, "csv" for anything else (the import's historical default). */
export function rowFormat(file: string): "csv" | "xlsx" {
  return path.extname(file).toLowerCase() === ".xlsx" ? "xlsx" : "csv";
}

/**
 * Open a file and read its header. Errors (no such file, not a file, empty, unreadable header, no
 * such sheet) are values whose message names the file.
 */
export async function openRows(file: string, options: OpenRowsOptions = {}): Promise<Result<RowSource>> {
  let totalBytes: number;
  try {
    const s = await stat(file);
    if (!s.isFile()) return { ok: false, error: `${file} is not a file` };
    totalBytes = s.size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, error: `cannot read ${file}: ${code === "ENOENT" ? "no such file" : (e as Error).message}` };
  }
  const ext = path.extname(file).toLowerCase();
  if (ext === ".xls" || ext === ".xlsb") {
    return { ok: false, error: `${file} is a binary Excel workbook (${ext}); save it as .xlsx (Excel Workbook) or CSV` };
  }
  return rowFormat(file) === "xlsx" ? openXlsx(file, totalBytes, options.sheet) : openCsv(file, totalBytes);
}
