// Which currencies the money behind a figure is in. Amounts in different currencies are never
// added as if equal: one currency is labelled as such, several need the operator's rates.
import { RECORDS, type Metric } from "../metrics/index.ts";
import type { PrismaClient } from "./generated/client.ts";
import type { Window } from "./kpi-queries.ts";
import { messages } from "../i18n/messages.ts";
import type { Lang } from "../i18n/lang.ts";
import type { Result } from "../result.ts";
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
  // Pipeline counts deals open at the end of the period: created before it, not closed by then.
  const when = metric.id === "pipeline" ? `$1::${cast} IS NOT NULL AND "createdAt" < $2::${cast} AND ("closedAt" IS NULL OR "closedAt" >= $2::${cast})` : `${t.col} >= $1::${cast} AND ${t.col} < $2::${cast}`;
  const rows = await prisma.$queryRawUnsafe<{ currency: string }[]>(
    `SELECT DISTINCT currency FROM ${table} WHERE ${owner} = ANY($3::int[]) AND (${when}) ORDER BY 1`,
    ...bounds,
    [...ids],
  );
  return rows.map((r) => r.currency.trim());
}

/**
 * (currency, month) pairs behind the figure that have no rate to `base`: money that cannot be
 * converted. Empty = every amount converts. At most 6, for the message.
 */
export async function missingRates(prisma: PrismaClient, metric: Metric, ids: readonly number[], window: Window, base: string): Promise<string[]> {
  if (metric.records !== "deals" && metric.records !== "campaigns") return [];
  const { table, owner } = RECORDS[metric.records];
  const t = TIME[metric.records];
  const cast = t.isDate ? "date" : "timestamp";
  const bounds = t.isDate ? [localDate(window.start, window.timeZone), localEndDate(window.end, window.timeZone)] : [sqlTimestamp(window.start), sqlTimestamp(window.end)];
  const when = metric.id === "pipeline" ? `$1::${cast} IS NOT NULL AND "createdAt" < $2::${cast} AND ("closedAt" IS NULL OR "closedAt" >= $2::${cast})` : `${t.col} >= $1::${cast} AND ${t.col} < $2::${cast}`;
  const rows = await prisma.$queryRawUnsafe<{ c: string; m: string }[]>(
    `SELECT DISTINCT x.currency AS c, to_char(date_trunc('month', ${t.col}), 'YYYY-MM') AS m FROM ${table} x
     WHERE ${owner} = ANY($3::int[]) AND (${when}) AND x.currency <> $4
       AND NOT EXISTS (SELECT 1 FROM "ExchangeRate" r WHERE r.currency = x.currency AND r.base = $4 AND r.month = date_trunc('month', ${t.col})::date)
     ORDER BY 1, 2 LIMIT 6`,
    ...bounds,
    [...ids],
    base,
  );
  return rows.map((r) => `${r.c.trim()} ${r.m}`);
}

/**
 * The currency figures over these windows are shown in, given the currencies of their records:
 * the one they are in (or the workspace's when none), or — when several — the workspace's through
 * the operator's rates (`convert`), if every (currency, month) has one. Otherwise a message naming
 * what is missing. Quota attainment never mixes (quotas carry their own currency).
 */
export async function moneyCurrency(
  deps: { prisma: PrismaClient; currency: string },
  metric: Metric,
  ids: readonly number[],
  windows: readonly Window[],
  currencies: readonly string[],
): Promise<Result<{ currency: string; convert: string | undefined }, { message: (lang: Lang) => string }>> {
  if (currencies.length <= 1) return { ok: true, currency: currencies[0] ?? deps.currency, convert: undefined };
  const missing = metric.id === "quota" ? ["—"] : [...new Set((await Promise.all(windows.map((w) => missingRates(deps.prisma, metric, ids, w, deps.currency)))).flat())].slice(0, 6);
  if (missing.length === 0) return { ok: true, currency: deps.currency, convert: deps.currency };
  return { ok: false, message: (lang) => messages(lang).mixedCurrencies(metric.name[lang], [...currencies], metric.id === "quota" ? [] : missing, deps.currency) };
}
