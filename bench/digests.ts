// Bench case: digest fan-out to 1,000 channels through the real runner, ledger, core answers and
// Slack sender, against the fake Slack Web API enforcing 1 message/s per channel and a
// workspace-wide limit (429 + Retry-After beyond either). Reports the run's wall time next to the
// rate-limit floor (messages / workspace limit), and how many digests were lost or duplicated.
// The runner paces at 95 % of the limit: timers drift, and a message over the line costs a
// Retry-After second.
import { createSender } from "../adapters/slack/index.ts";
import { createBot } from "../src/bot.ts";
import { createChartRenderer } from "../src/charts/index.ts";
import { loadConfig } from "../src/config.ts";
import { createStores } from "../src/data/stores.ts";
import { createSeenRequests } from "../src/data/seen-requests.ts";
import { runDue } from "../src/digests/runner.ts";
import { silentLogger } from "../src/log.ts";
import type { Runtime } from "../src/runtime.ts";
import { startFakeSlack } from "../test/slack/support/fake-slack.ts";
import { freshDatabase } from "../test/support/databases.ts";
import { loadHandmade } from "../test/support/handmade.ts";
import type { Case } from "./harness.ts";

export async function digestCases(channels = 1000, workspacePerSec = 50): Promise<Case[]> {
  const db = await freshDatabase("pglite");
  const fake = await startFakeSlack();
  try {
    const h = await loadHandmade(db.prisma);
    await db.prisma.subscription.createMany({
      data: Array.from({ length: channels }, (_, i) => ({
        ownerId: h.manager, platform: "slack", destination: `C${String(i).padStart(6, "0")}`, private: false,
        cadence: "weekly", day: 1, time: "09:00", timeZone: "UTC", query: `team "Alpha" sales`,
      })),
    });
    fake.limitPosts({ perChannelMs: 1000, workspacePerSec });
    const now = new Date("2026-11-30T09:00:00Z");
    const engine = { prisma: db.prisma, now: () => now, timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD" };
    const bot = createBot(engine);
    const rt = { config: loadConfig({}), db, bot, stores: createStores(db.prisma), now: () => now, logger: silentLogger(), notes: [], seenRequests: createSeenRequests(db.prisma), close: async () => {} } satisfies Runtime;
    const sender = await createSender(rt, { env: { SLACK_BOT_TOKEN: "xoxb-bench", SLACK_API_URL: fake.apiUrl }, renderer: createChartRenderer() });
    const t0 = performance.now();
    await runDue({ ...engine, bot, senders: { slack: sender }, holder: "bench", ratePerSec: workspacePerSec * 0.95, concurrency: 16 }, now, { alerts: false });
    const ms = performance.now() - t0;
    const posts = fake.callsOf("chat.postMessage").filter((c) => c.status === 200);
    const delivered = new Set(posts.map((c) => String(c.args.channel)));
    const floor = (channels / workspacePerSec) * 1000;
    const r = (x: number) => Math.round(x * 100) / 100;
    return [{
      name: `digests: ${channels} channels, fake Slack at 1/s per channel and ${workspacePerSec}/s per workspace (lost ${channels - delivered.size}, duplicated ${posts.length - delivered.size}, 429s ${fake.callsOf("chat.postMessage").length - posts.length})`,
      n: 1, p50_ms: r(ms), p95_ms: r(ms), floor_p50_ms: r(floor), ratio: r(ms / floor), rss_mb: Math.round(process.memoryUsage().rss / 1e6),
    }];
  } finally {
    await fake.close();
    await db.dispose();
  }
}
