// npm run bench -- --sync-bench [--deals N]: a full HubSpot sync of N deals (default 1,000,000)
// from the fake HubSpot (test/sync/support) served at HubSpot's documented limits — 100 requests
// per 10 s for a private app (TEN_SECONDLY_ROLLING), 5 per second on the search endpoints
// (SECONDLY), 200 records per search page — into the database (DATABASE_URL, else an embedded
// one under KPI_DATA_DIR/bench-sync), then an incremental run after 1,000 changes.
//
// Each run is `npm run sync -- hubspot`'s path in its own process (bench/sync-child.ts): wall
// time from spawn to exit, the child's peak RSS. The floor is what the limits allow for the
// requests the run made: requests × 0.1 s (100 / 10 s) and searches × 0.2 s (5 / s), whichever
// is longer — with 200 deals a search page both come to 1,000 deals/s, so the search limit is as
// tight as the private-app one. Targets: full ≤ 1.2 × floor; incremental ≤ 5 s.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { loadConfig } from "../src/config.ts";
import { openDatabase, targetFromEnv, type DatabaseTarget } from "../src/data/db.ts";
import { PIPELINES } from "../test/sync/support/crm-data.ts";
import { FakeHubSpot } from "../test/sync/support/fake-hubspot.ts";
import type { Case } from "./harness.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const OWNERS = 200;
const CHANGES = 1_000;
const STAGES = ["appointmentscheduled", "qualifiedtobuy", "closedwon", "closedlost"] as const;
const DAY = 86_400_000;
const START = Date.UTC(2025, 0, 1);

type ChildResult = {
  outcome: string;
  problem: string | null;
  elapsedMs: number;
  deals: { read: number; created: number; updated: number; unchanged: number; refused: number };
  maxRssMb: number;
};

/** The bench's database, for this process and (through the environment) the sync child: DATABASE_URL, else an embedded one under KPI_DATA_DIR/bench-sync. */
function benchDatabase(): { target: DatabaseTarget; env: NodeJS.ProcessEnv } {
  const config = loadConfig();
  const dataDir = path.resolve(config.KPI_DATA_DIR, "bench-sync");
  return { target: targetFromEnv({ DATABASE_URL: config.DATABASE_URL, KPI_DATA_DIR: dataDir }), env: { KPI_DATA_DIR: dataDir } };
}

/** Deal i's HubSpot properties (strings, as HubSpot sends them). */
function dealProperties(i: number): Record<string, string | null> {
  const stage = STAGES[i % STAGES.length]!;
  const created = START + (i % 600) * DAY + (i % 86_400) * 1000;
  return {
    dealname: `Deal ${i}`,
    amount: `${1_000 + ((i * 7_919) % 90_000)}.${String(i % 100).padStart(2, "0")}`,
    deal_currency_code: "USD",
    dealstage: stage,
    pipeline: "default",
    createdate: new Date(created).toISOString(),
    closedate: new Date(created + (1 + (i % 90)) * DAY).toISOString(),
    hubspot_owner_id: String(100 + (i % OWNERS)),
    dealtype: i % 2 === 0 ? "newbusiness" : "existingbusiness",
    hs_analytics_source: i % 3 === 0 ? "ORGANIC_SEARCH" : "PAID_SEARCH",
  };
}

/** Empty this source's rows, so every run starts from a first sync. */
async function reset(target: DatabaseTarget): Promise<string> {
  const db = await openDatabase(target);
  try {
    for (const table of ["Activity", "Ticket", "Deal"]) await db.sql.exec(`DELETE FROM "${table}" WHERE "externalId" LIKE 'hubspot:%'`);
    await db.sql.exec(`DELETE FROM "SyncCursor" WHERE "source" = 'hubspot'`);
    await db.sql.exec(`DELETE FROM "SchedulerLease" WHERE "key" = 'sync:hubspot'`);
    return db.where;
  } finally {
    await db.close();
  }
}

async function countDeals(target: DatabaseTarget): Promise<number> {
  const db = await openDatabase(target, { migrate: false });
  try {
    const [r] = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Deal" WHERE "externalId" LIKE 'hubspot:%'`);
    return Number(r!.n);
  } finally {
    await db.close();
  }
}

async function runChild(env: NodeJS.ProcessEnv): Promise<{ wallMs: number; r: ChildResult }> {
  const t0 = performance.now();
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", path.join(ROOT, "bench/sync-child.ts")], { cwd: ROOT, env, maxBuffer: 1 << 20 });
  const wallMs = performance.now() - t0;
  const r = JSON.parse(stdout.trim().split("\n").pop()!) as ChildResult;
  if (r.outcome !== "synced") throw new Error(`the sync ended ${r.outcome}: ${r.problem}`);
  return { wallMs, r };
}

/** Requests the fake answered since `from` (its log index): all, and searches. */
function requestsSince(fake: FakeHubSpot, from: number) {
  const log = fake.log.slice(from);
  return { all: log.length, searches: log.filter((l) => l.method === "POST" && l.path.endsWith("/search")).length, limited: log.filter((l) => l.status === 429).length };
}

export async function syncCases(deals: number, log: (s: string) => void): Promise<Case[]> {
  const { target, env: databaseEnv } = benchDatabase();
  const where = await reset(target);
  const fake = new FakeHubSpot({ per10s: 100, searchPerSecond: 5 });
  await fake.start();
  try {
    let t0 = performance.now();
    fake.pipelines = [PIPELINES[0]!]; // the default sales pipeline the tests use
    fake.owners = Array.from({ length: OWNERS }, (_, i) => ({
      id: String(100 + i), email: `owner${i}@bench-sync.example`, firstName: "Owner", lastName: String(i), archived: false,
      teams: [{ id: `t${i % 10}`, name: `Team ${i % 10}`, primary: true }],
    }));
    for (let i = 0; i < deals; i++) fake.put("deals", String(1_000_000 + i), dealProperties(i));
    fake.modifiedOrder("deals");
    log(`fake HubSpot: ${deals.toLocaleString("en")} deals, ${OWNERS} owners in ${((performance.now() - t0) / 1000).toFixed(1)} s; syncing into ${where} …`);

    const env: NodeJS.ProcessEnv = { ...process.env, ...databaseEnv, HUBSPOT_TOKEN: fake.token, HUBSPOT_API_URL: fake.url, LOG_LEVEL: "silent", KPI_ADAPTERS: "" };
    let mark = fake.log.length;
    const full = await runChild(env);
    const fullReq = requestsSince(fake, mark);
    const fullFloor = Math.max(fullReq.all * 100, fullReq.searches * 200);
    const stored = await countDeals(target);
    if (stored !== deals) throw new Error(`the full sync stored ${stored} deals, not ${deals}`);
    log(`full: ${(full.wallMs / 1000).toFixed(1)} s wall (sync ${(full.r.elapsedMs / 1000).toFixed(1)} s), ${fullReq.all} requests (${fullReq.searches} searches, ${fullReq.limited} answered 429), floor ${(fullFloor / 1000).toFixed(1)} s = max(${fullReq.all} × 0.1 s, ${fullReq.searches} × 0.2 s), peak RSS ${full.r.maxRssMb} MB`);

    // 1,000 deals change (amounts; every fourth one is won), then an incremental run. The fake's
    // rate windows are left to empty first (as between two scheduled runs, 10 minutes apart).
    for (let k = 0; k < CHANGES; k++) {
      const i = Math.floor((k * deals) / CHANGES);
      fake.put("deals", String(1_000_000 + i), { amount: `${2_000 + k}.00`, ...(k % 4 === 0 ? { dealstage: "closedwon", closedate: "2026-11-20T10:00:00.000Z" } : {}) });
    }
    fake.modifiedOrder("deals");
    await new Promise((r) => setTimeout(r, 10_500));
    mark = fake.log.length;
    const incremental = await runChild(env);
    const incReq = requestsSince(fake, mark);
    log(`incremental after ${CHANGES} changes: ${(incremental.wallMs / 1000).toFixed(2)} s wall (sync ${(incremental.r.elapsedMs / 1000).toFixed(2)} s; the rest is starting node, tsx and the database), ${incReq.all} requests (${incReq.searches} searches), deals read ${incremental.r.deals.read}, updated ${incremental.r.deals.updated}, peak RSS ${incremental.r.maxRssMb} MB`);
    if (incremental.r.deals.updated !== CHANGES) throw new Error(`the incremental run updated ${incremental.r.deals.updated} deals, not ${CHANGES}`);

    return [
      {
        name: `hubspot full sync, ${deals.toLocaleString("en")} deals (${fullReq.all} requests)`,
        n: 1, p50_ms: Math.round(full.wallMs), p95_ms: Math.round(full.wallMs), floor_p50_ms: fullFloor,
        ratio: Math.round((full.wallMs / fullFloor) * 100) / 100, rss_mb: full.r.maxRssMb,
      },
      {
        name: `hubspot incremental, ${CHANGES.toLocaleString("en")} changes (target ≤ 5,000 ms)`,
        n: 1, p50_ms: Math.round(incremental.wallMs), p95_ms: Math.round(incremental.wallMs), floor_p50_ms: null, ratio: null, rss_mb: incremental.r.maxRssMb,
      },
    ];
  } finally {
    await fake.stop();
  }
}
