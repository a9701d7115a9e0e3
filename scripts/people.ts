// npm run people -- forget <email> [--with-records] [--dry-run]: erase a person's identity (data
// protection requests). Exit 0 done (or a clean dry run), 2 usage error or unknown person.
import { loadConfig } from "../src/config.ts";
import { openDatabase, targetFromEnv } from "../src/data/db.ts";
import { describeForget, forgetPerson } from "../src/privacy/forget.ts";
import { runMain, UsageError } from "../src/cli.ts";

const USAGE = `usage: npm run people -- forget <email> [--with-records] [--dry-run]

  forget <email>    remove the person's chat links, conversation references, subscriptions and
                    alerts, and pseudonymise their audit rows; their CRM records stay (others'
                    figures depend on them) under an inactive pseudonym, never ranked or flagged
  --with-records    delete their deals, activities, tickets and quotas too, and the person
  --dry-run         print what would be done, change nothing`;

await runMain(async () => {
  const args = process.argv.slice(2);
  if (args.length === 0 || args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    return args.length === 0 ? 2 : 0;
  }
  const [verb, ...rest] = args;
  if (verb !== "forget") throw new UsageError(`unknown command '${verb}'; try: npm run people -- forget <email>\n\n${USAGE}`);
  const flags = rest.filter((a) => a.startsWith("--"));
  const unknown = flags.filter((f) => f !== "--with-records" && f !== "--dry-run");
  if (unknown.length > 0) throw new UsageError(`unknown option ${unknown.join(", ")}\n\n${USAGE}`);
  const emails = rest.filter((a) => !a.startsWith("--"));
  if (emails.length !== 1) throw new UsageError(`forget takes exactly one email (got ${emails.length})\n\n${USAGE}`);
  const db = await openDatabase(targetFromEnv(loadConfig()));
  try {
    const r = await forgetPerson(db, emails[0]!, { withRecords: flags.includes("--with-records"), dryRun: flags.includes("--dry-run") });
    if (!r.ok) throw new UsageError(r.error);
    console.log(describeForget(r.summary));
  } finally {
    await db.close();
  }
});
