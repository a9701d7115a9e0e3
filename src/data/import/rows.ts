/**
 * The one place where a file's rows are opened: its header, then its records one at a time with
 * the line (CSV) or sheet row (XLSX) each starts on. The formats live in `sources/` (CSV through
 * csv-parse, XLSX through exceljs's streaming reader, picked by the file's extension); this module
 * is the name the rest of the import (header plans, date inference, folders, the run) uses.
 */
export { dateColumns, DATE_FIELDS, openRows, ROW_FILE_EXTENSIONS, rowFormat, RowsError, type OpenRowsOptions, type RawRow, type RowSource, type RowsOptions } from "./sources/index.ts";
