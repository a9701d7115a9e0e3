/**
 * Salesforce records → records in the CSV import's columns (the sync core writes them through the
 * import's row schemas and writers). Pure functions: no I/O, no clock.
 *
 * Keys are `salesforce:<Id>`; people are referred to by email, found through the org's users
 * (`ctx.emailOf`). A blank cell means "keep what is stored" to the writer, except in the columns
 * the source lists as Salesforce's own (`CLEARS` in source.ts): there a field emptied in
 * Salesforce empties the stored value.
 */
import { localDay } from "../../time/buckets.ts";

export type Rec = Readonly<Record<string, string>>;
export type SfRow = Readonly<Record<string, unknown>>;

export const SF_PREFIX = "salesforce:";
/** `salesforce:006…`. */
export const sfKey = (id: string): string => `${SF_PREFIX}${id}`;

/** Opportunity Ids start with this key prefix (a Task's WhatId may name any object). */
export const OPPORTUNITY_PREFIX = "006";

export type MapContext = {
  /** The email of a user Id; undefined for a queue, a group or an unknown user. */
  emailOf: (userId: string) => string | undefined;
  /** The org has multi-currency on (CurrencyIsoCode is selected). */
  multiCurrency: boolean;
  /** The workspace time zone (KPI_TIMEZONE): date-only values are days there. */
  timeZone: string;
};

const str = (v: unknown): string => (typeof v === "string" ? v.trim() : typeof v === "number" && Number.isFinite(v) ? String(v) : "");

/**
 * Salesforce's datetime (`2026-11-01T10:00:00.000+0000`) as ISO 8601 UTC; "" when absent.
 * sfInstant("2026-11-01T10:00:00.000+0000") // => "2026-11-01T10:00:00.000Z"
 */
export function sfInstant(v: unknown): string {
  if (typeof v !== "string" || v.trim() === "") return "";
  const t = Date.parse(v.trim().replace(/([+-]\d\d)(\d\d)$/, "$1:$2"));
  return Number.isNaN(t) ? v.trim() : new Date(t).toISOString();
}

/**
 * A SOQL datetime literal for `SystemModstamp > …`, rounded down to the second (the precision
 * clients agree on). Rounding down can only re-read records of that second, which the upserts
 * make harmless; it never skips one.
 * soqlDateTime("2026-11-01T10:00:05.300Z") // => "2026-11-01T10:00:05Z"
 */
export function soqlDateTime(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`not an instant: ${iso}`);
  return new Date(Math.floor(t / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/**
 * A money amount as the import reads it: hundredths, dot decimal. Salesforce currency fields are
 * doubles; a value with more decimals is rounded to the cent.
 * money(1234.5) // => "1234.50"
 */
export function money(v: unknown): string {
  if (typeof v !== "number" || !Number.isFinite(v)) return "";
  return (Math.round(v * 100) / 100).toFixed(2);
}

/** A count (leads, conversions); blank Salesforce values count 0. */
function count(v: unknown): string {
  return typeof v === "number" && Number.isFinite(v) ? String(Math.round(v)) : "0";
}

/** The owner's email; "" for none or an owner that is no user (the source refuses those first, naming the Id). */
function ownerEmail(ctx: MapContext, ownerId: unknown): string {
  const id = str(ownerId);
  return id === "" ? "" : (ctx.emailOf(id) ?? "");
}

/**
 * Opportunity → deals record. Won/lost from IsWon/IsClosed, never from stage names (orgs rename
 * stages). CloseDate is a date: on or before the day the opportunity was created (workspace
 * time zone) it closes at its creation instant, so a same-day close is not "closed before
 * created". A lost opportunity without an amount counts 0 (won ones without are refused).
 */
export function opportunityToDeal(r: SfRow, ctx: MapContext): Rec {
  const status = r.IsWon === true ? "won" : r.IsClosed === true ? "lost" : "open";
  const created = sfInstant(r.CreatedDate);
  let closed = "";
  if (status !== "open") {
    closed = str(r.CloseDate);
    if (closed !== "" && created !== "") {
      const createdDay = localDay(new Date(created), ctx.timeZone).toISOString().slice(0, 10);
      if (closed <= createdDay) closed = created;
    }
  }
  let amount = money(r.Amount);
  if (amount === "" && status === "lost") amount = "0.00";
  const account = r.Account as { Name?: unknown } | null | undefined;
  return {
    deal_id: sfKey(str(r.Id)),
    owner_email: ownerEmail(ctx, r.OwnerId),
    status,
    created_at: created,
    closed_at: closed,
    customer: str(account?.Name),
    amount,
    ...(ctx.multiCurrency ? { currency: str(r.CurrencyIsoCode) } : {}),
    campaign_id: str(r.CampaignId) === "" ? "" : sfKey(str(r.CampaignId)),
    stage: str(r.StageName),
    source: str(r.LeadSource),
    type: str(r.Type),
  };
}

/** A WhatId naming an opportunity → its deal key; anything else (account, case) → "". */
function dealOf(whatId: unknown): string {
  const id = str(whatId);
  return id.startsWith(OPPORTUNITY_PREFIX) ? sfKey(id) : "";
}

/** Task → activities record: TaskSubtype Call → call, Email → email, others → other; when: ActivityDate, else CreatedDate. */
export function taskToActivity(r: SfRow, ctx: MapContext): Rec {
  const subtype = str(r.TaskSubtype).toLowerCase();
  return {
    activity_id: sfKey(str(r.Id)),
    owner_email: ownerEmail(ctx, r.OwnerId),
    type: subtype === "call" ? "call" : subtype === "email" ? "email" : "other",
    occurred_at: str(r.ActivityDate) || sfInstant(r.CreatedDate),
    deal_id: dealOf(r.WhatId),
  };
}

/** Event → a meeting, at ActivityDateTime (else ActivityDate, else CreatedDate). */
export function eventToActivity(r: SfRow, ctx: MapContext): Rec {
  return {
    activity_id: sfKey(str(r.Id)),
    owner_email: ownerEmail(ctx, r.OwnerId),
    type: "meeting",
    occurred_at: sfInstant(r.ActivityDateTime) || str(r.ActivityDate) || sfInstant(r.CreatedDate),
    deal_id: dealOf(r.WhatId),
  };
}

export type CaseFields = { firstResponse?: string | undefined; csat?: string | undefined };

/** Case → tickets record; first response and CSAT only from the configured fields. */
export function caseToTicket(r: SfRow, ctx: MapContext, fields: CaseFields): Rec {
  const csat = fields.csat ? r[fields.csat] : undefined;
  return {
    ticket_id: sfKey(str(r.Id)),
    agent_email: ownerEmail(ctx, r.OwnerId),
    opened_at: sfInstant(r.CreatedDate),
    resolved_at: r.IsClosed === true ? sfInstant(r.ClosedDate) : "",
    first_response_at: fields.firstResponse ? sfInstant(r[fields.firstResponse]) : "",
    csat: typeof csat === "number" && Number.isFinite(csat) ? String(csat) : str(csat),
  };
}

/** The channel of a campaign without a Type. */
export const NO_CHANNEL = "(none)";

/** Campaign → campaigns record: Type → channel; a campaign without StartDate starts the day it was created. */
export function campaignToRecord(r: SfRow, ctx: MapContext): Rec {
  const start = str(r.StartDate) || sfInstant(r.CreatedDate).slice(0, 10);
  const owner = str(r.OwnerId);
  return {
    campaign_id: sfKey(str(r.Id)),
    name: str(r.Name),
    channel: str(r.Type) || NO_CHANNEL,
    start_date: start,
    end_date: str(r.EndDate),
    spend: money(r.ActualCost) || "0.00",
    leads: count(r.NumberOfLeads),
    conversions: count(r.NumberOfConvertedLeads),
    revenue: money(r.AmountWonOpportunities) || "0.00",
    owner_email: owner === "" ? "" : (ctx.emailOf(owner) ?? ""),
    ...(ctx.multiCurrency ? { currency: str(r.CurrencyIsoCode) } : {}),
  };
}

export type SfUser = { Id: string; Email: string; Name: string; IsActive: boolean; ManagerId: string | null; UserRoleId: string | null };
export type SfRole = { Id: string; Name: string; ParentRoleId: string | null };

export type Hierarchy = {
  /** team, parent_team — parents before children. */
  teams: Rec[];
  /** email, name, team, active. */
  people: Rec[];
  /** email, manager_email (only users with a manager who is a user). */
  reportsTo: Rec[];
  /** team, manager_email (only teams whose members report to someone). */
  teamManagers: Rec[];
};

/**
 * Users and the role tree → teams (one per role, parented as the roles are), people (team = their
 * role's), who reports to whom, and each team's manager: the user most of its active members
 * report to (ManagerId); a tie goes to the earliest email. Roles sharing a name are told apart by
 * their Id (`Sales (00E…)`), since team names are unique here.
 */
export function hierarchy(users: readonly SfUser[], roles: readonly SfRole[]): Hierarchy {
  const nameCount = new Map<string, number>();
  for (const r of roles) nameCount.set(r.Name.trim(), (nameCount.get(r.Name.trim()) ?? 0) + 1);
  const teamName = new Map(roles.map((r) => [r.Id, nameCount.get(r.Name.trim())! > 1 ? `${r.Name.trim()} (${r.Id})` : r.Name.trim()]));
  const byId = new Map(roles.map((r) => [r.Id, r]));

  // Parents first (depth order); a cycle or a missing parent leaves the role at the top.
  const depth = new Map<string, number>();
  const depthOf = (id: string, seen: Set<string>): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    const parent = byId.get(id)?.ParentRoleId;
    const d = parent && byId.has(parent) && !seen.has(parent) ? depthOf(parent, seen.add(id)) + 1 : 0;
    depth.set(id, d);
    return d;
  };
  const ordered = [...roles].sort((a, b) => depthOf(a.Id, new Set()) - depthOf(b.Id, new Set()) || teamName.get(a.Id)!.localeCompare(teamName.get(b.Id)!));
  const teams = ordered.map((r) => {
    const p = r.ParentRoleId && byId.has(r.ParentRoleId) && depthOf(r.Id, new Set()) > 0 ? teamName.get(r.ParentRoleId)! : "";
    return { team: teamName.get(r.Id)!, parent_team: p };
  });

  const userById = new Map(users.map((u) => [u.Id, u]));
  const emailOf = (id: string | null): string | undefined => (id ? userById.get(id)?.Email.trim().toLowerCase() : undefined);
  const sorted = [...users].sort((a, b) => a.Email.localeCompare(b.Email));
  const people = sorted.map((u) => ({
    email: u.Email.trim().toLowerCase(),
    name: u.Name.trim(),
    team: u.UserRoleId ? (teamName.get(u.UserRoleId) ?? "") : "",
    active: u.IsActive ? "true" : "false",
  }));
  const reportsTo = sorted.flatMap((u) => {
    const email = u.Email.trim().toLowerCase();
    const m = emailOf(u.ManagerId);
    return m && m !== email ? [{ email, manager_email: m }] : [];
  });

  const votes = new Map<string, Map<string, number>>();
  for (const u of users) {
    if (!u.IsActive || !u.UserRoleId) continue;
    const m = emailOf(u.ManagerId);
    if (!m || m === u.Email.trim().toLowerCase()) continue;
    const v = votes.get(u.UserRoleId) ?? new Map<string, number>();
    v.set(m, (v.get(m) ?? 0) + 1);
    votes.set(u.UserRoleId, v);
  }
  const teamManagers = ordered.flatMap((r) => {
    const v = votes.get(r.Id);
    if (!v) return [];
    const [best] = [...v.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    return [{ team: teamName.get(r.Id)!, manager_email: best![0] }];
  });
  return { teams, people, reportsTo, teamManagers };
}
