import { createBot } from "../src/bot.ts";
import { openDatabase } from "../src/data/db.ts";
const db = await openDatabase({ kind: "postgres", url: "postgres://postgres@127.0.0.1:5432/kpi_bench" });
const now = () => new Date("2026-11-26T12:00:00Z");
const bot = createBot({ prisma: db.prisma, now, timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD" });
const text = process.argv[2]!;
const req = { platform: "console" as const, userId: "bench-admin@kpi-dim.test", text };
await bot.handle(req);
for (let i = 0; i < Number(process.env.N ?? 5); i++) { const t = performance.now(); await bot.handle(req); console.log((performance.now() - t).toFixed(1)); }
await db.sql.exec(`SELECT 'MARK-${Date.now()}'`);
await db.sql.exec(`SET log_min_duration_statement = 0`).catch(() => {});
const r = await bot.handle(req);
console.log(r.kind, r.title);
await db.close();
