// Two replicas, each with its own connection pool to one PostgreSQL database, start syncing the
// same source at the same instant: exactly one runs, the other is "busy" and writes nothing — for
// HubSpot and Salesforce alike; the lease is freed at the end, and two different sources may run
// at once (the lease is per source). PostgreSQL only: separate connections are what replicas have.
import { describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/data/db.ts";
import { HubSpotClient } from "../../src/sync/hubspot/client.ts";
import { HubSpotSource } from "../../src/sync/hubspot/source.ts";
import { syncSource, type SyncReport } from "../../src/sync/run.ts";
import { SalesforceSource } from "../../src/sync/salesforce/source.ts";
import type { Source } from "../../src/sync/source.ts";
import { backends, freshDatabase } from "../support/databases.ts";
import { generate, serve } from "./support/crm-data.ts";
import { dump } from "./support/dump.ts";
import { FakeHubSpot } from "./support/fake-hubspot.ts";
import { FakeSalesforce } from "./support/fake-salesforce.ts";
import { seedSalesforce } from "./support/salesforce-seed.ts";

describe.skipIf(!backends.includes("postgres"))("two replicas on one postgres database", () => {
  it("never sync the same source at once; different sources may run together", async () => {
    const hs = new FakeHubSpot();
    const sf = new FakeSalesforce({ pageSize: 20 });
    await hs.start();
    await sf.start();
    serve(hs, generate(3, { owners: 6, deals: 400, activities: 100, tickets: 50 }));
    seedSalesforce(sf, 3);
    // Slow answers, so each run is well under way while the other replica tries.
    hs.delayMs = 3;
    const test = await freshDatabase("postgres");
    const replicas: Database[] = [];
    try {
      for (let i = 0; i < 2; i++) replicas.push(await openDatabase({ kind: "postgres", url: test.url! }, { migrate: false }));
      const hubspot = (): Source => new HubSpotSource({ client: new HubSpotClient({ token: hs.token, baseUrl: hs.url, requestsPer10s: 100_000, searchesPerSecond: 100_000 }) });
      const salesforce = (): Source =>
        new SalesforceSource({
          config: { SALESFORCE_LOGIN_URL: sf.url, SALESFORCE_CLIENT_ID: sf.clientId, SALESFORCE_CLIENT_SECRET: sf.clientSecret, SALESFORCE_API_VERSION: "60.0", SALESFORCE_CASE_FIRST_RESPONSE_FIELD: undefined, SALESFORCE_CASE_CSAT_FIELD: undefined },
          timeZone: "UTC",
          requestsPerSecond: 1000,
        });
      const run = (db: Database, source: Source, holder: string) => syncSource(db, source, { currency: "USD", timeZone: "UTC", holder });
      const outcomes = (rs: SyncReport[]) => rs.map((r) => r.outcome).sort();

      // Both replicas fire for both sources at the same instant (as a cron tick on two replicas).
      const [hsA, hsB, sfA, sfB] = await Promise.all([
        run(replicas[0]!, hubspot(), "replica-a"),
        run(replicas[1]!, hubspot(), "replica-b"),
        run(replicas[0]!, salesforce(), "replica-a"),
        run(replicas[1]!, salesforce(), "replica-b"),
      ]);
      expect(outcomes([hsA, hsB])).toEqual(["busy", "synced"]);
      expect(outcomes([sfA, sfB])).toEqual(["busy", "synced"]);
      for (const busy of [hsA, hsB, sfA, sfB].filter((r) => r.outcome === "busy")) expect(busy.objects).toEqual([]);
      // Each source was read once: every record created once, none by the busy replica.
      const dealsBy = (r: SyncReport, object: string) => r.objects.find((o) => o.object === object)?.created ?? 0;
      expect(dealsBy(hsA, "deals") + dealsBy(hsB, "deals")).toBe(400);
      expect(dealsBy(sfA, "Opportunity") + dealsBy(sfB, "Opportunity")).toBe(sf.live("Opportunity").length);
      expect(await test.sql.query(`SELECT count(*)::int AS n FROM "SchedulerLease" WHERE "key" LIKE 'sync:%'`)).toEqual([{ n: 0 }]);

      // The lease is released: the replica that was busy goes ahead next time, and finds nothing new.
      const before = await dump(test);
      const wasBusy = hsA.outcome === "busy" ? 0 : 1;
      const next = await run(replicas[wasBusy]!, hubspot(), wasBusy === 0 ? "replica-a" : "replica-b");
      expect([next.outcome, next.changed]).toEqual(["synced", false]);
      expect(await dump(test)).toEqual(before);
    } finally {
      for (const r of replicas) await r.close();
      await test.dispose();
      await hs.stop();
      await sf.stop();
    }
  }, 180_000);
});
