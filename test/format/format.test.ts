import { describe, expect, it } from "vitest";
import { createFormats, formatComparable, formatDelta, formatPercentile, formatSlope, formatValue, shownUnit } from "../../src/format/index.ts";

describe("formatValue", () => {
  it("writes each unit the way the replies always have", () => {
    expect(formatValue(123456, "currency", "en", "USD")).toBe("$1,235");
    expect(formatValue(5050, "currency", "en", "USD")).toBe("$50.5");
    expect(formatValue(0.314, "percent", "en")).toBe("31.4%");
    expect(formatValue(1.3, "minutes", "en")).toBe("1 min");
    expect(formatValue(0.14, "hours", "zh")).toBe("0.1 小时");
    expect(formatValue(3.456, "score", "en")).toBe("3.46 / 5");
    expect(formatValue(null, "count", "en")).toBe("—");
  });

  it("gives the same text from a kept Formats as from the free function", () => {
    const formats = createFormats();
    for (const [v, unit] of [[123456, "currency"], [0.314, "percent"], [12.25, "days"], [3.4, "score"]] as const) {
      expect(formats.value(v, unit, "zh", "CNY")).toBe(formatValue(v, unit, "zh", "CNY"));
    }
    expect(formats.numbers.plain("en", 1)).toBe(formats.numbers.plain("en", 1));
    expect(createFormats().numbers.plain("en", 1)).not.toBe(formats.numbers.plain("en", 1));
  });

  it("keeps deltas, percentiles and slopes", () => {
    expect(formatDelta(120, 100, "count", false, "en")).toEqual({ text: "+20.0%", direction: "up", good: true });
    expect(formatDelta(0.3, 0.25, "percent", false, "zh")?.text).toBe("+5.0 个百分点");
    expect(formatDelta(5000, 0, "currency", false, "en", "EUR")?.text).toBe("+€50 (from 0)");
    expect(formatPercentile(0.734, "en")).toBe("73rd percentile");
    expect(formatSlope(-250000, "currency", "en")).toBe("−$2,500");
  });
});

describe("formatComparable", () => {
  it("shows call-centre first responses that formatValue rounds to '1 min' as different numbers", () => {
    const values = [0.82, 0.97, 1.1, 1.3];
    expect(values.map((v) => formatValue(v, "minutes", "en"))).toEqual(["1 min", "1 min", "1 min", "1 min"]);
    const f = formatComparable(values, "minutes", "en");
    expect(values.map(f)).toEqual(["0.82 min", "0.97 min", "1.1 min", "1.3 min"]);
  });

  it("shows sub-hour resolution times in minutes", () => {
    const values = [0.06, 0.09, 0.14];
    expect(new Set(values.map((v) => formatValue(v, "hours", "en"))).size).toBe(1);
    const f = formatComparable(values, "hours", "en");
    expect(values.map(f)).toEqual(["3.6 min", "5.4 min", "8.4 min"]);
    expect(formatComparable(values, "hours", "zh")(0.14)).toBe("8.4 分钟");
  });

  it("shows sub-minute first responses in seconds", () => {
    const f = formatComparable([0.5, 0.75, 0.8], "minutes", "en");
    expect([0.5, 0.75, 0.8].map(f)).toEqual(["30 s", "45 s", "48 s"]);
    expect(formatComparable([0.5], "minutes", "zh")(0.5)).toBe("30 秒");
  });

  it("makes a flag's value and its median differ when they differ", () => {
    const f = formatComparable([1.3, 0.97], "minutes", "en");
    expect(`${f(1.3)} vs team median ${f(0.97)}`).toBe("1.3 min vs team median 0.97 min");
    const g = formatComparable([3.5, 3.4], "score", "en");
    expect(g(3.5)).not.toBe(g(3.4));
  });

  it("adds digits only where needed", () => {
    expect([0.314, 0.3142].map(formatComparable([0.314, 0.3142], "percent", "en"))).toEqual(["31.4%", "31.42%"]);
    expect([0.31, 0.42].map(formatComparable([0.31, 0.42], "percent", "en"))).toEqual(["31%", "42%"]);
    // Money: whole units until two amounts collide, then cents, never beyond.
    expect([123456, 987654].map(formatComparable([123456, 987654], "currency", "en"))).toEqual(["$1,235", "$9,877"]);
    expect([123440, 123410].map(formatComparable([123440, 123410], "currency", "en"))).toEqual(["$1,234.4", "$1,234.1"]);
    expect([100001, 100002].map(formatComparable([100001, 100002], "currency", "en"))).toEqual(["$1,000.01", "$1,000.02"]);
    expect([12, 340].map(formatComparable([12, 340], "minutes", "en"))).toEqual(["12 min", "340 min"]);
  });

  it("treats equal values as equal, nulls as missing", () => {
    const f = formatComparable([0.1 + 0.2, 0.3, null], "ratio", "en");
    expect(f(0.3)).toBe("0.3");
    expect(f(null)).toBe("—");
    expect(f(Number.NaN)).toBe("—");
  });

  it("picks the unit from the whole set", () => {
    expect(shownUnit([0.82, 0.97], "minutes")).toEqual({ unit: "seconds", scale: 60 });
    expect(shownUnit([0.82, 1.3], "minutes")).toEqual({ unit: "minutes", scale: 1 });
    expect(shownUnit([0, 0], "hours")).toEqual({ unit: "hours", scale: 1 });
  });
});

describe("formats.axis", () => {
  const formats = createFormats();

  it("writes every Chinese money tick in 万 once one needs it (not 'US$8000' beside 'US$1.2万')", () => {
    const ticks = [0, 400000, 800000, 1200000, 1600000];
    const f = formats.axis(ticks, "currency", "zh", "USD");
    expect(ticks.map(f)).toEqual(["US$0", "US$0.4万", "US$0.8万", "US$1.2万", "US$1.6万"]);
  });

  it("writes every English money tick in K once one needs it", () => {
    const ticks = [0, 50000, 100000, 150000];
    expect(ticks.map(formats.axis(ticks, "currency", "en", "USD"))).toEqual(["$0", "$0.5K", "$1K", "$1.5K"]);
    const big = [0, 200_000_00, 400_000_00];
    expect(big.map(formats.axis(big, "currency", "en", "USD"))).toEqual(["$0", "$200K", "$400K"]);
  });

  it("keeps small axes whole and counts uncompacted below 10,000", () => {
    const money = [0, 20000, 40000, 60000];
    expect(money.map(formats.axis(money, "currency", "zh", "CNY"))).toEqual(["¥0", "¥200", "¥400", "¥600"]);
    const counts = [0, 2000, 4000, 6000, 8000];
    expect(counts.map(formats.axis(counts, "count", "en"))).toEqual(["0", "2,000", "4,000", "6,000", "8,000"]);
    const many = [0, 5000, 10000, 15000];
    expect(many.map(formats.axis(many, "count", "zh"))).toEqual(["0", "0.5万", "1万", "1.5万"]);
  });

  it("gives durations the unit of the data and enough digits", () => {
    const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1];
    expect(ticks.map(formats.axis(ticks, "minutes", "en"))).toEqual(["0 min", "0.2 min", "0.4 min", "0.6 min", "0.8 min", "1 min"]);
    const f = formats.axis(ticks, "minutes", "en", "USD", [0.5, 0.8]);
    expect(ticks.map(f)).toEqual(["0 s", "12 s", "24 s", "36 s", "48 s", "60 s"]);
  });
});
