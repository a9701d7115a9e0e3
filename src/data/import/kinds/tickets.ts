/**
 * tickets: ticket_id,agent_email,opened_at,first_response_at,resolved_at,csat, and optionally
 * category, priority, channel (free text, for breakdowns). Upserted by ticket_id. Blank csat → not rated. Rejected: csat outside 1–5, first response or resolution
 * before the ticket was opened.
 */
import { z } from "zod";
import { blanks, fail, instant, issue, optionalText, requiredEmail, requiredText } from "./fields.ts";
import { showInstant, type Kind } from "./kind.ts";

export type TicketRow = {
  ticketId: string;
  agentEmail: string;
  openedAt: Date;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  csat: number | null;
  category: string | null;
  priority: string | null;
  channel: string | null;
};

/** Optional free-text columns of a ticket, stored under the same names. */
export const TICKET_TEXT_FIELDS = ["category", "priority", "channel"] as const;

const csat = z.string().transform((s, ctx): number | null => {
  const t = s.trim();
  if (t === "") return null;
  if (!/^-?\d+(\.0+)?$/.test(t)) return fail(ctx, "invalid csat", `"${t}" is not a whole number from 1 to 5`);
  const n = Number.parseInt(t, 10);
  return n >= 1 && n <= 5 ? n : fail(ctx, "outside 1–5", `${n} is outside 1–5`);
});

export const tickets: Kind<TicketRow> = {
  name: "tickets",
  required: ["ticket_id", "agent_email", "opened_at", "first_response_at", "resolved_at", "csat"],
  optional: [...TICKET_TEXT_FIELDS],
  keyColumns: ["ticket_id"],
  key: (row) => row.ticketId,
  schema: (p) =>
    z
      .object({
        ticket_id: requiredText,
        agent_email: requiredEmail,
        opened_at: instant(p, true, "opened_at"),
        first_response_at: instant(p, false, "first_response_at"),
        resolved_at: instant(p, false, "resolved_at"),
        csat,
        category: optionalText,
        priority: optionalText,
        channel: optionalText,
      })
      .transform((r, ctx) => {
        const opened = showInstant(r.opened_at);
        if (r.first_response_at && r.first_response_at < r.opened_at) {
          issue(ctx, "first response before open", `${showInstant(r.first_response_at)} is before opened_at ${opened}`, ["first_response_at"]);
        }
        if (r.resolved_at && r.resolved_at < r.opened_at) {
          issue(ctx, "resolved before open", `${showInstant(r.resolved_at)} is before opened_at ${opened}`, ["resolved_at"]);
        }
        return {
          row: {
            ticketId: r.ticket_id,
            agentEmail: r.agent_email,
            openedAt: r.opened_at,
            firstResponseAt: r.first_response_at,
            resolvedAt: r.resolved_at,
            csat: r.csat,
            category: r.category,
            priority: r.priority,
            channel: r.channel,
          },
          fills: r.csat === null ? ["csat → none (not rated)"] : [],
          unset: blanks(r, ["first_response_at", "resolved_at", "csat", ...TICKET_TEXT_FIELDS]),
        };
      }),
};
