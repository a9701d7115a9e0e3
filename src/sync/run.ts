/**
 * syncSource: read every object of a CRM source (src/sync/source.ts) from its stored cursor and
 * write each page with the CSV import's row schema and writer — the page's rows, its deletions
 * and its new cursor in ONE transaction, so a run killed at any point loses nothing and
 * duplicates nothing (the next run starts at the last stored cursor; re-reading a record is a
 * no-op upsert).
 *
 * Per page: parse (zod, as the import) → resolve references → upsert → delete what the CRM
 * deleted (people: inactive) → store the cursor. Refused records are counted and listed with
 * their reasons, like --skip-invalid; the cursor still moves past them (they show up again when
 * the CRM changes them). `full`: read from the start and, for objects that own their records,
 * delete this source's records the CRM no longer has.
 *
 * One run per source at a time across processes: a lease row `sync:<source>`, renewed while the
 * run lasts; a second run meanwhile is "busy" and writes nothing.
 */
import type { Database } from "../data/db.ts";
import { DateReader } from "../data/import/dates.ts";
import { importers, type Importer } from "../data/import/importers.ts";
import type { ParseContext } from "../data/import/kinds/fields.ts";
import { countWrites } from "../data/import/writers/sql.ts";
import type { RowIssue } from "../data/import/writers/writer.ts";
import type { SqlRunner } from "../data/migrate.ts";
import { foldRollups } from "../data/rollups.ts";
import { countDemoUsers, markHeldData } from "../data/seed/history.ts";
import type { Logger } from "../log.ts";
import { keyPrefix, SourceError, type Source, type SourceName, type SourceObject, type SyncKind, type SyncPage, type SyncRecord } from "./source.ts";
import { readCursors, releaseLease, takeLease, writeCursor } from "./store.ts";

export type SyncOptions = {
  /** Re-read everything and delete this source's records the CRM no longer has. */
  full?: boolean;
  /** Do all the work, store nothing (every page's transaction is rolled back). */
  dryRun?: boolean;
  /** Currency of amounts that come without one (KPI_CURRENCY). */
  currency: string;
  /** Zone of times without an offset (KPI_TIMEZONE); CRM APIs give UTC. */
  timeZone?: string;
  /** Sync even though the database holds the demo CRM. */
  keepDemo?: boolean;
  /** Names this process in the lease (host:pid). */
  holder?: string;
  /** Lease length; renewed on every page. */
  leaseMs?: number;
  now?: () => Date;
  /** How many refused records the report lists per object (all are counted). */
  errorLimit?: number;
  logger?: Logger;
  /** After each page and at the end of each object. */
  onProgress?: (o: ObjectReport) => void;
  signal?: AbortSignal;
};

/** One refused record: its key (when it has one), the column and why. */
export type SyncError = { key: string | null; column: string | null; message: string };

export type ObjectReport = {
  object: string;
  kind: SyncKind;
  pages: number;
  /** Records read from the CRM (= created + updated + unchanged + refused). */
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Records deleted here (deals, activities, tickets, campaigns). */
  deleted: number;
  /** People made inactive (archived owners, inactive users). */
  deactivated: number;
  refused: number;
  /** "column: reason" → records refused for it. */
  refusedByReason: Record<string, number>;
  errors: SyncError[];
  /** Read to the end. */
  complete: boolean;
  /** Why it stopped early (an API or database failure), else null. */
  problem: string | null;
};

export type SyncOutcome =
  /** Every object read to the end (refused records are listed). */
  | "synced"
  /** Dry run: everything read and checked, nothing stored. */
  | "checked"
  /** An object could not be read to the end; what was stored stays. */
  | "failed"
  /** Another process is syncing this source; nothing done. */
  | "busy"
  /** Not started (demo data present). */
  | "refused";

export type SyncReport = {
  source: SourceName;
  full: boolean;
  dryRun: boolean;
  outcome: SyncOutcome;
  objects: ObjectReport[];
  /** Why the run failed or was refused, else null. */
  problem: string | null;
  warnings: string[];
  /** --full: records of this source deleted because the CRM no longer has them, by kind. */
  deletedAbsent: Partial<Record<SyncKind, number>>;
  /** Something was created, updated, deleted or deactivated (alerts are worth re-checking). */
  changed: boolean;
  elapsedMs: number;
};

class Rollback extends Error {}

/** Prisma's and pg's table per kind, for deletions. */
const TABLES: Partial<Record<SyncKind, { table: string; key: string }>> = {
  deals: { table: "Deal", key: "externalId" },
  activities: { table: "Activity", key: "externalId" },
  tickets: { table: "Ticket", key: "externalId" },
  campaigns: { table: "Campaign", key: "externalId" },
};

function emptyObject(o: SourceObject): ObjectReport {
  return {
    object: o.name,
    kind: o.kind,
    pages: 0,
    read: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    deleted: 0,
    deactivated: 0,
    refused: 0,
    refusedByReason: {},
    errors: [],
    complete: false,
    problem: null,
  };
}

/** Sync one source. Throws only for bugs; API and database failures end in outcome "failed". */
export async function syncSource(db: Pick<Database, "sql">, source: Source, options: SyncOptions): Promise<SyncReport> {
  const started = performance.now();
  const now = options.now ?? (() => new Date());
  const holder = options.holder ?? `sync:${process.pid}:${Math.random().toString(36).slice(2, 10)}`;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const report: SyncReport = {
    source: source.name,
    full: options.full ?? false,
    dryRun: options.dryRun ?? false,
    outcome: "synced",
    objects: [],
    problem: null,
    warnings: [],
    deletedAbsent: {},
    changed: false,
    elapsedMs: 0,
  };
  const done = (outcome: SyncOutcome, problem: string | null = null) => {
    report.outcome = outcome;
    report.problem = problem;
    report.changed = !report.dryRun && (report.objects.some((o) => o.created + o.updated + o.deleted + o.deactivated > 0) || Object.values(report.deletedAbsent).some((n) => n > 0));
    report.elapsedMs = performance.now() - started;
    return report;
  };

  if (!options.keepDemo) {
    const demo = await countDemoUsers(db.sql);
    if (demo > 0) {
      return done("refused", `the database holds the demo CRM (${demo} demo people); remove it first with \`npm run seed -- --remove\` before syncing a real CRM`);
    }
  }
  if (!(await takeLease(db.sql, source.name, holder, now(), leaseMs))) {
    return done("busy", `another process is syncing ${source.name} now; this run did nothing (the next one continues)`);
  }
  // Renew on a timer as well as per page: a slow page (rate limits) must not lose the lease.
  const renew = setInterval(() => void takeLease(db.sql, source.name, holder, now(), leaseMs).catch(() => {}), Math.max(1_000, leaseMs / 3));
  renew.unref();
  let problem: string | null;
  try {
    const run = (store: Store) => syncObjects(db, source, options, report, store, { holder, leaseMs, now });
    if (report.dryRun) {
      // One transaction for the whole run, rolled back: later objects see earlier ones (deals
      // their owners) and nothing is stored, not even a cursor.
      problem = null;
      try {
        await db.sql.transaction(async (tx) => {
          problem = await run({ inTransaction: (fn) => fn(tx), sql: tx });
          throw new Rollback();
        });
      } catch (e) {
        if (!(e instanceof Rollback)) throw e;
      }
    } else {
      problem = await run({ inTransaction: (fn) => db.sql.transaction(fn), sql: db.sql });
    }
  } finally {
    clearInterval(renew);
    await releaseLease(db.sql, source.name, holder).catch(() => {});
  }
  if (problem !== null) return done("failed", problem);
  if (!report.dryRun) {
    try {
      await foldRollups(db.sql);
    } catch (e) {
      report.warnings.push(`the rollups were not updated now (${(e as Error).message}); the bot folds the changes later and answers count them meanwhile`);
    }
  }
  return done(report.dryRun ? "checked" : "synced");
}

/** Where pages are written: a transaction per page (a real run) or the dry run's one transaction. */
type Store = { inTransaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>; sql: SqlRunner };

/** Every object in order; returns why it stopped early, or null when all were read to the end. */
async function syncObjects(
  db: Pick<Database, "sql">,
  source: Source,
  options: SyncOptions,
  report: SyncReport,
  store: Store,
  l: { holder: string; leaseMs: number; now: () => Date },
): Promise<string | null> {
  const context: ParseContext = {
    format: { decimalComma: false },
    currency: options.currency,
    dates: new DateReader({ timeZone: options.timeZone ?? "UTC" }),
  };
  let objects: SourceObject[];
  try {
    objects = await source.objects();
  } catch (e) {
    return failure(e);
  }
  const cursors = options.full ? new Map<string, string>() : await readCursors(store.sql, source.name);
  // --full: keys seen per kind across its objects (calls, meetings and emails are all activities).
  const seen = new Map<SyncKind, Set<string>>();
  for (const object of objects) {
    const o = emptyObject(object);
    report.objects.push(o);
    const writer = new PageWriter(source.name, object, importers[object.kind], context, o, {
      store,
      errorLimit: options.errorLimit ?? 50,
      now: l.now,
      lease: () => takeLease(store.sql, source.name, l.holder, l.now(), l.leaseMs),
    });
    const keys = options.full && object.deletesByAbsence ? (seen.get(object.kind) ?? seen.set(object.kind, new Set()).get(object.kind)!) : null;
    try {
      for await (const page of object.read(cursors.get(object.name) ?? null, options.signal)) {
        if (keys) {
          // Refused records still exist in the CRM: their stored versions are not deleted.
          for (const r of page.records) keys.add(writer.keyOf(r));
          for (const x of page.refused ?? []) if (x.key !== null) keys.add(x.key);
        }
        await writer.write(page);
        options.onProgress?.(o);
      }
      o.complete = true;
      options.onProgress?.(o);
    } catch (e) {
      if (e instanceof Error && e.name === "AbortError") throw e;
      o.problem = failure(e);
      options.logger?.warn("sync_object_failed", { source: source.name, object: object.name, error: o.problem });
      options.onProgress?.(o);
      return `${object.name}: ${o.problem}`;
    }
  }
  // Every object read to the end: what the CRM no longer has is deleted, kind by kind.
  for (const [kind, keys] of seen) {
    const t = TABLES[kind];
    if (!t) continue;
    const deleted = await store.inTransaction(async (tx) => {
      const stored = await tx.query<{ key: string }>(`SELECT "${t.key}" AS key FROM "${t.table}" WHERE starts_with("${t.key}", $1)`, [keyPrefix(source.name)]);
      const gone = stored.map((s) => s.key).filter((k) => !keys.has(k));
      return gone.length === 0 ? 0 : deleteKeys(tx, source.name, kind, gone);
    });
    report.deletedAbsent[kind] = deleted;
  }
  return null;
}

/** Delete records by key; only keys this source owns (never a CSV import's). */
async function deleteKeys(tx: SqlRunner, source: SourceName, kind: SyncKind, keys: readonly string[]): Promise<number> {
  const t = TABLES[kind]!;
  const mine = keys.filter((k) => k.startsWith(keyPrefix(source)));
  if (mine.length === 0) return 0;
  const rows = await tx.query<{ id: number }>(`DELETE FROM "${t.table}" WHERE "${t.key}" = ANY($1::text[]) RETURNING "id"`, [mine]);
  return rows.length;
}

function failure(e: unknown): string {
  if (e instanceof SourceError) return e.message;
  return e instanceof Error ? e.message : String(e);
}

function zodIssues(error: { issues: readonly { path: readonly PropertyKey[]; code: string; message: string; params?: Record<string, unknown> }[] }): RowIssue[] {
  return error.issues.map((i) => ({
    column: typeof i.path[0] === "string" ? i.path[0] : null,
    reason: i.code === "custom" && typeof i.params?.reason === "string" ? i.params.reason : i.code,
    message: i.message,
  }));
}

/** Writes one object's pages: each page, its deletions and its cursor in one transaction. */
class PageWriter {
  private readonly schema: ReturnType<Importer["kind"]["schema"]>;
  private readonly columns: string[];
  private readonly clears: ReadonlySet<string>;

  constructor(
    private readonly source: SourceName,
    private readonly object: SourceObject,
    private readonly importer: Importer,
    context: ParseContext,
    private readonly report: ObjectReport,
    private readonly o: { store: Store; errorLimit: number; now: () => Date; lease: () => Promise<boolean> },
  ) {
    this.schema = importer.kind.schema(context);
    this.columns = [...importer.kind.required, ...importer.kind.optional];
    // People and teams are never cleared by a sync, whatever a connector lists.
    this.clears = new Set(object.kind === "reps" || object.kind === "teams" ? [] : (object.clears ?? []));
  }

  /** The record's key as given (before parsing), for --full's absence check. */
  keyOf(r: SyncRecord): string {
    const column = this.importer.kind.keyColumns[0]!;
    const v = (r[column] ?? "").trim();
    return this.object.kind === "reps" ? v.toLowerCase() : v;
  }

  async write(page: SyncPage): Promise<void> {
    if (!(await this.o.lease())) throw new SourceError("lost the sync lease to another process (this run took too long between pages); stopped");
    const counts = await this.o.store.inTransaction((tx) => this.writePage(tx, page));
    const r = this.report;
    r.pages++;
    r.read += page.records.length + (page.refused?.length ?? 0);
    r.created += counts.inserted;
    r.updated += counts.updated;
    r.unchanged += counts.unchanged;
    r.deleted += counts.deleted;
    r.deactivated += counts.deactivated;
    for (const x of counts.refused) this.refuse(x.key, x.issues);
  }

  private async writePage(tx: SqlRunner, page: SyncPage) {
    const { kind, writer } = this.importer;
    const refused: { key: string | null; issues: RowIssue[] }[] = (page.refused ?? []).map((x) => ({
      key: x.key,
      issues: [{ column: x.column, reason: x.reason, message: x.message }],
    }));
    // The last record of a key wins (a page lists a record once; this is only a safeguard).
    const byKey = new Map<string, { key: string; row: unknown; keep: ReadonlySet<string> }>();
    for (const record of page.records) {
      const cells = Object.fromEntries(this.columns.map((c) => [c, record[c] ?? ""]));
      const result = this.schema.safeParse(cells);
      if (!result.success) {
        refused.push({ key: this.keyOf(record) || null, issues: zodIssues(result.error) });
        continue;
      }
      const key = kind.key(result.data.row);
      byKey.delete(key);
      // A blank column keeps the stored value (the sync never clears what it does not own),
      // except the columns the CRM owns on its own records (`clears`): emptied there, emptied here.
      byKey.set(key, { key, row: result.data.row, keep: new Set(result.data.unset.filter((c) => !this.clears.has(c))) });
    }
    const parsed = [...byKey.values()];
    const checked = await writer.resolve(tx, parsed.map((p) => p.row), parsed.map((p) => p.keep));
    const ready: { value: unknown; keep: ReadonlySet<string> }[] = [];
    checked.forEach((c, i) => {
      if (c.ok) ready.push({ value: c.value, keep: parsed[i]!.keep });
      else refused.push({ key: parsed[i]!.key, issues: c.issues });
    });
    const writes = await writer.write(tx, ready.map((r) => r.value), ready.map((r) => r.keep));
    const counts = countWrites(writes);
    let deleted = 0;
    let deactivated = 0;
    if (page.deleted.length > 0) {
      if (this.object.kind === "reps") deactivated = await this.deactivate(tx, page.deleted);
      else if (TABLES[this.object.kind]) deleted = await deleteKeys(tx, this.source, this.object.kind, page.deleted);
    }
    if (writes.length > 0 || deleted > 0 || deactivated > 0) await markHeldData(tx);
    if (page.cursor !== null) await writeCursor(tx, this.source, this.object.name, page.cursor, this.o.now());
    return { ...counts, deleted, deactivated, refused };
  }

  /** People the CRM archived or deactivated: kept for history, never ranked or flagged. */
  private async deactivate(tx: SqlRunner, emails: readonly string[]): Promise<number> {
    const rows = await tx.query<{ id: number }>(
      `UPDATE "User" SET "active" = false WHERE lower("email") = ANY($1::text[]) AND "active" RETURNING "id"`,
      [emails.map((e) => e.trim().toLowerCase())],
    );
    return rows.length;
  }

  private refuse(key: string | null, issues: readonly RowIssue[]): void {
    const r = this.report;
    r.refused++;
    for (const reason of new Set(issues.map((i) => (i.column === null ? i.reason : `${i.column}: ${i.reason}`)))) {
      r.refusedByReason[reason] = (r.refusedByReason[reason] ?? 0) + 1;
    }
    for (const i of issues) if (r.errors.length < this.o.errorLimit) r.errors.push({ key, column: i.column, message: i.message });
  }
}
