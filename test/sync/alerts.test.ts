// The bot's scheduled sync: a run that changed data re-checks alerts at once, so an alert fires
// within one sync of the change in HubSpot or Salesforce; a run with no change does not re-check.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createBot } from "../../src/bot.ts";
import { importCsv } from "../../src/data/import/run.ts";
import { createScheduleDesk } from "../../src/digests/desk.ts";
import { checkAlerts, type RunnerDeps } from "../../src/digests/runner.ts";
import { HubSpotClient } from "../../src/sync/hubspot/client.ts";
import { HubSpotSource } from "../../src/sync/hubspot/source.ts";
import { SalesforceSource } from "../../src/sync/salesforce/source.ts";
import { runScheduledSync } from "../../src/sync/schedule.ts";
import { freshDatabase, type TestDatabase } from "../support/databases.ts";
import { recordingSender } from "../digests/support/recording-sender.ts";
import { generate, serve } from "./support/crm-data.ts";
import { FakeHubSpot } from "./support/fake-hubspot.ts";
import { FakeSalesforce } from "./support/fake-salesforce.ts";
import { seedSalesforce } from "./support/salesforce-seed.ts";

const clock = new Date("2026-11-15T12:00:00Z");

/** A bot with alerts, a recording Slack sender, and scheduled-sync deps that re-check alerts (counted) after a change. */
function alerting(db: TestDatabase, now: Date) {
  const engine = { prisma: db.prisma, now: () => now, timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD" };
  const bot = createBot({ ...engine, schedules: createScheduleDesk(engine) });
  const { sender, sent } = recordingSender();
  const runner: RunnerDeps = { prisma: db.prisma, bot, senders: { slack: sender }, holder: "replica-a", timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD" };
  const checks = { n: 0 };
  const deps = {
    db, holder: "replica-a", currency: "USD", timeZone: "UTC",
    sources: [] as never[],
    onChanged: async () => {
      checks.n++;
      return checkAlerts(runner, now);
    },
  };
  /** The rep gets a Slack id from a reps CSV (as an admin gives it) and sets an alert no figure meets yet. */
  const repSetsAlert = async (repsCsv: string) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "kpi-sync-alert-"));
    try {
      await writeFile(path.join(dir, "reps.csv"), repsCsv);
      expect((await importCsv(db, { kind: "reps", file: path.join(dir, "reps.csv"), currency: "USD" })).outcome).toBe("imported");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const set = await bot.handle({ platform: "slack", userId: "U-REP", text: "/kpi alert my sales above 50000000", where: "D-REP" });
    expect(set.summary).toMatch(/Alert A\d+ set/);
    expect(await checkAlerts(runner, now)).toEqual({ fired: 0, cleared: 0 });
  };
  return { sent, deps, checks, repSetsAlert };
}

describe("alerts after a sync", () => {
  let fake: FakeHubSpot;
  let db: TestDatabase;
  beforeEach(async () => {
    fake = new FakeHubSpot();
    await fake.start();
    db = await freshDatabase("pglite");
  });
  afterEach(async () => {
    await fake.stop();
    await db.dispose();
  });

  it("fires within one sync of the change, and only a run that changed data re-checks", async () => {
    const data = generate(5, { owners: 4, deals: 60, activities: 10, tickets: 5 });
    serve(fake, data);
    const { sent, deps, checks, repSetsAlert } = alerting(db, clock);
    const source = () => new HubSpotSource({ client: new HubSpotClient({ token: fake.token, baseUrl: fake.url, requestsPer10s: 100_000, searchesPerSecond: 100_000 }) });

    expect((await runScheduledSync(deps, source())).outcome).toBe("synced");
    expect(checks.n).toBe(1); // the first run created everything
    const rep = data.owners[0]!;
    await repSetsAlert(`email,name,team,role,slack_user_id,teams_user_id,timezone,locale\n${rep.email},${rep.firstName} ${rep.lastName},,,U-REP,,,\n`);

    // No change in HubSpot: no re-check.
    expect((await runScheduledSync(deps, source())).changed).toBe(false);
    expect(checks.n).toBe(1);

    // A big deal is won in HubSpot: the next sync stores it and the alert fires right after.
    fake.put("deals", "990001", { amount: "60000000", deal_currency_code: "USD", dealstage: "closedwon", pipeline: "default", createdate: "2026-11-01T00:00:00.000Z", closedate: "2026-11-10T00:00:00.000Z", hubspot_owner_id: rep.id });
    const r = await runScheduledSync(deps, source());
    expect([r.outcome, r.changed, checks.n]).toEqual(["synced", true, 2]);
    const events = await db.prisma.alertEvent.findMany();
    expect(events.map((e) => e.kind)).toEqual(["fired"]);
    expect(sent.length).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it("fires within one sync of an opportunity won in Salesforce", async () => {
    const sf = new FakeSalesforce({ pageSize: 50 });
    await sf.start();
    try {
      seedSalesforce(sf, 5);
      const { sent, deps, checks, repSetsAlert } = alerting(db, clock);
      const source = () =>
        new SalesforceSource({
          config: { SALESFORCE_LOGIN_URL: sf.url, SALESFORCE_CLIENT_ID: sf.clientId, SALESFORCE_CLIENT_SECRET: sf.clientSecret, SALESFORCE_API_VERSION: "60.0", SALESFORCE_CASE_FIRST_RESPONSE_FIELD: undefined, SALESFORCE_CASE_CSAT_FIELD: undefined },
          timeZone: "UTC",
          requestsPerSecond: 1000,
        });

      expect((await runScheduledSync(deps, source())).outcome).toBe("synced");
      expect(checks.n).toBe(1);
      const rep = sf.live("User").find((u) => u.Email === "east.rep1@example.com")!;
      await repSetsAlert(`email,name,slack_user_id\n${rep.Email},${rep.Name},U-REP\n`);

      // No change in Salesforce: no re-check (the last second's records are re-read, unchanged).
      expect((await runScheduledSync(deps, source())).changed).toBe(false);
      expect(checks.n).toBe(1);

      // A big opportunity is won: the next sync stores it and the alert fires right after.
      sf.now = Date.parse("2026-11-10T09:00:00Z");
      sf.upsert("Opportunity", { OwnerId: rep.Id, AccountId: null, Amount: 60_000_000, StageName: "Closed Won", IsClosed: true, IsWon: true, CreatedDate: "2026-11-01T00:00:00.000+0000", CloseDate: "2026-11-10", LeadSource: null, Type: null, CampaignId: null });
      const r = await runScheduledSync(deps, source());
      expect([r.outcome, r.changed, checks.n]).toEqual(["synced", true, 2]);
      const events = await db.prisma.alertEvent.findMany();
      expect(events.map((e) => e.kind)).toEqual(["fired"]);
      expect(sent.length).toBeGreaterThanOrEqual(1);
    } finally {
      await sf.stop();
    }
  }, 120_000);
});
