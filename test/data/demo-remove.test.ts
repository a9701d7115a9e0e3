import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { KindName } from "../../src/data/import/importers.ts";
import { importCsv, type ImportOptions } from "../../src/data/import/run.ts";
import { ensureDemoData, seedDemo } from "../../src/data/seed/demo.ts";
import { removeDemo } from "../../src/data/seed/remove.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";

const now = new Date("2026-11-26T15:00:00Z");

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "kpi-demo-remove-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let fileNo = 0;
async function csv(lines: string[]): Promise<string> {
  const file = path.join(dir, `f${++fileNo}.csv`);
  await writeFile(file, lines.join("\n") + "\n");
  return file;
}

/** A small real CRM: one team of its own, one person in the demo's "East" team (same name). */
async function importedFiles() {
  return {
    teams: await csv(["team,parent_team,manager_email", "Imported,,"]),
    reps: await csv([
      "email,name,team,role,manager_email,slack_user_id,teams_user_id,timezone,locale",
      "ann@example.com,Ann Import,Imported,rep,,,,,",
      "erin@example.com,Erin East,East,rep,,,,,",
    ]),
    deals: await csv([
      "deal_id,owner_email,customer,amount,currency,status,created_at,closed_at,campaign_id",
      "X1,ann@example.com,Acme,1000,USD,won,2025-01-02,2025-02-01,",
      "X2,erin@example.com,Globex,250.50,USD,won,2025-01-03,2025-02-03,",
    ]),
  };
}

const count = async (db: TestDatabase, sql: string, params: unknown[] = []) =>
  (await db.sql.query<{ n: number }>(`SELECT (${sql})::int AS n`, params))[0]!.n;

describe.each(backends)("demo removal and import guard on %s", (backend) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await freshDatabase(backend);
  });
  afterEach(async () => {
    await db.dispose();
  });

  const run = (kind: KindName, file: string, options: Partial<ImportOptions> = {}) => importCsv(db, { kind, file, currency: "USD", ...options });

  it("an import into a database holding the demo is refused, then accepted with keepDemo", async () => {
    await seedDemo(db, { now });
    const files = await importedFiles();
    const refused = await run("teams", files.teams);
    expect(refused.outcome).toBe("refused");
    expect(refused.problem).toMatch(/demo CRM \(41 demo people\).*npm run seed -- --remove.*--keep-demo/);
    expect(await count(db, `SELECT count(*) FROM "Team" WHERE name = 'Imported'`)).toBe(0);

    const accepted = await run("teams", files.teams, { keepDemo: true });
    expect(accepted.outcome).toBe("imported");
    expect(await count(db, `SELECT count(*) FROM "Team" WHERE name = 'Imported'`)).toBe(1);
  });

  it("removing the demo deletes exactly its rows, keeps imported ones, and leaves rollups consistent", async () => {
    await seedDemo(db, { now });
    const files = await importedFiles();
    for (const kind of ["teams", "reps", "deals"] as const) expect((await run(kind, files[kind], { keepDemo: true })).problem).toBeNull();

    const removed = await removeDemo(db);
    expect(removed.users).toBe(41);
    expect(removed.deals).toBeGreaterThan(1000);
    expect(removed.activities).toBeGreaterThan(1000);

    expect(await count(db, `SELECT count(*) FROM "User" WHERE email LIKE '%@demo.kpi-bot.dev'`)).toBe(0);
    const users = await db.sql.query<{ email: string; team: string | null }>(
      `SELECT u.email, t.name AS team FROM "User" u LEFT JOIN "Team" t ON t.id = u."teamId" ORDER BY u.email`,
    );
    expect(users).toEqual([
      { email: "ann@example.com", team: "Imported" },
      { email: "erin@example.com", team: "East" },
    ]);
    const deals = await db.sql.query<{ ext: string }>(`SELECT "externalId" AS ext FROM "Deal" ORDER BY 1`);
    expect(deals.map((d) => d.ext)).toEqual(["X1", "X2"]);
    for (const table of ["Activity", "Quota", "Ticket", "Campaign"]) expect(await count(db, `SELECT count(*) FROM "${table}"`)).toBe(0);
    // Demo teams nobody imported are gone; "East" holds an imported person, "Sales" is its parent.
    const teams = await db.sql.query<{ name: string }>(`SELECT name FROM "Team" ORDER BY name`);
    expect(teams.map((t) => t.name)).toEqual(["East", "Imported", "Sales"]);

    // Rollups: nothing left for removed people; the imported wins add up to the raw table.
    for (const table of ["RepDayStat", "RepWeekStat", "RepMonthStat"]) {
      expect(
        await count(
          db,
          `SELECT count(*) FROM "${table}" r WHERE NOT EXISTS (SELECT 1 FROM "User" u WHERE u.id = r."ownerId")
             AND (r."wonAmount" <> 0 OR r."wonCount" <> 0 OR r.activities <> 0)`,
        ),
      ).toBe(0);
    }
    const [sums] = await db.sql.query<{ rolled: string; raw: string }>(
      `SELECT (SELECT coalesce(sum("wonAmount"), 0) FROM "RepDayStat")::text AS rolled,
              (SELECT coalesce(sum(amount), 0) FROM "Deal" WHERE status = 'won')::text AS raw`,
    );
    expect(sums).toEqual({ rolled: "125050", raw: "125050" });

    // Now the database holds no demo: a plain import goes through.
    expect((await run("teams", files.teams)).outcome).toBe("imported");
  });

  it("removing twice is harmless", async () => {
    await seedDemo(db, { now });
    await removeDemo(db);
    const again = await removeDemo(db);
    expect(again.users).toBe(0);
    expect(await count(db, `SELECT count(*) FROM "User"`)).toBe(0);
  });

  it.runIf(backend === "pglite")("start-up loads the demo into a fresh embedded database, but not after removal", async () => {
    expect((await ensureDemoData(db, now)).seeded).toBe(true);
    await removeDemo(db);
    expect(await ensureDemoData(db, now)).toEqual({ seeded: false, reason: "held-data" });
    expect(await count(db, `SELECT count(*) FROM "User"`)).toBe(0);
  });

  it.runIf(backend === "pglite")("start-up does not load the demo into a database that received an import, even once emptied", async () => {
    const files = await importedFiles();
    expect((await run("teams", files.teams)).outcome).toBe("imported");
    await db.sql.query(`DELETE FROM "Team"`);
    expect(await ensureDemoData(db, now)).toEqual({ seeded: false, reason: "held-data" });
    expect(await count(db, `SELECT count(*) FROM "User"`)).toBe(0);
  });

  it.runIf(backend === "pglite")("--remove on a database that never had the demo keeps start-up from loading it", async () => {
    expect((await removeDemo(db)).users).toBe(0);
    expect(await ensureDemoData(db, now)).toEqual({ seeded: false, reason: "held-data" });
  });

  it.runIf(backend === "pglite")("a dry run leaves the database free for the demo", async () => {
    const files = await importedFiles();
    expect((await run("teams", files.teams, { dryRun: true })).outcome).toBe("checked");
    expect((await ensureDemoData(db, now)).seeded).toBe(true);
  });
});
