// npm run digests -- --due [--now ISO] [--no-alerts]
// Sends every digest and alert due at that instant, once, through the same ledger as the
// in-process scheduler: for operators who prefer an external scheduler (a Kubernetes CronJob, a
// systemd timer) and for resending after an outage. Safe to run twice, or in two processes.
import { parseArgs } from "node:util";
import { processHolder, runDue, type Sender } from "../src/digests/index.ts";
import { startRuntime, type Runtime } from "../src/runtime.ts";
import { runMain, UsageError } from "../src/cli.ts";

/** The senders of the platforms configured in the environment (no servers are started). */
async function senders(rt: Runtime): Promise<Record<string, Sender>> {
  const out: Record<string, Sender> = {};
  const load = async (name: "slack" | "teams") => {
    const mod = (name === "slack" ? await import("../adapters/slack/index.ts") : await import("../adapters/teams/index.ts")) as {
      createSender?: (rt: Runtime) => Promise<Sender>;
    };
    if (mod.createSender) out[name] = await mod.createSender(rt);
  };
  if (process.env.SLACK_BOT_TOKEN) await load("slack");
  if (process.env.MICROSOFT_APP_ID || process.env.KPI_ADAPTERS?.includes("teams")) await load("teams");
  return out;
}

await runMain(async () => {
  const { values } = parseArgs({ options: { due: { type: "boolean" }, now: { type: "string" }, "no-alerts": { type: "boolean" } } });
  if (!values.due) throw new UsageError("usage: npm run digests -- --due [--now ISO] [--no-alerts]");
  if (values.now && Number.isNaN(Date.parse(values.now))) throw new UsageError(`--now '${values.now}' is not an ISO date-time`);
  const rt = await startRuntime({ now: values.now, demo: false });
  try {
    const s = await senders(rt);
    if (Object.keys(s).length === 0) rt.logger.info("digests_no_senders", { hint: "set SLACK_BOT_TOKEN and/or MICROSOFT_APP_ID" });
    const at = rt.now();
    const summary = await runDue(
      {
        prisma: rt.db.prisma, bot: rt.bot, senders: s, holder: processHolder(), logger: rt.logger,
        timeZone: rt.config.KPI_TIMEZONE, fiscalYearStartMonth: rt.config.KPI_FISCAL_YEAR_START_MONTH, currency: rt.config.KPI_CURRENCY,
        catchUpMs: rt.config.KPI_DIGEST_CATCHUP_HOURS * 3_600_000, ratePerSec: rt.config.KPI_DIGEST_RATE_PER_SEC,
      },
      at,
      { alerts: !values["no-alerts"] },
    );
    console.log(
      `due at ${at.toISOString()}: ${summary.sent} digest(s) sent, ${summary.skipped} already sent or in progress, ${summary.failed} failed; ` +
        `alerts: ${summary.alertsFired} fired, ${summary.alertsCleared} cleared`,
    );
    return summary.failed > 0 ? 1 : 0;
  } finally {
    await rt.close();
  }
});
