/**
 * Salesforce connection settings from the environment, validated once (zod). The client secret
 * is kept out of every message and log line.
 */
import { z } from "zod";

const optional = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== "" ? v.trim() : undefined));

/** A field API name safe to put in SOQL as is (`First_Response__c`). */
const soqlField = optional.pipe(
  z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{0,79}$/, "must be a field API name such as First_Response__c (letters, digits, underscores)")
    .optional(),
);

export const SalesforceConfigSchema = z.object({
  SALESFORCE_LOGIN_URL: optional.pipe(
    z
      .url({ protocol: /^https?$/, error: "must be an https:// URL such as https://mycompany.my.salesforce.com" })
      .transform((u) => u.replace(/\/+$/, ""))
      .default("https://login.salesforce.com"),
  ),
  SALESFORCE_CLIENT_ID: optional.pipe(z.string({ error: "is required: the connected app's consumer key" })),
  SALESFORCE_CLIENT_SECRET: optional.pipe(z.string({ error: "is required: the connected app's consumer secret" })),
  SALESFORCE_API_VERSION: optional.pipe(
    z
      .string()
      .regex(/^\d{2,3}\.0$/, "must be an API version such as 60.0")
      .default("60.0"),
  ),
  /** A Case datetime field holding the first response (unset: tickets have no first response). */
  SALESFORCE_CASE_FIRST_RESPONSE_FIELD: soqlField,
  /** A Case number field holding the CSAT score 1–5 (unset: tickets are not rated). */
  SALESFORCE_CASE_CSAT_FIELD: soqlField,
});

export type SalesforceConfig = z.infer<typeof SalesforceConfigSchema>;

/** Whether the environment asks for Salesforce at all (the client id is set). */
export function salesforceConfigured(env: NodeJS.ProcessEnv): boolean {
  return (env.SALESFORCE_CLIENT_ID ?? "").trim() !== "";
}

/** The settings, or the list of what to fix (one line per variable; never a secret's value). */
export function loadSalesforceConfig(env: NodeJS.ProcessEnv): { ok: true; config: SalesforceConfig } | { ok: false; error: string } {
  const r = SalesforceConfigSchema.safeParse(env);
  if (r.success) return { ok: true, config: r.data };
  const lines = r.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
  return { ok: false, error: `Salesforce is not configured correctly:\n${lines.join("\n")}` };
}
