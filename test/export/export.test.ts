// The export builder against the answer path on PGlite (the handmade CRM, hand-computed values):
// CSV bytes, an XLSX read back with exceljs and compared with a recomputation from the reply's raw
// figures, formula safety, withheld values, the access rule, the audit row.
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBot, type Bot } from "../../src/bot.ts";
import { buildExport, MAX_EXPORT_BYTES, type ExportFile } from "../../src/export/index.ts";
import type { Reply } from "../../src/reply.ts";
import { freshDatabase, type TestDatabase } from "../support/databases.ts";
import { loadHandmade } from "../support/handmade.ts";

const NOW = new Date("2026-11-26T12:00:00Z");
let db: TestDatabase;
let bot: Bot;

beforeAll(async () => {
  db = await freshDatabase("pglite");
  await loadHandmade(db.prisma);
  bot = createBot({ prisma: db.prisma, now: () => NOW, timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD" });
});
afterAll(async () => db.dispose());

const ask = (userId: string, text: string) => bot.handle({ platform: "console", userId, text });

async function fileOf(reply: Reply): Promise<ExportFile> {
  const r = await buildExport(reply);
  if (!r.ok) throw new Error(`no file: ${r.error}`);
  return r.file;
}

/** CSV text without the BOM, split into lines of raw cells (the builder's cells hold no commas here). */
const csvLines = (f: ExportFile) => f.bytes.subarray(3).toString("utf8").split("\n");

async function readXlsx(f: ExportFile): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(f.bytes as unknown as ArrayBuffer);
  return wb;
}

/** Every cell of a sheet as [address, value, numFmt], skipping empty ones. */
function cellsOf(ws: ExcelJS.Worksheet): { address: string; value: ExcelJS.CellValue; numFmt: string | undefined; formula: boolean }[] {
  const out: { address: string; value: ExcelJS.CellValue; numFmt: string | undefined; formula: boolean }[] = [];
  ws.eachRow((row) => row.eachCell((c) => out.push({ address: c.address, value: c.value, numFmt: c.numFmt, formula: c.type === ExcelJS.ValueType.Formula })));
  return out;
}

/** A hand-made exportable reply with hostile names and a withheld value. */
function craftedReply(): Reply {
  return {
    kind: "answer",
    lang: "en",
    title: "Sales · Team Evil · Q3 2026",
    summary: "",
    facts: [],
    charts: [],
    flags: [{ kind: "low", subject: "-Minus Man", reason: "r", advice: "a" }],
    followUps: [],
    figures: {
      metric: "sales",
      unit: "currency",
      currency: "EUR",
      period: { label: "Q3 2026", start: "2026-07-01T00:00:00.000Z", end: "2026-10-01T00:00:00.000Z" },
      total: -500,
      median: null,
      members: 4,
      rows: [
        { name: '=HYPERLINK("http://evil.example","x")', email: "a@x.test", value: 123456 },
        { name: "-Minus Man", email: "b@x.test", value: -500 },
        { name: "@at\tTab", email: "+c@x.test", value: null },
        { name: "Plain, \"quoted\"", email: "d@x.test", value: 0 },
      ],
    },
    about: "group",
    visibility: "private",
    export: { format: "csv", scope: "Team Evil", askedBy: "Mia <mia@acme.test>", generatedAt: NOW.toISOString() },
  };
}

describe("CSV export", () => {
  it("starts with a UTF-8 byte-order mark and keeps Chinese names intact", async () => {
    const f = await fileOf(await ask("mia@acme.test", "team sales q3-2026 csv"));
    expect([...f.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(f.bytes.toString("utf8")).toContain("Bo Chen 陈博");
    expect(f).toMatchObject({ format: "csv", mimeType: "text/csv; charset=utf-8", filename: "kpi-sales-team-alpha-q3-2026-20261126.csv", private: true, rows: 3 });
  });

  it("writes the header block: title, period, scope, totals, who asked and when", async () => {
    const lines = csvLines(await fileOf(await ask("mia@acme.test", "team sales q3-2026 csv")));
    expect(lines[0]).toBe("Field,Value,Formatted");
    expect(lines).toContain("Title,Sales · Team Alpha · Q3 2026,");
    expect(lines).toContain("Period,Q3 2026,");
    expect(lines).toContain("From (UTC),2026-07-01T00:00:00.000Z,");
    expect(lines).toContain('"To (UTC, exclusive)",2026-10-01T00:00:00.000Z,');
    expect(lines).toContain("Scope,Team Alpha,");
    expect(lines).toContain('Total,6000,"$6,000"');
    expect(lines).toContain("Asked by,Mia <mia@acme.test>,");
    expect(lines).toContain("Generated at (UTC),2026-11-26T12:00:00.000Z,");
  });

  it("writes per-person values as plain numbers in major units, with the currency and a formatted column", async () => {
    const lines = csvLines(await fileOf(await ask("mia@acme.test", "team sales q3-2026 csv")));
    const at = lines.indexOf("People");
    expect(lines[at + 1]).toBe("Name,Email,Sales (USD),Currency,Sales (Formatted),Flag");
    // Hand-computed (test/support/handmade.ts): Ann 400000, Bo 200000, Cy 0 cents in Q3 2026.
    expect(lines.slice(at + 2, at + 5)).toEqual(['Ann Lee,ann@acme.test,4000,USD,"$4,000",low', 'Bo Chen 陈博,bo@acme.test,2000,USD,"$2,000",top', "Cy Park,cy@acme.test,0,USD,$0,"]);
  });

  it("makes text cells formula-safe but leaves numbers, negative ones too, as numbers; withheld values empty", async () => {
    const r = await buildExport(craftedReply());
    if (!r.ok) throw new Error(r.error);
    const text = r.file.bytes.toString("utf8");
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")",a@x.test,1234.56,EUR,`);
    expect(text).toContain("'-Minus Man,b@x.test,-5,EUR,");
    expect(text).toContain("'@at\tTab,'+c@x.test,,,,\n");
    expect(text).toContain('"Plain, ""quoted""",d@x.test,0,EUR,');
    expect(text).toContain("Total,-5,");
    expect(text).toContain("Median,,\n");
    expect(text).not.toMatch(/(^|,)[=+@-][^,]*HYPERLINK/m);
  });

  it("gives a rep exporting their team only what they may see: no one else's figures, the withheld total empty", async () => {
    const reply = await ask("ann@acme.test", "team sales q3-2026 csv");
    expect(reply.kind).toBe("answer");
    const f = await fileOf(reply);
    const text = f.bytes.toString("utf8");
    for (const other of ["Bo Chen", "bo@acme.test", "Cy Park", "cy@acme.test", "2000", "6000"]) expect(text).not.toContain(other);
    const lines = csvLines(f);
    // Bo and Cy: one contributor besides Ann, fewer than 3 → the total and median are withheld.
    expect(lines).toContain("Total,,");
    expect(lines).toContain("Median,,");
    expect(lines.slice(lines.indexOf("People") + 1).filter((l) => l !== "")).toEqual(["Name,Email,Sales (USD),Currency,Sales (Formatted),Flag"]);
    expect(f.private).toBe(false);
  });

  it("writes a breakdown and a scorecard as their own tables", async () => {
    const by = csvLines(await fileOf(await ask("mia@acme.test", "team alpha sales by month q3-2026 csv")));
    const at = by.indexOf("By Month");
    expect(by.slice(at + 1, at + 3)).toEqual(['Key,Month,Sales (USD),Currency,Sales (Formatted),Members,Share of total,Change vs previous,Flag', `2026-07,2026-07,4000,USD,"$4,000",1,${400000 / 600000},,`]);
    const card = csvLines(await fileOf(await ask("mia@acme.test", "team alpha scorecard q3-2026 csv")));
    expect(card).toContain(`Win rate,percent,,${3 / 7},42.9%,1,100%,,,`);
    expect(card).toContain('Sales,USD,USD,6000,"$6,000",500,$500,,,');
  });

  it("writes the compared periods of a comparison", async () => {
    const lines = csvLines(await fileOf(await ask("mia@acme.test", "compare q2-2026 vs q3-2026 team alpha sales csv")));
    expect(lines).toContain('Q3 2026,2026-07-01T00:00:00.000Z,2026-10-01T00:00:00.000Z,6000,"$6,000",2000,"$2,000",3');
  });

  it("writes Chinese headers for a Chinese command", async () => {
    const reply = await ask("mia@acme.test", "/kpi 团队 Alpha 销售额 2026年第3季度 导出");
    expect(reply.export?.format).toBe("csv");
    const lines = csvLines(await fileOf(reply));
    expect(lines[0]).toBe("项目,数值,显示值");
    expect(lines).toContain("导出人,Mia <mia@acme.test>,");
  });

  it("refuses a reply that is no answer, and a file over the size limit", async () => {
    const error = await ask("mia@acme.test", "team nowhere sales q3-2026 csv");
    expect(error.kind).toBe("error");
    expect(error.export).toBeUndefined();
    expect(error.summary).toContain("No file: only an answer with figures can be exported");
    expect(await buildExport(error)).toEqual({ ok: false, error: "not_exportable" });
    expect(await buildExport(await ask("mia@acme.test", "team sales q3-2026"))).toEqual({ ok: false, error: "not_exportable" });
    expect(await buildExport(craftedReply(), { maxBytes: 200 })).toEqual({ ok: false, error: "too_large" });
    expect(MAX_EXPORT_BYTES).toBe(5 * 1024 * 1024);
  });

  it("writes an audit row for the export beside the answer's", async () => {
    await ask("mia@acme.test", "team alpha winrate q3-2026 xlsx");
    const rows = await db.prisma.auditLog.findMany({ where: { command: "team alpha winrate q3-2026 xlsx" }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.decision, r.reason])).toEqual([
      ["allowed", expect.any(String)],
      ["export_requested", "xlsx"],
    ]);
  });
});

describe("XLSX export", () => {
  it("reads back with exceljs: About and People sheets, values equal to the reply's figures in major units", async () => {
    const reply = await ask("mia@acme.test", "team sales q3-2026 xlsx");
    const f = await fileOf(reply);
    expect(f.filename).toBe("kpi-sales-team-alpha-q3-2026-20261126.xlsx");
    const wb = await readXlsx(f);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["About", "People"]);
    const people = wb.getWorksheet("People")!;
    expect(people.getRow(1).values).toEqual([undefined, "Name", "Email", "Sales (USD)", "Currency", "Sales (Formatted)", "Flag"]);
    // Independent recomputation from the raw figures: minor units / 100, in the reply's order.
    const expected = reply.figures!.rows.map((r) => [r.name, r.email, r.value! / 100]);
    const got = [2, 3, 4].map((i) => {
      const row = people.getRow(i);
      return [row.getCell(1).value, row.getCell(2).value, row.getCell(3).value];
    });
    expect(got).toEqual(expected);
    expect(got.map((r) => r[2])).toEqual([4000, 2000, 0]);
    expect(people.getCell("C2").numFmt).toBe("#,##0.00");
    expect(typeof people.getCell("C2").value).toBe("number");
    const about = wb.getWorksheet("About")!;
    const field = (label: string) => {
      let found: ExcelJS.Row | undefined;
      about.eachRow((row) => { if (row.getCell(1).value === label) found = row; });
      return found ? [found.getCell(2).value, found.getCell(3).value] : undefined;
    };
    expect(field("Total")).toEqual([(reply.figures!.total ?? 0) / 100, "$6,000"]);
    expect(field("Scope")).toEqual(["Team Alpha", null]);
    expect(field("Asked by")).toEqual(["Mia <mia@acme.test>", null]);
    expect(field("Generated at (UTC)")).toEqual([NOW.toISOString(), null]);
  });

  it("shows percentages as fractions formatted as %, and never writes a formula", async () => {
    const reply = await ask("mia@acme.test", "team winrate q3-2026 xlsx");
    const wb = await readXlsx(await fileOf(reply));
    const people = wb.getWorksheet("People")!;
    const values = reply.figures!.rows.map((r) => r.value);
    expect([2, 3, 4].map((i) => people.getRow(i).getCell(3).value)).toEqual(values);
    expect(values).toEqual([2 / 3, 1 / 3, 0]);
    expect(people.getCell("C2").numFmt).toBe("0.0%");

    const crafted = { ...craftedReply(), export: { ...craftedReply().export!, format: "xlsx" as const } };
    const r = await buildExport(crafted);
    if (!r.ok) throw new Error(r.error);
    const evil = (await readXlsx(r.file)).getWorksheet("People")!;
    const cells = cellsOf(evil);
    expect(cells.some((c) => c.formula)).toBe(false);
    expect(evil.getCell("A2").value).toBe(`'=HYPERLINK("http://evil.example","x")`);
    expect(evil.getCell("C2").value).toBe(1234.56);
    expect(evil.getCell("A3").value).toBe("'-Minus Man");
    expect(evil.getCell("C3").value).toBe(-5);
    // Withheld: no value, no currency, no formatted text.
    expect([evil.getCell("C4").value, evil.getCell("D4").value, evil.getCell("E4").value]).toEqual([null, null, null]);
  });

  it("gives a rep's team export no one else's figures", async () => {
    const wb = await readXlsx(await fileOf(await ask("ann@acme.test", "team sales q3-2026 xlsx")));
    const all = wb.worksheets.flatMap((ws) => cellsOf(ws).map((c) => String(c.value)));
    expect(all.join("|")).not.toMatch(/Bo Chen|Cy Park|bo@acme|cy@acme/);
    expect(wb.getWorksheet("People")!.rowCount).toBe(1);
  });
});
