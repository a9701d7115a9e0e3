// npm run bench -- --import-bench [--rows N]: what a mapping and XLSX cost the deals import.
// Writes three files of the same N deals (default 1,000,000) into the OS temp directory — a CSV
// with the project's headers, the same with a CRM export's headers and stage names (read through
// a mapping), the same as an XLSX workbook (through the mapping) — and imports each in its own
// child process into an emptied deals table, printing rows/s and the child's peak RSS, and the
// ratio mapped/fixed (the target: a mapping costs at most 20 % more). On DATABASE_URL, else an
// embedded database under KPI_DATA_DIR/bench-import.
import { execFile } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { once } from "node:events";
import { promisify } from "node:util";
import ExcelJS from "exceljs";
import { loadConfig } from "../src/config.ts";
import { openDatabase, type DatabaseTarget } from "../src/data/db.ts";
import { readMapping } from "../src/data/import/mapping.ts";
import { importCsv } from "../src/data/import/run.ts";
import type { Case } from "./harness.ts";

const REPS = 200;
const DOMAIN = "bench-import.example";
const FIXED_HEADER = ["deal_id", "owner_email", "customer", "amount", "currency", "status", "created_at", "closed_at", "campaign_id"];
const EXPORT_HEADER = ["Opportunity ID", "Opportunity Owner", "Account Name", "Amount", "Opportunity Currency", "Stage", "Created Date", "Close Date", "Primary Campaign Source"];
const MAPPING = {
  kind: "deals",
  columns: {
    deal_id: "Opportunity ID", owner: "Opportunity Owner", customer: "Account Name", amount: "Amount", currency: "Opportunity Currency",
    status: "Stage", created_at: "Created Date", closed_at: "Close Date", campaign_id: "Primary Campaign Source",
  },
  status: { won: ["Closed Won"], lost: ["Closed Lost"], open: ["*"] },
};
const STATUS = ["won", "lost", "open"] as const;
const STAGE = { won: "Closed Won", lost: "Closed Lost", open: "Prospecting" } as const;
const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 1);

/** Deal i, the same in every file. */
function deal(i: number) {
  const status = STATUS[i % 3]!;
  const created = new Date(START + (i % 700) * DAY + (i % 24) * 3_600_000);
  const closed = status === "open" ? null : new Date(created.getTime() + (1 + (i % 60)) * DAY);
  const cents = 10_000 + ((i * 7919) % 5_000_000);
  return { id: `D${i}`, owner: `rep${i % REPS}@${DOMAIN}`, customer: `Customer ${i % 5000}`, cents, status, created, closed };
}
const iso = (d: Date | null) => (d === null ? "" : d.toISOString().slice(0, 19).replace("T", " "));
const money = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;

async function writeCsv(file: string, rows: number, header: string[], line: (i: number) => string[]): Promise<void> {
  const out = createWriteStream(file);
  out.write(header.join(",") + "\n");
  for (let i = 0; i < rows; i++) {
    if (!out.write(line(i).join(",") + "\n")) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

async function writeXlsx(file: string, rows: number): Promise<void> {
  // Shared strings, as Excel itself saves a workbook.
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true });
  const ws = wb.addWorksheet("Opportunities");
  ws.addRow(EXPORT_HEADER).commit();
  for (let i = 0; i < rows; i++) {
    const d = deal(i);
    const row = ws.addRow([d.id, d.owner, d.customer, d.cents / 100, "USD", STAGE[d.status], d.created, d.closed ?? undefined, ""]);
    row.getCell(7).numFmt = "yyyy-mm-dd hh:mm";
    if (d.closed) row.getCell(8).numFmt = "yyyy-mm-dd hh:mm";
    row.commit();
  }
  ws.commit();
  await wb.commit();
}

type ChildResult = { outcome: string; rowsRead: number; inserted: number; elapsedMs: number; maxRssMb: number; problem: string | null };

/** One import in this process (the child side): prints its report's figures as JSON. */
async function child(file: string, mappingFile: string | null, target: DatabaseTarget): Promise<void> {
  const db = await openDatabase(target);
  try {
    let mapping = null;
    if (mappingFile) {
      const m = await readMapping(mappingFile);
      if (!m.ok) throw new Error(m.error);
      mapping = m.value;
    }
    const r = await importCsv(db, { kind: "deals", file, currency: "USD", mapping });
    const result: ChildResult = {
      outcome: r.outcome, rowsRead: r.rowsRead, inserted: r.written.inserted, elapsedMs: r.elapsedMs,
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), problem: r.problem ?? r.errors[0]?.message ?? null,
    };
    process.stdout.write(JSON.stringify(result) + "\n");
  } finally {
    await db.close();
  }
}

function targetOf(): DatabaseTarget {
  const config = loadConfig();
  return config.DATABASE_URL ? { kind: "postgres", url: config.DATABASE_URL } : { kind: "pglite", dataDir: path.resolve(config.KPI_DATA_DIR, "bench-import") };
}

/** The three cases; `log` gets progress lines. */
export async function importCases(rows: number, log: (s: string) => void): Promise<Case[]> {
  const target = targetOf();
  const dir = path.join(os.tmpdir(), `kpi-import-bench-${rows}`);
  await mkdir(dir, { recursive: true });
  const fixed = path.join(dir, "deals-fixed.csv");
  const mapped = path.join(dir, "deals-export.csv");
  const xlsx = path.join(dir, "deals-export.xlsx");
  const mappingFile = path.join(dir, "deals-export.mapping.json");
  await writeFile(mappingFile, JSON.stringify(MAPPING));
  let t0 = performance.now();
  log(`writing ${rows.toLocaleString("en")} deals ×3 into ${dir} …`);
  await writeCsv(fixed, rows, FIXED_HEADER, (i) => {
    const d = deal(i);
    return [d.id, d.owner, d.customer, money(d.cents), "USD", d.status, iso(d.created), iso(d.closed), ""];
  });
  await writeCsv(mapped, rows, EXPORT_HEADER.map((h) => `"${h}"`), (i) => {
    const d = deal(i);
    return [d.id, d.owner, d.customer, money(d.cents), "USD", STAGE[d.status], iso(d.created), iso(d.closed), ""];
  });
  await writeXlsx(xlsx, rows);
  log(`written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // The reps, once; each case starts from an empty deals table (and empty rollups).
  const db = await openDatabase(target);
  try {
    const reps = path.join(dir, "reps.csv");
    await writeCsv(reps, REPS, ["email", "name", "team", "role", "slack_user_id", "teams_user_id", "timezone", "locale"], (i) => [`rep${i}@${DOMAIN}`, `Bench Rep ${i}`, "Import bench", "rep", "", "", "", ""]);
    const r = await importCsv(db, { kind: "reps", file: reps, currency: "USD" });
    if (r.outcome !== "imported") throw new Error(`bench reps: ${r.problem ?? r.errors[0]?.message}`);
  } finally {
    await db.close();
  }

  const runs: { name: string; file: string; mapping: string | null }[] = [
    { name: "CSV, project headers", file: fixed, mapping: null },
    { name: "CSV, export headers via mapping", file: mapped, mapping: mappingFile },
    { name: "XLSX, export headers via mapping", file: xlsx, mapping: mappingFile },
  ];
  const results: (ChildResult & { name: string })[] = [];
  for (const run of runs) {
    const db = await openDatabase(target);
    try {
      await db.sql.exec(`TRUNCATE "Deal", "Activity", "RollupDelta", "RepDayStat", "RepWeekStat", "RepMonthStat" CASCADE`);
    } finally {
      await db.close();
    }
    log(`import deals: ${run.name} …`);
    t0 = performance.now();
    const args = ["--import", "tsx", path.join(import.meta.dirname, "import.ts"), "--child", run.file, ...(run.mapping ? [run.mapping] : [])];
    const { stdout } = await promisify(execFile)(process.execPath, args, { env: process.env, maxBuffer: 1 << 20 });
    const result = JSON.parse(stdout.trim().split("\n").pop()!) as ChildResult;
    if (result.outcome !== "imported" || result.inserted !== rows) throw new Error(`${run.name}: ${result.outcome}, ${result.inserted} inserted (${result.problem})`);
    results.push({ ...result, name: run.name });
    log(`  ${Math.round((rows * 1000) / result.elapsedMs).toLocaleString("en")} rows/s, peak RSS ${result.maxRssMb} MB`);
  }
  const base = results[0]!.elapsedMs;
  return results.map((r) => ({
    name: `import ${rows.toLocaleString("en")} deals, ${r.name} (${target.kind})`,
    n: 1,
    p50_ms: Math.round(r.elapsedMs),
    p95_ms: Math.round(r.elapsedMs),
    floor_p50_ms: Math.round(base),
    ratio: Math.round((r.elapsedMs / base) * 100) / 100,
    rss_mb: r.maxRssMb,
    note: `${Math.round((rows * 1000) / r.elapsedMs).toLocaleString("en")} rows/s`,
  }));
}

// The child side: `node --import tsx bench/import.ts --child <file> [<mapping>]`.
if (process.argv[2] === "--child") {
  await child(process.argv[3]!, process.argv[4] ?? null, targetOf());
}
