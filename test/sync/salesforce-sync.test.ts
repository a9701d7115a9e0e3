// The Salesforce connector end to end: the fake org on loopback HTTP → SalesforceSource →
// syncSource → the database (PGlite, and PostgreSQL when TEST_DATABASE_URL is set). Expected
// values are recomputed here from the fake's raw records, never by the connector's mappings.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { KindName } from "../../src/data/import/importers.ts";
import { importCsv } from "../../src/data/import/run.ts";
import { syncSource, type SyncReport } from "../../src/sync/run.ts";
import { SalesforceSource } from "../../src/sync/salesforce/source.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";
import { FakeSalesforce, type SfRecord } from "./support/fake-salesforce.ts";
import { seedSalesforce } from "./support/salesforce-seed.ts";

const noWait = { now: () => 0, sleep: async () => {} };

function source(fake: FakeSalesforce, tokens?: string[]): SalesforceSource {
  return new SalesforceSource({
    config: { SALESFORCE_LOGIN_URL: fake.url, SALESFORCE_CLIENT_ID: fake.clientId, SALESFORCE_CLIENT_SECRET: fake.clientSecret, SALESFORCE_API_VERSION: "60.0", SALESFORCE_CASE_FIRST_RESPONSE_FIELD: undefined, SALESFORCE_CASE_CSAT_FIELD: undefined },
    timeZone: "UTC",
    clock: noWait,
    requestsPerSecond: 1000,
    ...(tokens ? { onToken: (r: string) => tokens.push(r) } : {}),
  });
}

const sync = (db: TestDatabase, fake: FakeSalesforce, o: { full?: boolean; currency?: string; tokens?: string[] } = {}): Promise<SyncReport> =>
  syncSource(db, source(fake, o.tokens), { currency: o.currency ?? "USD", timeZone: "UTC", full: o.full ?? false, holder: "test" });

const objectReport = (r: SyncReport, name: string) => r.objects.find((o) => o.object === name)!;

/** Everything the answers are computed from, keyed by the CRM's ids and people's emails. */
async function contents(db: TestDatabase) {
  const q = <T>(sql: string) => db.sql.query<T>(sql);
  return {
    teams: await q(`SELECT t."name", p."name" AS parent, m."email" AS manager FROM "Team" t LEFT JOIN "Team" p ON p."id" = t."parentId" LEFT JOIN "User" m ON m."id" = t."managerId" ORDER BY t."name"`),
    users: await q(`SELECT u."email", u."name", u."active", u."role"::text AS role, t."name" AS team, m."email" AS manager FROM "User" u LEFT JOIN "Team" t ON t."id" = u."teamId" LEFT JOIN "User" m ON m."id" = u."managerId" ORDER BY u."email"`),
    deals: await q(`SELECT d."externalId", u."email" AS owner, d."customer", d."amount"::text AS amount, d."currency", d."status"::text AS status, d."createdAt", d."closedAt", c."externalId" AS campaign, d."stage", d."source", d."type" FROM "Deal" d JOIN "User" u ON u."id" = d."ownerId" LEFT JOIN "Campaign" c ON c."id" = d."campaignId" ORDER BY d."externalId"`),
    activities: await q(`SELECT a."externalId", u."email" AS owner, a."type"::text AS type, a."occurredAt", d."externalId" AS deal FROM "Activity" a JOIN "User" u ON u."id" = a."ownerId" LEFT JOIN "Deal" d ON d."id" = a."dealId" ORDER BY a."externalId"`),
    tickets: await q(`SELECT t."externalId", u."email" AS agent, t."openedAt", t."firstResponseAt", t."resolvedAt", t."csat" FROM "Ticket" t JOIN "User" u ON u."id" = t."agentId" ORDER BY t."externalId"`),
    campaigns: await q(`SELECT c."externalId", c."name", c."channel", c."startDate", c."endDate", c."spend"::text AS spend, c."leads", c."conversions", c."revenue"::text AS revenue, c."currency", u."email" AS owner FROM "Campaign" c LEFT JOIN "User" u ON u."id" = c."ownerId" ORDER BY c."externalId"`),
  };
}

/** The org as CSV files a person would export from Salesforce reports, written independently of the connector. */
function csvExport(fake: FakeSalesforce): [KindName, string[]][] {
  const users = fake.live("User");
  const roles = fake.live("UserRole");
  const email = (id: unknown) => users.find((u) => u.Id === id)?.Email as string | undefined;
  const roleName = (id: unknown) => roles.find((r) => r.Id === id)?.Name as string | undefined;
  const line = (cells: unknown[]) => cells.map((c) => (c === null || c === undefined ? "" : `"${String(c).replace(/"/g, '""')}"`)).join(",");
  const utc = (s: unknown) => (typeof s === "string" ? new Date(Date.parse(s.replace("+0000", "Z"))).toISOString() : "");
  const cents = (n: unknown) => (typeof n === "number" ? n.toFixed(2) : "");
  // a team's manager: whom most of its active members report to
  const teamManager = (roleId: string) => {
    const votes = new Map<string, number>();
    for (const u of users) if (u.UserRoleId === roleId && u.IsActive && u.ManagerId) votes.set(email(u.ManagerId)!, (votes.get(email(u.ManagerId)!) ?? 0) + 1);
    return [...votes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? "";
  };
  const ordered: SfRecord[] = [];
  const add = (r: SfRecord) => {
    if (ordered.includes(r)) return;
    const parent = roles.find((p) => p.Id === r.ParentRoleId);
    if (parent) add(parent);
    ordered.push(r);
  };
  roles.forEach(add);
  return [
    ["teams", ["team,parent_team,manager_email", ...ordered.map((r) => line([r.Name, roleName(r.ParentRoleId) ?? "", ""]))]],
    ["reps", ["email,name,team,role,slack_user_id,teams_user_id,timezone,locale,active", ...users.map((u) => line([u.Email, u.Name, roleName(u.UserRoleId), "", "", "", "", "", u.IsActive ? "true" : "false"]))]],
    ["reps", ["email,name,team,role,slack_user_id,teams_user_id,timezone,locale,manager_email", ...users.map((u) => line([u.Email, u.Name, roleName(u.UserRoleId), "", "", "", "", "", email(u.ManagerId) ?? ""]))]],
    ["teams", ["team,parent_team,manager_email", ...ordered.map((r) => line([r.Name, roleName(r.ParentRoleId) ?? "", teamManager(r.Id)]))]],
    [
      "campaigns",
      ["campaign_id,name,channel,start_date,end_date,spend,leads,conversions,revenue,owner_email", ...fake.live("Campaign").map((c) => line([`salesforce:${c.Id}`, c.Name, c.Type, c.StartDate, c.EndDate, cents(c.ActualCost), c.NumberOfLeads, c.NumberOfConvertedLeads, cents(c.AmountWonOpportunities), email(c.OwnerId)]))],
    ],
    [
      "deals",
      [
        "deal_id,owner_email,customer,amount,currency,status,created_at,closed_at,campaign_id,stage,source,type",
        ...fake.live("Opportunity").map((o) => {
          const status = o.IsWon ? "won" : o.IsClosed ? "lost" : "open";
          const account = fake.accounts.get(o.AccountId as string);
          return line([`salesforce:${o.Id}`, email(o.OwnerId), account ?? "", cents(o.Amount), (o.CurrencyIsoCode as string) ?? "", status, utc(o.CreatedDate), status === "open" ? "" : o.CloseDate, o.CampaignId ? `salesforce:${o.CampaignId}` : "", o.StageName, o.LeadSource, o.Type]);
        }),
      ],
    ],
    [
      "activities",
      [
        "activity_id,owner_email,type,occurred_at,deal_id",
        ...fake.live("Task").map((t) => line([`salesforce:${t.Id}`, email(t.OwnerId), { Call: "call", Email: "email" }[t.TaskSubtype as string] ?? "other", t.ActivityDate ?? utc(t.CreatedDate), String(t.WhatId ?? "").startsWith("006") ? `salesforce:${t.WhatId}` : ""])),
        ...fake.live("Event").map((e) => line([`salesforce:${e.Id}`, email(e.OwnerId), "meeting", utc(e.ActivityDateTime), String(e.WhatId ?? "").startsWith("006") ? `salesforce:${e.WhatId}` : ""])),
      ],
    ],
    ["tickets", ["ticket_id,agent_email,opened_at,first_response_at,resolved_at,csat", ...fake.live("Case").map((c) => line([`salesforce:${c.Id}`, email(c.OwnerId), utc(c.CreatedDate), "", c.IsClosed ? utc(c.ClosedDate) : "", ""]))]],
  ];
}

describe.each(backends)("Salesforce sync on %s", (backend) => {
  let fake: FakeSalesforce;
  let dir: string;
  const dbs: TestDatabase[] = [];
  const fresh = async () => {
    const db = await freshDatabase(backend);
    dbs.push(db);
    return db;
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "kpi-sync-sf-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    fake = new FakeSalesforce({ pageSize: 25 });
    await fake.start();
    seedSalesforce(fake, 7);
  });
  afterEach(async () => {
    await fake.stop();
    for (const db of dbs.splice(0)) await db.dispose();
  });

  it("a full sync gives the same data as the same org exported to CSV and imported", async () => {
    const synced = await fresh();
    const report = await sync(synced, fake);
    expect(report.problem).toBeNull();
    expect(report.outcome).toBe("synced");
    for (const o of report.objects) expect(o.refused, `${o.object}: ${JSON.stringify(o.errors)}`).toBe(0);

    const imported = await fresh();
    let n = 0;
    for (const [kind, lines] of csvExport(fake)) {
      const file = path.join(dir, `${backend}-${++n}-${kind}.csv`);
      await writeFile(file, lines.join("\n") + "\n");
      const r = await importCsv(imported, { kind, file, currency: "USD", timeZone: "UTC" });
      expect(r.outcome, `${kind}: ${JSON.stringify(r.errors)}`).toBe("imported");
    }
    const a = await contents(synced);
    const b = await contents(imported);
    expect(a.deals).toHaveLength(fake.live("Opportunity").length);
    expect(a.activities).toHaveLength(fake.live("Task").length + fake.live("Event").length);
    expect(a.teams.length).toBe(fake.live("UserRole").length);
    expect(a).toEqual(b);

    // an answer recomputed from the raw records: won amount per owner
    const won = new Map<string, number>();
    for (const o of fake.live("Opportunity")) if (o.IsWon) won.set(o.OwnerId as string, (won.get(o.OwnerId as string) ?? 0) + Math.round((o.Amount as number) * 100));
    const rows = await synced.sql.query<{ email: string; won: string }>(`SELECT u."email", sum(d."amount")::text AS won FROM "Deal" d JOIN "User" u ON u."id" = d."ownerId" WHERE d."status" = 'won' GROUP BY u."email"`);
    const byEmail = new Map(fake.live("User").map((u) => [u.Id, u.Email as string]));
    expect(new Map(rows.map((r) => [r.email, Number(r.won)]))).toEqual(new Map([...won].map(([id, v]) => [byEmail.get(id)!, v])));
    // the West team's manager comes from the hierarchy: most of its reps report to the West manager
    expect(a.teams.find((t) => (t as { name: string }).name === "West Sales Rep")).toMatchObject({ manager: "west.manager@example.com", parent: "West Sales Manager" });
  }, 240_000);

  it("shows an edit, a stage change to won, a deletion and a new owner after one incremental run", async () => {
    const db = await fresh();
    expect((await sync(db, fake)).outcome).toBe("synced");
    const opps = fake.live("Opportunity");
    const open = opps.filter((o) => !o.IsClosed && o.Amount !== null);
    const [edited, toWin, toMove] = [open[0]!, open[1]!, open[2]!];
    const gone = opps.find((o) => o.IsWon)!;
    const goneTask = fake.live("Task")[0]!;
    fake.now = Date.parse("2026-11-02T09:00:00Z");
    fake.upsert("Opportunity", { Id: edited.Id, Amount: 4321.09 });
    fake.upsert("Opportunity", { Id: toWin.Id, IsClosed: true, IsWon: true, StageName: "Closed Won", CloseDate: "2026-11-02" });
    const newRep = fake.upsert("User", { Email: "new.rep@example.com", Name: "New Rep", IsActive: true, ManagerId: fake.live("User").find((u) => u.Email === "east.manager@example.com")!.Id, UserRoleId: fake.live("UserRole").find((r) => r.Name === "East Sales Rep")!.Id });
    fake.upsert("Opportunity", { Id: toMove.Id, OwnerId: newRep.Id });
    fake.remove("Opportunity", gone.Id);
    fake.remove("Task", goneTask.Id);
    const before = fake.log.length;

    const report = await sync(db, fake);
    expect(report.outcome).toBe("synced");
    const deals = objectReport(report, "Opportunity");
    expect({ created: deals.created, updated: deals.updated, deleted: deals.deleted, refused: deals.refused }).toEqual({ created: 0, updated: 3, deleted: 1, refused: 0 });
    expect(objectReport(report, "Task").deleted).toBe(1);
    expect(objectReport(report, "User").created).toBe(1);

    const row = async (id: string) => (await db.sql.query<{ amount: string; status: string; closedAt: Date | null; owner: string; stage: string }>(`SELECT d."amount"::text AS amount, d."status"::text AS status, d."closedAt", u."email" AS owner, d."stage" FROM "Deal" d JOIN "User" u ON u."id" = d."ownerId" WHERE d."externalId" = $1`, [`salesforce:${id}`]))[0];
    expect((await row(edited.Id))!.amount).toBe("432109");
    expect(await row(toWin.Id)).toMatchObject({ status: "won", stage: "Closed Won", closedAt: new Date("2026-11-02T00:00:00Z") });
    expect((await row(toMove.Id))!.owner).toBe("new.rep@example.com");
    expect(await row(gone.Id)).toBeUndefined();
    expect(await db.sql.query(`SELECT 1 FROM "Activity" WHERE "externalId" = $1`, [`salesforce:${goneTask.Id}`])).toHaveLength(0);
    const newUser = await db.sql.query<{ team: string; manager: string }>(`SELECT t."name" AS team, m."email" AS manager FROM "User" u JOIN "Team" t ON t."id" = u."teamId" JOIN "User" m ON m."id" = u."managerId" WHERE u."email" = 'new.rep@example.com'`);
    expect(newUser).toEqual([{ team: "East Sales Rep", manager: "east.manager@example.com" }]);

    // incremental: the queries asked only for what changed since the stored cursor
    const soql = fake.log.slice(before).filter((l) => l.soql?.includes("FROM Opportunity")).map((l) => l.soql!);
    expect(soql.some((s) => /WHERE SystemModstamp > \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ ORDER BY SystemModstamp$/.test(s))).toBe(true);
    expect(soql.some((s) => /FROM Opportunity WHERE IsDeleted = true/.test(s))).toBe(true);

    // a second run finds nothing new: it writes nothing (re-reading the last second changes nothing),
    // and asks for deletions after the last one it saw
    const mark = fake.log.length;
    const again = await sync(db, fake);
    expect(fake.log.slice(mark).some((l) => /FROM Opportunity WHERE IsDeleted = true AND SystemModstamp > 2026-11-02T09:00:00Z/.test(l.soql ?? ""))).toBe(true);
    for (const o of again.objects) expect(o.created + o.updated + o.deleted, o.object).toBe(0);
  }, 120_000);

  it("a field emptied in Salesforce is emptied here after one incremental run; a CSV-set manager stays", async () => {
    await fake.stop();
    fake = new FakeSalesforce({ pageSize: 25, caseFields: ["CSAT__c"] });
    await fake.start();
    seedSalesforce(fake, 7);
    const opp = fake.live("Opportunity").find((o) => !o.IsClosed && o.Amount !== null && o.AccountId && o.CampaignId && o.LeadSource && o.Type);
    const closedCase = fake.live("Case").find((c) => c.IsClosed)!;
    const task = fake.live("Task").find((t) => String(t.WhatId ?? "").startsWith("006"))!;
    expect(opp, "the seed has an open opportunity with every field set").toBeDefined();
    fake.upsert("Case", { Id: closedCase.Id, CSAT__c: 5 });
    const withCsat = () =>
      syncSource(db, new SalesforceSource({
        config: { SALESFORCE_LOGIN_URL: fake.url, SALESFORCE_CLIENT_ID: fake.clientId, SALESFORCE_CLIENT_SECRET: fake.clientSecret, SALESFORCE_API_VERSION: "60.0", SALESFORCE_CASE_FIRST_RESPONSE_FIELD: undefined, SALESFORCE_CASE_CSAT_FIELD: "CSAT__c" },
        timeZone: "UTC",
        clock: noWait,
        requestsPerSecond: 1000,
      }), { currency: "USD", timeZone: "UTC", holder: "test" });
    const db = await fresh();
    expect((await withCsat()).outcome).toBe("synced");
    // A teams file names the rep team's manager (the sync does not own what a CSV set).
    const file = path.join(dir, `${backend}-clear-teams.csv`);
    await writeFile(file, "team,parent_team,manager_email\nEast Sales Rep,,vp@example.com\n");
    expect((await importCsv(db, { kind: "teams", file, currency: "USD" })).outcome).toBe("imported");

    const deal = async () => (await db.sql.query<Record<string, unknown>>(`SELECT d."customer", d."amount"::text AS amount, d."source", d."type", c."externalId" AS campaign FROM "Deal" d LEFT JOIN "Campaign" c ON c."id" = d."campaignId" WHERE d."externalId" = $1`, [`salesforce:${opp!.Id}`]))[0];
    const ticket = async () => (await db.sql.query<Record<string, unknown>>(`SELECT "csat", "resolvedAt" FROM "Ticket" WHERE "externalId" = $1`, [`salesforce:${closedCase.Id}`]))[0];
    const activityDeal = async () => (await db.sql.query<{ dealId: number | null }>(`SELECT "dealId" FROM "Activity" WHERE "externalId" = $1`, [`salesforce:${task.Id}`]))[0]!.dealId;
    expect(await deal()).toMatchObject({ customer: fake.accounts.get(opp!.AccountId as string), source: opp!.LeadSource, type: opp!.Type, campaign: `salesforce:${opp!.CampaignId}` });
    expect(await ticket()).toMatchObject({ csat: 5 });
    expect((await ticket())!.resolvedAt).not.toBeNull();
    expect(await activityDeal()).not.toBeNull();

    fake.now = Date.parse("2026-11-04T09:00:00Z");
    fake.upsert("Opportunity", { Id: opp!.Id, Amount: null, AccountId: null, CampaignId: null, LeadSource: null, Type: null });
    fake.upsert("Case", { Id: closedCase.Id, IsClosed: false, ClosedDate: null, CSAT__c: null });
    fake.upsert("Task", { Id: task.Id, WhatId: null });
    const r = await withCsat();
    expect(r.outcome, r.problem ?? "").toBe("synced");
    expect(await deal()).toEqual({ customer: "(unknown)", amount: null, source: null, type: null, campaign: null });
    expect(await ticket()).toEqual({ csat: null, resolvedAt: null });
    expect(await activityDeal()).toBeNull();
    expect([objectReport(r, "Opportunity").updated, objectReport(r, "Case").updated, objectReport(r, "Task").updated]).toEqual([1, 1, 1]);
    const manager = await db.sql.query(`SELECT m."email" FROM "Team" t JOIN "User" m ON m."id" = t."managerId" WHERE t."name" = 'East Sales Rep'`);
    expect(manager).toEqual([{ email: "vp@example.com" }]);
    expect((await withCsat()).changed).toBe(false);
  }, 120_000);

  it("picks up a record changed later within the second its cursor stopped at", async () => {
    const db = await fresh();
    fake.now = Date.parse("2026-11-03T10:00:05.100Z");
    const o = fake.upsert("Opportunity", { ...fake.live("Opportunity")[0]!, Id: undefined, Amount: 10 } as unknown as SfRecord);
    await sync(db, fake);
    fake.now = Date.parse("2026-11-03T10:00:05.900Z");
    fake.upsert("Opportunity", { Id: o.Id, Amount: 20 });
    await sync(db, fake);
    const [d] = await db.sql.query<{ amount: string }>(`SELECT "amount"::text AS amount FROM "Deal" WHERE "externalId" = $1`, [`salesforce:${o.Id}`]);
    expect(d!.amount).toBe("2000");
  });

  it("refreshes an expired token mid-run once and ends with the same data", async () => {
    const clean = await fresh();
    await sync(clean, fake);
    const db = await fresh();
    fake.expireTokensAfter = 6; // a few pages in, every token is revoked
    const tokens: string[] = [];
    const report = await sync(db, fake, { tokens });
    expect(report.outcome).toBe("synced");
    expect(tokens).toEqual(["first", "expired"]);
    expect(fake.log.filter((l) => l.status === 401)).toHaveLength(1);
    expect(await contents(db)).toEqual(await contents(clean));
  }, 120_000);

  it("stops with a clear error on REQUEST_LIMIT_EXCEEDED, keeps what synced, and the next run completes", async () => {
    const clean = await fresh();
    await sync(clean, fake);
    const db = await fresh();
    fake.requestLimit = fake.log.filter((l) => !l.path.includes("oauth2")).length + 8;
    const report = await sync(db, fake);
    expect(report.outcome).toBe("failed");
    expect(report.problem).toMatch(/REQUEST_LIMIT_EXCEEDED/);
    expect(report.problem).toMatch(/request limit .* used up/);
    expect(fake.log.filter((l) => l.status === 403)).toHaveLength(1); // not retried
    const partial = await contents(db);
    expect(partial.users.length).toBeGreaterThan(0);
    fake.requestLimit = Infinity;
    expect((await sync(db, fake)).outcome).toBe("synced");
    expect(await contents(db)).toEqual(await contents(clean));
  }, 120_000);

  it("keeps a team manager set by a teams CSV until Salesforce's hierarchy for that team changes", async () => {
    const db = await fresh();
    await sync(db, fake);
    const file = path.join(dir, `${backend}-override.csv`);
    await writeFile(file, "team,parent_team,manager_email\nEast Sales Rep,,vp@example.com\n");
    expect((await importCsv(db, { kind: "teams", file, currency: "USD" })).outcome).toBe("imported");
    const manager = async () => (await db.sql.query<{ email: string }>(`SELECT m."email" FROM "Team" t JOIN "User" m ON m."id" = t."managerId" WHERE t."name" = 'East Sales Rep'`))[0]?.email;
    fake.upsert("Opportunity", { Id: fake.live("Opportunity")[0]!.Id, Amount: 77 });
    expect((await sync(db, fake)).outcome).toBe("synced");
    expect(await manager()).toBe("vp@example.com");
    // every East rep now reports to the West manager: the hierarchy changed, the sync applies it
    const west = fake.live("User").find((u) => u.Email === "west.manager@example.com")!;
    const eastRole = fake.live("UserRole").find((r) => r.Name === "East Sales Rep")!;
    for (const u of fake.live("User").filter((x) => x.UserRoleId === eastRole.Id)) fake.upsert("User", { Id: u.Id, ManagerId: west.Id });
    expect((await sync(db, fake)).outcome).toBe("synced");
    expect(await manager()).toBe("west.manager@example.com");
  }, 120_000);

  it("refuses records owned by a queue with the queue's Id, and syncs the rest", async () => {
    const db = await fresh();
    const c = fake.upsert("Case", { OwnerId: "00G000000000001AAA", CreatedDate: "2026-05-01T00:00:00.000+0000", ClosedDate: null, IsClosed: false });
    const report = await sync(db, fake);
    expect(report.outcome).toBe("synced");
    const cases = objectReport(report, "Case");
    expect(cases.refused).toBe(1);
    expect(cases.errors[0]).toMatchObject({ key: `salesforce:${c.Id}`, column: "agent_email" });
    expect(cases.errors[0]!.message).toContain("00G000000000001AAA");
    expect(cases.created).toBe(fake.live("Case").length - 1);
  });
});

describe.each(backends)("Salesforce currencies on %s", (backend) => {
  let db: TestDatabase;
  let fake: FakeSalesforce;
  afterEach(async () => {
    await fake.stop();
    await db.dispose();
  });

  it("selects CurrencyIsoCode only when describe lists it: a multi-currency org keeps each deal's currency", async () => {
    fake = new FakeSalesforce({ multiCurrency: true, pageSize: 50 });
    await fake.start();
    seedSalesforce(fake, 11);
    db = await freshDatabase(backend);
    const report = await sync(db, fake, { currency: "GBP" });
    expect(report.outcome).toBe("synced");
    expect(fake.log.some((l) => l.soql?.includes("CurrencyIsoCode") && l.soql.includes("FROM Opportunity"))).toBe(true);
    const rows = await db.sql.query<{ externalId: string; currency: string }>(`SELECT "externalId", "currency" FROM "Deal"`);
    const expected = new Map(fake.live("Opportunity").map((o) => [`salesforce:${o.Id}`, o.CurrencyIsoCode as string]));
    expect(new Map(rows.map((r) => [r.externalId, r.currency]))).toEqual(expected);
    expect(new Set(rows.map((r) => r.currency))).toEqual(new Set(["USD", "EUR"]));
  });

  it("a single-currency org never selects CurrencyIsoCode (INVALID_FIELD there) and takes the workspace currency", async () => {
    fake = new FakeSalesforce({ multiCurrency: false, pageSize: 50 });
    await fake.start();
    seedSalesforce(fake, 11);
    db = await freshDatabase(backend);
    const report = await sync(db, fake, { currency: "GBP" });
    expect(report.outcome).toBe("synced");
    expect(fake.log.some((l) => l.soql?.includes("CurrencyIsoCode"))).toBe(false);
    expect(fake.log.filter((l) => l.status >= 400)).toEqual([]);
    const rows = await db.sql.query<{ currency: string }>(`SELECT DISTINCT "currency" FROM "Deal"`);
    expect(rows).toEqual([{ currency: "GBP" }]);
  });
});
