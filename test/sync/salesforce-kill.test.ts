// A Salesforce sync killed mid-page (a real child process running `npm run sync -- salesforce`'s
// entry, SIGKILL while it waits for a page of opportunities) and run again converges to the same
// database as one uninterrupted run: nothing lost, nothing duplicated. PostgreSQL only (as the
// HubSpot kill test: PGlite on disk does not keep the commits of a process killed with SIGKILL).
import { describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/data/db.ts";
import { syncSource } from "../../src/sync/run.ts";
import { SalesforceSource } from "../../src/sync/salesforce/source.ts";
import { backends, freshDatabase } from "../support/databases.ts";
import { dump, uninterruptedDump } from "./support/dump.ts";
import { syncUntilKilled, type KilledRun } from "./support/killed-run.ts";
import { FakeSalesforce } from "./support/fake-salesforce.ts";
import { seedSalesforce } from "./support/salesforce-seed.ts";

const PAGE = 25;
const SIZE = { opportunities: 300, tasks: 120, events: 40, cases: 30 };

function sourceFor(fake: FakeSalesforce) {
  return new SalesforceSource({
    config: { SALESFORCE_LOGIN_URL: fake.url, SALESFORCE_CLIENT_ID: fake.clientId, SALESFORCE_CLIENT_SECRET: fake.clientSecret, SALESFORCE_API_VERSION: "60.0", SALESFORCE_CASE_FIRST_RESPONSE_FIELD: undefined, SALESFORCE_CASE_CSAT_FIELD: undefined },
    timeZone: "UTC",
    requestsPerSecond: 1000,
  });
}

describe.skipIf(!backends.includes("postgres"))("a Salesforce sync killed mid-page on postgres", () => {
  it("re-run converges to the same database as an uninterrupted run", async () => {
    const fake = new FakeSalesforce({ pageSize: PAGE });
    await fake.start();
    seedSalesforce(fake, 13, SIZE);
    // Opportunities modified a second apart (the seed stamps them all within one second), so the
    // re-run's cursor — rounded down to the second — shows it continued rather than started over.
    for (const o of fake.live("Opportunity")) {
      fake.now += 1000;
      fake.upsert("Opportunity", { Id: o.Id });
    }
    const test = await freshDatabase("postgres");
    let db: Database | null = null;
    let run: KilledRun | null = null;
    try {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        SALESFORCE_LOGIN_URL: fake.url,
        SALESFORCE_CLIENT_ID: fake.clientId,
        SALESFORCE_CLIENT_SECRET: fake.clientSecret,
        DATABASE_URL: test.url!,
        KPI_TIMEZONE: "UTC",
        KPI_CURRENCY: "USD",
        LOG_LEVEL: "silent",
        KPI_ADAPTERS: "",
      };
      delete env.HUBSPOT_TOKEN;
      // Killed while waiting for the third page of opportunities (two pages and their cursor stored).
      run = syncUntilKilled("salesforce", env, (kill) => {
        fake.onPage = (p) => {
          if (p.object === "Opportunity" && !p.all && p.offset === 2 * PAGE) kill();
        };
      });
      expect(await run.code, run.stderr()).toBe(-9);
      fake.onPage = null;

      db = await openDatabase({ kind: "postgres", url: test.url! }, { migrate: false });
      const stored = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Deal"`);
      expect(Number(stored[0]!.n)).toBe(2 * PAGE);
      const cursors = (await db.sql.query<{ object: string }>(`SELECT "object" FROM "SyncCursor" ORDER BY 1`)).map((r) => r.object);
      expect(cursors).toContain("Opportunity");
      expect(cursors).not.toContain("Task");

      // The killed run's lease is still there: a run now is busy; once it expires, the re-run goes ahead.
      expect((await syncSource(db, sourceFor(fake), { currency: "USD", timeZone: "UTC" })).outcome).toBe("busy");
      const later = () => new Date(Date.now() + 30 * 60_000);
      const again = await syncSource(db, sourceFor(fake), { currency: "USD", timeZone: "UTC", now: later });
      expect(again.outcome, again.problem ?? "").toBe("synced");
      // It continued from the stored cursor: the opportunities already stored were not read again
      // (bar those of the cursor's last second, which the rounded-down cursor re-reads harmlessly).
      const opp = again.objects.find((o) => o.object === "Opportunity")!;
      expect(opp.created).toBe(SIZE.opportunities - 2 * PAGE);
      expect(opp.read).toBeLessThan(SIZE.opportunities - PAGE);

      const a = await dump(db);
      expect(a.deals.length).toBe(SIZE.opportunities);
      expect(a.activities.length).toBe(SIZE.tasks + SIZE.events);
      expect(a).toEqual(await uninterruptedDump(sourceFor(fake), { currency: "USD", timeZone: "UTC" }));
    } finally {
      run?.stop();
      await db?.close();
      await test.dispose();
      await fake.stop();
    }
  }, 180_000);
});
