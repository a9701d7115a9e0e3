/**
 * deals: deal_id,owner_email,customer,amount,currency,status,created_at,closed_at,campaign_id.
 * Upserted by deal_id. Blank customer → "(unknown)"; blank currency → the amount's symbol's
 * currency, else the default. Rejected: negative amount, closed before created, won/lost
 * without closed_at, open with closed_at (we cannot tell which of the two fields is wrong).
 */
import { z } from "zod";
import { amount, blanks, enumWord, instant, issue, optionalCurrency, optionalText, requiredEmail, requiredText, settleCurrency } from "./fields.ts";
import { showInstant, type Kind } from "./kind.ts";

export const DEAL_STATUSES = ["open", "won", "lost"] as const;

export type DealRow = {
  dealId: string;
  ownerEmail: string;
  customer: string;
  /** hundredths */
  amount: bigint;
  currency: string;
  status: (typeof DEAL_STATUSES)[number];
  createdAt: Date;
  closedAt: Date | null;
  campaignId: string | null;
};

export const UNKNOWN_CUSTOMER = "(unknown)";

export const deals: Kind<DealRow> = {
  name: "deals",
  required: ["deal_id", "owner_email", "customer", "amount", "currency", "status", "created_at", "closed_at", "campaign_id"],
  optional: [],
  keyColumns: ["deal_id"],
  key: (row) => row.dealId,
  schema: (p) =>
    z
      .object({
        deal_id: requiredText,
        owner_email: requiredEmail,
        customer: optionalText,
        amount: amount(p),
        currency: optionalCurrency,
        status: enumWord(DEAL_STATUSES, { "closed won": "won", "closed lost": "lost" }),
        created_at: instant(p, true),
        closed_at: instant(p, false),
        campaign_id: optionalText,
      })
      .transform((r, ctx) => {
        const fills: string[] = [];
        // closed_at is not among them: it follows status (blank on an open deal means not closed).
        const unset = blanks(r, ["customer", "campaign_id"]);
        const currency = settleCurrency(ctx, fills, r.currency, [{ column: "amount", currency: r.amount.currency }], p.currency, unset);
        if (r.customer === null) fills.push(`customer → "${UNKNOWN_CUSTOMER}"`);
        if (r.closed_at && r.closed_at < r.created_at) {
          issue(ctx, "closed before created", `${showInstant(r.closed_at)} is before created_at ${showInstant(r.created_at)}`, ["closed_at"]);
        }
        if (r.status !== "open" && r.closed_at === null) {
          issue(ctx, "blank on a won/lost deal", `is blank but the deal is ${r.status}`, ["closed_at"]);
        }
        if (r.status === "open" && r.closed_at !== null) {
          issue(ctx, "set on an open deal", "is set but the deal is open: blank closed_at or set status to won or lost", ["closed_at"]);
        }
        return {
          row: {
            dealId: r.deal_id,
            ownerEmail: r.owner_email,
            customer: r.customer ?? UNKNOWN_CUSTOMER,
            amount: r.amount.minor,
            currency,
            status: r.status,
            createdAt: r.created_at,
            closedAt: r.closed_at,
            campaignId: r.campaign_id,
          },
          fills,
          unset,
        };
      }),
};
