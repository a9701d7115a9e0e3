// npm run seed: load the demo CRM into the configured database (DATABASE_URL, or the embedded one
// under KPI_DATA_DIR); with --deals N, the benchmark dataset instead. `npm run seed -- --help`.
import { clockFrom, loadConfig } from "../src/config.ts";
import { openDatabase, targetFromEnv, type Database } from "../src/data/db.ts";
import { parseSeedArgs, SEED_USAGE } from "../src/data/seed/args.ts";
import { DEMO_ADMIN_EMAIL, DEMO_MANAGER_EMAIL, DEMO_REP_EMAIL, seedDemo } from "../src/data/seed/demo.ts";
import { hasLargeDataset, seedLarge } from "../src/data/seed/large.ts";
import { SeedError } from "../src/data/seed/markers.ts";
import { removeDemo } from "../src/data/seed/remove.ts";
import { runMain, UsageError } from "../src/cli.ts";

const n = (x: number | bigint) => x.toLocaleString("en-US");

/** Minor units → "$1,234.56"-style text, exact (no floating point). */
function money(minor: bigint, currency: string): string {
  const sign = minor < 0n ? "-" : "";
  const abs = minor < 0n ? -minor : minor;
  return `${sign}${currency} ${n(abs / 100n)}.${String(abs % 100n).padStart(2, "0")}`;
}

const seconds = (from: number) => `${((performance.now() - from) / 1000).toFixed(1)} s`;

await runMain(async () => {
  const parsed = parseSeedArgs(process.argv.slice(2));
  if (!parsed.ok) throw new UsageError(parsed.error);
  const command = parsed.command;
  if (command.kind === "help") {
    console.log(SEED_USAGE);
    return;
  }
  const config = loadConfig();
  if (command.kind === "remove") {
    const db = await openDatabase(targetFromEnv(config));
    try {
      const r = await removeDemo(db);
      if (r.users === 0) console.log(`no demo CRM in ${db.where}; nothing removed (start-up will not load it)`);
      else
        console.log(
          `removed the demo CRM from ${db.where}: ${r.teams} teams · ${r.users} users · ${n(r.deals)} deals · ${n(r.activities)} activities · ` +
            `${r.quotas} quotas · ${n(r.tickets)} tickets · ${r.campaigns} campaigns · ${r.subscriptions} subscriptions · ${r.alerts} alerts · ${r.auditRows} audit rows`,
        );
    } finally {
      await db.close();
    }
    return;
  }
  const now = command.now ?? clockFrom(config)();
  const db: Database = await openDatabase(targetFromEnv(config));
  try {
    const started = performance.now();
    if (command.kind === "demo") {
      const s = await seedDemo(db, { seed: command.seed, now, replace: command.replace });
      const c = s.counts;
      console.log(`loaded the demo CRM into ${db.where} in ${seconds(started)} (seed ${s.seed}, history to ${s.now})`);
      console.log(
        `  ${c.teams} teams · ${c.users} users · ${n(c.deals)} deals (${n(s.wonDeals)} won, ${n(s.openDeals)} open) · ` +
          `${n(c.activities)} activities · ${c.quotas} quotas · ${n(c.tickets)} tickets · ${c.campaigns} campaigns`,
      );
      console.log(`  won ${money(s.wonAmount, s.currency)} · open pipeline ${money(s.openAmount, s.currency)}`);
      console.log(`  try KPI_USER=${DEMO_ADMIN_EMAIL} (admin), ${DEMO_MANAGER_EMAIL} (manager, East) or ${DEMO_REP_EMAIL} (rep)`);
      return;
    }
    if (!command.replace && (await hasLargeDataset(db, command.deals, command.reps))) {
      console.log(`the benchmark dataset (${n(command.deals)} deals, ${n(command.reps)} reps) is already loaded in ${db.where}; --replace reloads it`);
      return;
    }
    const s = await seedLarge(db, { deals: command.deals, reps: command.reps, activities: command.activities, seed: command.seed, now });
    const c = s.counts;
    console.log(`loaded the benchmark dataset into ${db.where} in ${seconds(started)} (seed ${s.seed}, history to ${s.now})`);
    console.log(
      `  ${n(c.deals)} deals (${n(s.wonDeals)} won, ${n(s.openDeals)} open) · ${n(c.activities)} activities · ` +
        `${n(c.reps)} reps in ${c.teams - 1} teams · ${n(c.quotas)} quotas · won ${money(s.wonAmount, s.currency)}`,
    );
  } catch (e) {
    if (e instanceof SeedError) throw new UsageError(e.message);
    throw e;
  } finally {
    await db.close();
  }
});
