/** activities → "Activity": owner and deal resolved per batch; upsert by externalId. */
import { sqlTimestamp } from "../../../time/sql.ts";
import type { ActivityRow } from "../kinds/activities.ts";
import { idsBy, kept, unknownUser, upsertRows, userIds } from "./sql.ts";
import type { Checked, RowIssue, Writer } from "./writer.ts";

type Ready = ActivityRow & { ownerId: number; dealRef: number | null };

export const activitiesWriter: Writer<ActivityRow, Ready> = {
  async resolve(tx, rows) {
    const owners = await userIds(tx, rows.map((r) => r.ownerEmail));
    const deals = await idsBy(tx, "Deal", "externalId", rows.map((r) => r.dealId));
    return rows.map((row): Checked<Ready> => {
      const issues: RowIssue[] = [];
      const ownerId = owners.get(row.ownerEmail);
      if (ownerId === undefined) issues.push(unknownUser("owner_email", row.ownerEmail, "import reps first"));
      const dealRef = row.dealId === null ? null : deals.get(row.dealId);
      if (dealRef === undefined) issues.push({ column: "deal_id", reason: "unknown deal", message: `no deal ${row.dealId} (import deals first)` });
      return ownerId === undefined || dealRef === undefined ? { ok: false, issues } : { ok: true, value: { ...row, ownerId, dealRef } };
    });
  },

  async write(tx, rows, keep) {
    return upsertRows(tx, "Activity", ["externalId"], [
      { name: "externalId", type: "text", values: rows.map((r) => r.activityId) },
      { name: "ownerId", type: "int", values: rows.map((r) => r.ownerId), field: "owner_email" },
      { name: "type", type: "text", cast: '"ActivityType"', values: rows.map((r) => r.type), field: "type" },
      { name: "occurredAt", type: "timestamp(3)", values: rows.map((r) => sqlTimestamp(r.occurredAt)), field: "occurred_at" },
      { name: "dealId", type: "int", values: rows.map((r) => r.dealRef), field: "deal_id", keep: kept(keep, "deal_id") },
    ]);
  },
};
