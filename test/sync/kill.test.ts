// A sync run killed mid-page (a real child process, SIGKILL while it waits for a HubSpot search
// page) and run again converges to the same database as one uninterrupted run: nothing lost,
// nothing duplicated. On PostgreSQL (TEST_DATABASE_URL) only: the embedded PGlite on disk does
// not keep commits of a process killed with SIGKILL (it flushes its files on close), so there a
// killed run loses its last pages' rows AND their cursor alike — still consistent, but not this test.
import { describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/data/db.ts";
import { HubSpotClient } from "../../src/sync/hubspot/client.ts";
import { HubSpotSource } from "../../src/sync/hubspot/source.ts";
import { syncSource } from "../../src/sync/run.ts";
import { backends, freshDatabase } from "../support/databases.ts";
import { generate, serve } from "./support/crm-data.ts";
import { dump, uninterruptedDump } from "./support/dump.ts";
import { syncUntilKilled, type KilledRun } from "./support/killed-run.ts";
import { FakeHubSpot } from "./support/fake-hubspot.ts";

const SIZE = { owners: 8, deals: 1_100, activities: 300, tickets: 100 };

function sourceFor(fake: FakeHubSpot) {
  return new HubSpotSource({ client: new HubSpotClient({ token: fake.token, baseUrl: fake.url, requestsPer10s: 100_000, searchesPerSecond: 100_000 }) });
}

describe.skipIf(!backends.includes("postgres"))("a sync killed mid-page on postgres", () => {
  it("re-run converges to the same database as an uninterrupted run", async () => {
    const fake = new FakeHubSpot();
    await fake.start();
    serve(fake, generate(11, SIZE));
    const test = await freshDatabase("postgres");
    let db: Database | null = null;
    let run: KilledRun | null = null;
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, HUBSPOT_TOKEN: fake.token, HUBSPOT_API_URL: fake.url, DATABASE_URL: test.url!, LOG_LEVEL: "silent", KPI_ADAPTERS: "" };
      // Killed while waiting for the third page of deals (two pages and their cursor stored).
      let deals = 0;
      run = syncUntilKilled("hubspot", env, (kill) => {
        fake.onSearch = (type) => {
          if (type === "deals" && ++deals === 3) kill();
        };
      });
      expect(await run.code, run.stderr()).toBe(-9);
      fake.onSearch = null;

      db = await openDatabase({ kind: "postgres", url: test.url! }, { migrate: false });
      const stored = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Deal"`);
      expect(Number(stored[0]!.n)).toBe(400);
      expect((await db.sql.query(`SELECT "object" FROM "SyncCursor" ORDER BY 1`)).map((r) => (r as { object: string }).object)).toEqual(["deals"]);

      // The killed run's lease is still there: a run now is busy; once it expires, the re-run goes ahead.
      expect((await syncSource(db, sourceFor(fake), { currency: "USD" })).outcome).toBe("busy");
      const later = () => new Date(Date.now() + 30 * 60_000);
      const again = await syncSource(db, sourceFor(fake), { currency: "USD", now: later });
      expect(again.outcome, again.problem ?? "").toBe("synced");

      const a = await dump(db);
      expect(a.deals.length).toBe(SIZE.deals);
      expect(a).toEqual(await uninterruptedDump(sourceFor(fake), { currency: "USD" }));
    } finally {
      run?.stop();
      await db?.close();
      await test.dispose();
      await fake.stop();
    }
  }, 180_000);
});
