import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  FILLER_WORDS,
  OPTION_WORDS,
  PERIOD_WORDS_ZH,
  SCOPE_WORDS,
} from "../../src/command/vocabulary.ts";
import {
  METRIC_ALIASES,
  PERIOD_EXAMPLES,
  ParseResult,
  formatCommandError,
  parseCommand,
  previous,
  type ParseContextInput,
} from "../../src/command/index.ts";
import { at, command } from "./support.ts";

const ctx = at("2026-11-26T10:00:00Z");

describe("hostile and odd input", () => {
  it("refuses 10 kB of emoji as too long", () => {
    const r = parseCommand("🎉".repeat(5000), ctx);
    expect(r).toEqual({ ok: false, error: { code: "too_long", suggestions: [] }, lang: "en" });
  });

  it("refuses two million characters as too long", () => {
    const r = parseCommand("销售额 ".repeat(500_000), ctx);
    expect(r).toEqual({ ok: false, error: { code: "too_long", suggestions: [] }, lang: "zh" });
  });

  it("accepts 500 characters and refuses 501", () => {
    const fill = (n: number) => `sales ${"x".repeat(n - 6)}`;
    expect(parseCommand(fill(500), ctx)).toMatchObject({ ok: false, error: { code: "unknown_word" } });
    expect(parseCommand(fill(501), ctx)).toMatchObject({ ok: false, error: { code: "too_long" } });
  });

  it("counts characters, not UTF-16 units: 250 emoji with words still parse", () => {
    expect(command(`sales q3 ${"🙂".repeat(250)}`, ctx)).toEqual(command("sales q3", ctx));
  });

  it("treats an SQL fragment as words it does not know", () => {
    const r = parseCommand(`'; DROP TABLE "Deal"; --`, ctx);
    expect(r).toEqual({ ok: false, error: { code: "unknown_word", token: "DROP", suggestions: [] }, lang: "en" });
  });

  it("strips control and bidi characters", () => {
    expect(command("\u0000sales\u0007 q3\u001b\u202E", ctx)).toEqual(command("sales q3", ctx));
  });

  it("drops lone surrogates", () => {
    expect(command("\uD800sales \uDFFF q3\uDBFF", ctx)).toEqual(command("sales q3", ctx));
  });

  it("ignores emoji and punctuation around the words", () => {
    expect(command("🎉 sales, q3!!! 🙏", ctx)).toEqual(command("sales q3", ctx));
  });

  it.each(["", "   ", "\t\n\r", "\u0000\u0001", "\u3000", "🎉", "...", "--"])("answers %j with the default query", (text) => {
    expect(command(text, ctx)).toEqual({ kind: "query", view: "summary", lang: "en" });
  });

  it("refuses a name longer than 100 characters, naming it", () => {
    const r = parseCommand(`team "${"n".repeat(101)}" sales`, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: "too_long" } });
    expect(r.ok ? "" : r.error.token).toMatch(/^n+…$/);
  });

  it("throws for an invalid context, which is a bug and not user input", () => {
    expect(() => parseCommand("sales", { now: new Date("2026-01-01"), timeZone: "Mars/Olympus" })).toThrow();
    expect(() => parseCommand("sales", { now: new Date("2026-01-01"), fiscalYearStartMonth: 13 })).toThrow();
    expect(() => parseCommand("sales", { now: new Date(Number.NaN) })).toThrow();
  });
});

const words: string[] = [
  ...Object.values(METRIC_ALIASES).flatMap((w) => [...w.en, ...w.zh]),
  ...Object.values(SCOPE_WORDS).flatMap((w) => [...w.en, ...w.zh]),
  ...Object.values(OPTION_WORDS).flatMap((w) => [...w.en, ...w.zh]),
  ...PERIOD_EXAMPLES.en,
  ...Object.keys(PERIOD_WORDS_ZH),
  ...FILLER_WORDS.en.slice(0, 20),
  ...FILLER_WORDS.zh.slice(0, 10),
  ...["last", "this", "next", "past", "30", "days", "weeks", "q5", "2026-02-30", "2026-13", "1969", "fy26", "may"],
  ...["<@U123ABC>", "<@U1|li>", "<at>Li Wei</at>", "<mailto:a@b.co|a@b.co>", '"Li Wei"', '"', "@li.wei", "a@b.co"],
  ...["前5名", "后80名", "最近0天", "2026年第5季度", "2026年13月", "第三季度", "十二月", "..", "-", "~", "至", "to", "and"],
  ...["'; DROP TABLE \"Deal\"; --", "\u0000", "\uD800", "\uDC00", "🎉", "\u202E", "ＳＡＬＥＳ", "\u3000", "?", "？"],
];

const utf16Unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

const soup = fc
  .tuple(
    fc.array(fc.oneof(fc.constantFrom(...words), fc.string({ maxLength: 6 }), fc.integer({ min: -5, max: 3100 }).map(String)), {
      maxLength: 10,
    }),
    fc.constantFrom(" ", "", "-", " vs ", ",", "\u3000"),
  )
  .map(([parts, sep]) => parts.join(sep));

const anyText = fc.oneof(
  soup,
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.string({ unit: utf16Unit, maxLength: 60 }),
  fc.string({ unit: "grapheme", minLength: 480, maxLength: 520 }),
);

const anyContext: fc.Arbitrary<ParseContextInput> = fc.record({
  now: fc.date({ min: new Date("1975-01-01T00:00:00Z"), max: new Date("2900-01-01T00:00:00Z"), noInvalidDate: true }),
  timeZone: fc.constantFrom(
    "UTC",
    "Asia/Shanghai",
    "America/Los_Angeles",
    "Pacific/Kiritimati",
    "America/Santiago",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "America/St_Johns",
    "Africa/Casablanca",
    "Pacific/Apia",
  ),
  fiscalYearStartMonth: fc.integer({ min: 1, max: 12 }),
});

describe("any input", () => {
  it("returns a valid ParseResult and never throws (10,000 runs)", { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(anyText, anyContext, (text, context) => {
        const result = parseCommand(text, context);
        const checked = ParseResult.safeParse(result);
        if (!checked.success) throw new Error(`${JSON.stringify(text)}: ${checked.error.message}`);
        if (!result.ok) {
          expect(formatCommandError(result.error, result.lang).length).toBeGreaterThan(0);
          return;
        }
        const c = result.command;
        const periods = c.kind === "query" ? (c.period ? [c.period] : []) : c.kind === "compare" ? [c.a, c.b] : [];
        for (const p of periods) {
          const before = previous(p, context);
          expect(before.start.getTime()).toBeLessThanOrEqual(before.end.getTime());
          expect(before.end.getTime()).toBeLessThanOrEqual(p.start.getTime());
        }
      }),
      { numRuns: 10_000 },
    );
  });

  it("gives periods that start and end where local days begin, and tile with previous()", { timeout: 60_000 }, () => {
    const periodText = fc.constantFrom(
      "today", "this week", "last week", "this month", "last month", "this quarter", "last quarter", "this year",
      "last year", "q1", "q4", "2026-02", "2024", "last 30 days", "2026-07-01..2026-09-30", "上周", "本季度",
    );
    fc.assert(
      fc.property(periodText, anyContext, (text, context) => {
        const result = parseCommand(text, context);
        if (!result.ok || result.command.kind !== "query" || !result.command.period) throw new Error(`no period for ${text}`);
        const p = result.command.period;
        const localDate = new Intl.DateTimeFormat("en-CA", { timeZone: context.timeZone, dateStyle: "short" });
        // Each bound is the first instant of its local day: midnight, or the end of a gap
        // that swallowed midnight (DST, or an offset change such as Kiritimati's in 1979).
        for (const t of [p.start, p.end]) {
          expect(localDate.format(new Date(t.getTime() - 1))).not.toBe(localDate.format(t));
        }
        // Whole calendar units and ranges are immediately preceded by previous().
        expect(previous(p, context).end.getTime()).toBe(p.start.getTime());
      }),
      { numRuns: 5_000 },
    );
  });
});
