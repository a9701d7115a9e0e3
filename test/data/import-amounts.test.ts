import { describe, expect, it } from "vitest";
import { formatMinor, parseAmount, parseCount } from "../../src/data/import/amounts.ts";

const point = { decimalComma: false };
const comma = { decimalComma: true };

function minor(text: string, format = point) {
  const r = parseAmount(text, format);
  if (!r.ok) throw new Error(`expected ${text} to parse: ${r.error}`);
  return r.value;
}

function error(text: string, format = point) {
  const r = parseAmount(text, format);
  if (r.ok) throw new Error(`expected ${text} to be refused, got ${r.value.minor}`);
  return r.error;
}

describe("parseAmount", () => {
  it.each([
    ["¥1,200.50", 120050n, null],
    ["$1,200", 120000n, null],
    ["1 200.50", 120050n, null],
    ["1\u00a0200.50", 120050n, null],
    ["1\u202f200.5", 120050n, null],
    ["1'200.50", 120050n, null],
    ["1200", 120000n, null],
    ["0.5", 50n, null],
    [".75", 75n, null],
    ["1,234,567.89", 123456789n, null],
    ["1200.000", 120000n, null],
    ["€12", 1200n, "EUR"],
    ["£3.10", 310n, "GBP"],
    ["USD 1,200", 120000n, "USD"],
    ["1200 eur", 120000n, "EUR"],
    ["US$99", 9900n, "USD"],
    ["CN¥8", 800n, "CNY"],
    ["+42", 4200n, null],
  ])("reads %s as %s hundredths", (text, expected, currency) => {
    expect(minor(text)).toEqual({ minor: expected, currency });
  });

  it("reads 1.200,50 € with a decimal comma as 120050 in EUR", () => {
    expect(minor("1.200,50 €", comma)).toEqual({ minor: 120050n, currency: "EUR" });
    expect(minor("1 200,5", comma).minor).toBe(120050n);
    expect(minor("1.200", comma).minor).toBe(120000n);
    expect(minor("12,5", comma).minor).toBe(1250n);
  });

  it("keeps the sign of negative amounts so callers can say 'negative'", () => {
    expect(minor("-5").minor).toBe(-500n);
    expect(minor("−5.25").minor).toBe(-525n);
    expect(minor("(1,200.00)").minor).toBe(-120000n);
    expect(minor("-$1,200").minor).toBe(-120000n);
    expect(minor("$-1,200").minor).toBe(-120000n);
  });

  it("is exact beyond float precision", () => {
    expect(minor("90,071,992,547,409.93").minor).toBe(9007199254740993n);
    expect(error("922,337,203,685,477,580.08")).toMatch(/too large/);
  });

  it("refuses 1.200 without --decimal-comma as ambiguous (1.2 or 1200?)", () => {
    expect(error("1.200")).toBe('"1.200" is ambiguous (1.2 or 1200?): write 1200, or pass --decimal-comma if dots group thousands');
    expect(error("$1.500")).toMatch(/ambiguous/);
    // A leading 0 cannot be a thousands group.
    expect(minor("0.500").minor).toBe(50n);
  });

  it("tells which flag fits when the other convention is used", () => {
    expect(error("1.200,50 €")).toMatch(/pass --decimal-comma/);
    expect(error("12,5")).toMatch(/pass --decimal-comma/);
    expect(error("1.200.000")).toMatch(/pass --decimal-comma/);
    expect(error("1,200.50", comma)).toMatch(/drop --decimal-comma/);
    expect(error("1 200.5", comma)).toMatch(/drop --decimal-comma/);
  });

  it.each([
    ["1,2345", /thousands separators/],
    ["12,34,567", /thousands separators/],
    ["0.125", /more than 2 decimal places/],
    ["1200.555", /more than 2 decimal places/],
    ["1e5", /not an amount/],
    ["abc", /not an amount/],
    ["$€5", /not an amount|currency mark/],
    ["5 XYZW", /unknown currency mark/],
    ["", /blank/],
  ])("refuses %j", (text, message) => {
    expect(error(text)).toMatch(message);
  });
});

describe("parseCount", () => {
  it("reads whole numbers with thousands groups", () => {
    expect(parseCount("1,200", point)).toEqual({ ok: true, value: 1200 });
    expect(parseCount("1.200", comma)).toEqual({ ok: true, value: 1200 });
    expect(parseCount("40.0", point)).toEqual({ ok: true, value: 40 });
    expect(parseCount("-3", point)).toEqual({ ok: true, value: -3 });
  });

  it("refuses fractions and overflow", () => {
    expect(parseCount("12.5", point)).toMatchObject({ ok: false, error: expect.stringMatching(/whole number/) });
    expect(parseCount("3000000000", point)).toMatchObject({ ok: false, error: expect.stringMatching(/too large/) });
  });
});

describe("formatMinor", () => {
  it("renders hundredths with grouping", () => {
    expect(formatMinor(120050n)).toBe("1,200.50");
    expect(formatMinor(5n)).toBe("0.05");
    expect(formatMinor(-123456789n)).toBe("-1,234,567.89");
  });
});
