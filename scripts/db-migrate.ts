// npm run db:migrate: apply pending migrations to the configured database (DATABASE_URL, or the
// embedded one under KPI_DATA_DIR). The bot also does this at start-up; this is for operators.
import { loadConfig } from "../src/config.ts";
import { openDatabase, targetFromEnv } from "../src/data/db.ts";
import { runMain } from "../src/cli.ts";

await runMain(async () => {
  const db = await openDatabase(targetFromEnv(loadConfig()));
  const { applied, alreadyApplied } = db.migrations!;
  console.log(
    applied.length > 0
      ? `applied ${applied.length} migration(s) to ${db.where}: ${applied.join(", ")}`
      : `${db.where} is up to date (${alreadyApplied} migration(s) applied before)`,
  );
  await db.close();
});
