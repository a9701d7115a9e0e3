// Rate-limit pacing shared by the connectors (unit, on a fake clock), and HubSpot's limits end
// to end against the fake: paced runs meet no 429, unpaced ones are retried to completion, a
// DAILY limit stops the run with what to do.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HubSpotClient } from "../../src/sync/hubspot/client.ts";
import { HubSpotSource } from "../../src/sync/hubspot/source.ts";
import { backoffMs, pacedFetch, Pacer, retryAfterMs, type Clock } from "../../src/sync/pacing.ts";
import { syncSource } from "../../src/sync/run.ts";
import { freshDatabase, type TestDatabase } from "../support/databases.ts";
import { generate, serve } from "./support/crm-data.ts";
import { FakeHubSpot } from "./support/fake-hubspot.ts";

function fakeClock(): Clock & { slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return { slept, now: () => t, sleep: async (ms) => void (slept.push(ms), (t += ms)) };
}

describe("pacing", () => {
  it("lets at most `limit` requests start in any window", async () => {
    const clock = fakeClock();
    const p = new Pacer(5, 1000, clock);
    const starts: number[] = [];
    for (let i = 0; i < 12; i++) {
      await p.take();
      starts.push(clock.now());
    }
    // Independent check: every window of 1000 ms holds at most 5 starts.
    for (const s of starts) expect(starts.filter((x) => x > s - 1000 && x <= s).length).toBeLessThanOrEqual(5);
    expect(starts).toEqual([0, 0, 0, 0, 0, 1000, 1000, 1000, 1000, 1000, 2000, 2000]);
  });

  it("backs off exponentially with jitter, between half and all of each capped step", () => {
    const policy = { baseMs: 500, maxMs: 30_000 };
    expect(backoffMs(0, { ...policy, random: () => 0 })).toBe(250);
    expect(backoffMs(0, { ...policy, random: () => 0.999999 })).toBeCloseTo(500, 2);
    expect(backoffMs(3, { ...policy, random: () => 0.5 })).toBe(3000);
    expect(backoffMs(20, { ...policy, random: () => 0.999999 })).toBeLessThanOrEqual(30_000);
    expect(backoffMs(20, { ...policy, random: () => 0 })).toBe(15_000);
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    expect(retryAfterMs("2", 0)).toBe(2000);
    expect(retryAfterMs("Sun, 06 Dec 2026 20:00:10 GMT", Date.parse("2026-12-06T20:00:00Z"))).toBe(10_000);
    expect(retryAfterMs(null)).toBeNull();
    expect(retryAfterMs("soon")).toBeNull();
  });

  it("honours Retry-After, and gives up after the bounded number of retries", async () => {
    let n = 0;
    const server = createServer((req, res) => {
      n++;
      if (req.url === "/twice" && n <= 2) {
        res.writeHead(429, { "retry-after": "3" });
        return res.end("{}");
      }
      if (req.url === "/never") {
        res.writeHead(503);
        return res.end();
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"ok":true}');
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const clock = fakeClock();
      const res = await pacedFetch(`${url}/twice`, {}, { pacers: [], clock, what: "GET /twice" });
      expect(await res.json()).toEqual({ ok: true });
      expect(clock.slept).toEqual([3000, 3000]);
      n = 0;
      const c2 = fakeClock();
      await expect(pacedFetch(`${url}/never`, {}, { pacers: [], clock: c2, what: "GET /never", policy: { retries: 3, baseMs: 100, maxMs: 1000, maxRetryAfterMs: 60_000, random: () => 0.5 } })).rejects.toThrow(/still failed after 4 attempts \(HTTP 503\)/);
      expect(c2.slept).toEqual([75, 150, 300]);
    } finally {
      server.close();
    }
  });
});

describe("HubSpot rate limits against the fake (real time)", () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await freshDatabase("pglite");
  });
  afterEach(async () => {
    await db.dispose();
  });

  async function fakeWith(limits: { per10s: number; searchPerSecond: number }) {
    const fake = new FakeHubSpot(limits);
    await fake.start();
    serve(fake, generate(3, { owners: 6, deals: 900, activities: 120, tickets: 60 }));
    return fake;
  }

  it("paced at the documented limits, a run meets no 429 and the searches keep to 5 a second", async () => {
    const fake = await fakeWith({ per10s: 100, searchPerSecond: 5 });
    try {
      const client = new HubSpotClient({ token: fake.token, baseUrl: fake.url });
      const r = await syncSource(db, new HubSpotSource({ client }), { currency: "USD" });
      expect(r.outcome, r.problem ?? "").toBe("synced");
      expect(fake.count(/./, 429)).toBe(0);
      const searches = fake.log.filter((l) => l.path.endsWith("/search")).map((l) => l.at);
      expect(searches.length).toBeGreaterThan(5);
      for (const s of searches) expect(searches.filter((x) => x > s - 1000 && x <= s).length).toBeLessThanOrEqual(5);
    } finally {
      await fake.stop();
    }
  }, 60_000);

  it("unpaced, the fake answers 429 SECONDLY (no Retry-After) and the run retries to completion", async () => {
    const fake = await fakeWith({ per10s: 0, searchPerSecond: 2 });
    const retries: string[] = [];
    try {
      const client = new HubSpotClient({ token: fake.token, baseUrl: fake.url, searchesPerSecond: 1000, onRetry: (i) => retries.push(i.why) });
      const r = await syncSource(db, new HubSpotSource({ client }), { currency: "USD" });
      expect(r.outcome, r.problem ?? "").toBe("synced");
      expect(fake.count(/search$/, 429)).toBeGreaterThan(0);
      expect(retries.length).toBe(fake.count(/./, 429));
      expect(new Set(retries)).toEqual(new Set(["429 SECONDLY"]));
      expect(await db.sql.query(`SELECT count(*)::int AS n FROM "Deal"`)).toEqual([{ n: 900 }]);
    } finally {
      await fake.stop();
    }
  }, 60_000);

  it("a DAILY limit stops the run with what to do; what was synced stays", async () => {
    const fake = await fakeWith({ per10s: 0, searchPerSecond: 0 });
    try {
      let searches = 0;
      fake.onSearch = () => {
        if (++searches === 2) fake.forced = { n: 1_000, policy: "DAILY" };
      };
      const client = new HubSpotClient({ token: fake.token, baseUrl: fake.url, requestsPer10s: 100_000, searchesPerSecond: 100_000 });
      const r = await syncSource(db, new HubSpotSource({ client }), { currency: "USD" });
      expect(r.outcome).toBe("failed");
      expect(r.problem).toMatch(/deals: .*daily API limit is used up \(429 DAILY\)/);
      // The first two pages were stored with their cursor.
      expect(await db.sql.query(`SELECT count(*)::int AS n FROM "Deal"`)).toEqual([{ n: 400 }]);
      expect(fake.count(/./, 429)).toBe(1);
    } finally {
      await fake.stop();
    }
  }, 60_000);
});
