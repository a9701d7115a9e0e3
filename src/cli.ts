// Shared entry for command-line programs (scripts, the console, the bench): errors a user can fix
// print as one clear message (exit 2), anything else is a bug and keeps its stack (exit 1).
import { ConfigError } from "./config.ts";
import { MigrationError } from "./data/migrate.ts";

export class UsageError extends Error {}

export async function runMain(main: () => Promise<number | void>): Promise<void> {
  try {
    process.exitCode = (await main()) ?? 0;
  } catch (e) {
    if (e instanceof ConfigError || e instanceof MigrationError || e instanceof UsageError) {
      console.error(`error: ${e.message}`);
      process.exitCode = 2;
      return;
    }
    throw e;
  }
}
