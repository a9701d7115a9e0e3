/** rates → "ExchangeRate": nothing to resolve; upsert by (currency, base, month). */
import type { RateRow } from "../kinds/rates.ts";
import { upsertRows } from "./sql.ts";
import type { Writer } from "./writer.ts";

export const ratesWriter: Writer<RateRow, RateRow> = {
  async resolve(_tx, rows) {
    return rows.map((value) => ({ ok: true, value }));
  },

  async write(tx, rows) {
    return upsertRows(tx, "ExchangeRate", ["currency", "base", "month"], [
      { name: "currency", type: "text", values: rows.map((r) => r.currency) },
      { name: "base", type: "text", values: rows.map((r) => r.base) },
      { name: "month", type: "date", values: rows.map((r) => r.month) },
      { name: "rate", type: "float8", values: rows.map((r) => r.rate), field: "rate" },
    ]);
  },
};
