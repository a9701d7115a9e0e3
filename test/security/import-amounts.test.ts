// Issue 12, item 2: huge amounts must not break the database. Amounts beyond the documented
// bound are rejected per row; a rollup sum that still does not fit (rows written around the
// import) stays pending instead of wedging every later import and fold.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_MINOR } from "../../src/data/import/amounts.ts";
import type { KindName } from "../../src/data/import/importers.ts";
import { formatReport, formatRowError } from "../../src/data/import/report.ts";
import { importCsv } from "../../src/data/import/run.ts";
import { openDatabase } from "../../src/data/db.ts";
import { foldRollups } from "../../src/data/rollups.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";

const fixtures = path.resolve(import.meta.dirname, "../fixtures/import");
const DEAL_HEADER = "deal_id,owner_email,customer,amount,currency,status,created_at,closed_at,campaign_id";
const INT8_MAX = 9_223_372_036_854_775_807n;

describe.each(backends)("huge amounts on %s", (backend) => {
  let db: TestDatabase;
  let dir: string;
  let n = 0;
  const csv = async (lines: string[]) => {
    const file = path.join(dir, `f${++n}.csv`);
    await writeFile(file, lines.join("\n") + "\n");
    return file;
  };
  const run = (kind: KindName, file: string) => importCsv(db, { kind, file, currency: "USD" });
  const count = async (sql: string) => Number((await db.sql.query<{ n: string }>(sql))[0]!.n);
  /** Won amount of alice per the raw deals and per the rollups plus pending deltas (exact numeric). */
  const aliceSums = async () =>
    (
      await db.sql.query<{ raw: string; rolled: string }>(
        `SELECT (SELECT coalesce(sum(amount), 0)::text FROM "Deal" WHERE status = 'won' AND "ownerId" = u.id) AS raw,
                ((SELECT coalesce(sum("wonAmount"), 0) FROM "RepMonthStat" WHERE "ownerId" = u.id)
                 + (SELECT coalesce(sum("wonAmount"), 0) FROM "RollupDelta" WHERE "ownerId" = u.id))::text AS rolled
         FROM "User" u WHERE u.email = 'alice@example.com'`,
      )
    )[0]!;

  beforeAll(async () => {
    db = await freshDatabase(backend);
    dir = await mkdtemp(path.join(os.tmpdir(), "kpi-sec-amounts-"));
    for (const [kind, file] of [["teams", "teams.csv"], ["reps", "reps.csv"]] as const) {
      expect((await run(kind, path.join(fixtures, file))).outcome).toBe("imported");
    }
  });

  afterAll(async () => {
    await db?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("rejects amounts above 10^12 hundredths with line and column, and writes nothing", async () => {
    const file = await csv([
      DEAL_HEADER,
      "H1,alice@example.com,Acme,50000000000000000.00,USD,won,2025-01-02,2025-02-01,",
      "H2,alice@example.com,Acme,50000000000000000.00,USD,won,2025-01-02,2025-02-01,",
      "H3,bob@example.com,Acme,92233720368547758.07,USD,won,2025-01-02,2025-02-01,",
      "H4,bob@example.com,Acme,10000000000.01,USD,won,2025-01-02,2025-02-01,",
    ]);
    const r = await run("deals", file);
    expect(r.outcome).toBe("aborted");
    expect(r.errors.map(formatRowError)).toEqual([
      'line 2, column amount: "50000000000000000.00" is above the largest amount accepted, 10,000,000,000.00',
      'line 3, column amount: "50000000000000000.00" is above the largest amount accepted, 10,000,000,000.00',
      'line 4, column amount: "92233720368547758.07" is above the largest amount accepted, 10,000,000,000.00',
      'line 5, column amount: "10000000000.01" is above the largest amount accepted, 10,000,000,000.00',
    ]);
    expect(r.rejectedByReason).toEqual({ "amount: amount out of range": 4 });
    expect(await count(`SELECT count(*) AS n FROM "Deal"`)).toBe(0);
  });

  it("accepts the bound itself, and bounds quotas, campaign money and counts the same way", async () => {
    const ok = await run("deals", await csv([DEAL_HEADER, "B1,alice@example.com,Acme,10000000000.00,USD,won,2025-01-02,2025-02-01,"]));
    expect(ok.outcome).toBe("imported");
    expect((await db.prisma.deal.findUniqueOrThrow({ where: { externalId: "B1" } })).amount).toBe(MAX_MINOR);

    const quota = await run("quotas", await csv(["owner_email,period_start,period_end,amount", "alice@example.com,2025-01-01,2025-03-31,1e20", "alice@example.com,2025-04-01,2025-06-30,20000000000"]));
    expect(quota.errors.map(formatRowError)).toEqual([
      'line 2, column amount: "1e20" is not an amount',
      'line 3, column amount: "20000000000" is above the largest amount accepted, 10,000,000,000.00',
    ]);
    const campaigns = await run(
      "campaigns",
      await csv([
        "campaign_id,name,channel,start_date,end_date,spend,leads,conversions,revenue",
        "C9,Big,web,2025-01-01,,99999999999999,2000000000,1,5",
        "C8,Big,web,2025-01-01,,5,10,1,10000000000.01",
      ]),
    );
    expect(campaigns.errors.map(formatRowError)).toEqual([
      'line 2, column spend: "99999999999999" is above the largest amount accepted, 10,000,000,000.00',
      'line 2, column leads: "2000000000" is above the largest count accepted, 1,000,000,000',
      'line 3, column revenue: "10000000000.01" is above the largest amount accepted, 10,000,000,000.00',
    ]);
    await db.sql.query(`DELETE FROM "Deal"`);
    await foldRollups(db.sql);
  });

  it("a rollup sum beyond BIGINT (a deal written around the import) neither wedges later imports nor folds, and the figures stay exact", async () => {
    // What the old import accepted: one deal at BIGINT's maximum, folded into alice's February.
    await db.sql.query(
      `INSERT INTO "Deal" ("externalId", "ownerId", customer, amount, currency, status, "createdAt", "closedAt")
       SELECT 'POISON', id, 'x', $1::bigint, 'USD', 'won', '2025-01-02', '2025-02-01 10:00' FROM "User" WHERE email = 'alice@example.com'`,
      [INT8_MAX.toString()],
    );
    expect(await foldRollups(db.sql)).toBe(1);

    // Another February deal of alice: her week and month no longer fit. The import commits,
    // says so, and its delta stays pending.
    const more = await run("deals", await csv([DEAL_HEADER, "P1,alice@example.com,Acme,100.00,USD,won,2025-01-02,2025-02-03,"]));
    expect(more.outcome).toBe("imported");
    expect(more.written).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    expect(formatReport(more)).toContain("imported: 1 (1 inserted, 0 updated, 0 unchanged)");
    expect(await count(`SELECT count(*) AS n FROM "Deal" WHERE "externalId" = 'P1'`)).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM "RollupDelta"`)).toBe(1);

    // Later imports of anyone (5,001 deltas: more than one fold batch behind the stuck one) fold.
    const rows = Array.from({ length: 5001 }, (_, i) => `Q${i},bob@example.com,Acme,1.00,USD,won,2019-01-02,${new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10)},`);
    const later = await run("deals", await csv([DEAL_HEADER, ...rows]));
    expect(later.outcome).toBe("imported");
    expect(later.warnings).toEqual([]);
    expect(await count(`SELECT count(*) AS n FROM "RollupDelta"`)).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM "RepDayStat" d JOIN "User" u ON u.id = d."ownerId" WHERE u.email = 'bob@example.com'`)).toBe(5001);

    // Readers add what is pending: rollups + pending = the raw sum, exactly.
    const sums = await aliceSums();
    expect(sums.rolled).toBe(sums.raw);
    expect(BigInt(sums.raw)).toBe(INT8_MAX + 10_000n);

    // A rebuild no longer fails the same way; what does not fit stays pending.
    await db.sql.query(`SELECT kpi_rollup_rebuild()`);
    const rebuilt = await aliceSums();
    expect(rebuilt.rolled).toBe(rebuilt.raw);
    expect(await count(`SELECT count(*) AS n FROM "RollupDelta" d JOIN "User" u ON u.id = d."ownerId" WHERE u.email = 'bob@example.com'`)).toBe(0);

    // Once the offending row is gone, the pending delta folds.
    await db.sql.query(`DELETE FROM "Deal" WHERE "externalId" = 'POISON'`);
    await foldRollups(db.sql);
    expect(await count(`SELECT count(*) AS n FROM "RollupDelta"`)).toBe(0);
    const after = await aliceSums();
    expect([after.raw, after.rolled]).toEqual(["10000", "10000"]);
  });
});

describe("npm run import with huge amounts (exit code = what was written)", () => {
  const root = path.resolve(import.meta.dirname, "../..");
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "kpi-sec-cli-"));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const env: NodeJS.ProcessEnv = { ...process.env, KPI_DATA_DIR: path.join(dir, "data") };
    delete env.DATABASE_URL;
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/import.ts", ...args], { cwd: root, env });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  }
  async function withDb<T>(f: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
    const db = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "data", "pglite") });
    try {
      return await f(db);
    } finally {
      await db.close();
    }
  }

  it("exits 1 naming line and column for amounts beyond the bound, and 0 with the rows written when only the rollups cannot take them", async () => {
    expect((await cli("teams", path.join(fixtures, "teams.csv"))).code).toBe(0);
    expect((await cli("reps", path.join(fixtures, "reps.csv"))).code).toBe(0);

    const huge = path.join(dir, "huge.csv");
    await writeFile(huge, `${DEAL_HEADER}\nH1,alice@example.com,Acme,50000000000000000.00,USD,won,2025-01-02,2025-02-01,\nH2,alice@example.com,Acme,50000000000000000.00,USD,won,2025-01-02,2025-02-01,\n`);
    const refused = await cli("deals", huge);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('line 2, column amount: "50000000000000000.00" is above the largest amount accepted, 10,000,000,000.00');
    expect(refused.stderr).toContain('line 3, column amount: "50000000000000000.00" is above the largest amount accepted');
    expect(refused.stderr).toContain("aborted: 2 invalid rows; nothing was written");
    expect(refused.stderr).not.toContain("bigint out of range");

    // A deal at BIGINT's maximum written around the import (what the old import let in).
    await withDb(async (db) => {
      await db.sql.query(
        `INSERT INTO "Deal" ("externalId", "ownerId", customer, amount, currency, status, "createdAt", "closedAt")
         SELECT 'POISON', id, 'x', $1::bigint, 'USD', 'won', '2025-01-02', '2025-02-01 10:00' FROM "User" WHERE email = 'alice@example.com'`,
        [INT8_MAX.toString()],
      );
      await foldRollups(db.sql);
    });
    const next = path.join(dir, "next.csv");
    await writeFile(next, `${DEAL_HEADER}\nP1,alice@example.com,Acme,100.00,USD,won,2025-01-02,2025-02-03,\nP2,bob@example.com,Acme,100.00,USD,won,2025-01-02,2025-02-03,\n`);
    const ok = await cli("deals", next);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("imported: 2 (2 inserted, 0 updated, 0 unchanged)");
    await withDb(async (db) => {
      const rows = await db.sql.query<{ id: string }>(`SELECT "externalId" AS id FROM "Deal" WHERE "externalId" IN ('P1', 'P2') ORDER BY 1`);
      expect(rows.map((r) => r.id)).toEqual(["P1", "P2"]);
      // Only alice's February delta is left pending; bob's folded.
      const pending = await db.sql.query<{ email: string }>(`SELECT u.email FROM "RollupDelta" d JOIN "User" u ON u.id = d."ownerId"`);
      expect(pending.map((p) => p.email)).toEqual(["alice@example.com"]);
    });
    // Five processes each opening the embedded database: slow on a loaded machine.
  }, 240_000);
});
