// The bot's scheduled sync reports to GET /metrics: runs per source and outcome, and the seconds
// since the source's last successful run (restarted by each success, read at scrape time).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMetrics } from "../../src/ops/metrics.ts";
import { HubSpotClient } from "../../src/sync/hubspot/client.ts";
import { HubSpotSource } from "../../src/sync/hubspot/source.ts";
import { defaultBackoff } from "../../src/sync/pacing.ts";
import { runScheduledSync } from "../../src/sync/schedule.ts";
import { freshDatabase, type TestDatabase } from "../support/databases.ts";
import { generate, serve } from "./support/crm-data.ts";
import { FakeHubSpot } from "./support/fake-hubspot.ts";

function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(series + " "));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("sync metrics", () => {
  let fake: FakeHubSpot;
  let db: TestDatabase;
  beforeEach(async () => {
    fake = new FakeHubSpot();
    await fake.start();
    db = await freshDatabase("pglite");
  });
  afterEach(async () => {
    await fake.stop().catch(() => {});
    await db.dispose();
  });

  it("counts ok and failed runs per source and reports the lag since the last success", async () => {
    serve(fake, generate(3, { owners: 3, deals: 20, activities: 5, tickets: 3 }));
    const metrics = createMetrics({ process: false });
    const deps = { db, holder: "replica-a", currency: "USD", timeZone: "UTC", sources: [] as never[], metrics };
    // The unreachable run retries 6 times: with the default backoff that is 31–63 s of waiting.
    const quickRetries = { ...defaultBackoff, baseMs: 2, maxMs: 10 };
    const source = () => new HubSpotSource({ client: new HubSpotClient({ token: fake.token, baseUrl: fake.url, requestsPer10s: 100_000, searchesPerSecond: 100_000, policy: quickRetries }) });

    const before = await metrics.registry.metrics();
    expect(sample(before, 'kpi_sync_lag_seconds{source="hubspot"}')).toBeUndefined();
    expect((await runScheduledSync(deps, source())).outcome).toBe("synced");
    let text = await metrics.registry.metrics();
    expect(sample(text, 'kpi_sync_runs_total{source="hubspot",outcome="ok"}')).toBe(1);
    const lag = sample(text, 'kpi_sync_lag_seconds{source="hubspot"}')!;
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(60);

    // HubSpot unreachable: a failed run, and the lag keeps counting from the last success.
    await fake.stop();
    expect((await runScheduledSync(deps, source())).outcome).toBe("failed");
    text = await metrics.registry.metrics();
    expect(sample(text, 'kpi_sync_runs_total{source="hubspot",outcome="failed"}')).toBe(1);
    expect(sample(text, 'kpi_sync_runs_total{source="hubspot",outcome="ok"}')).toBe(1);
    expect(sample(text, 'kpi_sync_lag_seconds{source="hubspot"}')!).toBeGreaterThanOrEqual(lag);
  }, 30_000);
});
