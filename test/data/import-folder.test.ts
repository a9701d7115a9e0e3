// Whole exports: a folder imported in one command in dependency order, in one transaction;
// pending team managers; date order inferred per column. Expected figures are recomputed here
// from the raw rows the test writes.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planFiles } from "../../src/data/import/folder.ts";
import { importCsv, importFiles } from "../../src/data/import/run.ts";
import { openDatabase } from "../../src/data/db.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";

const root = path.resolve(import.meta.dirname, "../..");

// A Salesforce-style opportunity report: its own headers, stage names and month/day dates.
const OPPS = [
  { id: "006A1", owner: "Ana Souza", account: "Globex", amount: "12,500.00", stage: "Closed Won", created: "12/2/2024", close: "1/13/2025" },
  { id: "006A2", owner: "bo li", account: "Initech", amount: "3,000.00", stage: "Closed Won", created: "1/5/2025", close: "2/3/2025" },
  { id: "006A3", owner: "Bo Li", account: "Umbrella", amount: "700.00", stage: "Closed Lost", created: "1/6/2025", close: "2/4/2025" },
  { id: "006A4", owner: "Cy Ng", account: "Hooli", amount: "4,250.50", stage: "Closed Won", created: "2/1/2025", close: "3/2/2025" },
  { id: "006A5", owner: "Cy Ng", account: "Stark", amount: "", stage: "Prospecting", created: "3/3/2025", close: "" },
];
const OPPS_CSV = ["Opportunity ID,Opportunity Owner,Account Name,Amount,Stage,Created Date,Close Date", ...OPPS.map((o) => `${o.id},${o.owner},${o.account},"${o.amount}",${o.stage},${o.created},${o.close}`)].join("\n");
const OPPS_MAPPING = {
  kind: "deals",
  columns: { deal_id: "Opportunity ID", owner: "Opportunity Owner", customer: "Account Name", amount: "Amount", status: "Stage", created_at: "Created Date", closed_at: "Close Date" },
  status: { won: ["Closed Won"], lost: ["Closed Lost"], open: ["*"] },
  defaults: { currency: "USD" },
};
const REPS = [
  "email,name,team,role,slack_user_id,teams_user_id,timezone,locale",
  "ana@example.com,Ana Souza,West,manager,,,,",
  "bo@example.com,Bo Li,West,rep,,,,",
  "cy@example.com,Cy Ng,East,rep,,,,",
].join("\n");
// Managers by name (same run) and by an email nobody has (pending).
const TEAMS = ["team,parent_team,manager", "Sales,,", "West,Sales,Ana Souza", "East,Sales,dee@example.com"].join("\n");

/** Won sales per owner's name, in cents, from the raw rows. */
function wonByOwner(): Map<string, number> {
  const out = new Map<string, number>();
  for (const o of OPPS) {
    if (o.stage !== "Closed Won") continue;
    const key = o.owner.toLowerCase().replace(/\s+/g, " ");
    out.set(key, (out.get(key) ?? 0) + Math.round(Number(o.amount.replace(/,/g, "")) * 100));
  }
  return out;
}

async function writeExport(dir: string, extra: Record<string, string> = {}): Promise<void> {
  await mkdir(dir, { recursive: true });
  // Names sort against dependency order: deals first, teams last.
  await writeFile(path.join(dir, "a-opportunities.csv"), OPPS_CSV + "\n");
  await writeFile(path.join(dir, "a-opportunities.mapping.json"), JSON.stringify(OPPS_MAPPING));
  await writeFile(path.join(dir, "b-people.csv"), REPS + "\n");
  await writeFile(path.join(dir, "c-org.csv"), TEAMS + "\n");
  await writeFile(path.join(dir, "notes.txt"), "exported by hand\n");
  await writeFile(path.join(dir, "d-unknown.csv"), "foo,bar\n1,2\n");
  for (const [name, text] of Object.entries(extra)) await writeFile(path.join(dir, name), text);
}

type Q = { query<T>(sql: string, params?: unknown[]): Promise<T[]> };

async function wonInDb(sql: Q): Promise<Map<string, number>> {
  const rows = await sql.query<{ name: string; won: string }>(
    `SELECT lower(u.name) AS name, sum(d.amount)::text AS won FROM "Deal" d JOIN "User" u ON u.id = d."ownerId" WHERE d.status = 'won' GROUP BY 1`,
  );
  return new Map(rows.map((r) => [r.name, Number(r.won)]));
}

describe("npm run import -- <folder>", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "kpi-import-folder-"));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("imports a scrambled export in dependency order in one command: cross-file lookups, stage names, inferred dates, skipped files", async () => {
    const folder = path.join(dir, "export");
    await writeExport(folder);
    const dataDir = path.join(dir, "data");
    const env: NodeJS.ProcessEnv = { ...process.env, KPI_DATA_DIR: dataDir, KPI_CURRENCY: "USD", KPI_TIMEZONE: "UTC" };
    delete env.DATABASE_URL;
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/import.ts", folder], { cwd: root, env });
    // teams before reps before deals, whatever the file names say
    const order = ["import teams from", "import reps from", "import deals from"].map((s) => stdout.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(stdout).toContain("notes.txt: not a .csv or .xlsx file");
    expect(stdout).toContain("d-unknown.csv: its header fits no import kind");
    expect(stdout).toMatch(/dates in closed_at: month\/day \(line 2: "1\/13\/2025"\)/);
    expect(stdout).toContain("East: dee@example.com");
    expect(stdout).toContain("imported: all 3 files committed together");

    const db = await openDatabase({ kind: "pglite", dataDir: path.join(dataDir, "pglite") });
    try {
      expect(await wonInDb(db.sql)).toEqual(wonByOwner());
      const teams = await db.sql.query<{ name: string; manager: string | null; pending: string | null }>(
        `SELECT t.name, m.email AS manager, t."pendingManager" AS pending FROM "Team" t LEFT JOIN "User" m ON m.id = t."managerId" ORDER BY t.name`,
      );
      expect(teams).toEqual([
        { name: "East", manager: null, pending: "dee@example.com" },
        { name: "Sales", manager: null, pending: null },
        { name: "West", manager: "ana@example.com", pending: null },
      ]);
      const [open] = await db.sql.query<{ stage: string; amount: string | null }>(`SELECT stage, amount FROM "Deal" WHERE "externalId" = '006A5'`);
      expect(open).toEqual({ stage: "Prospecting", amount: null });
    } finally {
      await db.close();
    }
  }, 180_000);
});

describe.each(backends)("whole exports on %s", (backend) => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await freshDatabase(backend);
    dir = await mkdtemp(path.join(os.tmpdir(), "kpi-import-folder-db-"));
  });
  afterAll(async () => {
    await db.dispose();
    await rm(dir, { recursive: true, force: true });
  });
  const count = async (table: string) => Number((await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}"`))[0]!.n);

  it("a failure in the last file leaves nothing from the first", async () => {
    const folder = path.join(dir, "broken");
    // quotas run last; its one row names nobody
    await writeExport(folder, { "0-quotas.csv": "owner_email,period_start,period_end,amount\nnobody@example.com,2025-01-01,2025-03-31,100\n" });
    const planned = await planFiles([folder]);
    if (!planned.ok) throw new Error(planned.error);
    expect(planned.value.files.map((f) => f.kind).sort()).toEqual(["deals", "quotas", "reps", "teams"]);
    const run = await importFiles(db, planned.value.files, { currency: "USD" }, planned.value.skipped);
    expect(run.outcome).toBe("aborted");
    expect(run.files.map((f) => f.kind)).toEqual(["teams", "reps", "deals", "quotas"]);
    expect(run.files.at(-1)!.errors[0]).toMatchObject({ line: 2, column: "owner_email" });
    expect(run.files[0]!.problem).toContain("0-quotas.csv has invalid rows");
    for (const table of ["Team", "User", "Deal", "Quota"]) expect(await count(table)).toBe(0);

    // The same set without the bad file commits, and the sums match the raw rows.
    const good = planned.value.files.filter((f) => f.kind !== "quotas");
    const ok = await importFiles(db, good, { currency: "USD" });
    expect(ok.outcome).toBe("imported");
    expect(await wonInDb(db.sql)).toEqual(wonByOwner());
    expect(ok.pendingManagers).toEqual([{ team: "East", manager: "dee@example.com" }]);
  });

  it("sets a pending manager when a later import brings the person", async () => {
    const teams = path.join(dir, "teams-later.csv");
    await writeFile(teams, "team,parent_team,manager_email\nNorth,,Eve Park\n");
    const r = await importCsv(db, { kind: "teams", file: teams, currency: "USD" });
    expect(r.outcome).toBe("imported");
    expect(r.warnings.join("\n")).toContain('team North: manager "Eve Park" is nobody yet');
    const manager = async () =>
      (await db.sql.query<{ manager: string | null; pending: string | null }>(
        `SELECT m.email AS manager, t."pendingManager" AS pending FROM "Team" t LEFT JOIN "User" m ON m.id = t."managerId" WHERE t.name = 'North'`,
      ))[0];
    expect(await manager()).toEqual({ manager: null, pending: "Eve Park" });
    const reps = path.join(dir, "reps-later.csv");
    await writeFile(reps, "email,name,team,role,slack_user_id,teams_user_id,timezone,locale\neve@example.com,eve  PARK,,manager,,,,\ndee@example.com,Dee,,manager,,,,\n");
    expect((await importCsv(db, { kind: "reps", file: reps, currency: "USD" })).outcome).toBe("imported");
    expect(await manager()).toEqual({ manager: "eve@example.com", pending: null });
    // East (from the previous test) waited for dee@example.com
    const [east] = await db.sql.query<{ manager: string | null }>(`SELECT m.email AS manager FROM "Team" t LEFT JOIN "User" m ON m.id = t."managerId" WHERE t.name = 'East'`);
    expect(east).toEqual({ manager: "dee@example.com" });
  });

  it("infers day/month per column from a date later in the file, and says so", async () => {
    const file = path.join(dir, "dmy.csv");
    // created_at: ambiguous first, proved day-first by line 4; closed_at: only ambiguous dates,
    // so it follows the file's proven column.
    await writeFile(file, ["deal_id,owner_email,status,created_at,closed_at,amount", "X1,ana@example.com,won,03/04/2025,05/06/2025,10", "X2,ana@example.com,won,02/01/2025,04/02/2025,20", "X3,ana@example.com,won,13/01/2025,01/02/2025,30"].join("\n") + "\n");
    const r = await importCsv(db, { kind: "deals", file, currency: "USD" });
    expect(r.outcome).toBe("imported");
    expect(r.dateOrders).toEqual({ created_at: 'day/month (line 4: "13/01/2025")', closed_at: 'day/month (line 4 of created_at: "13/01/2025")' });
    const rows = await db.sql.query<{ id: string; created: string; closed: string }>(
      `SELECT "externalId" AS id, to_char("createdAt", 'YYYY-MM-DD') AS created, to_char("closedAt", 'YYYY-MM-DD') AS closed FROM "Deal" WHERE "externalId" LIKE 'X%' ORDER BY 1`,
    );
    // day/month read by hand
    expect(rows).toEqual([
      { id: "X1", created: "2025-04-03", closed: "2025-06-05" },
      { id: "X2", created: "2025-01-02", closed: "2025-02-04" },
      { id: "X3", created: "2025-01-13", closed: "2025-02-01" },
    ]);
  });

  it("still refuses a file whose dates never decide, and one column contradicting its proof", async () => {
    const file = path.join(dir, "ambiguous.csv");
    await writeFile(file, ["deal_id,owner_email,status,created_at,closed_at,amount", "Y1,ana@example.com,open,03/04/2025,,"].join("\n") + "\n");
    const r = await importCsv(db, { kind: "deals", file, currency: "USD" });
    expect(r.outcome).toBe("aborted");
    expect(r.errors[0]!.message).toContain("pass --date-order");
    expect(r.dateOrders).toEqual({});
    const given = await importCsv(db, { kind: "deals", file, currency: "USD", dateOrder: "mdy", dryRun: true });
    expect([given.outcome, given.dateOrders]).toEqual(["checked", { created_at: "month/day (--date-order)", closed_at: "month/day (--date-order)" }]);

    const mixed = path.join(dir, "mixed.csv");
    await writeFile(mixed, ["deal_id,owner_email,status,created_at,amount", "Z1,ana@example.com,open,13/01/2025,", "Z2,ana@example.com,open,01/13/2025,"].join("\n") + "\n");
    const m = await importCsv(db, { kind: "deals", file: mixed, currency: "USD" });
    expect(m.errors).toEqual([
      { line: 3, column: "created_at", message: '"01/13/2025" only reads as month/day, but other dates in this column read as day/month (e.g. "13/01/2025"); use YYYY-MM-DD' },
    ]);
  });

  it("imports a roster without emails: people known by name, ranked by their deals, linked when a later file gives the email", async () => {
    const roster = path.join(dir, "roster.csv");
    // Kaggle-style: agents and their manager by name only; the manager is no row of their own.
    await writeFile(roster, "name,team,manager\nGus Hale,Central,Mia Chen\nIda Voss,Central,Mia Chen\n");
    const r = await importCsv(db, { kind: "reps", file: roster, currency: "USD" });
    expect([r.outcome, r.written.inserted]).toEqual(["imported", 2]);
    const people = () =>
      db.sql.query<{ id: number; email: string; name: string; manager: string | null }>(
        `SELECT u.id, u.email, u.name, m.name AS manager FROM "User" u LEFT JOIN "User" m ON m.id = u."managerId" WHERE lower(u.name) IN ('gus hale', 'ida voss', 'mia chen') ORDER BY lower(u.name)`,
      );
    const before = await people();
    expect(before.map(({ email, name, manager }) => ({ email, name, manager }))).toEqual([
      { email: "name:gus hale", name: "Gus Hale", manager: "Mia Chen" },
      { email: "name:ida voss", name: "Ida Voss", manager: "Mia Chen" },
      { email: "name:mia chen", name: "Mia Chen", manager: null },
    ]);
    // Central's reps all report to Mia Chen: she is its manager.
    const [central] = await db.sql.query<{ manager: string }>(`SELECT m.name AS manager FROM "Team" t JOIN "User" m ON m.id = t."managerId" WHERE t.name = 'Central'`);
    expect(central).toEqual({ manager: "Mia Chen" });
    const deals = path.join(dir, "gus-deals.csv");
    await writeFile(deals, "deal_id,owner,status,created_at,closed_at,amount\nG1,gus  hale,won,2025-01-01,2025-01-05,100\nG2,Gus Hale,won,2025-01-02,2025-01-06,250\n");
    expect((await importCsv(db, { kind: "deals", file: deals, currency: "USD" })).outcome).toBe("imported");
    const emails = path.join(dir, "roster-emails.csv");
    await writeFile(emails, "email,name\ngus@example.com,GUS HALE\n");
    expect((await importCsv(db, { kind: "reps", file: emails, currency: "USD" })).outcome).toBe("imported");
    const after = await people();
    const gus = after.find((p) => p.name.toLowerCase() === "gus hale")!;
    expect([gus.id, gus.email]).toEqual([before[0]!.id, "gus@example.com"]);
    const [sum] = await db.sql.query<{ won: string }>(`SELECT sum(amount)::text AS won FROM "Deal" WHERE "ownerId" = $1 AND status = 'won'`, [gus.id]);
    expect(Number(sum!.won)).toBe((100 + 250) * 100);
  });
});
