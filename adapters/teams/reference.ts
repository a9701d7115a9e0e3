// A stored Teams conversation reference, parsed when read back from storage (not cast): a row
// written by an older version, or edited by hand, is refused with a reason instead of crashing a
// digest run or sending somewhere unexpected.
import { z } from "zod";

// Defaults fill what botbuilder's types require and older references may lack.
const Account = z.looseObject({
  id: z.string().min(1).max(500),
  name: z.string().max(500).default(""),
  aadObjectId: z.string().max(200).optional(),
  role: z.enum(["user", "bot", "skill"]).optional(),
});

export const TeamsReference = z.looseObject({
  channelId: z.string().min(1).max(100),
  serviceUrl: z.url({ protocol: /^https?$/ }).max(2000),
  conversation: z.looseObject({
    id: z.string().min(1).max(500),
    conversationType: z.string().max(50).default(""),
    isGroup: z.boolean().default(false),
    tenantId: z.string().max(200).optional(),
    name: z.string().max(500).default(""),
  }),
  bot: Account,
  user: Account.optional(),
  locale: z.string().max(50).optional(),
});
export type TeamsReference = z.infer<typeof TeamsReference>;

/**
 * The stored reference as a TeamsReference, or why it is unusable.
 *
 * @example
 * parseReference({ channelId: "msteams", serviceUrl: "https://smba.trafficmanager.net/amer/", conversation: { id: "a:1" }, bot: { id: "28:b" } })
 * // => { ok: true, reference: { … } }
 */
export function parseReference(stored: unknown): { ok: true; reference: TeamsReference } | { ok: false; reason: string } {
  const r = TeamsReference.safeParse(stored);
  if (r.success) return { ok: true, reference: r.data };
  return { ok: false, reason: r.error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "reference"}: ${i.message}`).join("; ") };
}
