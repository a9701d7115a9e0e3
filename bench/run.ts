// npm run bench [-- --json] [--deals N] [--reps N] [--runs N] [--skip-charts] [--skip-digests]
//   [--skip-load | --load-only] [--load-levels 1,20,50] [--load-commands 300]
// npm run bench -- --import-bench [--rows N]: the deals import fixed vs mapped vs XLSX (bench/import.ts)
// npm run bench -- --sync-bench [--deals N]: a full HubSpot sync from the fake at HubSpot's limits, then an incremental one (bench/sync.ts)
// On DATABASE_URL (or an embedded database under KPI_DATA_DIR/bench), loads the large dataset if
// it is not there, then times the core aggregate queries and the end-to-end answer, each next to
// its floor: the single SQL statement that computes the per-rep sums, on the same connection.
import path from "node:path";
import { parseArgs } from "node:util";
import { runMain, UsageError } from "../src/cli.ts";
import { createBot } from "../src/bot.ts";
import { clockFrom, loadConfig } from "../src/config.ts";
import { openDatabase, type Database } from "../src/data/db.ts";
import { fetchMetric } from "../src/data/kpi-queries.ts";
import { hasLargeDataset, seedLarge } from "../src/data/seed/large.ts";
import { BENCH_EMAIL_DOMAIN, BENCH_ORG_TEAM } from "../src/data/seed/markers.ts";
import { sqlTimestamp } from "../src/time/sql.ts";
import { jsonLine, printTable, summarise, timePaired, type Case } from "./harness.ts";

await runMain(async () => {
  const { values } = parseArgs({
    options: {
      json: { type: "boolean" }, deals: { type: "string" }, reps: { type: "string" }, runs: { type: "string" },
      "skip-charts": { type: "boolean" },
      "skip-digests": { type: "boolean" },
      "skip-load": { type: "boolean" }, "load-only": { type: "boolean" }, "load-levels": { type: "string" }, "load-commands": { type: "string" },
      "import-bench": { type: "boolean" }, rows: { type: "string" },
      "sync-bench": { type: "boolean" },
    },
  });
  const int = (s: string | undefined, d: number, name: string) => {
    if (s === undefined) return d;
    const n = Number(s.replace(/_/g, ""));
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer`);
    return n;
  };
  if (values["import-bench"]) {
    const { importCases } = await import("./import.ts");
    const cases = await importCases(int(values.rows, 1_000_000, "rows"), (s) => (values.json ? process.stderr : process.stdout).write(s + "\n"));
    if (values.json) for (const c of cases) process.stdout.write(jsonLine(c) + "\n");
    else console.log(printTable(cases) + "\n(p50 = the import's time; floor = the fixed-header CSV's; ratio = time / fixed; rss = the import process's peak)");
    return;
  }
  if (values["sync-bench"]) {
    const { syncCases } = await import("./sync.ts");
    const cases = await syncCases(int(values.deals, 1_000_000, "deals"), (s) => (values.json ? process.stderr : process.stdout).write(s + "\n"));
    if (values.json) for (const c of cases) process.stdout.write(jsonLine(c) + "\n");
    else console.log(printTable(cases) + "\n(p50 = wall time of the sync process; floor = what HubSpot's limits allow for those requests; ratio = time / floor, target ≤ 1.2; rss = the sync process's peak)");
    return;
  }
  const deals = int(values.deals, 1_000_000, "deals");
  const reps = int(values.reps, 500, "reps");
  const runs = Math.max(30, int(values.runs, 30, "runs"));
  const config = loadConfig();
  const log = (s: string) => (values.json ? process.stderr : process.stdout).write(s + "\n");
  const cases: Case[] = [];
  const emit = (c: Case) => {
    cases.push(c);
    if (values.json) process.stdout.write(jsonLine(c) + "\n");
  };

  const targets = config.DATABASE_URL
    ? [{ label: "postgres", target: { kind: "postgres" as const, url: config.DATABASE_URL } }]
    : [{ label: "pglite", target: { kind: "pglite" as const, dataDir: path.resolve(config.KPI_DATA_DIR, "bench") } }];
  // The clock is fixed so the "last quarter" of the dataset is the same on every run.
  const now = clockFrom({ KPI_NOW: config.KPI_NOW ?? "2026-11-26T12:00:00Z" });

  if (!values["skip-load"]) {
    // Slack HTTP mode under bursts: needs a PostgreSQL server (the bot runs as its own process).
    if (!config.DATABASE_URL) log("slack load skipped: set DATABASE_URL to a PostgreSQL server");
    else {
      const levels = (values["load-levels"] ?? "1,20,50").split(",").map((x) => int(x.trim(), 1, "load-levels"));
      const { slackLoadCases } = await import("./slack-load.ts");
      for (const c of await slackLoadCases({ serverUrl: config.DATABASE_URL, levels, commands: int(values["load-commands"], 300, "load-commands"), log })) emit(c);
    }
    if (values["load-only"]) {
      if (!values.json) console.log(printTable(cases));
      return;
    }
  }

  for (const { label, target } of targets) {
    const db = await openDatabase(target);
    try {
      if (!(await hasLargeDataset(db, deals, reps))) {
        log(`loading ${deals.toLocaleString("en")} deals / ${reps} reps into ${db.where} …`);
        const t0 = performance.now();
        await seedLarge(db, { deals, reps, now: now() });
        log(`loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        // A fresh bulk load has no visibility map yet: without VACUUM no scan can be index-only
        // (autovacuum would get there later in production).
        await db.sql.exec(`VACUUM ANALYZE`);
      }
      await benchDatabase(db, label, now, runs, emit, config.KPI_TIMEZONE);
    } finally {
      await db.close();
    }
  }
  if (!values["skip-digests"]) {
    const { digestCases } = await import("./digests.ts");
    for (const c of await digestCases()) emit(c);
  }
  if (!values["skip-charts"]) {
    try {
      const { chartCases } = await import("./charts.ts");
      for (const c of await chartCases()) emit(c);
    } catch (e) {
      log(`charts skipped: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (!values.json) console.log(printTable(cases));
});

async function benchDatabase(db: Database, label: string, now: () => Date, runs: number, emit: (c: Case) => void, timeZone: string) {
  const repIds = (await db.prisma.user.findMany({ where: { email: { endsWith: `@${BENCH_EMAIL_DOMAIN}` }, role: "rep" }, select: { id: true } })).map((u) => u.id);
  // Last quarter relative to the fixed clock: Q3 2026 for 2026-11-26.
  const q = lastQuarter(now());
  const window = { start: q.start, end: q.end, timeZone };
  const floorSql = `SELECT "ownerId", sum(amount)::float8 FROM "Deal"
    WHERE status = 'won' AND "closedAt" >= $1::timestamp AND "closedAt" < $2::timestamp AND "ownerId" = ANY($3::int[])
    GROUP BY 1`;
  const floor = () => db.prisma.$queryRawUnsafe(floorSql, sqlTimestamp(q.start), sqlTimestamp(q.end), repIds);
  // Each case is timed alternately with the floor, so a noisy stretch of the machine hits both.
  const paired = async (name: string, fn: () => Promise<unknown>) => {
    const { samples, floor: floorTimes } = await timePaired(fn, floor, runs);
    emit(summarise(name, samples, floorTimes));
  };

  await paired(`${label}: won revenue per rep, one quarter`, () => fetchMetric(db.prisma, "sales", repIds, window));
  await paired(`${label}: weekly series per rep, one quarter`, () => fetchMetric(db.prisma, "sales", repIds, window, { series: "perRep" }));

  const bot = createBot({ prisma: db.prisma, now, timeZone, fiscalYearStartMonth: 1, currency: "USD" });
  const request = { platform: "console" as const, userId: `bench.head@${BENCH_EMAIL_DOMAIN}`, text: "/kpi team sales last-quarter" };
  const check = await bot.handle(request);
  if (check.kind !== "answer" || !check.title.includes(BENCH_ORG_TEAM)) throw new Error(`bench request did not answer as expected: ${check.title} ${check.summary}`);
  await paired(`${label}: /kpi team sales last-quarter via handle() (${repIds.length} reps)`, () => bot.handle(request));
  const { breakdownCases } = await import("./breakdowns.ts");
  await breakdownCases(db, label, now, runs, q, emit);
}

function lastQuarter(now: Date): { start: Date; end: Date } {
  const qStartMonth = Math.floor(now.getUTCMonth() / 3) * 3;
  const end = new Date(Date.UTC(now.getUTCFullYear(), qStartMonth, 1));
  const start = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - 3, 1));
  return { start, end };
}
