/**
 * deals → "Deal": owner and campaign resolved per batch; upsert by externalId. At the end,
 * flags deals of this file whose amount lies above Q3 + 3·IQR of the owner's won deals in the
 * same currency (the database's history including this file; at least 4 won deals needed).
 */
import { formatMinor } from "../amounts.ts";
import { sqlTimestamp } from "../../../time/sql.ts";
import { DEAL_TEXT_FIELDS, type DealRow } from "../kinds/deals.ts";
import type { SqlRunner } from "../../migrate.ts";
import { idsBy, kept, personIds, upsertRows } from "./sql.ts";
import type { Checked, Outliers, RowIssue, Writer } from "./writer.ts";

type Ready = DealRow & { ownerId: number; campaignRef: number | null };

/** Tukey's "far out" multiplier, as src/stats/outliers.ts uses for the cleaning report. */
const FENCE_K = 3;

export const dealsWriter: Writer<DealRow, Ready> = {
  async resolve(tx, rows) {
    const owner = await personIds(tx, rows.map((r) => r.owner), "import reps first");
    const campaigns = await idsBy(tx, "Campaign", "externalId", rows.map((r) => r.campaignId));
    return rows.map((row): Checked<Ready> => {
      const issues: RowIssue[] = [];
      const found = owner(row.owner);
      const ownerId = found.ok ? found.id : undefined;
      if (!found.ok) issues.push({ column: "owner_email", reason: found.reason, message: found.message });
      const campaignRef = row.campaignId === null ? null : campaigns.get(row.campaignId);
      if (campaignRef === undefined) {
        issues.push({ column: "campaign_id", reason: "unknown campaign", message: `no campaign ${row.campaignId} (import campaigns first)` });
      }
      return issues.length > 0 || ownerId === undefined || campaignRef === undefined
        ? { ok: false, issues }
        : { ok: true, value: { ...row, ownerId, campaignRef } };
    });
  },

  async write(tx, rows, keep) {
    return upsertRows(tx, "Deal", ["externalId"], [
      { name: "externalId", type: "text", values: rows.map((r) => r.dealId) },
      { name: "ownerId", type: "int", values: rows.map((r) => r.ownerId), field: "owner_email" },
      { name: "customer", type: "text", values: rows.map((r) => r.customer), field: "customer", keep: kept(keep, "customer") },
      { name: "amount", type: "bigint", values: rows.map((r) => r.amount?.toString() ?? null), field: "amount", keep: kept(keep, "amount") },
      { name: "currency", type: "text", values: rows.map((r) => r.currency), field: "currency", keep: kept(keep, "currency") },
      { name: "status", type: "text", cast: '"DealStatus"', values: rows.map((r) => r.status), field: "status" },
      { name: "createdAt", type: "timestamp(3)", values: rows.map((r) => sqlTimestamp(r.createdAt)), field: "created_at" },
      { name: "closedAt", type: "timestamp(3)", values: rows.map((r) => (r.closedAt ? sqlTimestamp(r.closedAt) : null)), field: "closed_at" },
      { name: "campaignId", type: "int", values: rows.map((r) => r.campaignRef), field: "campaign_id", keep: kept(keep, "campaign_id") },
      ...DEAL_TEXT_FIELDS.map((f) => ({ name: f, type: "text" as const, values: rows.map((r) => r[f]), field: f, keep: kept(keep, f) })),
    ]);
  },

  async finish(tx, keys, examples) {
    return dealOutliers(tx, keys, examples);
  },
};

/** Quartiles per (owner, currency) in SQL (percentile_cont = type 7, as src/stats quantile). */
export async function dealOutliers(tx: SqlRunner, keys: string, examples: number): Promise<Outliers> {
  const rows = await tx.query<{ line: number; deal: string; amount: string; currency: string; email: string; upper: string; n: number; total: number }>(
    `WITH mine AS (
       SELECT k.line, d."externalId", d."ownerId", d."currency", d."amount"
       FROM ${keys} k JOIN "Deal" d ON d."externalId" = k.key
     ), fences AS (
       SELECT d."ownerId", d."currency", count(*)::int AS n,
              percentile_cont(0.25) WITHIN GROUP (ORDER BY d."amount") AS q1,
              percentile_cont(0.75) WITHIN GROUP (ORDER BY d."amount") AS q3
       FROM "Deal" d
       WHERE d."status" = 'won' AND (d."ownerId", d."currency") IN (SELECT "ownerId", "currency" FROM mine)
       GROUP BY d."ownerId", d."currency"
       HAVING count(*) >= 4
     ), flagged AS (
       SELECT m.line, m."externalId" AS deal, m."amount", m."currency", f.n,
              f.q3 + $1 * (f.q3 - f.q1) AS upper, m."ownerId"
       FROM mine m JOIN fences f ON f."ownerId" = m."ownerId" AND f."currency" = m."currency"
       WHERE m."amount" > f.q3 + $1 * (f.q3 - f.q1)
     )
     SELECT fl.line, fl.deal, fl."amount"::text AS amount, fl."currency", u."email", floor(fl.upper)::numeric::text AS upper, fl.n,
            count(*) OVER ()::int AS total
     FROM flagged fl JOIN "User" u ON u."id" = fl."ownerId"
     ORDER BY fl.line
     LIMIT $2`,
    [FENCE_K, examples],
  );
  return {
    count: rows[0] ? Number(rows[0].total) : 0,
    examples: rows.map((r) => ({
      line: Number(r.line),
      message:
        `deal ${r.deal}: ${formatMinor(BigInt(r.amount))} ${r.currency.trim()} is above ${formatMinor(BigInt(r.upper))}, ` +
        `Q3 + ${FENCE_K}×IQR of ${r.email}'s ${r.n} won deals`,
    })),
  };
}
