/**
 * quotas: owner_email,period_start,period_end,amount, and optionally currency. Upserted by
 * owner + period. Rejected: period ending before it starts, negative amount.
 */
import { z } from "zod";
import { amount, calendarDate, issue, optionalCurrency, requiredEmail, settleCurrency } from "./fields.ts";
import type { Kind } from "./kind.ts";

export type QuotaRow = {
  ownerEmail: string;
  /** YYYY-MM-DD */
  periodStart: string;
  periodEnd: string;
  /** hundredths */
  amount: bigint;
  currency: string;
};

export const quotas: Kind<QuotaRow> = {
  name: "quotas",
  required: ["owner_email", "period_start", "period_end", "amount"],
  optional: ["currency"],
  keyColumns: ["owner_email", "period_start", "period_end"],
  key: (row) => `${row.ownerEmail}|${row.periodStart}|${row.periodEnd}`,
  schema: (p) =>
    z
      .object({
        owner_email: requiredEmail,
        period_start: calendarDate(p, true, "period_start"),
        period_end: calendarDate(p, true, "period_end"),
        amount: amount(p),
        currency: optionalCurrency,
      })
      .transform((r, ctx) => {
        const fills: string[] = [];
        const unset: string[] = [];
        const currency = settleCurrency(ctx, fills, r.currency, [{ column: "amount", currency: r.amount.currency }], p.currency, unset);
        if (r.period_end < r.period_start) {
          issue(ctx, "period ends before it starts", `${r.period_end} is before period_start ${r.period_start}`, ["period_end"]);
        }
        return {
          row: { ownerEmail: r.owner_email, periodStart: r.period_start, periodEnd: r.period_end, amount: r.amount.minor, currency },
          fills,
          unset,
        };
      }),
};
