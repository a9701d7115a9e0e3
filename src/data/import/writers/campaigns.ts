/** campaigns → "Campaign": optional owner resolved per batch; upsert by externalId. */
import type { CampaignRow } from "../kinds/campaigns.ts";
import { kept, unknownUser, upsertRows, userIds } from "./sql.ts";
import type { Checked, Writer } from "./writer.ts";

type Ready = CampaignRow & { ownerId: number | null };

export const campaignsWriter: Writer<CampaignRow, Ready> = {
  async resolve(tx, rows) {
    const owners = await userIds(tx, rows.map((r) => r.ownerEmail));
    return rows.map((row): Checked<Ready> => {
      const ownerId = row.ownerEmail === null ? null : owners.get(row.ownerEmail);
      return ownerId === undefined
        ? { ok: false, issues: [unknownUser("owner_email", row.ownerEmail!, "import reps first")] }
        : { ok: true, value: { ...row, ownerId } };
    });
  },

  async write(tx, rows, keep) {
    return upsertRows(tx, "Campaign", ["externalId"], [
      { name: "externalId", type: "text", values: rows.map((r) => r.campaignId) },
      { name: "name", type: "text", values: rows.map((r) => r.name), field: "name" },
      { name: "channel", type: "text", values: rows.map((r) => r.channel), field: "channel" },
      { name: "startDate", type: "date", values: rows.map((r) => r.startDate), field: "start_date" },
      { name: "endDate", type: "date", values: rows.map((r) => r.endDate), field: "end_date", keep: kept(keep, "end_date") },
      { name: "spend", type: "bigint", values: rows.map((r) => r.spend.toString()), field: "spend" },
      { name: "leads", type: "int", values: rows.map((r) => r.leads), field: "leads" },
      { name: "conversions", type: "int", values: rows.map((r) => r.conversions), field: "conversions" },
      { name: "revenue", type: "bigint", values: rows.map((r) => r.revenue.toString()), field: "revenue" },
      { name: "currency", type: "text", values: rows.map((r) => r.currency), field: "currency", keep: kept(keep, "currency") },
      { name: "ownerId", type: "int", values: rows.map((r) => r.ownerId), field: "owner_email", keep: kept(keep, "owner_email") },
    ]);
  },
};
