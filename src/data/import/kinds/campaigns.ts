/**
 * campaigns: campaign_id,name,channel,start_date,end_date,spend,leads,conversions,revenue, and
 * optionally owner_email, currency. Upserted by campaign_id. Rejected: end before start,
 * negative money or counts, more conversions than leads.
 */
import { z } from "zod";
import { amount, blanks, calendarDate, count, issue, optionalCurrency, optionalEmail, requiredText, settleCurrency } from "./fields.ts";
import type { Kind } from "./kind.ts";

export type CampaignRow = {
  campaignId: string;
  name: string;
  channel: string;
  /** YYYY-MM-DD */
  startDate: string;
  endDate: string | null;
  /** hundredths */
  spend: bigint;
  leads: number;
  conversions: number;
  /** hundredths */
  revenue: bigint;
  currency: string;
  ownerEmail: string | null;
};

export const campaigns: Kind<CampaignRow> = {
  name: "campaigns",
  required: ["campaign_id", "name", "channel", "start_date", "end_date", "spend", "leads", "conversions", "revenue"],
  optional: ["owner_email", "currency"],
  keyColumns: ["campaign_id"],
  key: (row) => row.campaignId,
  schema: (p) =>
    z
      .object({
        campaign_id: requiredText,
        name: requiredText,
        channel: requiredText,
        start_date: calendarDate(p, true, "start_date"),
        end_date: calendarDate(p, false, "end_date"),
        spend: amount(p),
        leads: count(p),
        conversions: count(p),
        revenue: amount(p),
        owner_email: optionalEmail,
        currency: optionalCurrency,
      })
      .transform((r, ctx) => {
        const fills: string[] = [];
        const unset = blanks(r, ["end_date", "owner_email"]);
        const currency = settleCurrency(
          ctx,
          fills,
          r.currency,
          [
            { column: "spend", currency: r.spend.currency },
            { column: "revenue", currency: r.revenue.currency },
          ],
          p.currency,
          unset,
        );
        if (r.end_date !== null && r.end_date < r.start_date) {
          issue(ctx, "ends before it starts", `${r.end_date} is before start_date ${r.start_date}`, ["end_date"]);
        }
        if (r.conversions > r.leads) {
          issue(ctx, "more conversions than leads", `${r.conversions} is more than the ${r.leads} leads`, ["conversions"]);
        }
        return {
          row: {
            campaignId: r.campaign_id,
            name: r.name,
            channel: r.channel,
            startDate: r.start_date,
            endDate: r.end_date,
            spend: r.spend.minor,
            leads: r.leads,
            conversions: r.conversions,
            revenue: r.revenue.minor,
            currency,
            ownerEmail: r.owner_email,
          },
          fills,
          unset,
        };
      }),
};
