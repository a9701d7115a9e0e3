/**
 * The fields of each import kind that hold a date or a time: in an XLSX sheet a number there is
 * an Excel date serial. (test/data/import-xlsx.test.ts checks this list against the kinds'
 * schemas: exactly these fields refuse a non-date as "invalid date".)
 */
import type { KindName } from "../importers.ts";

export const DATE_FIELDS: Record<KindName, readonly string[]> = {
  teams: [],
  reps: [],
  campaigns: ["start_date", "end_date"],
  deals: ["created_at", "closed_at"],
  activities: ["occurred_at"],
  tickets: ["opened_at", "first_response_at", "resolved_at"],
  quotas: ["period_start", "period_end"],
  rates: ["month"],
};

/** Where the kind's date fields are in the file (HeaderPlan.index: field → column index). */
export function dateColumns(kind: KindName, index: ReadonlyMap<string, number>): Set<number> {
  const out = new Set<number>();
  for (const field of DATE_FIELDS[kind]) {
    const i = index.get(field);
    if (i !== undefined) out.add(i);
  }
  return out;
}
