// Book → XLSX (exceljs): an About sheet and one sheet per table. Numbers are number cells with a
// display format (money 2 decimals, fractions as %), text is formula-safe text: no cell is ever
// a formula.
import ExcelJS from "exceljs";
import { formulaSafe } from "../csv.ts";
import type { Book, NumberStyle, Sheet } from "./book.ts";

const FORMATS: Readonly<Record<NumberStyle, string>> = {
  money: "#,##0.00",
  percent: "0.0%",
  integer: "0",
  decimal: "0.###",
};

/** Excel's sheet names: at most 31 characters, none of \ / ? * [ ] :, unique in the workbook. */
function sheetName(name: string, taken: Set<string>): string {
  const base = name.replace(/[\\/?*[\]:]/g, " ").trim().slice(0, 28) || "Sheet";
  let out = base;
  for (let i = 2; taken.has(out.toLowerCase()); i++) out = `${base} ${i}`;
  taken.add(out.toLowerCase());
  return out;
}

function addSheet(wb: ExcelJS.Workbook, sheet: Sheet, taken: Set<string>): void {
  const ws = wb.addWorksheet(sheetName(sheet.name, taken), { views: [{ state: "frozen", ySplit: 1 }] });
  const header = ws.addRow(sheet.header.map(formulaSafe));
  header.font = { bold: true };
  const widths = sheet.header.map((h) => Math.min(60, Math.max(10, [...h].length + 2)));
  for (const cells of sheet.rows) {
    const row = ws.addRow([]);
    cells.forEach((c, i) => {
      if (c === null) return;
      const cell = row.getCell(i + 1);
      if (typeof c === "string") {
        cell.value = formulaSafe(c);
        widths[i] = Math.min(60, Math.max(widths[i] ?? 10, [...c].length + 2));
      } else {
        cell.value = c.n;
        cell.numFmt = FORMATS[c.style];
      }
    });
  }
  widths.forEach((w, i) => (ws.getColumn(i + 1).width = w));
}

/** `created`: the workbook's creation time (the answer's), so the same answer gives the same file. */
export async function bookToXlsx(book: Book, created: Date): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "kpi-bot";
  wb.created = created;
  wb.modified = created;
  const taken = new Set<string>();
  addSheet(wb, book.about, taken);
  for (const sheet of book.data) addSheet(wb, sheet, taken);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
