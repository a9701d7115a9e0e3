// An answer as a file (`csv`, `xlsx`, `导出`): Reply → Book → bytes. The one export path every
// adapter calls; it reads only the reply, so a file holds what the answer showed and nothing more.
import type { Lang } from "../i18n/lang.ts";
import type { Result } from "../result.ts";
import type { Reply } from "../reply.ts";
import { bookOf, isExportable, type Book, type ExportableReply } from "./book.ts";
import { bookToCsv } from "./csv.ts";
import { bookToXlsx } from "./xlsx.ts";
import { exportWords } from "./words.ts";

export { bookOf, isExportable, numberCell, type Book, type Cell, type ExportableReply, type NumberStyle, type Sheet } from "./book.ts";
export { bookToCsv } from "./csv.ts";
export { bookToXlsx } from "./xlsx.ts";
export { exportWords } from "./words.ts";

/** Largest file delivered (Slack and browsers take far more; a KPI table is a few kB). */
export const MAX_EXPORT_BYTES = 5 * 1024 * 1024;

export const MIME_TYPES = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
} as const;

export type ExportFile = {
  format: "csv" | "xlsx";
  filename: string;
  mimeType: string;
  bytes: Buffer;
  /** Figures about individual people: deliver only to the asker (DM, private link). */
  private: boolean;
  /** Rows of figures in the data sheets (for logs and the audit). */
  rows: number;
};

export type ExportRefusal = "not_exportable" | "too_large";

/** What the asker is told of a refusal they can act on (too large: the limit); null for the rest, which the adapter words as its own failure. */
export function refusalText(error: ExportRefusal, lang: Lang): string | null {
  return error === "too_large" ? exportWords(lang).tooLarge(MAX_EXPORT_BYTES / 1024 / 1024) : null;
}

/**
 * "Sales · Team Alpha · Q3 2026", 2026-11-26T12:00:00Z → "kpi-sales-team-alpha-q3-2026-20261126";
 * letters of any script are kept.
 */
export function exportBaseName(title: string, generatedAt: string): string {
  const slug = [...title.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean).join("-")].slice(0, 60).join("").replace(/-+$/, "");
  const day = generatedAt.slice(0, 10).replaceAll("-", "");
  return `kpi-${slug || "answer"}-${day}`;
}

/** The file of a reply asked for as one; refused when it is no answer or the file would be too large. */
export async function buildExport(reply: Reply, options: { maxBytes?: number } = {}): Promise<Result<{ file: ExportFile }, { error: ExportRefusal }>> {
  if (!isExportable(reply)) return { ok: false, error: "not_exportable" };
  const r: ExportableReply = reply;
  const book: Book = bookOf(r);
  const format = r.export.format;
  const bytes = format === "csv" ? bookToCsv(book) : await bookToXlsx(book, new Date(r.export.generatedAt));
  if (bytes.length > (options.maxBytes ?? MAX_EXPORT_BYTES)) return { ok: false, error: "too_large" };
  const rows = book.data.reduce((n, s) => n + s.rows.length, 0);
  const file: ExportFile = {
    format,
    filename: `${exportBaseName(r.title, r.export.generatedAt)}.${format}`,
    mimeType: MIME_TYPES[format],
    bytes,
    private: r.visibility === "private",
    rows,
  };
  return { ok: true, file };
}
