// npm run import -- <kind> <file.csv|file.xlsx> [options], or <folder or files…>: load a CRM export into the configured database
// (DATABASE_URL, or the embedded one under KPI_DATA_DIR) and print the cleaning report.
// Exit 0: imported (or dry run clean); 1: aborted, nothing written; 2: usage, unreadable file or
// a header that does not fit the kind.
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config.ts";
import { openDatabase, targetFromEnv } from "../src/data/db.ts";
import { formatGuess, guessMapping } from "../src/data/import/guess.ts";
import { KIND_NAMES, type KindName } from "../src/data/import/importers.ts";
import { readMapping } from "../src/data/import/mapping.ts";
import { progressLine } from "../src/data/import/progress.ts";
import { planFiles } from "../src/data/import/folder.ts";
import { formatReport, formatRunReport } from "../src/data/import/report.ts";
import { importCsv, importFiles, importOptionsSchema } from "../src/data/import/run.ts";
import { openRows, rowFormat } from "../src/data/import/sources/index.ts";
import { runMain, UsageError } from "../src/cli.ts";

const USAGE = `usage: npm run import -- <kind> <file.csv|file.xlsx> [--sheet NAME] [--mapping <file.json>] [--dry-run] [--skip-invalid] [--clear-empty] [--keep-demo] [--decimal-comma] [--currency XXX] [--date-order dmy|mdy]
       npm run import -- <file.csv> --mapping <file.json>   (the mapping names its kind)
       npm run import -- <folder or files…>                 (a whole export: each file's kind from <name>.mapping.json beside it, else its header; one transaction)
       npm run import -- --guess <file.csv|file.xlsx>       (print a suggested mapping from the header)
  kinds, in the order a first import needs them: ${KIND_NAMES.join(", ")}
  --sheet NAME     the sheet of an .xlsx workbook to read (default: the first)
  --mapping F      read the file through a mapping: its headers, stage names, defaults, missing values (README: Mapping files)
  --dry-run        check every row and report; write nothing
  --skip-invalid   import the valid rows; write the others, with a reason column, to <file>.rejected.csv
  --clear-empty    a blank cell clears the stored value (default: a blank cell, or a missing optional column, keeps it)
  --keep-demo      import even though the database holds the demo CRM (default: refuse; npm run seed -- --remove deletes it)
  --decimal-comma  amounts are written 1.200,50 (comma decimal mark)
  --currency XXX   currency for rows without one (default: KPI_CURRENCY)
  --date-order     read dates like 03/04/2025 as day/month (dmy) or month/day (mdy); default: refuse ambiguous ones`;

/** Invalid options as a usage error naming the flag (or argument) each problem is about. */
function usageOf(issues: readonly { path: readonly PropertyKey[]; message: string }[]): UsageError {
  const names: Record<string, string> = { kind: "<kind>", currency: "--currency", dateOrder: "--date-order", sheet: "--sheet" };
  return new UsageError(`${issues.map((i) => `${names[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`).join("; ")}\n${USAGE}`);
}

await runMain(async () => {
  let args;
  try {
    args = parseArgs({
      args: process.argv.slice(2),
      allowPositionals: true,
      options: {
        "dry-run": { type: "boolean", default: false },
        "skip-invalid": { type: "boolean", default: false },
        "clear-empty": { type: "boolean", default: false },
        "keep-demo": { type: "boolean", default: false },
        "decimal-comma": { type: "boolean", default: false },
        currency: { type: "string" },
        "date-order": { type: "string" },
        mapping: { type: "string" },
        sheet: { type: "string" },
        guess: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n${USAGE}`);
  }
  if (args.values.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.values.guess) {
    const [file, ...extra] = args.positionals;
    if (file === undefined || extra.length > 0) throw new UsageError(USAGE);
    const opened = await openRows(file, { sheet: args.values.sheet });
    if (!opened.ok) {
      console.error(opened.error);
      return 2;
    }
    opened.value.close();
    console.log(formatGuess(file, guessMapping(opened.value.header)));
    return 0;
  }
  const config = loadConfig();
  const values = args.values;
  /** The options a folder and a single file share, from the flags and the workspace settings. */
  const optionsFrom = (sheet: string | undefined) => ({
    sheet,
    dryRun: values["dry-run"],
    skipInvalid: values["skip-invalid"],
    clearEmpty: values["clear-empty"],
    keepDemo: values["keep-demo"],
    decimalComma: values["decimal-comma"],
    currency: values.currency ?? config.KPI_CURRENCY,
    timeZone: config.KPI_TIMEZONE,
    dateOrder: values["date-order"],
  });
  const [firstArg] = args.positionals;
  const kindFirst = firstArg !== undefined && (KIND_NAMES as readonly string[]).includes(firstArg);
  // A bare word that is no file is a mistyped kind, not a file.
  if (!kindFirst && firstArg !== undefined && !/[./\\]/.test(firstArg) && !existsSync(firstArg)) {
    throw new UsageError(`<kind>: must be one of ${KIND_NAMES.join(", ")}\n${USAGE}`);
  }
  if (!kindFirst && args.values.mapping === undefined && args.positionals.length > 0) {
    // A whole export: folders and files, each file's kind decided by its mapping or header.
    const sheet = args.values.sheet;
    const planned = await planFiles(args.positionals, { sheet });
    if (!planned.ok) {
      console.error(planned.error);
      return 2;
    }
    if (sheet !== undefined && !planned.value.files.some((f) => rowFormat(f.file) === "xlsx")) {
      throw new UsageError(`--sheet: no .xlsx workbook among ${args.positionals.join(", ")}\n${USAGE}`);
    }
    const common = importOptionsSchema.omit({ kind: true, file: true }).safeParse(optionsFrom(sheet));
    if (!common.success) throw usageOf(common.error.issues);
    const db = await openDatabase(targetFromEnv(config));
    const progress = progressLine(process.stderr, "import");
    try {
      const run = await importFiles(db, planned.value.files, { ...common.data, onProgress: (p) => progress.update(p) }, planned.value.skipped);
      progress.finish();
      const text = formatRunReport(run);
      if (run.outcome === "refused" || run.outcome === "aborted") {
        console.error(text);
        return run.outcome === "refused" ? 2 : 1;
      }
      console.log(text);
      return 0;
    } finally {
      progress.finish();
      await db.close();
    }
  }
  // <kind> <file>, or <file> alone when the mapping names the kind.
  const alone = args.positionals.length === 1 && args.values.mapping !== undefined;
  const [kindArg, file, ...extra] = alone ? [undefined, ...args.positionals] : args.positionals;
  if (file === undefined || extra.length > 0 || (!alone && kindArg === undefined)) throw new UsageError(USAGE);
  if (kindArg !== undefined && !(KIND_NAMES as readonly string[]).includes(kindArg)) {
    throw new UsageError(`<kind>: must be one of ${KIND_NAMES.join(", ")}\n${USAGE}`);
  }
  let mapping = null;
  if (args.values.mapping !== undefined) {
    const m = await readMapping(args.values.mapping, kindArg as KindName | undefined);
    if (!m.ok) {
      console.error(m.error);
      return 2;
    }
    mapping = m.value;
  }
  const kind = kindArg ?? mapping!.kind;
  if (args.values.sheet !== undefined && rowFormat(file) !== "xlsx") throw new UsageError(`--sheet: ${file} is not an .xlsx workbook\n${USAGE}`);

  const parsed = importOptionsSchema.safeParse({ kind, file, ...optionsFrom(args.values.sheet) });
  if (!parsed.success) throw usageOf(parsed.error.issues);

  const db = await openDatabase(targetFromEnv(config));
  const progress = progressLine(process.stderr, `import ${kind}`);
  try {
    const report = await importCsv(db, { ...parsed.data, mapping, onProgress: (p) => progress.update(p) });
    progress.finish();
    const text = formatReport(report);
    if (report.outcome === "refused") {
      console.error(text);
      return 2;
    }
    if (report.outcome === "aborted") {
      console.error(text);
      return 1;
    }
    console.log(text);
    return 0;
  } finally {
    progress.finish();
    await db.close();
  }
});
