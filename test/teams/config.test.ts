import { describe, expect, it } from "vitest";
import { botFrameworkAuthConfig, loadTeamsConfig } from "../../adapters/teams/config.ts";
import { ConfigError } from "../../src/config.ts";

const APP = "00000000-0000-4000-8000-000000000abc";
const TENANT = "11111111-1111-4111-8111-111111111111";
const azure = { MICROSOFT_APP_ID: APP, MICROSOFT_APP_PASSWORD: "pw-secret", PUBLIC_URL: "https://kpi.example.com/" };

describe("Teams configuration", () => {
  it("runs in local mode without an app id, with chart links on localhost:PORT", () => {
    const c = loadTeamsConfig({}, 3978);
    expect(c).toMatchObject({ mode: "local", appId: "", publicUrl: "http://localhost:3978", chartSecretShared: false, chartTtlMs: 24 * 3_600_000 });
    expect(botFrameworkAuthConfig(c)).toEqual({});
  });

  it("maps MICROSOFT_APP_* onto the names botbuilder reads (else auth would silently be off)", () => {
    const c = loadTeamsConfig({ ...azure, MICROSOFT_APP_TENANT_ID: TENANT }, 3000);
    expect(c).toMatchObject({ mode: "azure", appType: "SingleTenant", publicUrl: "https://kpi.example.com" });
    expect(botFrameworkAuthConfig(c)).toEqual({ MicrosoftAppId: APP, MicrosoftAppPassword: "pw-secret", MicrosoftAppTenantId: TENANT, MicrosoftAppType: "SingleTenant" });
    expect(botFrameworkAuthConfig(loadTeamsConfig(azure, 3000))).toEqual({ MicrosoftAppId: APP, MicrosoftAppPassword: "pw-secret", MicrosoftAppType: "MultiTenant" });
  });

  it("refuses botbuilder's own variable names instead of running unauthenticated", () => {
    expect(() => loadTeamsConfig({ MicrosoftAppId: APP, MicrosoftAppPassword: "x" }, 3000)).toThrow(/reads MICROSOFT_APP_ID/);
  });

  it.each([
    [{ ...azure, MICROSOFT_APP_ID: "not-a-guid" }, /MICROSOFT_APP_ID: must be a GUID/],
    [{ ...azure, MICROSOFT_APP_PASSWORD: undefined }, /MICROSOFT_APP_PASSWORD: is required/],
    [{ MICROSOFT_APP_PASSWORD: "x" }, /MICROSOFT_APP_ID is not/],
    [{ ...azure, PUBLIC_URL: undefined }, /PUBLIC_URL: is required/],
    [{ ...azure, PUBLIC_URL: "http://kpi.example.com" }, /PUBLIC_URL: must be https/],
    [{ ...azure, MICROSOFT_APP_TYPE: "SingleTenant" }, /MICROSOFT_APP_TENANT_ID: is required for MICROSOFT_APP_TYPE=SingleTenant/],
    [{ ...azure, MICROSOFT_APP_TYPE: "UserAssignedMSI", MICROSOFT_APP_TENANT_ID: TENANT }, /must not be set for MICROSOFT_APP_TYPE=UserAssignedMSI/],
    [{ ...azure, MICROSOFT_APP_TYPE: "UserAssignedMSI", MICROSOFT_APP_PASSWORD: undefined, MICROSOFT_APP_TENANT_ID: TENANT }, /CHART_URL_SECRET: is required/],
    [{ ...azure, MICROSOFT_APP_TYPE: "Multi" }, /MICROSOFT_APP_TYPE/],
    [{ CHART_URL_SECRET: "short" }, /CHART_URL_SECRET: must be at least 32/],
    [{ KPI_LOCAL_MODE_BIND: "everywhere" }, /KPI_LOCAL_MODE_BIND: must be an IP address/],
    [{ KPI_TEAMS_EXTRA_SERVICE_HOSTS: "https://127.0.0.1:4000/" }, /KPI_TEAMS_EXTRA_SERVICE_HOSTS(\.0)?: must be host or host:port/],
  ])("explains a bad setting: %o", (env, message) => {
    expect(() => loadTeamsConfig(env as NodeJS.ProcessEnv, 3000)).toThrow(ConfigError);
    expect(() => loadTeamsConfig(env as NodeJS.ProcessEnv, 3000)).toThrow(message);
  });

  it("local mode listens on loopback unless KPI_LOCAL_MODE_BIND says otherwise", () => {
    expect(loadTeamsConfig({}, 3000).localBind).toEqual({ address: "127.0.0.1", explicit: false });
    expect(loadTeamsConfig({ KPI_LOCAL_MODE_BIND: "0.0.0.0" }, 3000).localBind).toEqual({ address: "0.0.0.0", explicit: true });
    expect(loadTeamsConfig({ KPI_LOCAL_MODE_BIND: "::1" }, 3000).localBind).toEqual({ address: "::1", explicit: true });
  });

  it("reads extra trusted serviceUrl hosts as a lowercase list", () => {
    expect(loadTeamsConfig({}, 3000).extraServiceHosts).toEqual([]);
    expect(loadTeamsConfig({ KPI_TEAMS_EXTRA_SERVICE_HOSTS: " 127.0.0.1:4000, Proxy.Example.com " }, 3000).extraServiceHosts).toEqual(["127.0.0.1:4000", "proxy.example.com"]);
  });

  it("derives the chart-link key from the app password, the same on every replica", () => {
    const a = loadTeamsConfig(azure, 3000);
    const b = loadTeamsConfig(azure, 3001);
    expect(a.chartSecret.equals(b.chartSecret)).toBe(true);
    expect(a.chartSecret.includes(Buffer.from("pw-secret"))).toBe(false);
    expect(a.chartSecretShared).toBe(true);
    const explicit = loadTeamsConfig({ ...azure, CHART_URL_SECRET: "s".repeat(32) }, 3000);
    expect(explicit.chartSecret.toString()).toBe("s".repeat(32));
    expect(loadTeamsConfig({}, 1).chartSecret.equals(loadTeamsConfig({}, 1).chartSecret)).toBe(false);
  });
});
