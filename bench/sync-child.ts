// The child side of `npm run bench -- --sync-bench`: one HubSpot sync exactly as `npm run sync --
// hubspot` runs it (source from the environment: HUBSPOT_TOKEN, HUBSPOT_API_URL; database from
// DATABASE_URL / KPI_DATA_DIR), printing its figures and this process's peak RSS as one JSON line.
import { loadConfig } from "../src/config.ts";
import { openDatabase, targetFromEnv } from "../src/data/db.ts";
import { syncSource } from "../src/sync/run.ts";
import { buildSource } from "../src/sync/sources.ts";

const config = loadConfig();
const built = buildSource("hubspot", process.env);
if (!built.ok) throw new Error(built.error);
const db = await openDatabase(targetFromEnv(config));
try {
  const r = await syncSource(db, built.value, { currency: config.KPI_CURRENCY, timeZone: config.KPI_TIMEZONE });
  const deals = r.objects.find((o) => o.object === "deals");
  process.stdout.write(
    JSON.stringify({
      outcome: r.outcome,
      problem: r.problem,
      elapsedMs: r.elapsedMs,
      deals: { read: deals?.read ?? 0, created: deals?.created ?? 0, updated: deals?.updated ?? 0, unchanged: deals?.unchanged ?? 0, refused: deals?.refused ?? 0 },
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    }) + "\n",
  );
} finally {
  await db.close();
}
