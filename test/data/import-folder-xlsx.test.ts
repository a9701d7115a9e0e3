// A whole export holding a workbook: a folder with the deals as an .xlsx sheet (date cells, bare
// Excel serials, a blank row) and the reps as CSV imports in one command, in one transaction;
// the figures are recomputed from the values written ("createdAt"/"closedAt" are UTC timestamps). An invalid sheet row is named by its sheet
// row number and nothing is written.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/data/db.ts";

const root = path.resolve(import.meta.dirname, "../..");
const DAY = 86_400_000;

const REPS = ["email,name", "ana@example.com,Ana Souza", "bo@example.com,Bo Li"].join("\n") + "\n";
type Deal = { id: string; owner: string; status: string; created: Date; close: number | null; amount: number | null };
const DEALS: Deal[] = [
  { id: "W-1", owner: "ana@example.com", status: "won", created: new Date(Date.UTC(2024, 11, 2)), close: 45688, amount: 12500 },
  { id: "W-2", owner: "bo@example.com", status: "won", created: new Date(Date.UTC(2025, 0, 5, 9, 30)), close: 45700.75, amount: 0.1 + 0.2 },
  { id: "W-3", owner: "bo@example.com", status: "lost", created: new Date(Date.UTC(2025, 0, 6)), close: 45702, amount: 800 },
  { id: "W-4", owner: "ana@example.com", status: "open", created: new Date(Date.UTC(2025, 1, 11)), close: null, amount: null },
];
/** Days since 1899-12-30 (1900 system, serials after February 1900). */
const closeOf = (serial: number) => new Date(Date.UTC(1899, 11, 30) + Math.round(serial * DAY));

/** The deals on a sheet named "Deals" after a notes sheet; sheet row 3 left blank. */
async function workbook(file: string, rows: Deal[]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet("Notes").addRow(["exported from the CRM"]);
  const ws = wb.addWorksheet("Deals");
  ws.getRow(1).values = ["deal_id", "owner_email", "status", "created_at", "closed_at", "amount", "currency"];
  rows.forEach((r, i) => {
    ws.getRow(i === 0 ? 2 : i + 3).values = [r.id, r.owner, r.status, r.created, r.close ?? undefined, r.amount ?? undefined, "USD"];
  });
  // writeBuffer, not writeFile: exceljs's writeFile can end the file stream before its zip is
  // piped in, so under load a workbook read right after was sometimes cut short.
  await writeFile(file, new Uint8Array(await wb.xlsx.writeBuffer()));
}

describe("npm run import -- <folder with an .xlsx>", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "kpi-import-folder-xlsx-"));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const cli = async (dataDir: string, ...args: string[]) => {
    const env: NodeJS.ProcessEnv = { ...process.env, KPI_DATA_DIR: dataDir, KPI_CURRENCY: "USD", KPI_TIMEZONE: "UTC" };
    delete env.DATABASE_URL;
    return promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/import.ts", ...args], { cwd: root, env }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
  };

  it("imports an .xlsx deals sheet (--sheet) and CSV reps in one command; serial dates read as dates", { timeout: 300_000 }, async () => {
    const folder = path.join(dir, "export");
    await mkdir(folder, { recursive: true });
    // Names sort against dependency order: deals before reps.
    await workbook(path.join(folder, "a-deals.xlsx"), DEALS);
    await writeFile(path.join(folder, "b-reps.csv"), REPS);
    const dataDir = path.join(dir, "data");
    const r = await cli(dataDir, folder, "--sheet", "Deals");
    expect([r.code, r.stderr]).toEqual([0, expect.any(String)]);
    const order = ["import reps from", "import deals from"].map((s) => r.stdout.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect(order[0]!).toBeLessThan(order[1]!);
    expect(r.stdout).toContain("imported: all 2 files committed together");

    const db = await openDatabase({ kind: "pglite", dataDir: path.join(dataDir, "pglite") });
    try {
      const rows = await db.sql.query<{ id: string; owner: string; status: string; amount: string | null; created: string; closed: string | null }>(
        `SELECT d."externalId" AS id, u.email AS owner, d.status, d.amount::text AS amount,
                to_char(d."createdAt", 'YYYY-MM-DD HH24:MI') AS created,
                to_char(d."closedAt", 'YYYY-MM-DD HH24:MI') AS closed
           FROM "Deal" d JOIN "User" u ON u.id = d."ownerId" ORDER BY 1`,
      );
      const fmt = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ");
      expect(rows).toEqual(
        DEALS.map((d) => ({
          id: d.id,
          owner: d.owner,
          status: d.status,
          amount: d.amount === null ? null : String(Math.round(d.amount * 100)),
          created: fmt(d.created),
          closed: d.close === null || d.status === "open" ? null : fmt(closeOf(d.close)),
        })),
      );
    } finally {
      await db.close();
    }
  });

  it("names the sheet row of an invalid row and writes nothing from any file", { timeout: 300_000 }, async () => {
    const folder = path.join(dir, "broken");
    await mkdir(folder, { recursive: true });
    // Sheet rows 2, 4, 5, 6 hold the deals; row 5 names nobody.
    await workbook(path.join(folder, "deals.xlsx"), DEALS.map((d, i) => (i === 2 ? { ...d, owner: "nobody@example.com" } : d)));
    await writeFile(path.join(folder, "reps.csv"), REPS);
    const dataDir = path.join(dir, "data-broken");
    const r = await cli(dataDir, folder, "--sheet", "Deals");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/line 5, column owner_email/);
    const db = await openDatabase({ kind: "pglite", dataDir: path.join(dataDir, "pglite") });
    try {
      for (const table of ["User", "Deal"]) {
        expect((await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}"`))[0]!.n).toBe(0);
      }
    } finally {
      await db.close();
    }
  });
});
