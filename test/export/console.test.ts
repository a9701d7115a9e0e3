// The console (`npm start` without Slack/Teams): a `csv` / `xlsx` answer is written into
// KPI_EXPORT_DIR and its path printed.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runConsole } from "../../adapters/console/console.ts";
import { createBot } from "../../src/bot.ts";
import { loadConfig } from "../../src/config.ts";
import { createSeenRequests } from "../../src/data/seen-requests.ts";
import { createStores } from "../../src/data/stores.ts";
import { loggerFrom } from "../../src/log.ts";
import type { Runtime } from "../../src/runtime.ts";
import { freshDatabase, type TestDatabase } from "../support/databases.ts";
import { loadHandmade } from "../support/handmade.ts";

const NOW = new Date("2026-11-26T12:00:00Z");
let db: TestDatabase;
let dir: string;

beforeAll(async () => {
  db = await freshDatabase("pglite");
  await loadHandmade(db.prisma);
  dir = await mkdtemp(path.join(os.tmpdir(), "kpi-export-"));
});
afterAll(async () => {
  await db?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function consoleSession(lines: string[]): Promise<string> {
  const bot = createBot({ prisma: db.prisma, now: () => NOW, timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD" });
  const rt: Runtime = {
    config: loadConfig({ KPI_USER: "mia@acme.test", KPI_EXPORT_DIR: dir }),
    db, bot, stores: createStores(db.prisma), now: () => NOW, logger: loggerFrom(() => undefined), notes: [],
    seenRequests: createSeenRequests(db.prisma), close: async () => {},
  };
  const input = new PassThrough();
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on("data", (c: Buffer) => chunks.push(c));
  input.end(lines.join("\n") + "\n");
  await runConsole(rt, input, output);
  return Buffer.concat(chunks).toString("utf8");
}

describe("export on the console", () => {
  it("writes the file into KPI_EXPORT_DIR and prints its path", async () => {
    const out = await consoleSession(["team alpha sales q3-2026 xlsx", "/kpi 团队 Alpha 销售额 2026年第3季度 导出"]);
    const files = [...out.matchAll(/^\[file\] (.+)$/gm)].map((m) => m[1]!);
    expect(files.map((f) => path.relative(dir, f))).toEqual(["kpi-sales-team-alpha-q3-2026-20261126.xlsx", expect.stringMatching(/^kpi-.+-20261126\.csv$/)]);
    expect((await readFile(files[0]!)).subarray(0, 2).toString()).toBe("PK");
    expect((await readFile(files[1]!)).toString("utf8")).toContain("Bo Chen 陈博,bo@acme.test,2000,USD");
  });

  it("prints no file line for an answer asked without an export word", async () => {
    expect(await consoleSession(["team alpha sales q3-2026"])).not.toContain("[file]");
  });
});
