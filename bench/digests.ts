// Bench case: 1,000 subscriptions due at once, through the real runner, ledger and core answers
// on an embedded database; the platform edge is a sender with 5 ms latency per message, except
// one slow channel (250 ms per message, 20 subscriptions). Reports wall time next to the floor:
// the slow channel's own serial time, which no schedule can beat.
import { createBot } from "../src/bot.ts";
import { runDue } from "../src/digests/runner.ts";
import type { Sender } from "../src/digests/sender.ts";
import { freshDatabase } from "../test/support/databases.ts";
import { loadHandmade } from "../test/support/handmade.ts";
import type { Case } from "./harness.ts";

export async function digestCases(): Promise<Case[]> {
  const db = await freshDatabase("pglite");
  try {
    const h = await loadHandmade(db.prisma);
    const n = 1000;
    const slow = 20;
    await db.prisma.subscription.createMany({
      data: Array.from({ length: n }, (_, i) => ({
        ownerId: h.manager, platform: "slack", destination: i < slow ? "C-SLOW" : `C${i}`, private: false,
        cadence: "weekly", day: 1, time: "09:00", timeZone: "UTC", query: `team "Alpha" sales`,
      })),
    });
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const sender: Sender = { send: async (to) => (await sleep(to.address === "C-SLOW" ? 250 : 5), { ok: true }) };
    const engine = { prisma: db.prisma, now: () => new Date("2026-11-30T09:00:00Z"), timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD" };
    const t0 = performance.now();
    const summary = await runDue({ ...engine, bot: createBot(engine), senders: { slack: sender }, holder: "bench", channelGapMs: 0 }, engine.now(), { alerts: false });
    const ms = performance.now() - t0;
    if (summary.sent !== n) throw new Error(`expected ${n} digests, sent ${summary.sent}`);
    const floor = slow * 250;
    const r = (x: number) => Math.round(x * 100) / 100;
    return [{ name: `digests: ${n} due at once, one slow channel (wall time of the run)`, n: 1, p50_ms: r(ms), p95_ms: r(ms), floor_p50_ms: floor, ratio: r(ms / floor), rss_mb: Math.round(process.memoryUsage().rss / 1e6) }];
  } finally {
    await db.dispose();
  }
}
