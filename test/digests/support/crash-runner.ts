// A digest runner process for the kill-and-restart test: it claims the due digests, says
// "SENDING" and then hangs inside the send, so the test can kill it between ledger write and send.
import { createBot } from "../../../src/bot.ts";
import { openDatabase } from "../../../src/data/db.ts";
import { runDue } from "../../../src/digests/runner.ts";

const url = process.env.CRASH_DATABASE_URL!;
const now = new Date(process.env.CRASH_NOW!);
const db = await openDatabase({ kind: "postgres", url });
const deps = { prisma: db.prisma, now: () => now, timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD" };
const bot = createBot(deps);
const hang = {
  send: () => {
    process.stdout.write("SENDING\n");
    return new Promise<never>(() => {});
  },
};
await runDue({ prisma: db.prisma, bot, senders: { slack: hang }, holder: `crash-${process.pid}`, timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD" }, now, { alerts: false });
