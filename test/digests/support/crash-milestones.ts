// An alert checker process for the kill-and-restart test of quota milestones: it records what the
// attainment reaches, says "SENDING" and hangs inside the send, so the test can kill it between
// the ledger write and the send.
import { createBot } from "../../../src/bot.ts";
import { openDatabase } from "../../../src/data/db.ts";
import { checkAlerts } from "../../../src/digests/runner.ts";

const url = process.env.CRASH_DATABASE_URL!;
const now = new Date(process.env.CRASH_NOW!);
const db = await openDatabase({ kind: "postgres", url });
const deps = { prisma: db.prisma, now: () => now, timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD" };
const hang = {
  send: () => {
    process.stdout.write("SENDING\n");
    return new Promise<never>(() => {});
  },
};
await checkAlerts({ ...deps, bot: createBot(deps), senders: { slack: hang }, holder: `crash-${process.pid}` }, now);
