/**
 * importCsv: stream a CSV or XLSX file through the kind's row schema into the database, batch by batch,
 * in one transaction, and say what happened (ImportReport). importFiles: several files (a whole
 * export) in dependency order in ONE transaction — all or nothing across the set — with one
 * report per file; lookups across the files work because each runs after the ones it refers to.
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
import type { PendingTeam } from "./pending.ts";
import { z } from "zod";
import type { Database } from "../db.ts";
import type { SqlRunner } from "../migrate.ts";
import { cellIssues } from "./cells.ts";
import { planHeader, recordOf, type HeaderPlan } from "./columns.ts";
import { countDemoUsers, markHeldData } from "../seed/history.ts";
import { DATE_COLUMNS, describeOrder, inferDateOrders, orderWords, type ColumnOrder } from "./date-orders.ts";
import { DateReader } from "./dates.ts";
import { importers, KIND_NAMES, type Importer, type KindName } from "./importers.ts";
import type { ResolvedMapping } from "./mapping.ts";
import type { ParseContext } from "./kinds/fields.ts";
import type { Progress } from "./progress.ts";
import { pendingManagers, settlePendingManagers } from "./pending.ts";
import { RejectedFile, rejectedPath } from "./rejected.ts";
import type { ImportReport, RunReport } from "./report.ts";
import { dateColumns as dateCells, openRows, RowsError, type RawRow, type RowSource } from "./rows.ts";
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

/** Temporary table (key, line) of the rows written so far, one per file; dropped with the transaction. */
const KEYS = "_kpi_import_keys";

/** Thrown inside the transaction to roll it back on purpose (dry run, invalid rows). */
class Rollback extends Error {}

type Raw = RawRow;
type Rejection = Raw & { issues: RowIssue[] };

type Options = z.output<typeof importOptionsSchema>;

function emptyReport(o: Options): ImportReport {
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
    dateOrders: {},
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

/** A file whose header fits its kind, ready to stream into a transaction. */
type Prepared = {
  o: Options;
  report: ImportReport;
  importer: Importer;
  plan: HeaderPlan;
  batcher: Batcher;
  source: RowSource;
  /** Cell positions of the kind's date fields (XLSX date serials there read as dates). */
  serialDates: ReadonlySet<number>;
  rejectedFile: RejectedFile | null;
  onProgress: ((p: Progress) => void) | undefined;
};

/**
 * Open a file, plan its header and infer its date orders (a scan of the cells, no database).
 * Returns the report alone (outcome "refused") when the file cannot be read or does not fit.
 */
async function prepare(options: ImportOptions): Promise<{ report: ImportReport; ready: Prepared | null }> {
  const mapping = options.mapping ?? null;
  const o = importOptionsSchema.parse({ ...options, currency: mapping?.defaults.get("currency") ?? options.currency });
  if (mapping !== null && mapping.kind !== o.kind) throw new Error(`a ${mapping.kind} mapping used for a ${o.kind} import`);
  const report = emptyReport(o);
  const refuse = (problem: string) => {
    report.outcome = "refused";
    report.problem = problem;
    return { report, ready: null };
  };
  let opened = await openRows(o.file, { sheet: o.sheet });
  if (!opened.ok) return refuse(opened.error);
  const importer = importers[o.kind];
  const planned = planHeader(importer.kind, opened.value.header, mapping);
  if (!planned.ok) {
    opened.value.close();
    return refuse(planned.error);
  }
  const plan = planned.value;
  if (plan.unknown.length > 0) report.warnings.push(`ignored unknown column${plan.unknown.length > 1 ? "s" : ""}: ${plan.unknown.join(", ")}`);

  const dateColumns = DATE_COLUMNS[o.kind].filter((c) => plan.index.has(c));
  // In an XLSX sheet a number in a date column is an Excel date serial (read as an ISO date).
  const serialDates = dateCells(o.kind, plan.index);
  let inferred = new Map<string, ColumnOrder>();
  if (o.dateOrder !== undefined) {
    for (const c of dateColumns) report.dateOrders[c] = `${orderWords(o.dateOrder)} (--date-order)`;
  } else if (dateColumns.length > 0) {
    // A first pass over the cells decides each column's order; the import then reads the file again.
    try {
      inferred = await inferDateOrders(opened.value.rows({ dateColumns: serialDates }), plan.index, dateColumns);
    } catch (e) {
      if (!(e instanceof RowsError)) throw e;
      // Malformed further on: the import itself reports it.
    } finally {
      opened.value.close();
    }
    for (const [c, how] of inferred) report.dateOrders[c] = describeOrder(c, how);
    opened = await openRows(o.file, { sheet: o.sheet });
    if (!opened.ok) return refuse(opened.error);
  }

  const context: ParseContext = {
    format: { decimalComma: o.decimalComma },
    currency: o.currency,
    dates: new DateReader({ timeZone: o.timeZone, dateOrder: o.dateOrder, inferred }),
  };
  const batcher = new Batcher(importer, plan, context, report, o.errorLimit, o.clearEmpty);
  const rejectedFile = o.skipInvalid && !o.dryRun ? new RejectedFile(rejectedPath(o.file), plan.header) : null;
  return { report, ready: { o, report, importer, plan, batcher, source: opened.value, serialDates, rejectedFile, onProgress: options.onProgress } };
}

/** Stream one prepared file into the open transaction; `n` numbers its key table. */
async function streamInto(tx: SqlRunner, p: Prepared, n: number, started: number, now: () => number): Promise<void> {
  const { o, report, plan, batcher, source, rejectedFile } = p;
  const keys = `${KEYS}_${n}`;
  const progress = () => p.onProgress?.({ rowsRead: report.rowsRead, bytesRead: source.bytesRead(), totalBytes: source.totalBytes, elapsedMs: now() - started });
  await tx.exec(`CREATE TEMP TABLE ${keys} (key text PRIMARY KEY, line int NOT NULL) ON COMMIT DROP`);
  let batch: Raw[] = [];
  const flush = async () => {
    const rejected = await batcher.run(tx, keys, batch);
    await rejectedFile?.add(rejected.map((r) => ({ cells: r.cells, reason: reasonText(r.issues.map((i) => labelled(plan, i))) })));
    batch = [];
    progress();
  };
  try {
    for await (const raw of source.rows({ dateColumns: p.serialDates })) {
      batch.push(raw);
      if (batch.length >= o.batchSize) await flush();
    }
    if (batch.length > 0) await flush();
  } finally {
    source.close();
  }
  report.outliers = (await p.importer.writer.finish?.(tx, keys, o.outlierLimit)) ?? noOutliers;
  // A reps file may bring people a team is waiting for as its manager.
  if (o.kind === "reps") await settlePendingManagers(tx);
}

/** Refused before reading anything: the database holds the demo and --keep-demo is not given. */
async function demoProblem(db: Pick<Database, "sql">, keepDemo: boolean): Promise<string | null> {
  if (keepDemo) return null;
  // Real data next to the demo's invented people would be ranked and averaged with them.
  const demo = await countDemoUsers(db.sql);
  if (demo === 0) return null;
  return (
    `the database holds the demo CRM (${demo} demo people); remove it first with \`npm run seed -- --remove\`, ` +
    "or add --keep-demo to import alongside it on purpose"
  );
}

/**
 * Run prepared files in order in one transaction. Commits only when no file rejected a row (or
 * skipInvalid) and this is not a dry run; every report's outcome says what happened to the set.
 * Returns the teams still waiting for their manager.
 */
async function runAll(db: Pick<Database, "sql">, files: Prepared[], o: Pick<Options, "dryRun" | "skipInvalid">, now: () => number): Promise<{ pending: PendingTeam[] }> {
  const started = now();
  let pending: PendingTeam[] = [];
  let failed = null as { file: Prepared; problem: string } | null;
  const closeAll = () => files.forEach((f) => f.source.close());
  try {
    await db.sql.transaction(async (tx) => {
      for (const [n, f] of files.entries()) {
        const t0 = now();
        try {
          await streamInto(tx, f, n, started, now);
        } catch (e) {
          if (e instanceof RowsError) failed = { file: f, problem: e.message };
          throw e;
        } finally {
          f.report.elapsedMs = now() - t0;
        }
      }
      pending = await pendingManagers(tx);
      const rejected = files.some((f) => f.report.rejectedRows > 0);
      const commit = !o.dryRun && (o.skipInvalid || !rejected);
      if (!commit) throw new Rollback();
      // Imported data is never joined by an automatic demo load later.
      await markHeldData(tx);
    });
  } catch (e) {
    closeAll();
    await Promise.all(files.map((f) => f.rejectedFile?.discard()));
    if (!(e instanceof Rollback) && !(e instanceof RowsError)) throw e;
    const bad = files.find((f) => f.report.rejectedRows > 0);
    for (const f of files) {
      if (failed?.file === f) {
        f.report.outcome = "aborted";
        f.report.problem = failed.problem;
      } else if (failed !== null) {
        f.report.outcome = "aborted";
        f.report.problem = `${failed.file.o.file} is malformed (${failed.problem})`;
      } else if (f.report.rejectedRows > 0 && !o.skipInvalid) {
        f.report.outcome = "aborted";
      } else if (bad !== undefined && !o.skipInvalid) {
        f.report.outcome = "aborted";
        f.report.problem = `${bad.o.file} has invalid rows`;
      } else f.report.outcome = "checked";
    }
    return { pending };
  }
  for (const f of files) {
    f.report.rejectedFile = (await f.rejectedFile?.commit()) ?? null;
    f.report.outcome = "imported";
  }
  // Committed: move the rollup deltas this import appended into the rollup tables now. The rows
  // are written whatever happens here (readers add pending deltas, the bot folds them later), so
  // a failure is a warning, never a failed import.
  try {
    await foldRollups(db.sql);
  } catch (e) {
    const last = files.at(-1);
    last?.report.warnings.push(`the rollups were not updated now (${(e as Error).message}); the bot folds the changes later and answers count them meanwhile`);
  }
  for (const f of files) f.onProgress?.({ rowsRead: f.report.rowsRead, bytesRead: f.source.bytesRead(), totalBytes: f.source.totalBytes, elapsedMs: f.report.elapsedMs });
  return { pending };
}

/** "team Nordics: manager "Ana Souza" not found yet; set when they are imported". */
function pendingWarning(p: PendingTeam): string {
  return `team ${p.team}: manager "${p.manager}" is nobody yet; kept pending and set when a reps file brings them`;
}

/** Import one CSV or XLSX file. Throws only for bugs and outages; every data problem is in the report. */
export async function importCsv(db: Pick<Database, "sql">, options: ImportOptions): Promise<ImportReport> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const { report, ready } = await prepare(options);
  const done = () => {
    report.elapsedMs = now() - started;
    return report;
  };
  if (ready === null) return done();
  const demo = await demoProblem(db, ready.o.keepDemo);
  if (demo !== null) {
    ready.source.close();
    report.outcome = "refused";
    report.problem = demo;
    return done();
  }
  const { pending } = await runAll(db, [ready], ready.o, now);
  if (ready.o.kind === "teams" || ready.o.kind === "reps") report.warnings.push(...pending.map(pendingWarning));
  return done();
}

/** One file of a whole-export import: its kind and mapping are already decided (see folder.ts). */
export type FileToImport = { file: string; kind: KindName; mapping: ResolvedMapping | null };

/**
 * Import several files as one: in dependency order (KIND_NAMES: teams, reps, campaigns, deals,
 * activities, tickets, quotas, rates; files of one kind in the order given), in one transaction.
 * A file that cannot be read or whose header does not fit refuses the whole set before anything
 * is written. `skipped`: files recognised as no kind, listed in the report.
 */
export async function importFiles(
  db: Pick<Database, "sql">,
  files: readonly FileToImport[],
  options: Omit<ImportOptions, "kind" | "file" | "mapping">,
  skipped: readonly { file: string; reason: string }[] = [],
): Promise<RunReport> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const ordered = [...files].sort((a, b) => KIND_NAMES.indexOf(a.kind) - KIND_NAMES.indexOf(b.kind));
  const run: RunReport = { outcome: "imported", dryRun: options.dryRun ?? false, files: [], skipped: [...skipped], pendingManagers: [], problem: null, elapsedMs: 0 };
  const done = () => {
    run.elapsedMs = now() - started;
    return run;
  };
  const prepared: Prepared[] = [];
  const closeAll = () => prepared.forEach((p) => p.source.close());
  for (const f of ordered) {
    const { report, ready } = await prepare({ ...options, ...f });
    run.files.push(report);
    if (ready !== null) prepared.push(ready);
  }
  const refused = run.files.find((r) => r.outcome === "refused");
  if (refused !== undefined) {
    closeAll();
    run.outcome = "refused";
    run.problem = `${refused.file}: ${refused.problem}`;
    return done();
  }
  if (prepared.length === 0) {
    run.outcome = "refused";
    run.problem = "no file to import";
    return done();
  }
  const demo = await demoProblem(db, prepared[0]!.o.keepDemo);
  if (demo !== null) {
    closeAll();
    run.outcome = "refused";
    run.problem = demo;
    return done();
  }
  const { pending } = await runAll(db, prepared, prepared[0]!.o, now);
  run.pendingManagers = pending;
  run.outcome = run.files.some((r) => r.outcome === "aborted") ? "aborted" : run.files.every((r) => r.outcome === "checked") ? "checked" : "imported";
  return done();
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
  async run(tx: SqlRunner, keys: string, batch: readonly Raw[]): Promise<Rejection[]> {
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

    const fresh = await this.dropDuplicates(tx, keys, ready, rejected);
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
  private async dropDuplicates<T extends { item: Raw & { row: unknown } }>(tx: SqlRunner, keyTable: string, ready: T[], rejected: Rejection[]): Promise<T[]> {
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
      `INSERT INTO ${keyTable} (key, line) SELECT * FROM unnest($1::text[], $2::int[]) ON CONFLICT (key) DO NOTHING RETURNING key`,
      [keys, unique.map((r) => r.item.line)],
    );
    if (added.length === unique.length) return unique;
    const isNew = new Set(added.map((a) => a.key));
    const repeated = keys.filter((k) => !isNew.has(k));
    const earlier = new Map(
      (await tx.query<{ key: string; line: number }>(`SELECT key, line FROM ${keyTable} WHERE key = ANY($1::text[])`, [repeated])).map((r) => [
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
