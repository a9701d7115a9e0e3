/**
 * deals: deal_id, owner_email (or owner: an email or a person's full name), status, created_at
 * required; customer, amount, currency, closed_at, campaign_id and the CRM's own product,
 * source, region, segment, stage, pipeline, type optional. Upserted by deal_id. Blank customer →
 * "(unknown)"; blank currency → the amount's symbol's currency, else the default. An open deal
 * may have no amount (stored as null); won and lost deals need one. Rejected: negative amount,
 * closed before created, won/lost without closed_at, open with closed_at (we cannot tell which
 * of the two fields is wrong).
 */
import { z } from "zod";
import { amount, blanks, enumWord, instant, issue, optionalCurrency, optionalText, personRef, requiredText, settleCurrency, type PersonRef } from "./fields.ts";
import { showInstant, type Kind } from "./kind.ts";

export const DEAL_STATUSES = ["open", "won", "lost"] as const;

/** Free-text fields of the CRM stored as given (trimmed), for later breakdowns. */
export const DEAL_TEXT_FIELDS = ["product", "source", "region", "segment", "stage", "pipeline", "type"] as const;
export type DealTextField = (typeof DEAL_TEXT_FIELDS)[number];

export type DealRow = {
  dealId: string;
  owner: PersonRef;
  customer: string;
  /** hundredths; null: an open deal whose amount is not known */
  amount: bigint | null;
  currency: string;
  status: (typeof DEAL_STATUSES)[number];
  createdAt: Date;
  closedAt: Date | null;
  campaignId: string | null;
} & Record<DealTextField, string | null>;

export const UNKNOWN_CUSTOMER = "(unknown)";

export const deals: Kind<DealRow> = {
  name: "deals",
  required: ["deal_id", "owner_email", "status", "created_at"],
  optional: ["customer", "amount", "currency", "closed_at", "campaign_id", ...DEAL_TEXT_FIELDS],
  aliases: { owner: "owner_email" },
  keyColumns: ["deal_id"],
  key: (row) => row.dealId,
  schema: (p) =>
    z
      .object({
        deal_id: requiredText,
        owner_email: personRef,
        customer: optionalText,
        amount: amount(p, false),
        currency: optionalCurrency,
        status: enumWord(DEAL_STATUSES, { "closed won": "won", "closed lost": "lost" }),
        created_at: instant(p, true, "created_at"),
        closed_at: instant(p, false, "closed_at"),
        campaign_id: optionalText,
        product: optionalText,
        source: optionalText,
        region: optionalText,
        segment: optionalText,
        stage: optionalText,
        pipeline: optionalText,
        type: optionalText,
      })
      .transform((r, ctx) => {
        const fills: string[] = [];
        // closed_at is not among them: it follows status (blank on an open deal means not closed).
        const unset = blanks(r, ["customer", "campaign_id", "amount", ...DEAL_TEXT_FIELDS]);
        const currency = settleCurrency(ctx, fills, r.currency, [{ column: "amount", currency: r.amount?.currency ?? null }], p.currency, unset);
        if (r.amount === null && r.status !== "open") {
          issue(ctx, "missing value", `is blank but the deal is ${r.status} (only an open deal may have no amount)`, ["amount"]);
        }
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
            owner: r.owner_email,
            customer: r.customer ?? UNKNOWN_CUSTOMER,
            amount: r.amount?.minor ?? null,
            currency,
            status: r.status,
            createdAt: r.created_at,
            closedAt: r.closed_at,
            campaignId: r.campaign_id,
            product: r.product,
            source: r.source,
            region: r.region,
            segment: r.segment,
            stage: r.stage,
            pipeline: r.pipeline,
            type: r.type,
          },
          fills,
          unset,
        };
      }),
};
