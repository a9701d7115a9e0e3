/**
 * The database side of an import kind: check a batch's references against the database, then
 * write it with set-based statements. Runs inside the import's transaction (`tx`).
 */
import type { SqlRunner } from "../../migrate.ts";
import type { RowWrite } from "./sql.ts";

export type { RowWrite };

/** Why one row cannot be imported. `column` null: the row as a whole. */
export type RowIssue = { column: string | null; reason: string; message: string };

export type Checked<T> = { ok: true; value: T } | { ok: false; issues: RowIssue[] };

export type WriteCounts = { inserted: number; updated: number; unchanged: number };

/** A value flagged as suspicious but kept. */
export type Outlier = { line: number; message: string };
export type Outliers = { count: number; examples: Outlier[] };

/**
 * Per row: the CSV columns whose stored value an existing row keeps (the cell was blank or the
 * column absent from the file, and no --clear-empty for a present one).
 */
export type Keep = readonly ReadonlySet<string>[];

export type Writer<Row, Ready> = {
  /** One result per row, in order: the row with its references resolved, or why not. */
  resolve(tx: SqlRunner, rows: readonly Row[], keep: Keep): Promise<Checked<Ready>[]>;
  /** Upsert the rows (keys are unique within the batch and the file); one result per row, in order. */
  write(tx: SqlRunner, rows: readonly Ready[], keep: Keep): Promise<RowWrite[]>;
  /**
   * After the last batch: flag outliers among this file's rows. `keys` names a temporary table
   * (key text, line int) holding the key and line of every row written.
   */
  finish?(tx: SqlRunner, keys: string, examples: number): Promise<Outliers>;
};

export const noOutliers: Outliers = { count: 0, examples: [] };
