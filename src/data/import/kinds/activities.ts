/** activities: activity_id,owner_email,type,occurred_at,deal_id. Upserted by activity_id. */
import { z } from "zod";
import { blanks, enumWord, instant, optionalText, requiredEmail, requiredText } from "./fields.ts";
import type { Kind } from "./kind.ts";

export const ACTIVITY_TYPES = ["call", "meeting", "email", "other"] as const;

export type ActivityRow = {
  activityId: string;
  ownerEmail: string;
  type: (typeof ACTIVITY_TYPES)[number];
  occurredAt: Date;
  dealId: string | null;
};

export const activities: Kind<ActivityRow> = {
  name: "activities",
  required: ["activity_id", "owner_email", "type", "occurred_at", "deal_id"],
  optional: [],
  keyColumns: ["activity_id"],
  key: (row) => row.activityId,
  schema: (p) =>
    z
      .object({
        activity_id: requiredText,
        owner_email: requiredEmail,
        type: enumWord(ACTIVITY_TYPES, { phone: "call", "phone call": "call", "e mail": "email" }),
        occurred_at: instant(p, true, "occurred_at"),
        deal_id: optionalText,
      })
      .transform((r) => ({
        row: { activityId: r.activity_id, ownerEmail: r.owner_email, type: r.type, occurredAt: r.occurred_at, dealId: r.deal_id },
        fills: [],
        unset: blanks(r, ["deal_id"]),
      })),
};
