// XLSX workbooks import like CSV: written here with exceljs (date cells and date serials, money
// as numbers, rich text and formulas, a second sheet, the 1904 date system), imported through a
// mapping, and checked against figures recomputed from the values written; sheet choice, sheet
// row numbers in errors; the command line's exit codes.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DateReader } from "../../src/data/import/dates.ts";
import { importers, KIND_NAMES, type KindName } from "../../src/data/import/importers.ts";
import { readMapping } from "../../src/data/import/mapping.ts";
import { formatRowError } from "../../src/data/import/report.ts";
import { importCsv, type ImportOptions } from "../../src/data/import/run.ts";
import { cellText, plainDecimal, serialToIso } from "../../src/data/import/sources/excel-values.ts";
import { DATE_FIELDS, openRows } from "../../src/data/import/sources/index.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";

const root = path.resolve(import.meta.dirname, "../..");
const DAY = 86_400_000;

describe("Excel cell values", () => {
  // Microsoft: "January 1, 2008 is serial number 39448" (1900 system); the 1904 system counts
  // 1,462 days fewer. Serial 60 is Lotus 1-2-3's phantom 1900-02-29.
  it.each([
    [1, false, "1900-01-01"],
    [59, false, "1900-02-28"],
    [60, false, "1900-02-29"],
    [61, false, "1900-03-01"],
    [39448, false, "2008-01-01"],
    [39448.5, false, "2008-01-01 12:00:00"],
    [39448 + 10 / 24 + 15 / 1440, false, "2008-01-01 10:15:00"],
    [39448 + 0.25 / 86400, false, "2008-01-01 00:00:00.250"],
    [37986, true, "2008-01-01"],
    [0, true, "1904-01-01"],
  ] as const)("serial %d (1904: %s) is %s", (serial, date1904, iso) => {
    expect(serialToIso(serial, date1904)).toBe(iso);
  });

  it("has no date before serial 1 (a time alone, a negative number)", () => {
    expect(serialToIso(0.5)).toBeNull();
    expect(serialToIso(-3)).toBeNull();
    expect(cellText(0.5, true, false)).toBe("0.5");
  });

  it.each([
    [0.1 + 0.2, "0.3"],
    [1234.56, "1234.56"],
    [1e21, "1000000000000000000000"],
    [1.5e-7, "0.00000015"],
    [-0.000001, "-0.000001"],
    [10_000_000_000, "10000000000"],
    [123456789012.345, "123456789012.345"],
    [-0, "0"],
  ])("writes %d as %s", (n, text) => {
    expect(plainDecimal(n)).toBe(text);
  });

  it("reads rich text, formula results, errors and booleans as text", () => {
    expect(cellText({ richText: [{ text: "Ana " }, { text: "Souza" }] }, false, false)).toBe("Ana Souza");
    expect(cellText({ formula: "A1*2", result: 2469.12 }, false, false)).toBe("2469.12");
    expect(cellText({ formula: "A1", result: 39448 }, true, false)).toBe("2008-01-01");
    expect(cellText({ error: "#N/A" }, false, false)).toBe("#N/A");
    expect(cellText(true, false, false)).toBe("true");
    expect(cellText(null, false, false)).toBe("");
  });

  it("lists exactly the fields whose schema reads dates", () => {
    const context = { format: { decimalComma: false }, currency: "USD", dates: new DateReader({ timeZone: "UTC" }) };
    for (const name of KIND_NAMES) {
      const kind = importers[name].kind;
      const fields = [...kind.required, ...kind.optional];
      const dated = fields.filter((field) => {
        const record = Object.fromEntries(fields.map((f) => [f, f === field ? "sometime" : ""]));
        const r = kind.schema(context).safeParse(record);
        return !r.success && r.error.issues.some((i) => i.path[0] === field && i.code === "custom" && i.params?.reason === "invalid date");
      });
      expect([name, dated.sort()]).toEqual([name, [...DATE_FIELDS[name]].sort()]);
    }
  });
});

const REPS = [
  ["email", "name", "team", "role", "slack_user_id", "teams_user_id", "timezone", "locale"],
  ["ana.souza@example.com", "Ana Souza", "", "", "", "", "", ""],
  ["ben.okafor@example.com", "Ben Okafor", "", "", "", "", "", ""],
];

// A pipeline export as a spreadsheet holds it: created dates as date cells, close dates as bare
// serial numbers (a column pasted as values), amounts as numbers (one float-noisy, one a
// formula), an owner in rich text, a blank row in the middle.
type DealRow = { id: string; owner: string; amount: number | { formula: string; result: number } | null; stage: string; created: Date; close: number | null; currency: string };
const DEALS: DealRow[] = [
  { id: "X-1", owner: "Ana Souza", amount: 12500, stage: "Closed Won", created: new Date(Date.UTC(2024, 11, 2)), close: 45688, currency: "USD" },
  { id: "X-2", owner: "ben.okafor@example.com", amount: 0.1 + 0.2, stage: "Closed Won", created: new Date(Date.UTC(2025, 0, 5, 9, 30)), close: 45700.75, currency: "USD" },
  { id: "X-3", owner: "Ben Okafor", amount: { formula: "1000+234.56", result: 1234.56 }, stage: "Closed Won", created: new Date(Date.UTC(2025, 0, 20)), close: 45719, currency: "EUR" },
  { id: "X-4", owner: "Ana Souza", amount: 8000, stage: "Closed Lost", created: new Date(Date.UTC(2025, 0, 6)), close: 45702, currency: "USD" },
  { id: "X-5", owner: "Ana Souza", amount: null, stage: "Prospecting", created: new Date(Date.UTC(2025, 1, 11)), close: null, currency: "USD" },
  { id: "X-6", owner: "Ben Okafor", amount: 99999.99, stage: "Closed Won", created: new Date(Date.UTC(2025, 1, 1)), close: 45720, currency: "USD" },
];
const HEADER = ["Opportunity ID", "Opportunity Owner", "Account Name", "Amount", "Stage", "Created Date", "Close Date", "Currency"];
const MAPPING = {
  kind: "deals",
  columns: { deal_id: "Opportunity ID", owner: "Opportunity Owner", customer: "Account Name", amount: "Amount", status: "Stage", created_at: "Created Date", closed_at: "Close Date", currency: "Currency" },
  status: { won: ["Closed Won"], lost: ["Closed Lost"], open: ["*"] },
};
const amountOf = (r: DealRow) => (r.amount === null ? null : typeof r.amount === "number" ? r.amount : r.amount.result);
/** The classic 1900-system formula for serials after February 1900: days since 1899-12-30. */
const closeOf = (serial: number, date1904 = false) => new Date((date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30)) + Math.round(serial * DAY));
const statusOf = (stage: string) => (stage === "Closed Won" ? "won" : stage === "Closed Lost" ? "lost" : "open");
const emailOf = (owner: string) => (owner.includes("@") ? owner : `${owner.toLowerCase().replace(" ", ".")}@example.com`);

/** A workbook with the deals on its first sheet (row 3 left blank) and the team on a second. */
async function workbook(file: string, options: { date1904?: boolean; rows?: DealRow[]; extra?: unknown[][] } = {}): Promise<void> {
  const wb = new ExcelJS.Workbook();
  if (options.date1904) wb.properties.date1904 = true;
  const deals = wb.addWorksheet("Pipeline");
  deals.getRow(1).values = HEADER;
  const rows = options.rows ?? DEALS;
  rows.forEach((r, i) => {
    const owner = r.owner.includes(" ") ? { richText: [{ text: r.owner.split(" ")[0]! + " " }, { text: r.owner.split(" ")[1]! }] } : r.owner;
    // Row 3 stays empty, so data rows are sheet rows 2, 4, 5, …
    const row = deals.getRow(i === 0 ? 2 : i + 3);
    row.values = [r.id, owner, `${r.id} account`, r.amount ?? undefined, r.stage, r.created, r.close ?? undefined, r.currency];
    row.getCell(6).numFmt = i % 2 === 0 ? "yyyy-mm-dd" : "dd/mm/yyyy hh:mm";
  });
  for (const extra of options.extra ?? []) deals.addRow(extra);
  const team = wb.addWorksheet("Team");
  for (const r of REPS) team.addRow(r);
  // writeBuffer, not writeFile: exceljs's writeFile can end the file stream before its zip is
  // piped in, so under load a workbook read right after was sometimes cut short.
  await writeFile(file, new Uint8Array(await wb.xlsx.writeBuffer()));
}

describe.each(backends)("XLSX import on %s", (backend) => {
  let db: TestDatabase;
  let dir: string;
  let book: string;
  let n = 0;
  const run = (kind: KindName, file: string, options: Partial<ImportOptions> = {}) => importCsv(db, { kind, file, currency: "USD", ...options });
  async function mapping() {
    const file = path.join(dir, `m${++n}.json`);
    await writeFile(file, JSON.stringify(MAPPING));
    const m = await readMapping(file);
    if (!m.ok) throw new Error(m.error);
    return m.value;
  }

  beforeAll(async () => {
    db = await freshDatabase(backend);
    dir = await mkdtemp(path.join(os.tmpdir(), "kpi-xlsx-"));
    book = path.join(dir, "pipeline.xlsx");
    await workbook(book);
  });

  afterAll(async () => {
    await db?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("imports the second sheet by name, and refuses a sheet the workbook lacks, naming its sheets", async () => {
    const missing = await run("reps", book, { sheet: "Reps" });
    expect(missing.outcome).toBe("refused");
    expect(missing.problem).toBe(`${book} has no sheet named "Reps"; its sheets are "Pipeline", "Team" (choose one with --sheet NAME)`);
    // Since reps need only a name (imp), the sheet of deals lacks just that column.
    const wrongSheet = await run("reps", book);
    expect(wrongSheet.outcome).toBe("refused");
    expect(wrongSheet.problem).toContain("not a reps file: missing required column name");
    const r = await run("reps", book, { sheet: "team" });
    expect([r.outcome, r.errors]).toEqual(["imported", []]);
    expect(r.written.inserted).toBe(REPS.length - 1);
  });

  it("imports the first sheet through a mapping: amounts, date cells and serials as recomputed from the values written", async () => {
    const r = await run("deals", book, { mapping: await mapping() });
    expect([r.outcome, r.errors]).toEqual(["imported", []]);
    expect(r.written).toEqual({ inserted: DEALS.length, updated: 0, unchanged: 0 });
    expect(r.blankRows).toBe(0);

    const won: Record<string, number> = {};
    for (const d of DEALS) {
      if (statusOf(d.stage) !== "won") continue;
      const key = `${emailOf(d.owner)} ${d.currency}`;
      won[key] = (won[key] ?? 0) + Math.round(amountOf(d)! * 100);
    }
    const rows = await db.sql.query<{ email: string; currency: string; total: string }>(
      `SELECT u.email, d.currency, sum(d.amount)::text AS total FROM "Deal" d JOIN "User" u ON u.id = d."ownerId"
       WHERE d.status = 'won' AND d."externalId" = ANY($1::text[]) GROUP BY 1, 2`,
      [DEALS.map((d) => d.id)],
    );
    expect(Object.fromEntries(rows.map((x) => [`${x.email} ${x.currency.trim()}`, Number(x.total)]))).toEqual(won);

    for (const d of DEALS) {
      const stored = await db.prisma.deal.findUnique({ where: { externalId: d.id } });
      expect(stored, d.id).toMatchObject({ status: statusOf(d.stage), createdAt: d.created, closedAt: d.close === null ? null : closeOf(d.close), amount: amountOf(d) === null ? null : BigInt(Math.round(amountOf(d)! * 100)) });
    }
    // The same workbook again writes nothing.
    const again = await run("deals", book, { mapping: await mapping() });
    expect(again.written).toEqual({ inserted: 0, updated: 0, unchanged: DEALS.length });
  });

  it("reads dates of a 1904 workbook (cells and serials) in its own calendar", async () => {
    const file = path.join(dir, "mac.xlsx");
    const rows = DEALS.slice(0, 2).map((d) => ({ ...d, id: `M${d.id}`, close: d.close! - 1462 }));
    await workbook(file, { date1904: true, rows });
    const r = await run("deals", file, { mapping: await mapping() });
    expect([r.outcome, r.errors]).toEqual(["imported", []]);
    for (const d of rows) {
      const stored = await db.prisma.deal.findUnique({ where: { externalId: d.id } });
      expect(stored, d.id).toMatchObject({ createdAt: d.created, closedAt: closeOf(d.close, true) });
      expect(closeOf(d.close, true).getTime()).toBe(closeOf(d.close + 1462).getTime());
    }
  });

  it("names sheet rows in errors and writes nothing from a sheet with an invalid row", async () => {
    const file = path.join(dir, "bad.xlsx");
    const rows = DEALS.map((d) => ({ ...d, id: `B${d.id}` }));
    // Sheet rows 2, 4–8 hold the deals; row 9 a won deal closed before it was created.
    await workbook(file, { rows, extra: [["B-bad", "Ana Souza", "x", 10, "Closed Won", new Date(Date.UTC(2025, 5, 1)), 45000, "USD"]] });
    const r = await run("deals", file, { mapping: await mapping() });
    expect(r.outcome).toBe("aborted");
    expect(r.errors.map(formatRowError)).toEqual([`line 9, column closed_at ("Close Date"): 2023-03-15 00:00 UTC is before created_at 2025-06-01 00:00 UTC`]);
    expect(await db.prisma.deal.count({ where: { externalId: { startsWith: "B" } } })).toBe(0);
  });

  it("gives --guess the first sheet's header", async () => {
    const opened = await openRows(book);
    if (!opened.ok) throw new Error(opened.error);
    opened.value.close();
    expect(opened.value.header).toEqual(HEADER);
  });
});

describe("a workbook that stores xl/workbook.xml last, as exceljs writes it", () => {
  it("opens every time, ten at once: a missing sheet is named as missing, a later sheet reads whole", async () => {
    // exceljs's one-pass reader met the parts in stored order and, under concurrency, lost the
    // last one (exceljs#3064): "Cannot read properties of undefined (reading 'sheets')" for about
    // 6 opens in 1,000 here. The reader now opens the parts it needs through the zip directory.
    const dir = await mkdtemp(path.join(os.tmpdir(), "kpi-xlsx-last-"));
    try {
      const file = path.join(dir, "three.xlsx");
      const wb = new ExcelJS.Workbook();
      for (const name of ["A", "B", "C"]) {
        const ws = wb.addWorksheet(name);
        ws.addRow(["h1", "h2"]);
        for (let i = 0; i < 50; i++) ws.addRow([`${name}${i}`, `y${i}`]);
      }
      await writeFile(file, new Uint8Array(await wb.xlsx.writeBuffer()));
      const expected = Array.from({ length: 50 }, (_, i) => `C${i}`);
      for (let round = 0; round < 100; round++) {
        const opened = await Promise.all(Array.from({ length: 10 }, (_, i) => openRows(file, { sheet: i % 2 === 0 ? "Missing" : "C" })));
        for (const [i, o] of opened.entries()) {
          if (i % 2 === 0) {
            expect(o.ok ? "opened" : o.error).toContain('no sheet named "Missing"; its sheets are "A", "B", "C"');
            continue;
          }
          if (!o.ok) throw new Error(o.error);
          const rows: string[] = [];
          for await (const r of o.value.rows()) rows.push(r.cells[0]!);
          o.value.close();
          expect(rows).toEqual(expected);
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("files that are not workbooks", () => {
  it("are refused with the reason, never hang: text named .xlsx, an empty file, a workbook cut short or damaged", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "kpi-xlsx-bad-"));
    try {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet("A");
      for (let i = 0; i < 20_000; i++) ws.addRow([`row ${i}`, i]);
      const good = Buffer.from(await wb.xlsx.writeBuffer());
      const damaged = Buffer.from(good);
      const sheetData = good.indexOf("xl/worksheets/sheet1.xml") + "xl/worksheets/sheet1.xml".length;
      const sheetEnd = good.indexOf("PK\x03\x04", sheetData);
      const middle = Math.floor((sheetData + sheetEnd) / 2);
      damaged.fill(0, middle, middle + 100); // halfway through the worksheet's compressed rows
      const files: [string, Uint8Array | string, string][] = [
        ["text.xlsx", "deal_id,owner\n1,a@example.com\n", "not a zip archive, or cut short"],
        ["empty.xlsx", "", "not a zip archive, or cut short"],
        ["cut.xlsx", new Uint8Array(good.subarray(0, good.length - 100)), "not a zip archive, or cut short"],
      ];
      for (const [name, bytes, reason] of files) {
        const file = path.join(dir, name);
        await writeFile(file, bytes);
        const opened = await openRows(file);
        expect(opened.ok ? "opened" : opened.error, name).toContain(reason);
        expect(opened.ok ? "opened" : opened.error).toContain("save it again from the spreadsheet, or as CSV");
      }
      // Damaged past the header: the header opens, the rows stop with the sheet named.
      const file = path.join(dir, "damaged.xlsx");
      await writeFile(file, new Uint8Array(damaged));
      const opened = await openRows(file);
      if (!opened.ok) throw new Error(opened.error);
      const read = async () => {
        for await (const _ of opened.value.rows()) void _;
      };
      await expect(read()).rejects.toThrow(/^malformed XLSX \(sheet "A"\): /);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("npm run import with .xlsx", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "kpi-xlsx-cli-"));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const env: NodeJS.ProcessEnv = { ...process.env, KPI_DATA_DIR: path.join(dir, "data"), KPI_TIMEZONE: "UTC", KPI_CURRENCY: "USD" };
    delete env.DATABASE_URL;
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/import.ts", ...args], { cwd: root, env });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  }

  it("exits 0 importing sheets, 2 for a missing sheet or --sheet on a CSV, 1 for invalid rows; --guess reads a workbook", { timeout: 300_000 }, async () => {
    const book = path.join(dir, "pipeline.xlsx");
    await workbook(book, { extra: [["X-bad", "Nobody Here", "x", 10, "Closed Won", new Date(Date.UTC(2025, 0, 1)), 45700, "USD"]] });
    const map = path.join(dir, "pipeline.mapping.json");
    await writeFile(map, JSON.stringify(MAPPING));

    const guess = await cli("--guess", book);
    expect(guess.code).toBe(0);
    expect(JSON.parse(guess.stdout.slice(0, guess.stdout.indexOf("\n}\n") + 2))).toMatchObject({ kind: "deals", columns: { deal_id: "Opportunity ID", amount: "Amount" } });

    const missing = await cli("reps", book, "--sheet", "Reps");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`has no sheet named "Reps"; its sheets are "Pipeline", "Team"`);
    const csv = path.join(dir, "reps.csv");
    await writeFile(csv, REPS.map((r) => r.join(",")).join("\n"));
    const sheetOnCsv = await cli("reps", csv, "--sheet", "Team");
    expect(sheetOnCsv.code).toBe(2);
    expect(sheetOnCsv.stderr).toContain("--sheet: ");

    const reps = await cli("reps", book, "--sheet", "Team");
    expect([reps.code, reps.stderr]).toEqual([0, ""]);
    expect(reps.stdout).toContain("imported: 2 (2 inserted, 0 updated, 0 unchanged)");

    // Sheet row 9 names an owner nobody is: nothing is written, exit 1, the sheet row is named.
    const bad = await cli("deals", book, "--mapping", map);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`line 9, column owner_email ("Opportunity Owner"): no rep named "Nobody Here"`);
  });
});
