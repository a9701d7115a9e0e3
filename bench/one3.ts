import { openDatabase } from "../src/data/db.ts";
import { createBot } from "../src/bot.ts";
const db = await openDatabase({ kind: "postgres", url: "postgres://postgres@127.0.0.1:5432/kpi_bench" });
const bot = createBot({ prisma: db.prisma, now: () => new Date("2026-11-26T12:00:00Z"), timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD" });
const req = { platform: "console" as const, userId: "bench.head@bench.kpi-bot.dev", text: "/kpi team sales last-quarter" };
for (let i = 0; i < 600; i++) await bot.handle(req);
await db.close();
