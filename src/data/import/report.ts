/** What an import did (the cleaning report), and its plain-text rendering for the CLI. */
import type { KindName } from "./importers.ts";
import type { Outliers, WriteCounts } from "./writers/writer.ts";

/** One problem with one row. `column` null: the row as a whole (e.g. wrong number of fields). */
export type RowError = { line: number; column: string | null; message: string };

export type ImportOutcome =
  /** Committed (with --skip-invalid, rejected rows were left out). */
  | "imported"
  /** Dry run: everything checked, nothing written; a real run would have committed. */
  | "checked"
  /** Nothing written: invalid rows without --skip-invalid, or the CSV itself is malformed. */
  | "aborted"
  /** Nothing read: the file cannot be opened or its header does not fit the kind. */
  | "refused";

export type ImportReport = {
  kind: KindName;
  file: string;
  outcome: ImportOutcome;
  dryRun: boolean;
  skipInvalid: boolean;
  /** Blank cells cleared stored values (--clear-empty). */
  clearEmpty: boolean;
  /** Data rows read (not counting the header); = written + rejected + blank. */
  rowsRead: number;
  /** Rows whose every cell is blank, skipped. */
  blankRows: number;
  /** Rows written, or that would have been (dry run, aborted): inserted / updated / unchanged. */
  written: WriteCounts;
  rejectedRows: number;
  /** "column: reason" → rows rejected for it (a row with two reasons counts under both). */
  rejectedByReason: Record<string, number>;
  /** The first `errorLimit` row problems, in file order. */
  errors: RowError[];
  /** Every row problem, listed or not. */
  errorCount: number;
  /** Missing value fill ("currency → USD (default currency)") → rows filled, for rows written. */
  filled: Record<string, number>;
  /** CSV column → existing records whose stored value of it changed (inserts not counted). */
  fieldsChanged: Record<string, number>;
  /** CSV column → existing records whose value of it was cleared (part of fieldsChanged). */
  fieldsCleared: Record<string, number>;
  /** Suspicious values kept. */
  outliers: Outliers;
  /** Date column → the day/month order its year-last dates were read in, and why. */
  dateOrders: Record<string, string>;
  /** Unknown columns and the like: reported, not fatal. */
  warnings: string[];
  /** Path of the rejected-rows file, when one was written. */
  rejectedFile: string | null;
  /** Why the import was refused or aborted when that is not about single rows. */
  problem: string | null;
  elapsedMs: number;
};

const n = (x: number) => x.toLocaleString("en-US");

/** "line 12, column amount: …" */
export function formatRowError(e: RowError): string {
  return e.column === null ? `line ${e.line}: ${e.message}` : `line ${e.line}, column ${e.column}: ${e.message}`;
}

function section(title: string, entries: Record<string, number>): string[] {
  const rows = Object.entries(entries).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (rows.length === 0) return [];
  const width = Math.max(...rows.map(([k]) => k.length));
  return [title, ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${n(v)}`)];
}

/** The cleaning report as text lines for a terminal or a log. */
export function formatReport(r: ImportReport): string {
  const out: string[] = [];
  const mode = [r.dryRun ? "dry run" : null, r.skipInvalid ? "skip invalid" : null, r.clearEmpty ? "clear empty" : null].filter(Boolean).join(", ");
  out.push(`import ${r.kind} from ${r.file}${mode ? ` (${mode})` : ""}`);
  if (r.outcome === "refused") {
    out.push(`refused: ${r.problem}`);
    return out.join("\n");
  }
  const { inserted, updated, unchanged } = r.written;
  const writtenTotal = inserted + updated + unchanged;
  out.push(`rows read: ${n(r.rowsRead)}${r.blankRows > 0 ? ` (${n(r.blankRows)} blank, skipped)` : ""}`);
  const counts = `${n(inserted)} inserted, ${n(updated)} updated, ${n(unchanged)} unchanged`;
  if (r.outcome === "imported") out.push(`imported: ${n(writtenTotal)} (${counts})`);
  else if (r.outcome === "checked") out.push(`would import: ${n(writtenTotal)} (${counts}); dry run, nothing written`);
  else out.push(`imported: nothing`);
  out.push(`rejected: ${n(r.rejectedRows)}${r.rejectedRows > 0 && r.skipInvalid ? " (left out)" : ""}`);
  out.push(...section("rejected by reason:", r.rejectedByReason));
  if (r.errors.length > 0) {
    out.push(`errors:`);
    out.push(...r.errors.map((e) => `  ${formatRowError(e)}`));
    if (r.errorCount > r.errors.length) out.push(`  …and ${n(r.errorCount - r.errors.length)} more`);
  }
  out.push(...section(r.outcome === "imported" ? "fields changed (records):" : "fields to change (records):", r.fieldsChanged));
  out.push(...section("of which cleared:", r.fieldsCleared));
  out.push(...section("missing values filled:", r.filled));
  if (r.outliers.count > 0) {
    out.push(`suspected outliers (kept): ${n(r.outliers.count)}`);
    out.push(...r.outliers.examples.map((o) => `  line ${o.line}: ${o.message}`));
    if (r.outliers.count > r.outliers.examples.length) out.push(`  …and ${n(r.outliers.count - r.outliers.examples.length)} more`);
  }
  for (const [column, how] of Object.entries(r.dateOrders)) out.push(`dates in ${column}: ${how}`);
  for (const w of r.warnings) out.push(`warning: ${w}`);
  if (r.rejectedFile) out.push(`rejected rows written to ${r.rejectedFile}`);
  const seconds = r.elapsedMs / 1000;
  const rate = seconds > 0 ? `, ${n(Math.round(r.rowsRead / seconds))} rows/s` : "";
  out.push(`took ${seconds.toFixed(1)} s${rate}`);
  if (r.outcome === "aborted") {
    const verb = r.dryRun ? "a real run would abort" : "aborted";
    out.push(
      r.problem !== null
        ? `${verb}: ${r.problem}; nothing was written`
        : `${verb}: ${n(r.rejectedRows)} invalid row${r.rejectedRows === 1 ? "" : "s"}; nothing was written. ` +
            `Fix them, or pass --skip-invalid to import the rest`,
    );
  }
  return out.join("\n");
}

/** What importing several files as one did: a report per file, in the order they ran. */
export type RunReport = {
  /** imported: all committed; checked: dry run; aborted: nothing written; refused: nothing read. */
  outcome: ImportOutcome;
  dryRun: boolean;
  files: ImportReport[];
  /** Files recognised as no import kind (no mapping beside them, header of no kind): not read. */
  skipped: { file: string; reason: string }[];
  /** Teams whose manager (email or name) is nobody yet, after the run. */
  pendingManagers: { team: string; manager: string }[];
  /** Why the whole set was refused (a file that does not fit, the demo guard). */
  problem: string | null;
  elapsedMs: number;
};

/** The combined cleaning report: each file's report, the skipped files, pending managers, the outcome. */
export function formatRunReport(r: RunReport): string {
  const out: string[] = [];
  const read = r.files.length;
  out.push(`import of ${n(read)} file${read === 1 ? "" : "s"}${r.skipped.length > 0 ? ` (${n(r.skipped.length)} skipped)` : ""}, in this order, in one transaction`);
  for (const f of r.files) {
    out.push("");
    // A refused set reads nothing: list the files and why the set stopped (below).
    out.push(f.outcome === "refused" || r.outcome !== "refused" ? formatReport(f) : `import ${f.kind} from ${f.file}: not read`);
  }
  if (r.skipped.length > 0) {
    out.push("", "skipped (not imported):");
    out.push(...r.skipped.map((s) => `  ${s.file}: ${s.reason}`));
  }
  if (r.pendingManagers.length > 0) {
    out.push("", `teams waiting for their manager (set when a reps file brings them): ${n(r.pendingManagers.length)}`);
    out.push(...r.pendingManagers.map((p) => `  ${p.team}: ${p.manager}`));
  }
  out.push("");
  if (r.outcome === "refused") out.push(`refused: ${r.problem}; nothing was read or written`);
  else if (r.outcome === "aborted") out.push("aborted: nothing from any file was written");
  else if (r.outcome === "checked") out.push("dry run: every file checked, nothing written");
  else out.push(`imported: all ${n(read)} file${read === 1 ? "" : "s"} committed together (took ${(r.elapsedMs / 1000).toFixed(1)} s)`);
  return out.join("\n");
}
