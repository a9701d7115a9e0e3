// Which currencies the money behind a figure is in. Amounts in different currencies are never
// added as if equal: one currency is labelled as such, several need the operator's rates.
import { RECORDS, type Metric } from "../metrics/index.ts";
import type { PrismaClient } from "./generated/client.ts";
import type { Window } from "./kpi-queries.ts";
import { sqlTimestamp } from "../time/sql.ts";
import { localDate, localEndDate } from "../time/zone.ts";

/** The column placing a money record in time, per kind (quota attainment reads deals). */
const TIME: Record<"deals" | "campaigns", { col: string; isDate: boolean }> = {
  deals: { col: `COALESCE("closedAt", "createdAt")`, isDate: false },
  campaigns: { col: `"startDate"`, isDate: true },
};

/**
 * The currencies of the records behind `metric` for these people in this window, sorted. Usually
 * one: then two index lookups (min and max over the whole table) settle it without a scan.
 */
export async function currenciesOf(prisma: PrismaClient, metric: Metric, ids: readonly number[], window: Window): Promise<string[]> {
  if (!(metric.money || metric.ofMoney) || (metric.records !== "deals" && metric.records !== "campaigns")) return [];
  const { table, owner } = RECORDS[metric.records];
  const [range] = await prisma.$queryRawUnsafe<{ lo: string | null; hi: string | null }[]>(`SELECT min(currency) AS lo, max(currency) AS hi FROM ${table}`);
  if (!range?.lo) return [];
  if (range.lo === range.hi) return [range.lo];
  if (ids.length === 0) return [];
  const t = TIME[metric.records];
  const bounds = t.isDate
    ? [localDate(window.start, window.timeZone), localEndDate(window.end, window.timeZone)]
    : [sqlTimestamp(window.start), sqlTimestamp(window.end)];
  const cast = t.isDate ? "date" : "timestamp";
  // Pipeline counts deals open at the end, whenever they were created: any of theirs counts.
  const when = metric.id === "pipeline" ? `$1::${cast} IS NOT NULL AND ("closedAt" IS NULL OR "closedAt" >= $2::${cast})` : `${t.col} >= $1::${cast} AND ${t.col} < $2::${cast}`;
  const rows = await prisma.$queryRawUnsafe<{ currency: string }[]>(
    `SELECT DISTINCT currency FROM ${table} WHERE ${owner} = ANY($3::int[]) AND (${when}) ORDER BY 1`,
    ...bounds,
    [...ids],
  );
  return rows.map((r) => r.currency.trim());
}
