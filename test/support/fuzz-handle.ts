// Property test: whatever the text, handle() answers with a valid Reply, and nothing reaches
// the database unparsed (no SQL error is ever logged). 10,000 inputs in all, run as two files of
// 5,000 (each with its own random seed) so that two test workers share the work.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loggerFrom } from "../../src/log.ts";
import { createBot, type Bot } from "../../src/bot.ts";
import { METRIC_ALIASES } from "../../src/command/index.ts";
import { Reply } from "../../src/reply.ts";
import { freshDatabase, type TestDatabase } from "./databases.ts";
import { loadHandmade } from "./handmade.ts";

const words = [
  "team", "alpha", "beta", "org", "me", "rep", "@bo", "ann@acme.test", "<@UANN>", "top", "bottom", "3", "dist", "compare", "vs",
  "last", "this", "week", "month", "quarter", "year", "ytd", "q3", "q3-2026", "2026-09", "2026-07-01..2026-09-30", "last 30 days",
  "today", "团队", "销售额", "上季度", "我", "本月", "help", "metrics", "'", "\"", ";", "--", "DROP TABLE \"Deal\"", "%", "_", "\\",
  "\u0000", "\u202e", "😀", "𠜎", "?", "..", "-", "9999-99", "q9", "last 0 days",
  ...Object.values(METRIC_ALIASES).flatMap((w) => [...w.en, ...w.zh]),
];

const input = fc.oneof(
  { arbitrary: fc.array(fc.constantFrom(...words), { minLength: 0, maxLength: 8 }).map((ws) => ws.join(" ")), weight: 4 },
  { arbitrary: fc.string({ unit: "grapheme", maxLength: 60 }), weight: 3 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 600 }), weight: 2 },
  { arbitrary: fc.constantFrom("😀".repeat(2600), "a".repeat(10_000), "team " + "x".repeat(5000)), weight: 1 },
);

/** Registers the property with `runs` generated inputs (a share of the 10,000). */
export function describeHandleFuzz(runs: number): void {
  describe(`handle() under ${runs.toLocaleString("en-US")} generated inputs`, () => {
    let db: TestDatabase;
    let bot: Bot;
    const errors: string[] = [];
    beforeAll(async () => {
      db = await freshDatabase("pglite");
      await loadHandmade(db.prisma);
      bot = createBot({
        prisma: db.prisma, now: () => new Date("2026-11-26T12:00:00Z"), timeZone: "UTC", fiscalYearStartMonth: 1, currency: "USD",
        logger: loggerFrom((level, event, data) => void (level === "error" && errors.push(`${event} ${JSON.stringify(data)}`))),
      });
    });
    afterAll(() => db?.dispose());

    it("always returns a valid Reply, never an internal error", async () => {
      const users = ["ada@acme.test", "mia@acme.test", "ann@acme.test", "UANN", "nobody"];
      await fc.assert(
        fc.asyncProperty(input, fc.constantFrom(...users), async (text, userId) => {
          const reply = await bot.handle({ platform: "console", userId, text });
          Reply.parse(reply);
          expect(reply.summary).not.toMatch(/went wrong/);
        }),
        { numRuns: runs },
      );
      expect(errors).toEqual([]);
      expect(await db.prisma.deal.count()).toBe(11);
    }, 600_000);
  });
}
