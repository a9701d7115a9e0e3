// Teams environment → typed configuration, and the explicit mapping onto botbuilder's names.
// botbuilder's ConfigurationBotFrameworkAuthentication reads only MicrosoftAppId & co.: handing it
// process.env with MICROSOFT_APP_* names would silently run with authentication off.
import { createHmac, randomBytes } from "node:crypto";
import { z } from "zod";
import { ConfigError } from "../../src/config.ts";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const optional = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== "" ? v.trim() : undefined));

const guid = (what: string) => optional.pipe(z.string().regex(GUID, `must be a GUID (the ${what} from the Azure portal)`).optional());

export const TeamsEnv = z
  .object({
    MICROSOFT_APP_ID: guid("bot's Microsoft App ID"),
    MICROSOFT_APP_PASSWORD: optional,
    MICROSOFT_APP_TENANT_ID: guid("Directory (tenant) ID"),
    MICROSOFT_APP_TYPE: optional.pipe(z.enum(["MultiTenant", "SingleTenant", "UserAssignedMSI"]).optional()),
    /** Where Teams reaches this server: https://host[:port] (no path); chart links are minted under it. */
    PUBLIC_URL: optional.pipe(z.url({ protocol: /^https?$/, message: "must be an http(s) URL such as https://kpi.example.com" }).optional()),
    /** HMAC key for chart links, the same on every replica (32+ characters). */
    CHART_URL_SECRET: optional.pipe(z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -hex 32`)").optional()),
    CHART_URL_TTL_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(24 * 60),
    /** How long a download link of an exported answer works (a bearer link: keep it short). */
    EXPORT_URL_TTL_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
    /**
     * Local mode only: the address the server listens on instead of 127.0.0.1 (local mode has no
     * authentication, so reaching it from the network must be a deliberate choice).
     */
    KPI_LOCAL_MODE_BIND: optional.pipe(z.union([z.ipv4(), z.ipv6(), z.literal("localhost")], { error: "must be an IP address such as 127.0.0.1 or 0.0.0.0 (or localhost)" }).optional()),
    /**
     * Tests and proxies only: serviceUrl hosts (host or host:port) trusted besides Bot Framework's
     * own, comma separated, e.g. 127.0.0.1:39001 for a fake connector on loopback.
     */
    KPI_TEAMS_EXTRA_SERVICE_HOSTS: optional.pipe(
      z
        .string()
        .transform((v) => v.split(",").map((h) => h.trim().toLowerCase()).filter(Boolean))
        .pipe(z.array(z.string().regex(/^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/, "must be host or host:port names, comma separated")))
        .optional(),
    ),
    /** botbuilder's own names: only here to catch the mix-up, never used. */
    MicrosoftAppId: optional,
    MicrosoftAppPassword: optional,
  })
  .superRefine((env, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (!env.MICROSOFT_APP_ID) {
      if (env.MicrosoftAppId || env.MicrosoftAppPassword) issue("MicrosoftAppId", "kpi-bot reads MICROSOFT_APP_ID / MICROSOFT_APP_PASSWORD; rename the variables (as set, authentication would be off)");
      if (env.MICROSOFT_APP_PASSWORD) issue("MICROSOFT_APP_PASSWORD", "is set but MICROSOFT_APP_ID is not; set both, or neither for local mode");
      return;
    }
    const type = appType(env);
    if (type === "UserAssignedMSI") {
      if (env.MICROSOFT_APP_PASSWORD) issue("MICROSOFT_APP_PASSWORD", "must not be set for MICROSOFT_APP_TYPE=UserAssignedMSI");
      if (!env.MICROSOFT_APP_TENANT_ID) issue("MICROSOFT_APP_TENANT_ID", "is required for MICROSOFT_APP_TYPE=UserAssignedMSI");
    } else {
      if (!env.MICROSOFT_APP_PASSWORD) issue("MICROSOFT_APP_PASSWORD", `is required with MICROSOFT_APP_ID (MICROSOFT_APP_TYPE=${type})`);
      if (type === "SingleTenant" && !env.MICROSOFT_APP_TENANT_ID) issue("MICROSOFT_APP_TENANT_ID", "is required for MICROSOFT_APP_TYPE=SingleTenant");
    }
    if (!env.PUBLIC_URL) issue("PUBLIC_URL", "is required with MICROSOFT_APP_ID: the https address Teams reaches (messaging endpoint PUBLIC_URL/api/messages)");
    else if (!env.PUBLIC_URL.startsWith("https://")) issue("PUBLIC_URL", "must be https:// when MICROSOFT_APP_ID is set (Teams fetches chart images only over https)");
    if (!env.CHART_URL_SECRET && !env.MICROSOFT_APP_PASSWORD) issue("CHART_URL_SECRET", "is required when there is no MICROSOFT_APP_PASSWORD to derive it from (same value on every replica)");
  });

/** SingleTenant when a tenant is named and no type is, else botbuilder's default MultiTenant. */
function appType(env: { MICROSOFT_APP_TYPE?: string | undefined; MICROSOFT_APP_TENANT_ID?: string | undefined }) {
  return (env.MICROSOFT_APP_TYPE ?? (env.MICROSOFT_APP_TENANT_ID ? "SingleTenant" : "MultiTenant")) as "MultiTenant" | "SingleTenant" | "UserAssignedMSI";
}

export type TeamsConfig = {
  /** local: no app id, no authentication (Bot Framework Emulator, tests). */
  mode: "azure" | "local";
  appId: string;
  appPassword?: string | undefined;
  tenantId?: string | undefined;
  appType: "MultiTenant" | "SingleTenant" | "UserAssignedMSI";
  /** Base of the chart links, without a trailing slash. */
  publicUrl: string;
  chartSecret: Buffer;
  /** Whether chartSecret came from the environment (the same on every replica) or is per process. */
  chartSecretShared: boolean;
  chartTtlMs: number;
  /** HMAC key for export download links (derived from chartSecret, for that purpose only). */
  exportSecret: Buffer;
  exportTtlMs: number;
  /** Local mode: where the server must listen (127.0.0.1 unless KPI_LOCAL_MODE_BIND says otherwise). */
  localBind: { address: string; explicit: boolean };
  /** serviceUrl hosts trusted besides Bot Framework's (KPI_TEAMS_EXTRA_SERVICE_HOSTS). */
  extraServiceHosts: string[];
};

/**
 * Parse the Teams variables; throws ConfigError listing each bad one.
 *
 * @example
 * loadTeamsConfig({ MICROSOFT_APP_ID: "…guid…", MICROSOFT_APP_PASSWORD: "…", PUBLIC_URL: "https://kpi.example.com" }, 3000)
 * // => { mode: "azure", appType: "MultiTenant", publicUrl: "https://kpi.example.com", … }
 */
export function loadTeamsConfig(env: NodeJS.ProcessEnv, port: number): TeamsConfig {
  const r = TeamsEnv.safeParse(env);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`invalid Teams configuration:\n${lines.join("\n")}`);
  }
  const e = r.data;
  const secret = e.CHART_URL_SECRET
    ? Buffer.from(e.CHART_URL_SECRET, "utf8")
    : e.MICROSOFT_APP_PASSWORD
      ? createHmac("sha256", e.MICROSOFT_APP_PASSWORD).update("kpi-bot chart links v1").digest()
      : randomBytes(32);
  return {
    mode: e.MICROSOFT_APP_ID ? "azure" : "local",
    appId: e.MICROSOFT_APP_ID ?? "",
    appPassword: e.MICROSOFT_APP_PASSWORD,
    tenantId: e.MICROSOFT_APP_TENANT_ID,
    appType: appType(e),
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ""),
    chartSecret: secret,
    chartSecretShared: Boolean(e.CHART_URL_SECRET || e.MICROSOFT_APP_PASSWORD),
    chartTtlMs: e.CHART_URL_TTL_MINUTES * 60_000,
    // Its own key, so a chart link's signature never opens a file and the other way round.
    exportSecret: createHmac("sha256", secret).update("kpi-bot export links v1").digest(),
    exportTtlMs: e.EXPORT_URL_TTL_MINUTES * 60_000,
    localBind: e.KPI_LOCAL_MODE_BIND ? { address: e.KPI_LOCAL_MODE_BIND, explicit: true } : { address: "127.0.0.1", explicit: false },
    extraServiceHosts: e.KPI_TEAMS_EXTRA_SERVICE_HOSTS ?? [],
  };
}

/** The names ConfigurationBotFrameworkAuthentication reads. Empty in local mode (auth off). */
export function botFrameworkAuthConfig(c: TeamsConfig): Record<string, string> {
  if (c.mode === "local") return {};
  const out: Record<string, string> = { MicrosoftAppId: c.appId, MicrosoftAppType: c.appType };
  if (c.appPassword) out.MicrosoftAppPassword = c.appPassword;
  if (c.tenantId) out.MicrosoftAppTenantId = c.tenantId;
  return out;
}
