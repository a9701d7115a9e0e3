/**
 * HubSpot as a sync Source: owners → people (archived owners: inactive; the primary team →
 * team), deals (stage → open/won/lost from the pipelines' stage metadata), calls, meetings and
 * emails → activities, tickets. Incremental by hs_lastmodifieddate (search, ≥ cursor,
 * ascending, 200 a page, a new window before 10,000 results), deletions from the archived lists.
 *
 * Cursor (JSON): { since: ms of the last record stored (≥: records at that instant are re-read,
 * harmlessly), archivedSince: ms of the newest archive seen }.
 */
import { z } from "zod";
import { sourceKey, SourceError, type Source, type SourceObject, type SyncPage, type SyncRecord, type SyncRefusal } from "../source.ts";
import { HubSpotClient, SEARCH_PAGE, SEARCH_RESULT_CAP, type HubSpotObject, type HubSpotOwner, type HubSpotPipeline } from "./client.ts";

export const DEAL_PROPERTIES = [
  "dealname", "amount", "deal_currency_code", "dealstage", "pipeline", "closedate", "createdate",
  "hubspot_owner_id", "dealtype", "hs_analytics_source", "hs_lastmodifieddate",
] as const;
export const ACTIVITY_PROPERTIES = ["hs_timestamp", "hubspot_owner_id", "hs_lastmodifieddate"] as const;
export const TICKET_PROPERTIES = ["createdate", "closed_date", "hs_pipeline_stage", "hubspot_owner_id", "hs_time_to_first_agent_reply", "hs_lastmodifieddate"] as const;

const MODIFIED = "hs_lastmodifieddate";

/**
 * Columns HubSpot owns on its records: a property emptied in HubSpot (amount, currency, source,
 * type; a ticket's close date, first reply or CSAT) is emptied here at the next run. Columns it
 * does not read (a deal's customer, product, region; an activity's deal) are left to CSV imports.
 */
export const DEAL_CLEARS = ["amount", "currency", "stage", "pipeline", "type", "source"] as const;
export const TICKET_CLEARS = ["first_response_at", "resolved_at"] as const;

export type HubSpotSourceOptions = {
  client: HubSpotClient;
  /** Ticket property holding a 1–5 satisfaction score (unset: tickets carry no CSAT). */
  csatProperty?: string | undefined;
};

const cursorSchema = z.object({ since: z.number().int().min(0), archivedSince: z.number().int().min(0).default(0) });
type Cursor = z.infer<typeof cursorSchema>;

function readCursor(text: string | null): Cursor {
  if (text === null) return { since: 0, archivedSince: 0 };
  try {
    return cursorSchema.parse(JSON.parse(text));
  } catch {
    throw new SourceError(`the stored HubSpot cursor "${text.slice(0, 80)}" is unreadable; run with --full to start over`);
  }
}

/** ISO text or epoch ms (HubSpot gives both, as strings) → ms; null when blank or unreadable. */
export function millis(v: string | null | undefined): number | null {
  if (v === null || v === undefined || v.trim() === "") return null;
  const s = v.trim();
  const n = /^\d+$/.test(s) ? Number(s) : Date.parse(s);
  return Number.isFinite(n) ? n : null;
}

/** The instant as the import reads it (ISO 8601, UTC). */
function iso(v: string | null | undefined): string {
  const ms = millis(v);
  return ms === null ? "" : new Date(ms).toISOString();
}

/** HubSpot amounts may carry more decimals than money has: hundredths, half away from zero. */
export function amountText(v: string | null | undefined): string {
  if (v === null || v === undefined || v.trim() === "") return "";
  const n = Number(v.trim());
  return Number.isFinite(n) ? n.toFixed(2) : v.trim();
}

export type StageStatus = { status: "open" | "won" | "lost"; stage: string; pipeline: string };

/**
 * Stage → open/won/lost from its metadata: isClosed "false" → open; closed with probability
 * 1.0 → won, 0.0 → lost (a closed stage with another probability is not decidable: refused).
 */
export function stageStatuses(pipelines: readonly HubSpotPipeline[]): Map<string, StageStatus | { error: string }> {
  const out = new Map<string, StageStatus | { error: string }>();
  for (const p of pipelines) {
    for (const s of p.stages) {
      const closed = (s.metadata?.isClosed ?? "false").trim().toLowerCase() === "true";
      const probability = Number(s.metadata?.probability ?? "NaN");
      const status = !closed ? "open" : probability === 1 ? "won" : probability === 0 ? "lost" : null;
      out.set(`${p.id}/${s.id}`, status === null
        ? { error: `stage "${s.label}" of pipeline "${p.label}" is closed with probability ${s.metadata?.probability ?? "(none)"}: neither won (1.0) nor lost (0.0)` }
        : { status, stage: s.label, pipeline: p.label });
    }
  }
  return out;
}

export class HubSpotSource implements Source {
  readonly name = "hubspot" as const;
  /** Owner id → email, filled by the owners object (read first on every run). */
  private readonly ownerEmail = new Map<string, string>();
  private stages = new Map<string, StageStatus | { error: string }>();

  constructor(private readonly o: HubSpotSourceOptions) {}

  async objects(): Promise<SourceObject[]> {
    this.stages = stageStatuses(await this.o.client.dealPipelines());
    const activity = (type: "calls" | "meetings" | "emails", word: "call" | "meeting" | "email"): SourceObject =>
      this.searched(type, "activities", ACTIVITY_PROPERTIES, (r) => this.activity(r, word), []);
    const ticketProps = this.o.csatProperty ? [...TICKET_PROPERTIES, this.o.csatProperty] : TICKET_PROPERTIES;
    // CSAT is HubSpot's only when a property is configured; otherwise a CSV's rating stays.
    const ticketClears = this.o.csatProperty ? [...TICKET_CLEARS, "csat"] : TICKET_CLEARS;
    return [
      { name: "owners", kind: "reps", deletesByAbsence: false, read: (_cursor, signal) => this.owners(signal) },
      this.searched("deals", "deals", DEAL_PROPERTIES, (r) => this.deal(r), DEAL_CLEARS),
      activity("calls", "call"),
      activity("meetings", "meeting"),
      activity("emails", "email"),
      this.searched("tickets", "tickets", ticketProps, (r) => this.ticket(r), ticketClears),
    ];
  }

  /** Every owner, every run (the list has no modification filter; it is small). */
  private async *owners(signal?: AbortSignal): AsyncIterable<SyncPage> {
    this.ownerEmail.clear();
    // Active owners last, so someone both archived and active (re-invited) ends up active.
    for (const archived of [true, false]) {
      for await (const owners of this.o.client.owners(archived, signal)) {
        const records: SyncRecord[] = [];
        const refused: SyncRefusal[] = [];
        for (const owner of owners) {
          const email = owner.email?.trim().toLowerCase();
          if (!email) {
            refused.push({ key: null, column: "email", reason: "missing value", message: `HubSpot owner ${owner.id} has no email` });
            continue;
          }
          this.ownerEmail.set(owner.id, email);
          records.push(ownerRecord(owner, email, archived));
        }
        yield { records, deleted: [], cursor: null, refused };
      }
    }
  }

  /** An object read by search on hs_lastmodifieddate, deletions from its archived list. */
  private searched(
    type: string,
    kind: SourceObject["kind"],
    properties: readonly string[],
    map: (r: HubSpotObject) => SyncRecord | SyncRefusal,
    clears: readonly string[],
  ): SourceObject {
    const client = this.o.client;
    return {
      name: type,
      kind,
      deletesByAbsence: true,
      clears,
      async *read(text, signal) {
        const cursor = readCursor(text);
        let since = cursor.since;
        let last = since;
        // Windows of at most SEARCH_RESULT_CAP results: page with `after`, then start again at
        // the last instant seen (records at that instant are read twice, harmlessly).
        for (;;) {
          let after: string | undefined;
          let read = 0;
          let windowDone = false;
          while (!windowDone) {
            const page = await client.searchPage(type, { property: MODIFIED, since, properties, ...(after ? { after } : {}) }, signal);
            read += page.results.length;
            const records: SyncRecord[] = [];
            const refused: SyncRefusal[] = [];
            for (const r of page.results) {
              const m = map(r);
              if ("message" in m && "reason" in m) refused.push(m as SyncRefusal);
              else records.push(m as SyncRecord);
              last = Math.max(last, millis(r.properties[MODIFIED]) ?? last);
            }
            after = page.after;
            windowDone = after === undefined || read + SEARCH_PAGE > SEARCH_RESULT_CAP;
            yield { records, deleted: [], refused, cursor: JSON.stringify({ since: last, archivedSince: cursor.archivedSince }) };
          }
          if (after === undefined) break;
          if (last === since) {
            throw new SourceError(`HubSpot ${type}: more than ${SEARCH_RESULT_CAP.toLocaleString("en-US")} records share the modification instant ${new Date(since).toISOString()}; the search API cannot page past them`);
          }
          since = last;
        }
        // Archived since the last run (the list cannot be filtered: read it, keep the new ones).
        let newest = cursor.archivedSince;
        const pages: string[][] = [];
        for await (const archived of client.archived(type, signal)) {
          const keys: string[] = [];
          for (const r of archived) {
            const at = millis(r.archivedAt) ?? millis(r.updatedAt) ?? Number.MAX_SAFE_INTEGER;
            if (at >= cursor.archivedSince) keys.push(sourceKey("hubspot", r.id));
            if (at !== Number.MAX_SAFE_INTEGER) newest = Math.max(newest, at);
          }
          pages.push(keys);
        }
        // Deletions page by page; the cursor moves with the last one only (the list is unordered).
        for (let i = 0; i < pages.length; i++) {
          yield { records: [], deleted: pages[i]!, cursor: i === pages.length - 1 ? JSON.stringify({ since: last, archivedSince: newest }) : null };
        }
      },
    };
  }

  private owner(r: HubSpotObject): string | SyncRefusal {
    const id = r.properties.hubspot_owner_id?.trim();
    const email = id ? this.ownerEmail.get(id) : undefined;
    if (email) return email;
    return id
      ? { key: sourceKey("hubspot", r.id), column: "owner_email", reason: "unknown owner", message: `HubSpot owner ${id} is not among the owners (archived or not)` }
      : { key: sourceKey("hubspot", r.id), column: "owner_email", reason: "no owner", message: "has no owner in HubSpot (hubspot_owner_id is empty)" };
  }

  private deal(r: HubSpotObject): SyncRecord | SyncRefusal {
    const key = sourceKey("hubspot", r.id);
    const owner = this.owner(r);
    if (typeof owner !== "string") return owner;
    const p = r.properties;
    const stage = this.stages.get(`${p.pipeline ?? ""}/${p.dealstage ?? ""}`);
    if (stage === undefined) {
      return { key, column: "status", reason: "unknown stage", message: `stage ${p.dealstage ?? "(none)"} of pipeline ${p.pipeline ?? "(none)"} is not in GET /crm/v3/pipelines/deals` };
    }
    if ("error" in stage) return { key, column: "status", reason: "undecidable stage", message: stage.error };
    return {
      deal_id: key,
      owner_email: owner,
      status: stage.status,
      created_at: iso(p.createdate),
      // On an open deal closedate is the expected close date, not a close.
      closed_at: stage.status === "open" ? "" : iso(p.closedate),
      amount: amountText(p.amount),
      currency: p.deal_currency_code?.trim() ?? "",
      stage: stage.stage,
      pipeline: stage.pipeline,
      type: p.dealtype ?? "",
      source: p.hs_analytics_source ?? "",
    };
  }

  private activity(r: HubSpotObject, type: "call" | "meeting" | "email"): SyncRecord | SyncRefusal {
    const owner = this.owner(r);
    if (typeof owner !== "string") return owner;
    return { activity_id: sourceKey("hubspot", r.id), owner_email: owner, type, occurred_at: iso(r.properties.hs_timestamp) };
  }

  private ticket(r: HubSpotObject): SyncRecord | SyncRefusal {
    const owner = this.owner(r);
    if (typeof owner !== "string") return owner;
    const p = r.properties;
    const opened = millis(p.createdate);
    const reply = millis(p.hs_time_to_first_agent_reply);
    const csat = this.o.csatProperty ? (p[this.o.csatProperty] ?? "").trim() : "";
    return {
      ticket_id: sourceKey("hubspot", r.id),
      agent_email: owner,
      opened_at: iso(p.createdate),
      first_response_at: opened !== null && reply !== null ? new Date(opened + reply).toISOString() : "",
      resolved_at: iso(p.closed_date),
      // A rating with decimals (an average of answers) is rounded to the import's 1–5 scale.
      csat: csat !== "" && Number.isFinite(Number(csat)) ? String(Math.round(Number(csat))) : csat,
    };
  }
}

/** An owner as a reps record: name, email, primary team, active; role and manager left to CSV. */
function ownerRecord(owner: HubSpotOwner, email: string, archived: boolean): SyncRecord {
  const name = [owner.firstName, owner.lastName].map((s) => s?.trim() ?? "").filter(Boolean).join(" ") || email;
  const teams = owner.teams ?? [];
  const team = (teams.find((t) => t.primary) ?? teams[0])?.name ?? "";
  return { email, name, team, active: archived ? "false" : "true" };
}
