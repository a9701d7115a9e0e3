// `npm start`: runs every adapter whose credentials are set, or the console when none is.
// KPI_ADAPTERS (comma list of slack, teams, console) chooses explicitly.
import { parseArgs } from "node:util";
import { ConfigError } from "../src/config.ts";
import { MigrationError } from "../src/data/migrate.ts";
import { startRuntime } from "../src/runtime.ts";
import { runConsole } from "./console/console.ts";

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { now: { type: "string" } }, allowPositionals: false });
  if (values.now && Number.isNaN(Date.parse(values.now))) {
    console.error(`error: --now '${values.now}' is not a date-time; use ISO 8601, e.g. 2026-10-15T09:00:00Z`);
    return 2;
  }
  const rt = await startRuntime({ now: values.now });
  try {
    const wanted = (rt.config.KPI_ADAPTERS ?? "console").split(",").map((s) => s.trim()).filter(Boolean);
    const unknown = wanted.filter((a) => !["console", "slack", "teams"].includes(a));
    if (unknown.length > 0) {
      console.error(`error: KPI_ADAPTERS names unknown adapter(s): ${unknown.join(", ")} (known: slack, teams, console)`);
      return 2;
    }
    const notYet = wanted.filter((a) => a !== "console");
    if (notYet.length > 0) {
      console.error(`error: the ${notYet.join(" and ")} adapter is not part of this build yet; run the console (unset KPI_ADAPTERS)`);
      return 2;
    }
    await runConsole(rt);
    return 0;
  } finally {
    await rt.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof ConfigError || e instanceof MigrationError) {
      console.error(`error: ${e.message}`);
      process.exit(2);
    }
    console.error(e);
    process.exit(1);
  },
);
