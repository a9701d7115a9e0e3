/** HubSpot's settings from the environment (validated with zod; the token is never logged). */
import { z } from "zod";
import { HUBSPOT_DEFAULT_URL } from "./client.ts";

const optional = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== "" ? v.trim() : undefined));

export const HubSpotEnv = z.object({
  /** A private app's access token (pat-…); unset: HubSpot is not synced. */
  HUBSPOT_TOKEN: optional,
  HUBSPOT_API_URL: optional.pipe(z.url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://api.hubapi.com" }).optional()),
  /** Ticket property with a 1–5 satisfaction score; unset: no CSAT from HubSpot. */
  HUBSPOT_CSAT_PROPERTY: optional.pipe(z.string().regex(/^[a-z0-9_]+$/, "must be a HubSpot property's internal name (lowercase letters, digits, _)").optional()),
});

export type HubSpotSettings = { token: string; baseUrl: string; csatProperty: string | undefined };

/** The settings, null when HUBSPOT_TOKEN is unset, or the problems with them. */
export function hubspotSettings(env: NodeJS.ProcessEnv): { ok: true; value: HubSpotSettings | null } | { ok: false; error: string } {
  const r = HubSpotEnv.safeParse(env);
  if (!r.success) return { ok: false, error: r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") };
  if (!r.data.HUBSPOT_TOKEN) return { ok: true, value: null };
  return { ok: true, value: { token: r.data.HUBSPOT_TOKEN, baseUrl: r.data.HUBSPOT_API_URL ?? HUBSPOT_DEFAULT_URL, csatProperty: r.data.HUBSPOT_CSAT_PROPERTY } };
}
