/**
 * A suggested mapping from a file's header (`npm run import -- --guess <file>`): the project's
 * own column names for every kind, and for deals the usual Salesforce opportunity report and
 * HubSpot deal export headers. A suggestion to review, never applied by itself.
 */
import { normalizeColumn } from "./columns.ts";
import { importers, KIND_NAMES, type KindName } from "./importers.ts";
import type { z } from "zod";
import { fieldsOf, type mappingSchema } from "./mapping.ts";

/** A mapping as written in a file (no empty sections). */
type MappingFile = z.input<typeof mappingSchema>;

/** Deal field → headers CRMs use for it (normalized as normalizeColumn does), most specific first. */
const DEAL_HEADERS: Record<string, readonly string[]> = {
  deal_id: ["opportunity_id", "record_id", "deal_id", "id"],
  owner: ["opportunity_owner", "deal_owner", "owner", "sales_agent", "owner_email", "owner_name"],
  customer: ["account_name", "associated_company", "company_name", "account", "company", "customer"],
  amount: ["amount", "close_value", "deal_amount", "deal_value", "value"],
  currency: ["opportunity_currency", "currency", "currency_code", "amount_currency"],
  status: ["stage", "deal_stage", "status", "deal_status"],
  created_at: ["created_date", "create_date", "created_at", "engage_date", "created_on"],
  closed_at: ["close_date", "closed_date", "closed_at"],
  campaign_id: ["primary_campaign_source", "campaign_id", "campaign"],
  product: ["product", "product_name"],
  source: ["lead_source", "original_source", "source"],
  region: ["region", "territory", "sales_region"],
  segment: ["industry", "segment", "sector"],
  pipeline: ["pipeline"],
  type: ["type", "deal_type", "opportunity_type"],
};

/** Closing stage names of Salesforce ("Closed Won") and HubSpot (label and internal value). */
const WON = ["Closed Won", "closedwon", "Won"];
const LOST = ["Closed Lost", "closedlost", "Lost"];

export type Guess = {
  kind: KindName | null;
  mapping: MappingFile | null;
  /** Header cells no field was found for (ignored on import). */
  unmatched: string[];
  /** Required fields of the kind no header was found for. */
  missing: string[];
};

/** Field → the header cell for it, for one kind. */
function match(kind: KindName, header: readonly string[]): Map<string, string> {
  const normalized = header.map(normalizeColumn);
  const out = new Map<string, string>();
  const taken = new Set<number>();
  const k = importers[kind].kind;
  const candidates: [string, readonly string[]][] =
    kind === "deals" ? Object.entries(DEAL_HEADERS) : fieldsOf(k).map((f) => [f, [f]]);
  for (const [field, names] of candidates) {
    for (const name of names) {
      const i = normalized.findIndex((h, j) => h === name && !taken.has(j));
      if (i >= 0) {
        out.set(field, header[i]!.trim());
        taken.add(i);
        break;
      }
    }
  }
  return out;
}

/**
 * The kind the header fits best, and a mapping for it.
 *
 * @example
 * guessMapping(["Opportunity Owner", "Stage", "Amount", "Close Date", "Created Date", "Opportunity ID"]).kind; // => "deals"
 */
export function guessMapping(header: readonly string[]): Guess {
  // Fields found, less half a point per required field not found (a reps header also names a
  // team, but says more as reps); ties go to the kind a first import needs earlier.
  let best: { kind: KindName; found: Map<string, string>; missing: string[]; score: number } | null = null;
  for (const kind of KIND_NAMES) {
    const found = match(kind, header);
    const k = importers[kind].kind;
    const has = (f: string) => found.has(f) || Object.entries(k.aliases ?? {}).some(([alias, to]) => to === f && found.has(alias));
    const missing = k.required.filter((f) => !has(f));
    const score = found.size - missing.length / 2;
    if (best === null || score > best.score) best = { kind, found, missing, score };
  }
  if (best === null || best.found.size === 0) return { kind: null, mapping: null, unmatched: header.map((h) => h.trim()), missing: [] };
  const used = new Set(best.found.values());
  const mapping: MappingFile = { kind: best.kind, columns: Object.fromEntries(best.found) };
  const statusHeader = best.found.get("status");
  if (best.kind === "deals" && statusHeader !== undefined && normalizeColumn(statusHeader) !== "status") {
    mapping.status = { won: WON, lost: LOST, open: ["*"] };
  }
  return { kind: best.kind, mapping, unmatched: header.map((h) => h.trim()).filter((h) => !used.has(h)), missing: best.missing };
}

/** The guess as the CLI prints it: the mapping JSON, then what to check. */
export function formatGuess(file: string, g: Guess): string {
  if (g.kind === null || g.mapping === null) return `no import kind recognised in the header of ${file}: ${g.unmatched.join(", ")}`;
  const lines = [JSON.stringify(g.mapping, null, 2), ""];
  lines.push(`suggested mapping for ${file} as ${g.kind}: save it (e.g. as ${file.replace(/\.[^./]*$/, "")}.mapping.json), review it, then`);
  lines.push(`  npm run import -- ${file} --mapping <that file>`);
  if (g.missing.length > 0) lines.push(`required field${g.missing.length > 1 ? "s" : ""} with no column found: ${g.missing.join(", ")} (add to "columns" or "defaults")`);
  if (g.unmatched.length > 0) lines.push(`columns not mapped (ignored on import): ${g.unmatched.join(", ")}`);
  if (g.mapping.status) lines.push(`status: check the stage names meaning won and lost; every other stage is read as open ("*")`);
  return lines.join("\n");
}
