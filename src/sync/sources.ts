/**
 * Which CRM sources the environment configures, and how to build each. A connector adds its
 * entry here (settings from env, validated; secrets only from env).
 */
import { HubSpotClient } from "./hubspot/client.ts";
import { hubspotSettings } from "./hubspot/config.ts";
import { HubSpotSource } from "./hubspot/source.ts";
import { loadSalesforceConfig, salesforceConfigured } from "./salesforce/config.ts";
import { SalesforceSource } from "./salesforce/source.ts";
import { SOURCE_NAMES, type Source, type SourceName } from "./source.ts";

export type SourceOptions = {
  /** Retries and waits (logging; never the token). */
  onRetry?: (info: { source: SourceName; attempt: number; waitMs: number; why: string }) => void;
};

/** null: not configured (its secret is unset). */
type Factory = (env: NodeJS.ProcessEnv, o: SourceOptions) => { ok: true; value: Source | null } | { ok: false; error: string };

const FACTORIES: Record<SourceName, Factory> = {
  hubspot(env, o) {
    const s = hubspotSettings(env);
    if (!s.ok || s.value === null) return s as { ok: true; value: null } | { ok: false; error: string };
    const client = new HubSpotClient({ token: s.value.token, baseUrl: s.value.baseUrl, ...(o.onRetry ? { onRetry: (i) => o.onRetry!({ source: "hubspot", ...i }) } : {}) });
    return { ok: true, value: new HubSpotSource({ client, csatProperty: s.value.csatProperty }) };
  },
  salesforce(env, o) {
    if (!salesforceConfigured(env)) return { ok: true, value: null };
    const s = loadSalesforceConfig(env);
    if (!s.ok) return s;
    const timeZone = (env.KPI_TIMEZONE ?? "").trim() || "UTC";
    return { ok: true, value: new SalesforceSource({ config: s.config, timeZone, ...(o.onRetry ? { onRetry: (i) => o.onRetry!({ source: "salesforce", ...i }) } : {}) }) };
  },
};

/** The source named, built from env; an error says which variable to set or fix. */
export function buildSource(name: SourceName, env: NodeJS.ProcessEnv, o: SourceOptions = {}): { ok: true; value: Source } | { ok: false; error: string } {
  const r = FACTORIES[name](env, o);
  if (!r.ok) return r;
  if (r.value === null) {
    return { ok: false, error: name === "hubspot" ? "HubSpot is not configured: set HUBSPOT_TOKEN (a private app's access token)" : "Salesforce is not configured: set SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET (a connected app with the client credentials flow) and SALESFORCE_LOGIN_URL (your My Domain URL)" };
  }
  return { ok: true, value: r.value };
}

/** Every source whose secrets are set (the bot syncs each on KPI_SYNC_CRON); misconfigured ones as errors. */
export function configuredSources(env: NodeJS.ProcessEnv, o: SourceOptions = {}): { sources: Source[]; errors: string[] } {
  const sources: Source[] = [];
  const errors: string[] = [];
  for (const name of SOURCE_NAMES) {
    const r = FACTORIES[name](env, o);
    if (!r.ok) errors.push(`${name}: ${r.error}`);
    else if (r.value !== null) sources.push(r.value);
  }
  return { sources, errors };
}
