/** quotas → "Quota": owner resolved per batch; upsert by (owner, period start, period end). */
import type { QuotaRow } from "../kinds/quotas.ts";
import { kept, unknownUser, upsertRows, userIds } from "./sql.ts";
import type { Checked, Writer } from "./writer.ts";

type Ready = QuotaRow & { ownerId: number };

export const quotasWriter: Writer<QuotaRow, Ready> = {
  async resolve(tx, rows) {
    const owners = await userIds(tx, rows.map((r) => r.ownerEmail));
    return rows.map((row): Checked<Ready> => {
      const ownerId = owners.get(row.ownerEmail);
      return ownerId === undefined
        ? { ok: false, issues: [unknownUser("owner_email", row.ownerEmail, "import reps first")] }
        : { ok: true, value: { ...row, ownerId } };
    });
  },

  async write(tx, rows, keep) {
    return upsertRows(tx, "Quota", ["ownerId", "periodStart", "periodEnd"], [
      { name: "ownerId", type: "int", values: rows.map((r) => r.ownerId) },
      { name: "periodStart", type: "date", values: rows.map((r) => r.periodStart) },
      { name: "periodEnd", type: "date", values: rows.map((r) => r.periodEnd) },
      { name: "amount", type: "bigint", values: rows.map((r) => r.amount.toString()), field: "amount" },
      { name: "currency", type: "text", values: rows.map((r) => r.currency), field: "currency", keep: kept(keep, "currency") },
    ]);
  },
};
