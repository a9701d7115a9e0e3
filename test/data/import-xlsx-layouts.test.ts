// How workbooks from other tools, and files changing under the import, are read: zip comments,
// chart sheets, part orders and storage as Excel, LibreOffice and Google Sheets write them,
// unusual relationship targets, and a file removed while it is being opened. (From an
// independent review of the reader; each case that failed then fails without its fix.)
import { mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openRows } from "../../src/data/import/sources/index.ts";

let dir: string;
let good: Buffer;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "kpi-xlsx-review-"));
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Deals");
  ws.addRow(["deal_id", "owner"]);
  for (let i = 1; i <= 3; i++) ws.addRow([`D${i}`, `o${i}@example.com`]);
  good = Buffer.from(await wb.xlsx.writeBuffer());
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The workbook with a zip archive comment of `n` bytes (the EOCD's last field, then the text). */
function withComment(zip: Buffer, n: number): Buffer {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const out = Buffer.concat([zip.subarray(0, eocd + 22), Buffer.alloc(n, "c")]);
  out.writeUInt16LE(n, eocd + 20);
  return out;
}

async function readAll(file: string, sheet?: string) {
  const opened = await openRows(file, sheet === undefined ? {} : { sheet });
  if (!opened.ok) return { error: opened.error };
  const rows: string[] = [];
  for await (const r of opened.value.rows()) rows.push(r.cells.join("|"));
  opened.value.close();
  return { header: opened.value.header, rows };
}

describe("a zip archive comment", () => {
  // unzipper's Open looks for the end-of-central-directory record only in the file's last 80
  // bytes (its default tailSize), so a comment longer than 58 bytes hides it. The old streaming
  // reader never looked at the end of the file and read these workbooks.
  it.each([0, 40, 58, 59, 100, 1000])("of %i bytes still opens", async (n) => {
    const file = path.join(dir, `comment-${n}.xlsx`);
    await writeFile(file, new Uint8Array(withComment(good, n)));
    expect(await readAll(file)).toEqual({ header: ["deal_id", "owner"], rows: ["D1|o1@example.com", "D2|o2@example.com", "D3|o3@example.com"] });
  });
});

describe("a chart sheet as the first tab", () => {
  // Excel reports often open on a chart sheet; the data is on the next tab. chooseSheet takes the
  // first visible <sheet> whatever its relationship type, so the import reads the chartsheet part
  // and says the sheet is empty. (The old reader failed too, with `no sheet named "undefined"`.)
  it("is skipped when no --sheet is given: the first visible worksheet is read", async () => {
    const zip = await JSZip.loadAsync(good);
    zip.file(
      "xl/chartsheets/sheet1.xml",
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><chartsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetPr/><sheetViews><sheetView workbookViewId="0"/></sheetViews><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></chartsheet>',
    );
    const edit = async (name: string, f: (s: string) => string) => zip.file(name, f(await zip.file(name)!.async("string")));
    await edit("xl/workbook.xml", (s) => s.replace("<sheets>", '<sheets><sheet name="Chart1" sheetId="9" r:id="rId99"/>'));
    await edit("xl/_rels/workbook.xml.rels", (s) =>
      s.replace("</Relationships>", '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet" Target="chartsheets/sheet1.xml"/></Relationships>'),
    );
    await edit("[Content_Types].xml", (s) =>
      s.replace("</Types>", '<Override PartName="/xl/chartsheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.chartsheet+xml"/></Types>'),
    );
    const file = path.join(dir, "chart-first.xlsx");
    await writeFile(file, new Uint8Array(await zip.generateAsync({ type: "uint8array", compression: "DEFLATE" })));
    const read = await readAll(file);
    // Before: { error: 'sheet "Chart1" of …/chart-first.xlsx is empty: expected a header row' }
    expect(read).toEqual({ header: ["deal_id", "owner"], rows: ["D1|o1@example.com", "D2|o2@example.com", "D3|o3@example.com"] });
    // Named, it is refused as holding no rows, with the sheets that do.
    expect(await readAll(file, "chart1")).toEqual({ error: `sheet "chart1" of ${file} is a chart or macro sheet, not rows; its sheets are "Deals" (choose one with --sheet NAME)` });
  });
});

describe("layouts other tools write", () => {
  const rows = ["D1|o1@example.com", "D2|o2@example.com", "D3|o3@example.com"];
  /** Re-pack `good` with JSZip: parts in `order` (others after), edited by `edit`. */
  async function repack(name: string, o: { order?: readonly string[]; store?: boolean; descriptors?: boolean; edit?: (files: Map<string, string>) => void }) {
    const src = await JSZip.loadAsync(good);
    const files = new Map<string, string>();
    for (const f of Object.values(src.files)) if (!f.dir) files.set(f.name, await f.async("string"));
    o.edit?.(files);
    const names = [...(o.order ?? []).filter((n) => files.has(n)), ...[...files.keys()].filter((n) => !(o.order ?? []).includes(n))];
    const out = new JSZip();
    for (const n of names) out.file(n, files.get(n)!);
    const file = path.join(dir, name);
    const bytes = await out.generateAsync({ type: "uint8array", compression: o.store ? "STORE" : "DEFLATE", streamFiles: o.descriptors ?? false });
    await writeFile(file, bytes);
    return file;
  }
  const rel = (files: Map<string, string>, f: (s: string) => string) => files.set("xl/_rels/workbook.xml.rels", f(files.get("xl/_rels/workbook.xml.rels")!));

  it.each([
    ["excel order", { order: ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml", "xl/styles.xml", "xl/sharedStrings.xml"] }],
    ["libreoffice order", { order: ["_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml", "xl/styles.xml", "xl/workbook.xml", "[Content_Types].xml"] }],
    ["google order, data descriptors", { order: ["xl/_rels/workbook.xml.rels", "xl/workbook.xml", "xl/styles.xml", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"], descriptors: true }],
    ["stored entries", { store: true }],
    ["stored entries with data descriptors", { store: true, descriptors: true }],
    ["absolute targets", { edit: (f: Map<string, string>) => rel(f, (s) => s.replace(/Target="(worksheets|sharedStrings|styles)/g, 'Target="/xl/$1')) }],
    ["odd relative target", { edit: (f: Map<string, string>) => rel(f, (s) => s.replace('Target="worksheets/sheet1.xml"', 'Target="worksheets/../worksheets/sheet1.xml"')) }],
    ["sheet stored as sheet3.xml", {
      edit: (f: Map<string, string>) => {
        f.set("xl/worksheets/sheet3.xml", f.get("xl/worksheets/sheet1.xml")!);
        f.delete("xl/worksheets/sheet1.xml");
        rel(f, (s) => s.replace("worksheets/sheet1.xml", "worksheets/sheet3.xml"));
      },
    }],
    ["no styles part", { edit: (f: Map<string, string>) => (f.delete("xl/styles.xml"), rel(f, (s) => s.replace(/<Relationship [^>]*\/styles"[^>]*\/>/, ""))) }],
  ] as const)("%s", async (name, o) => {
    const file = await repack(`${name.replace(/\W+/g, "-")}.xlsx`, o);
    expect(await readAll(file)).toEqual({ header: ["deal_id", "owner"], rows });
  });
});

describe("a workbook removed while it is being opened", () => {
  it("is read whole from the file opened, or refused with a reason: never a hang or an uncaught error", async () => {
    // The reader once opened the file again for each part: a removal in between was an uncaught
    // ENOENT and a promise that never settled. Now the file is opened once.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Deals");
    ws.addRow(["deal_id", "owner"]);
    for (let i = 1; i <= 20_000; i++) ws.addRow([`D${i}`, `owner ${i % 97}`]);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const uncaught: string[] = [];
    const onUncaught = (e: Error) => uncaught.push(e.message);
    process.on("uncaughtException", onUncaught);
    const outcomes = new Set<string>();
    try {
      for (let turns = 0; turns < 40; turns++) {
        const file = path.join(dir, `removed-${turns}.xlsx`);
        await writeFile(file, bytes);
        const reading = openRows(file).then(async (o) => {
          if (!o.ok) return o.error.replace(file, "FILE");
          let rows = 0;
          for await (const _ of o.value.rows()) rows++;
          o.value.close();
          return `read ${rows} rows`;
        });
        for (let t = 0; t < turns * 5; t++) await new Promise((resolve) => setImmediate(resolve));
        await unlink(file);
        const timeout = new Promise<string>((resolve) => setTimeout(() => resolve("still pending after 10 s"), 10_000).unref());
        outcomes.add(await Promise.race([reading, timeout]));
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off("uncaughtException", onUncaught);
    }
    expect(uncaught).toEqual([]);
    expect([...outcomes].filter((o) => o !== "read 20000 rows" && o !== "cannot read FILE: no such file")).toEqual([]);
    expect(outcomes).toContain("read 20000 rows");
  }, 120_000);
});
