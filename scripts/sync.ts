// npm run sync -- <hubspot|salesforce> [--full] [--dry-run]: one sync run against the configured
// database, a progress line per object on stderr, then the report.
// Exit 0: every object read to the end (refused records are listed); 1: an object could not be
// read (what synced stays) or another process is syncing; 2: usage or configuration error.
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config.ts";
import { openDatabase, targetFromEnv } from "../src/data/db.ts";
import { runMain, UsageError } from "../src/cli.ts";
import { createLogger } from "../src/log.ts";
import { objectLine, formatSyncReport } from "../src/sync/report.ts";
import { syncSource } from "../src/sync/run.ts";
import { SOURCE_NAMES, SourceName } from "../src/sync/source.ts";
import { buildSource } from "../src/sync/sources.ts";

const USAGE = `usage: npm run sync -- <${SOURCE_NAMES.join("|")}> [--full] [--dry-run] [--keep-demo]
  --full       re-read everything and delete what the CRM no longer has
  --dry-run    read and check everything; store nothing
  --keep-demo  sync even though the database holds the demo CRM`;

await runMain(async () => {
  let args;
  try {
    args = parseArgs({
      args: process.argv.slice(2),
      allowPositionals: true,
      options: {
        full: { type: "boolean", default: false },
        "dry-run": { type: "boolean", default: false },
        "keep-demo": { type: "boolean", default: false },
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
  const [name, ...extra] = args.positionals;
  const parsed = SourceName.safeParse(name);
  if (!parsed.success || extra.length > 0) throw new UsageError(`${name === undefined ? "<source> is missing" : `<source>: ${parsed.error?.issues[0]?.message ?? "one only"}`}\n${USAGE}`);
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const built = buildSource(parsed.data, process.env, { onRetry: (i) => logger.info("sync_retry", i) });
  if (!built.ok) throw new UsageError(built.error);
  const db = await openDatabase(targetFromEnv(config));
  try {
    const printed = new Set<string>();
    const report = await syncSource(db, built.value, {
      full: args.values.full,
      dryRun: args.values["dry-run"],
      keepDemo: args.values["keep-demo"],
      currency: config.KPI_CURRENCY,
      timeZone: config.KPI_TIMEZONE,
      logger,
      // A progress line per object when it ends (and every 10 pages while it runs).
      onProgress: (o) => {
        if (o.complete || o.problem !== null) {
          if (!printed.has(o.object)) process.stderr.write(`${objectLine(o)}\n`);
          printed.add(o.object);
        } else if (o.pages % 10 === 0) process.stderr.write(`${objectLine(o)}\n`);
      },
    });
    const text = formatSyncReport(report);
    if (report.outcome === "synced" || report.outcome === "checked") {
      console.log(text);
      return 0;
    }
    console.error(text);
    return 1;
  } finally {
    await db.close();
  }
});
