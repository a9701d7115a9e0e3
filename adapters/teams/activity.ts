// The parts of an inbound activity the bot reads, checked after authentication and before any
// handler runs: a token proves who sent the activity, not that its fields have the types the
// handlers expect. An activity that does not fit is acknowledged and dropped, with the paths
// that failed logged (never the content).
import { z } from "zod";

const Account = z.looseObject({
  id: z.string().min(1).max(500),
  name: z.string().max(500).nullish(),
  aadObjectId: z.string().max(200).nullish(),
  role: z.string().max(50).nullish(),
});

export const ServedActivity = z.looseObject({
  type: z.string().min(1).max(100),
  /** Replies quote it (replyToId): botbuilder refuses a non-string mid-turn. */
  id: z.string().max(500).nullish(),
  replyToId: z.string().max(500).nullish(),
  channelId: z.string().min(1).max(100),
  serviceUrl: z.string().min(1).max(2000),
  from: Account,
  recipient: Account,
  conversation: z.looseObject({
    id: z.string().min(1).max(1000),
    conversationType: z.string().max(50).nullish(),
    isGroup: z.boolean().nullish(),
    tenantId: z.string().max(200).nullish(),
  }),
  channelData: z
    .looseObject({
      tenant: z.looseObject({ id: z.string().max(200).nullish() }).nullish(),
      team: z.looseObject({ id: z.string().max(500).nullish() }).nullish(),
      eventType: z.string().max(100).nullish(),
    })
    .nullish(),
  text: z.string().max(100_000).nullish(),
  name: z.string().max(200).nullish(),
  action: z.string().max(100).nullish(),
  locale: z.string().max(50).nullish(),
  // botbuilder checks these against undefined only (null crashes it), and reads mention.mentioned.id.
  entities: z
    .array(
      z
        .looseObject({ type: z.string().max(100), text: z.string().max(1000).optional(), mentioned: Account.optional() })
        .refine((e) => e.type.toLowerCase() !== "mention" || e.mentioned !== undefined, "a mention names who is mentioned"),
    )
    .max(100)
    .optional(),
  membersAdded: z.array(Account).max(1000).optional(),
  membersRemoved: z.array(Account).max(1000).optional(),
});

/**
 * Null when the activity has what the handlers read, else the failing paths (at most five).
 *
 * @example
 * malformed({ type: "message", channelId: "msteams", serviceUrl: "https://smba.trafficmanager.net/amer/", from: { id: "29:a" }, recipient: { id: "28:b" }, conversation: { id: "a:1" } }) // => null
 * malformed({ type: "message", from: null }) // => ["channelId", "serviceUrl", "from", …]
 */
export function malformed(activity: unknown): string[] | null {
  const r = ServedActivity.safeParse(activity);
  return r.success ? null : [...new Set(r.error.issues.map((i) => i.path.map(String).join(".") || "activity"))].slice(0, 5);
}
