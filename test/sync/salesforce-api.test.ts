import { request } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Connection } from "@jsforce/jsforce-node";
import { redactText } from "../../src/log.ts";
import { SalesforceApi, SalesforceError } from "../../src/sync/salesforce/api.ts";
import { loadSalesforceConfig } from "../../src/sync/salesforce/config.ts";
import { FakeSalesforce, parseSoql } from "./support/fake-salesforce.ts";
import { seedSalesforce } from "./support/salesforce-seed.ts";

let fake: FakeSalesforce;
beforeEach(async () => {
  fake = new FakeSalesforce({ pageSize: 7 });
  await fake.start();
  seedSalesforce(fake, 3, { opportunities: 20 });
});
afterEach(() => fake.stop());

const config = () => ({ SALESFORCE_LOGIN_URL: fake.url, SALESFORCE_CLIENT_ID: fake.clientId, SALESFORCE_CLIENT_SECRET: fake.clientSecret, SALESFORCE_API_VERSION: "60.0" });

async function all(api: SalesforceApi, soql: string, scanAll = false): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const p of api.query(soql, scanAll)) out.push(...p.records);
  return out;
}

describe("the fake Salesforce follows the documented shapes (checked with jsforce 3, the official client)", () => {
  it("serves jsforce's client-credentials login, query with nextRecordsUrl, queryAll (scanAll) and describe", async () => {
    const conn = new Connection({ oauth2: { loginUrl: fake.url, clientId: fake.clientId, clientSecret: fake.clientSecret }, version: "60.0" });
    await conn.authorize({ grant_type: "client_credentials" });
    const opp = fake.live("Opportunity")[0]!;
    fake.remove("Opportunity", opp.Id);
    const live = await conn.query("SELECT Id, Amount FROM Opportunity ORDER BY SystemModstamp", { autoFetch: true, maxFetch: 10_000 });
    expect(live.records.map((r) => r.Id).sort()).toEqual(fake.live("Opportunity").map((r) => r.Id).sort());
    const deleted = await conn.query("SELECT Id FROM Opportunity WHERE IsDeleted = true", { scanAll: true });
    expect(deleted.records.map((r) => r.Id)).toEqual([opp.Id]);
    const d = await conn.sobject("Opportunity").describe();
    expect(d.fields.map((f) => f.name)).not.toContain("CurrencyIsoCode");
    // jsforce pages through nextRecordsUrl: more than one page was served
    expect(fake.log.filter((l) => /\/query\/01g/.test(l.path)).length).toBeGreaterThan(0);
  });

  it("reads a chunked form body on the token endpoint", async () => {
    const body = `grant_type=client_credentials&client_id=${fake.clientId}&client_secret=${fake.clientSecret}`;
    const answer = await new Promise<{ status: number; json: { access_token?: string } }>((resolve, reject) => {
      const req = request(`${fake.url}/services/oauth2/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "transfer-encoding": "chunked" } }, (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as { access_token?: string } }));
      });
      req.on("error", reject);
      req.write(body.slice(0, 10));
      req.write(body.slice(10));
      req.end();
    });
    expect(answer.status).toBe(200);
    expect(answer.json.access_token).toMatch(/^00D/);
  });

  it("parses only the SOQL subset and refuses fields an object lacks", () => {
    const fields = (o: string) => (o === "Opportunity" ? ["Id", "SystemModstamp", "IsDeleted"] : undefined);
    expect(parseSoql("SELECT Id FROM Opportunity WHERE SystemModstamp > 2026-01-01T00:00:00Z AND IsDeleted = true ORDER BY SystemModstamp ASC", fields)).toEqual({
      object: "Opportunity",
      fields: ["Id"],
      where: [
        { field: "SystemModstamp", op: ">", value: Date.parse("2026-01-01T00:00:00Z") },
        { field: "IsDeleted", op: "=", value: true },
      ],
      orderBy: "SystemModstamp",
    });
    expect(() => parseSoql("SELECT FIELDS(ALL) FROM Opportunity", fields)).toThrow(/not supported/);
    expect(() => parseSoql("SELECT Id FROM Opportunity WHERE SystemModstamp > '2026-01-01T00:00:00Z'", fields)).toThrow(/should not be enclosed in quotes/);
  });
});

describe("SalesforceApi", () => {
  it("logs in once and follows nextRecordsUrl to the end", async () => {
    const tokens: string[] = [];
    const api = new SalesforceApi({ config: config(), onToken: (r) => tokens.push(r) });
    const rows = await all(api, "SELECT Id FROM Opportunity ORDER BY SystemModstamp");
    expect(rows).toHaveLength(20);
    expect(fake.log.filter((l) => l.path.includes("/query")).length).toBe(3); // 7 + 7 + 6
    expect(tokens).toEqual(["first"]);
  });

  it("gets a new token once when the session expires mid-query and carries on", async () => {
    const tokens: string[] = [];
    const api = new SalesforceApi({ config: config(), onToken: (r) => tokens.push(r) });
    fake.expireTokensAfter = 1; // the first page is served, the second finds the session gone
    const rows = await all(api, "SELECT Id FROM Opportunity ORDER BY SystemModstamp");
    expect(new Set(rows.map((r) => r.Id)).size).toBe(20);
    expect(tokens).toEqual(["first", "expired"]);
    expect(fake.log.filter((l) => l.status === 401)).toHaveLength(1);
  });

  it("stops with an actionable error on REQUEST_LIMIT_EXCEEDED, without retrying", async () => {
    const api = new SalesforceApi({ config: config() });
    fake.requestLimit = 1;
    const e = await all(api, "SELECT Id FROM Opportunity ORDER BY SystemModstamp").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SalesforceError);
    expect((e as SalesforceError).code).toBe("REQUEST_LIMIT_EXCEEDED");
    expect((e as Error).message).toMatch(/request limit .* used up/);
    expect(fake.log.filter((l) => l.status === 403)).toHaveLength(1);
  });

  it("says what to check when the client credentials are wrong, never echoing the secret", async () => {
    const api = new SalesforceApi({ config: { ...config(), SALESFORCE_CLIENT_SECRET: "wrong-secret-123" } });
    const e = (await all(api, "SELECT Id FROM Opportunity").catch((x: unknown) => x)) as Error;
    expect(e.message).toMatch(/invalid_client.*SALESFORCE_CLIENT_SECRET/);
    expect(e.message).not.toContain("wrong-secret-123");
  });

  it("reports INVALID_FIELD for CurrencyIsoCode in a single-currency org, and describe tells beforehand", async () => {
    const api = new SalesforceApi({ config: config() });
    expect((await api.describeFields("Opportunity")).has("CurrencyIsoCode")).toBe(false);
    const e = (await all(api, "SELECT Id, CurrencyIsoCode FROM Opportunity").catch((x: unknown) => x)) as SalesforceError;
    expect(e.code).toBe("INVALID_FIELD");
    fake.multiCurrency = true;
    expect((await api.describeFields("Opportunity")).has("CurrencyIsoCode")).toBe(true);
  });
});

describe("Salesforce configuration", () => {
  it("redacts Salesforce access tokens wherever they appear in a log line", () => {
    const token = "00D5g000004ABCD!AQ4AQJ7x.kT_9vGzZ2pQ";
    expect(redactText(`token was ${token} here`)).toBe("token was [redacted] here");
  });
  it("defaults the login URL and API version, and requires the client id and secret", () => {
    const ok = loadSalesforceConfig({ SALESFORCE_CLIENT_ID: "id", SALESFORCE_CLIENT_SECRET: "s" });
    expect(ok).toMatchObject({ ok: true, config: { SALESFORCE_LOGIN_URL: "https://login.salesforce.com", SALESFORCE_API_VERSION: "60.0" } });
    const bad = loadSalesforceConfig({ SALESFORCE_CLIENT_ID: "id", SALESFORCE_CLIENT_SECRET: "hunter2", SALESFORCE_API_VERSION: "v60", SALESFORCE_CASE_CSAT_FIELD: "CSAT__c; DROP" });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error).toMatch(/SALESFORCE_API_VERSION: must be an API version such as 60.0/);
      expect(bad.error).toMatch(/SALESFORCE_CASE_CSAT_FIELD: must be a field API name/);
      expect(bad.error).not.toContain("hunter2");
    }
    expect(loadSalesforceConfig({}).ok).toBe(false);
  });
});
