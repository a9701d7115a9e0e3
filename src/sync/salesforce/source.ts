/**
 * The Salesforce source for the sync core: objects in dependency order, each read as pages of
 * import records (src/sync/source.ts).
 *
 * - People and teams (`UserRole`, `User`, `UserRole.manager`): users and roles are few, and a
 *   team's manager needs every member, so both are read whole each run (one query each, paged);
 *   only what changed since the last run is written — the cursor holds a short hash per role or
 *   user. So a manager set by a teams CSV stays until Salesforce's hierarchy for that team
 *   changes (or a --full run re-applies it all).
 * - Campaign, Opportunity, Task, Event, Case: `SystemModstamp > cursor ORDER BY SystemModstamp`
 *   through `query`, then deletions through `queryAll … WHERE IsDeleted = true AND SystemModstamp
 *   > cursor`; the cursor (JSON `{changed, deleted}`) advances with each page. Literals are
 *   rounded down to the second, so the last second is read again next time; re-reads are
 *   idempotent upserts.
 */
import { createHash } from "node:crypto";
import { Pacer, pacedFetch, type Clock } from "../pacing.ts";
import { SourceError, type Source, type SourceObject, type SyncKind, type SyncPage, type SyncRecord, type SyncRefusal } from "../source.ts";
import { SalesforceApi, type SalesforceApiOptions, type SfRow } from "./api.ts";
import type { SalesforceConfig } from "./config.ts";
import {
  campaignToRecord,
  caseToTicket,
  eventToActivity,
  hierarchy,
  opportunityToDeal,
  sfInstant,
  sfKey,
  soqlDateTime,
  taskToActivity,
  type CaseFields,
  type MapContext,
  type Rec,
  type SfRole,
  type SfUser,
} from "./mapping.ts";

export type SalesforceSourceOptions = {
  config: SalesforceConfig;
  /** KPI_TIMEZONE: date-only Salesforce values (CloseDate, ActivityDate) are days there. */
  timeZone: string;
  fetch?: typeof fetch;
  clock?: Clock;
  /** Requests per second at most (Salesforce has no per-second limit; this spares the org's daily allowance bursts). */
  requestsPerSecond?: number;
  onRetry?: (info: { attempt: number; waitMs: number; why: string }) => void;
  onToken?: SalesforceApiOptions["onToken"];
};

/** The fields selected, exactly (plain SOQL: no FIELDS(), no aggregates). */
export const SOQL_FIELDS = {
  User: ["Id", "Email", "Name", "IsActive", "ManagerId", "UserRoleId"],
  UserRole: ["Id", "Name", "ParentRoleId"],
  Opportunity: ["Id", "OwnerId", "Account.Name", "Amount", "StageName", "IsClosed", "IsWon", "CreatedDate", "CloseDate", "LeadSource", "Type", "CampaignId", "SystemModstamp"],
  Task: ["Id", "OwnerId", "WhatId", "TaskSubtype", "ActivityDate", "CreatedDate", "SystemModstamp"],
  Event: ["Id", "OwnerId", "WhatId", "ActivityDateTime", "ActivityDate", "CreatedDate", "SystemModstamp"],
  Case: ["Id", "OwnerId", "CreatedDate", "ClosedDate", "IsClosed", "SystemModstamp"],
  Campaign: ["Id", "Name", "Type", "StartDate", "EndDate", "ActualCost", "NumberOfLeads", "NumberOfConvertedLeads", "AmountWonOpportunities", "OwnerId", "CreatedDate", "SystemModstamp"],
} as const;

type Incremental = "Campaign" | "Opportunity" | "Task" | "Event" | "Case";

/**
 * Columns Salesforce owns on its records (those the fields above fill): a field emptied in
 * Salesforce (Amount, Account, LeadSource, Type, CampaignId, a reopened Case's ClosedDate, a
 * Task's WhatId moved off an opportunity) is emptied here at the next run. Currency and the
 * configured Case fields are added when they are read. People and teams: none.
 */
export const CLEARS = {
  // Not owner_email: OwnerId is required in Salesforce, and an owner we cannot resolve (no email,
  // not visible to the integration user) must not wipe the campaign's owner here.
  Campaign: ["end_date"],
  Opportunity: ["customer", "amount", "campaign_id", "stage", "source", "type"],
  Task: ["deal_id"],
  Event: ["deal_id"],
  Case: ["resolved_at"],
} as const satisfies Record<Incremental, readonly string[]>;

/** Incremental cursor: last SystemModstamp read by `query` (changes) and by `queryAll` (deletions). */
type ModCursor = { changed: string | null; deleted: string | null };

function parseModCursor(c: string | null): ModCursor {
  if (c === null) return { changed: null, deleted: null };
  try {
    const j = JSON.parse(c) as Partial<ModCursor>;
    const ok = (v: unknown): string | null => (typeof v === "string" && !Number.isNaN(Date.parse(v)) ? v : null);
    return { changed: ok(j.changed), deleted: ok(j.deleted) };
  } catch {
    return { changed: null, deleted: null };
  }
}

/** A short, stable digest of a record (change detection for people and teams). */
function digest(r: Rec): string {
  return createHash("sha1").update(JSON.stringify(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)))).digest("base64url").slice(0, 10);
}

/** Records per page handed to the core for the people and teams objects. */
const SNAPSHOT_PAGE = 2000;

export class SalesforceSource implements Source {
  readonly name = "salesforce" as const;
  private readonly api: SalesforceApi;
  private readonly caseFields: CaseFields;

  constructor(private readonly o: SalesforceSourceOptions) {
    const pacer = new Pacer(o.requestsPerSecond ?? 20, 1000, o.clock);
    this.api = new SalesforceApi({
      config: o.config,
      ...(o.onToken ? { onToken: o.onToken } : {}),
      fetch: (url, init, what) =>
        pacedFetch(url, init, { pacers: [pacer], what, ...(o.clock ? { clock: o.clock } : {}), ...(o.fetch ? { fetch: o.fetch } : {}), ...(o.onRetry ? { onRetry: o.onRetry } : {}) }),
    });
    this.caseFields = { firstResponse: o.config.SALESFORCE_CASE_FIRST_RESPONSE_FIELD, csat: o.config.SALESFORCE_CASE_CSAT_FIELD };
  }

  async objects(): Promise<SourceObject[]> {
    const oppFields = await this.api.describeFields("Opportunity");
    const multiCurrency = oppFields.has("CurrencyIsoCode");
    const wanted = [this.caseFields.firstResponse, this.caseFields.csat].filter((f): f is string => f !== undefined);
    if (wanted.length > 0) {
      const caseFields = await this.api.describeFields("Case");
      const missing = wanted.filter((f) => !caseFields.has(f));
      if (missing.length > 0) {
        throw new SourceError(`Case has no field ${missing.join(", ")} (SALESFORCE_CASE_FIRST_RESPONSE_FIELD / SALESFORCE_CASE_CSAT_FIELD): use the field's API name, e.g. First_Response__c, and give the integration user read access to it`);
      }
    }
    const roles = (await this.readAll("UserRole")).map((r) => ({ Id: String(r.Id), Name: String(r.Name ?? ""), ParentRoleId: (r.ParentRoleId as string | null) ?? null }) satisfies SfRole);
    const users = (await this.readAll("User")).map(
      (r) => ({ Id: String(r.Id), Email: String(r.Email ?? ""), Name: String(r.Name ?? ""), IsActive: r.IsActive === true, ManagerId: (r.ManagerId as string | null) ?? null, UserRoleId: (r.UserRoleId as string | null) ?? null }) satisfies SfUser,
    );
    const emails = new Map(users.filter((u) => u.Email.trim() !== "").map((u) => [u.Id, u.Email.trim().toLowerCase()]));
    const ctx: MapContext = { emailOf: (id) => emails.get(id), multiCurrency, timeZone: this.o.timeZone };
    const h = hierarchy(users, roles);
    const managerOf = new Map(h.reportsTo.map((x) => [x.email!, x.manager_email!]));
    const currency = multiCurrency ? ["CurrencyIsoCode"] : [];
    // Currency and the configured Case fields are Salesforce's only when they are read.
    const currencyClears = multiCurrency ? ["currency"] : [];
    const caseClears = [...CLEARS.Case, ...(this.caseFields.firstResponse ? ["first_response_at"] : []), ...(this.caseFields.csat ? ["csat"] : [])];
    return [
      this.snapshot("UserRole", "teams", h.teams, (r) => r.team!),
      this.snapshot(
        "User",
        "reps",
        h.people.map((p) => ({ ...p, manager_email: managerOf.get(p.email!) ?? "" })),
        (r) => r.email!,
        managersFirst,
      ),
      this.snapshot("UserRole.manager", "teams", h.teamManagers, (r) => r.team!),
      this.incremental("Campaign", "campaigns", [...SOQL_FIELDS.Campaign, ...currency], (r) => ({ record: campaignToRecord(r, ctx) }), [...CLEARS.Campaign, ...currencyClears]),
      this.incremental("Opportunity", "deals", [...SOQL_FIELDS.Opportunity, ...currency], (r) => owned(r, ctx, "owner_email", () => opportunityToDeal(r, ctx)), [...CLEARS.Opportunity, ...currencyClears]),
      this.incremental("Task", "activities", [...SOQL_FIELDS.Task], (r) => owned(r, ctx, "owner_email", () => taskToActivity(r, ctx)), CLEARS.Task),
      this.incremental("Event", "activities", [...SOQL_FIELDS.Event], (r) => owned(r, ctx, "owner_email", () => eventToActivity(r, ctx)), CLEARS.Event),
      this.incremental("Case", "tickets", [...SOQL_FIELDS.Case, ...wanted], (r) => owned(r, ctx, "agent_email", () => caseToTicket(r, ctx, this.caseFields)), caseClears),
    ];
  }

  private async readAll(object: "User" | "UserRole"): Promise<SfRow[]> {
    const out: SfRow[] = [];
    for await (const page of this.api.query(`SELECT ${SOQL_FIELDS[object].join(", ")} FROM ${object} ORDER BY Id`)) out.push(...page.records);
    return out;
  }

  /**
   * An object read whole each run: emits the records whose digest differs from the stored one
   * (all of them on a first or --full run). The cursor, the digests by key, is stored with the
   * last page only: a run stopped earlier emits those records again (harmless upserts).
   */
  private snapshot(name: string, kind: SyncKind, records: Rec[], key: (r: Rec) => string, order?: (changed: Rec[]) => Rec[]): SourceObject {
    return {
      name,
      kind,
      deletesByAbsence: false,
      async *read(cursor: string | null): AsyncIterable<SyncPage> {
        let before: Record<string, string> = {};
        try {
          if (cursor !== null) before = JSON.parse(cursor) as Record<string, string>;
        } catch {
          before = {};
        }
        const now: Record<string, string> = {};
        let changed: Rec[] = [];
        for (const r of records) {
          const d = digest(r);
          now[key(r)] = d;
          if (before[key(r)] !== d) changed.push(r);
        }
        if (order) changed = order(changed);
        const next = JSON.stringify(now);
        if (changed.length === 0) {
          if (cursor !== next) yield { records: [], deleted: [], cursor: next };
          return;
        }
        for (let i = 0; i < changed.length; i += SNAPSHOT_PAGE) {
          const last = i + SNAPSHOT_PAGE >= changed.length;
          yield { records: changed.slice(i, i + SNAPSHOT_PAGE), deleted: [], cursor: last ? next : null };
        }
      },
    };
  }

  /** Changes since the cursor (`query`), then deletions since it (`queryAll … IsDeleted = true`). */
  private incremental(object: Incremental, kind: SyncKind, fields: readonly string[], map: (r: SfRow) => { record: Rec } | { refused: SyncRefusal }, clears: readonly string[]): SourceObject {
    const api = this.api;
    return {
      name: object,
      kind,
      deletesByAbsence: true,
      clears,
      async *read(cursor: string | null): AsyncIterable<SyncPage> {
        const c = parseModCursor(cursor);
        const since = (iso: string | null) => (iso === null ? "" : `SystemModstamp > ${soqlDateTime(iso)}`);
        const changedWhere = since(c.changed);
        const changedSoql = `SELECT ${fields.join(", ")} FROM ${object}${changedWhere ? ` WHERE ${changedWhere}` : ""} ORDER BY SystemModstamp`;
        for await (const page of api.query(changedSoql)) {
          const records: SyncRecord[] = [];
          const refused: SyncRefusal[] = [];
          for (const r of page.records) {
            const m = map(r);
            if ("record" in m) records.push(m.record);
            else refused.push(m.refused);
          }
          c.changed = latest(c.changed, page.records);
          yield { records, deleted: [], cursor: JSON.stringify(c), ...(refused.length > 0 ? { refused } : {}) };
        }
        const deletedSoql = `SELECT Id, SystemModstamp FROM ${object} WHERE IsDeleted = true${c.deleted === null ? "" : ` AND ${since(c.deleted)}`} ORDER BY SystemModstamp`;
        for await (const page of api.query(deletedSoql, true)) {
          if (page.records.length === 0) continue;
          c.deleted = latest(c.deleted, page.records);
          yield { records: [], deleted: page.records.map((r) => sfKey(String(r.Id))), cursor: JSON.stringify(c) };
        }
      },
    };
  }
}

/** The latest SystemModstamp of a page (ordered by it), or the cursor when the page is empty. */
function latest(cursor: string | null, rows: readonly SfRow[]): string | null {
  let best = cursor;
  for (const r of rows) {
    const t = sfInstant(r.SystemModstamp);
    if (t !== "" && (best === null || Date.parse(t) > Date.parse(best))) best = t;
  }
  return best;
}

/** A record whose owner is no user this sync knows (a queue, a group) is refused with its Id. */
function owned(r: SfRow, ctx: MapContext, column: string, map: () => Rec): { record: Rec } | { refused: SyncRefusal } {
  const owner = typeof r.OwnerId === "string" ? r.OwnerId : "";
  if (owner !== "" && ctx.emailOf(owner) === undefined) {
    return {
      refused: {
        key: sfKey(String(r.Id)),
        column,
        reason: "owner is not a user",
        message: `OwnerId ${owner} is not a Salesforce user the sync can see (a queue?): assign the record to a user, or give the integration user View All Users`,
      },
    };
  }
  return { record: map() };
}

/** People ordered so that each one's manager comes before them (a manager must exist first). */
function managersFirst(people: Rec[]): Rec[] {
  const byEmail = new Map(people.map((p) => [p.email!, p]));
  const out: Rec[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (p: Rec): void => {
    const e = p.email!;
    if (state.has(e)) return;
    state.set(e, "visiting");
    const m = p.manager_email ? byEmail.get(p.manager_email) : undefined;
    if (m && state.get(m.email!) !== "visiting") visit(m);
    state.set(e, "done");
    out.push(p);
  };
  for (const p of people) visit(p);
  return out;
}

/** The source from the environment (null when SALESFORCE_CLIENT_ID is unset). */
export function salesforceSource(config: SalesforceConfig, timeZone: string, o: Omit<SalesforceSourceOptions, "config" | "timeZone"> = {}): SalesforceSource {
  return new SalesforceSource({ config, timeZone, ...o });
}
