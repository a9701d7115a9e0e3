/**
 * What a live CRM connector provides to the sync core (src/sync/run.ts): its objects in
 * dependency order, each read incrementally from a stored cursor as pages of records in the
 * CSV import's own column format, so every record goes through the same zod row schema and the
 * same writer as an imported file (same cleaning, same refusals with reasons).
 *
 * A connector never touches the database: the core writes each page and its cursor in one
 * transaction.
 */
import { z } from "zod";

export const SOURCE_NAMES = ["hubspot", "salesforce"] as const;
export const SourceName = z.enum(SOURCE_NAMES, { error: () => `must be one of ${SOURCE_NAMES.join(", ")}` });
export type SourceName = z.infer<typeof SourceName>;

/** Import kinds a source may feed (quotas and rates are never synced). */
export const SYNC_KINDS = ["teams", "reps", "campaigns", "deals", "activities", "tickets"] as const;
export type SyncKind = (typeof SYNC_KINDS)[number];

/**
 * One record as the import kind's columns (`deals`: deal_id, owner_email, status, created_at, …).
 * A column left out (or blank) keeps the stored value of an existing record, exactly as a blank
 * cell of a CSV import without --clear-empty: the sync never clears what it does not own
 * (managers, roles, teams set by CSV). The exception is the object's `clears` columns — fields
 * the CRM owns on its own records, where blank means "emptied in the CRM". Keys of CRM records
 * carry the source prefix (`hubspot:123`) so they never collide with CSV imports; people are
 * matched by email.
 */
export type SyncRecord = Readonly<Record<string, string>>;

/** The prefix of every key a source owns: `hubspot:` / `salesforce:`. */
export function keyPrefix(source: SourceName): string {
  return `${source}:`;
}

/** `hubspot:123`. */
export function sourceKey(source: SourceName, id: string): string {
  return `${source}:${id}`;
}

export type SyncPage = {
  /** Records created or changed in the CRM (import columns; see SyncRecord). */
  records: readonly SyncRecord[];
  /**
   * Keys deleted or archived in the CRM: deal/activity/ticket/campaign keys (`hubspot:9`) are
   * deleted here; people (reps: emails) become inactive, never deleted; teams are never removed.
   */
  deleted: readonly string[];
  /**
   * Where the next read starts once this page is stored; written in the same transaction as the
   * page's rows. null: leave the stored cursor as it is.
   */
  cursor: string | null;
  /**
   * Records the connector itself cannot map (no owner, unknown deal stage): counted and listed
   * with the import's refusals. Optional.
   */
  refused?: readonly SyncRefusal[];
};

/** A CRM record refused before it became import columns. */
export type SyncRefusal = { key: string | null; column: string | null; reason: string; message: string };

/** An object of the CRM (HubSpot owners, deals, calls, …; Salesforce User, Opportunity, …). */
export type SourceObject = {
  /** Its name in the cursor table and the report ("owners", "deals", "Opportunity"). */
  name: string;
  /** The import kind its records are written as. */
  kind: SyncKind;
  /**
   * Pages of changes since `cursor` (null: everything, the --full read). A full read must
   * yield every record the CRM holds, so the core can delete the ones it no longer has.
   */
  read(cursor: string | null, signal?: AbortSignal): AsyncIterable<SyncPage>;
  /**
   * Whether keys absent from a full read are deleted here (deals, activities, tickets,
   * campaigns: true). People and teams are never deleted by absence.
   */
  deletesByAbsence: boolean;
  /**
   * Columns the CRM owns on this object's records (all keyed `<source>:<id>`): a blank there
   * clears the stored value (as a CSV import with --clear-empty), so a deal's amount or a
   * ticket's CSAT emptied in the CRM is emptied here at the next run. Only columns the connector
   * actually reads belong here; people and teams list none (managers, roles and teams set by a
   * CSV file are never cleared by a sync). Absent: none.
   */
  clears?: readonly string[];
};

export interface Source {
  readonly name: SourceName;
  /**
   * The objects to sync, in dependency order: people and teams, campaigns, deals, activities,
   * tickets. May read metadata first (HubSpot deal pipelines, Salesforce describe).
   */
  objects(): Promise<SourceObject[]>;
}

/** A connector's failure a person can act on (bad token, missing scope, unreachable API). */
export class SourceError extends Error {
  constructor(
    message: string,
    /** HTTP status when the API answered. */
    readonly status?: number,
  ) {
    super(message);
    this.name = "SourceError";
  }
}
