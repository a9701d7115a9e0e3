/**
 * importCsv: stream a CSV file through the kind's row schema into the database, batch by batch,
 * in one transaction, and say what happened (ImportReport).
 *
 * Pipeline per batch (default 2,000 rows; at most one batch is held in memory):
 *   parse cells (zod, pure) → resolve references (one lookup query per table) → drop keys seen
 *   earlier in the file (temporary table) → upsert (one statement) → rejected rows to the report
 *   and, with skipInvalid, to <input>.rejected.csv.
 * The whole file is one transaction: it commits only when nothing was rejected (or skipInvalid)
 * and this is not a dry run. A dry run does the same work and rolls back, so its counts are
 * exact (sequences may still advance). Data problems are reported, not thrown; exceptions are
 * for bugs and outages.
 */
import { foldRollups } from "../rollups.ts";
import { z } from "zod";
import type { Database } from "../db.ts";
import type { SqlRunner } from "../migrate.ts";
import { cellIssues } from "./cells.ts";
import { planHeader, recordOf, type HeaderPlan } from "./columns.ts";
import { countDemoUsers, markHeldData } from "../seed/history.ts";
import { DateReader } from "./dates.ts";
import { importers, KIND_NAMES, type Importer } from "./importers.ts";
import type { ResolvedMapping } from "./mapping.ts";
import type { ParseContext } from "./kinds/fields.ts";
import type { Progress } from "./progress.ts";
import { RejectedFile, rejectedPath } from "./rejected.ts";
import { dateColumns, openRows, RowsError, type RawRow } from "./sources/index.ts";
import type { ImportReport } from "./report.ts";
import { countWrites } from "./writers/sql.ts";
import { noOutliers, type RowIssue } from "./writers/writer.ts";

export const importOptionsSchema = z.object({
  kind: z.enum(KIND_NAMES, { error: () => `must be one of ${KIND_NAMES.join(", ")}` }),
  file: z.string().min(1),
  /** XLSX: the sheet to read (default: the first visible one). */
  sheet: z.string().min(1).optional(),
  /** Validate and report, write nothing. */
  dryRun: z.boolean().default(false),
  /** Import the valid rows, write the others to <input>.rejected.csv. */
  skipInvalid: z.boolean().default(false),
  /**
   * A blank cell in a column the file has clears the stored value (optional fields only). Without
   * it a blank cell keeps what is stored; a column the file lacks never changes stored values.
   */
  clearEmpty: z.boolean().default(false),
  /** Amounts use "," as the decimal mark ("1.200,50"). */
  decimalComma: z.boolean().default(false),
  /** Filled in where a row has no currency (the workspace's KPI_CURRENCY, or --currency). */
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, "must be a 3-letter ISO currency code"),
  /** Import even though the database holds the demo CRM (mixing the two on purpose). */
  keepDemo: z.boolean().default(false),
  /** Zone of times written without an offset (the workspace's KPI_TIMEZONE). */
  timeZone: z.string().default("UTC"),
  /** How to read year-last dates such as 03/04/2025; unset: only unambiguous ones are accepted. */
  dateOrder: z.enum(["dmy", "mdy"]).optional(),
  batchSize: z.number().int().min(1).max(50_000).default(2_000),
  /** How many row problems the report lists (all are counted). */
  errorLimit: z.number().int().min(0).default(50),
  /** How many outliers the report lists (all are counted). */
  outlierLimit: z.number().int().min(1).default(10),
});

export type ImportOptions = z.input<typeof importOptionsSchema> & {
  /** Read the file through this mapping (readMapping); its defaults.currency replaces `currency`. */
  mapping?: ResolvedMapping | null;
  /** Called after every batch (and once at the end) while the file is read. */
  onProgress?: (p: Progress) => void;
  /** Milliseconds, monotonic; for tests. */
  now?: () => number;
};

/** Temporary table (key, line) of the rows written so far; dropped with the transaction. */
const KEYS = "_kpi_import_keys";

/** Thrown inside the transaction to roll it back on purpose (dry run, invalid rows). */
class Rollback extends Error {}

type Raw = RawRow;
type Rejection = Raw & { issues: RowIssue[] };

function emptyReport(o: z.output<typeof importOptionsSchema>): ImportReport {
  return {
    kind: o.kind,
    file: o.file,
    outcome: "imported",
    dryRun: o.dryRun,
    skipInvalid: o.skipInvalid,
    clearEmpty: o.clearEmpty,
    rowsRead: 0,
    blankRows: 0,
    written: { inserted: 0, updated: 0, unchanged: 0 },
    rejectedRows: 0,
    rejectedByReason: {},
    errors: [],
    errorCount: 0,
    filled: {},
    fieldsChanged: {},
    fieldsCleared: {},
    outliers: noOutliers,
    warnings: [],
    rejectedFile: null,
    problem: null,
    elapsedMs: 0,
  };
}

function zodIssues(error: z.ZodError): RowIssue[] {
  return error.issues.map((i) => ({
    column: typeof i.path[0] === "string" ? i.path[0] : null,
    reason: i.code === "custom" && typeof i.params?.reason === "string" ? i.params.reason : i.code,
    message: i.message,
  }));
}

/** Import one CSV or XLSX file. Throws only for bugs and outages; every data problem is in the report. */
export async function importCsv(db: Pick<Database, "sql">, options: ImportOptions): Promise<ImportReport> {
  const mapping = options.mapping ?? null;
  const o = importOptionsSchema.parse({ ...options, currency: mapping?.defaults.get("currency") ?? options.currency });
  if (mapping !== null && mapping.kind !== o.kind) throw new Error(`a ${mapping.kind} mapping used for a ${o.kind} import`);
  const now = options.now ?? (() => performance.now());
  const started = now();
  const report = emptyReport(o);
  const finish = (outcome: ImportReport["outcome"], problem: string | null = null): ImportReport => {
    report.outcome = outcome;
    report.problem = problem;
    report.elapsedMs = now() - started;
    return report;
  };

  const opened = await openRows(o.file, { sheet: o.sheet });
  if (!opened.ok) return finish("refused", opened.error);
  const source = opened.value;
  const { totalBytes } = source;
  const close = () => source.close();

  // Real data next to the demo's invented people would be ranked and averaged with them.
  if (!o.keepDemo) {
    const demo = await countDemoUsers(db.sql);
    if (demo > 0) {
      close();
      return finish(
        "refused",
        `the database holds the demo CRM (${demo} demo people); remove it first with \`npm run seed -- --remove\`, ` +
          "or add --keep-demo to import alongside it on purpose",
      );
    }
  }

  const importer = importers[o.kind];
  const planned = planHeader(importer.kind, source.header, mapping);
  if (!planned.ok) {
    close();
    return finish("refused", planned.error);
  }
  const plan = planned.value;
  if (plan.unknown.length > 0) report.warnings.push(`ignored unknown column${plan.unknown.length > 1 ? "s" : ""}: ${plan.unknown.join(", ")}`);

  const context: ParseContext = {
    format: { decimalComma: o.decimalComma },
    currency: o.currency,
    dates: new DateReader({ timeZone: o.timeZone, dateOrder: o.dateOrder }),
  };
  const batcher = new Batcher(importer, plan, context, report, o.errorLimit, o.clearEmpty);
  const rejectedFile = o.skipInvalid && !o.dryRun ? new RejectedFile(rejectedPath(o.file), plan.header) : null;

  const progress = () =>
    options.onProgress?.({ rowsRead: report.rowsRead, bytesRead: source.bytesRead(), totalBytes, elapsedMs: now() - started });

  try {
    await db.sql.transaction(async (tx) => {
      await tx.exec(`CREATE TEMP TABLE ${KEYS} (key text PRIMARY KEY, line int NOT NULL) ON COMMIT DROP`);
      let batch: Raw[] = [];
      const flush = async () => {
        const rejected = await batcher.run(tx, batch);
        await rejectedFile?.add(rejected.map((r) => ({ cells: r.cells, reason: reasonText(r.issues.map((i) => labelled(plan, i))) })));
        batch = [];
        progress();
      };
      // In an XLSX sheet a number in a date column is an Excel date serial.
      for await (const raw of source.rows({ dateColumns: dateColumns(o.kind, plan.index) })) {
        batch.push(raw);
        if (batch.length >= o.batchSize) await flush();
      }
      if (batch.length > 0) await flush();
      report.outliers = (await importer.writer.finish?.(tx, KEYS, o.outlierLimit)) ?? noOutliers;
      const commit = !o.dryRun && (o.skipInvalid || report.rejectedRows === 0);
      if (!commit) throw new Rollback();
      // Imported data is never joined by an automatic demo load later.
      await markHeldData(tx);
    });
  } catch (e) {
    close();
    await rejectedFile?.discard();
    if (e instanceof RowsError) return finish("aborted", e.message);
    if (!(e instanceof Rollback)) throw e;
    return finish(report.rejectedRows > 0 && !o.skipInvalid ? "aborted" : "checked");
  }
  close();
  report.rejectedFile = (await rejectedFile?.commit()) ?? null;
  // Committed: move the rollup deltas this import appended into the rollup tables now. The rows
  // are written whatever happens here (readers add pending deltas, the bot folds them later), so
  // a failure is a warning, never a failed import.
  try {
    await foldRollups(db.sql);
  } catch (e) {
    report.warnings.push(`the rollups were not updated now (${(e as Error).message}); the bot folds the changes later and answers count them meanwhile`);
  }
  progress();
  return finish("imported");
}

/** The issue with its column named as the file knows it (an alias, or the mapped header). */
function labelled(plan: HeaderPlan, i: RowIssue): RowIssue {
  return i.column === null ? i : { ...i, column: plan.labels.get(i.column) ?? i.column };
}

/** "amount: "12,5" uses a decimal comma…; closed_at: …" for the rejected file's reason column. */
function reasonText(issues: readonly RowIssue[]): string {
  return issues.map((i) => (i.column === null ? i.message : `${i.column}: ${i.message}`)).join("; ");
}

/** Turns batches of raw records into written rows and rejections, accounting in the report. */
class Batcher {
  private readonly schema: ReturnType<Importer["kind"]["schema"]>;

  constructor(
    private readonly importer: Importer,
    private readonly plan: HeaderPlan,
    context: ParseContext,
    private readonly report: ImportReport,
    private readonly errorLimit: number,
    private readonly clearEmpty: boolean,
  ) {
    this.schema = importer.kind.schema(context);
  }

  /** Process one batch; returns its rejected records in file order. */
  async run(tx: SqlRunner, batch: readonly Raw[]): Promise<Rejection[]> {
    const { writer } = this.importer;
    const rejected: Rejection[] = [];
    const parsed: (Raw & { row: unknown; fills: string[]; keep: ReadonlySet<string> })[] = [];
    const width = this.plan.header.length;
    for (const raw of batch) {
      this.report.rowsRead++;
      if (raw.cells.every((c) => c.trim() === "")) {
        this.report.blankRows++;
        continue;
      }
      if (raw.cells.length !== width) {
        const message = `has ${raw.cells.length} fields, the header has ${width}`;
        rejected.push({ ...raw, issues: [{ column: null, reason: "wrong number of fields", message }] });
        continue;
      }
      // A NUL byte or a huge cell is the row's problem, not the database's.
      const bad = cellIssues(this.plan, raw.cells);
      if (bad.length > 0) {
        rejected.push({ ...raw, issues: bad });
        continue;
      }
      const result = this.schema.safeParse(recordOf(this.plan, raw.cells));
      if (result.success) parsed.push({ ...raw, row: result.data.row, fills: result.data.fills, keep: this.keep(result.data.unset) });
      else rejected.push({ ...raw, issues: zodIssues(result.error) });
    }

    const checked = await writer.resolve(
      tx,
      parsed.map((p) => p.row),
      parsed.map((p) => p.keep),
    );
    const ready: { item: (typeof parsed)[number]; value: unknown }[] = [];
    checked.forEach((c, i) => {
      const item = parsed[i]!;
      if (c.ok) ready.push({ item, value: c.value });
      else rejected.push({ ...item, issues: c.issues });
    });

    const fresh = await this.dropDuplicates(tx, ready, rejected);
    const writes = await writer.write(
      tx,
      fresh.map((r) => r.value),
      fresh.map((r) => r.item.keep),
    );
    const counts = countWrites(writes);
    this.report.written.inserted += counts.inserted;
    this.report.written.updated += counts.updated;
    this.report.written.unchanged += counts.unchanged;
    const add = (to: Record<string, number>, key: string) => (to[key] = (to[key] ?? 0) + 1);
    fresh.forEach((r, i) => {
      const w = writes[i]!;
      for (const field of w.changed) add(this.report.fieldsChanged, field);
      for (const field of w.cleared) add(this.report.fieldsCleared, field);
      // A fill applies to a new record, or where a blank clears (a kept value is not filled).
      for (const fill of r.item.fills) if (w.inserted || !r.item.keep.has(fill.split(" → ")[0]!)) add(this.report.filled, fill);
    });

    rejected.sort((a, b) => a.line - b.line);
    for (const r of rejected) this.account(r);
    return rejected;
  }

  /**
   * Keep the first row of each key: later ones in this batch, and ones whose key an earlier
   * batch wrote (the temporary key table), are rejected as duplicates.
   */
  private async dropDuplicates<T extends { item: Raw & { row: unknown } }>(tx: SqlRunner, ready: T[], rejected: Rejection[]): Promise<T[]> {
    const kind = this.importer.kind;
    const keyColumns = kind.keyColumns;
    const duplicate = (r: T, firstLine: number): Rejection => ({
      ...r.item,
      issues: [
        {
          column: keyColumns[0] ?? null,
          reason: "duplicate",
          message: `same ${keyColumns.join(" + ")} as line ${firstLine}`,
        },
      ],
    });
    const firstLine = new Map<string, number>();
    const unique: T[] = [];
    for (const r of ready) {
      const key = kind.key(r.item.row);
      const seen = firstLine.get(key);
      if (seen !== undefined) rejected.push(duplicate(r, seen));
      else {
        firstLine.set(key, r.item.line);
        unique.push(r);
      }
    }
    if (unique.length === 0) return unique;
    const keys = unique.map((r) => kind.key(r.item.row));
    const added = await tx.query<{ key: string }>(
      `INSERT INTO ${KEYS} (key, line) SELECT * FROM unnest($1::text[], $2::int[]) ON CONFLICT (key) DO NOTHING RETURNING key`,
      [keys, unique.map((r) => r.item.line)],
    );
    if (added.length === unique.length) return unique;
    const isNew = new Set(added.map((a) => a.key));
    const repeated = keys.filter((k) => !isNew.has(k));
    const earlier = new Map(
      (await tx.query<{ key: string; line: number }>(`SELECT key, line FROM ${KEYS} WHERE key = ANY($1::text[])`, [repeated])).map((r) => [
        r.key,
        Number(r.line),
      ]),
    );
    return unique.filter((r, i) => {
      if (isNew.has(keys[i]!)) return true;
      rejected.push(duplicate(r, earlier.get(keys[i]!)!));
      return false;
    });
  }

  /** The columns an existing record keeps: absent ones always, blank ones unless clearEmpty. */
  private keep(unset: readonly string[]): ReadonlySet<string> {
    return new Set(unset.filter((c) => !this.clearEmpty || !this.plan.index.has(c)));
  }

  private account(rejection: Rejection): void {
    const report = this.report;
    const r = { ...rejection, issues: rejection.issues.map((i) => labelled(this.plan, i)) };
    report.rejectedRows++;
    for (const reason of new Set(r.issues.map((i) => (i.column === null ? i.reason : `${i.column}: ${i.reason}`)))) {
      report.rejectedByReason[reason] = (report.rejectedByReason[reason] ?? 0) + 1;
    }
    for (const issue of r.issues) {
      report.errorCount++;
      if (report.errors.length < this.errorLimit) report.errors.push({ line: r.line, column: issue.column, message: issue.message });
    }
  }
}
