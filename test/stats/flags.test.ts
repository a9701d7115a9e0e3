import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { flagOptionsSchema, flagPerformers, type Member } from "../../src/stats/index.ts";

const team = (values: (number | null)[], quotas: (number | null)[] = []): Member[] =>
  values.map((value, i) => ({ id: `rep${i}`, value, quotaAttainment: quotas[i] ?? null }));

// Win rates: median 0.44; |x − 0.44| = .07 .04 .02 0 .01 .02 .05 → MAD 0.02, scale 0.029652.
// z(0.37) = −0.07 / 0.029652 = −2.3607; z(0.40) = −1.349; z(0.49) = +1.686.
const winRates = [0.37, 0.4, 0.42, 0.44, 0.45, 0.46, 0.49];

describe("flagPerformers", () => {
  it("flags a rep whose win rate is more than 2 scaled MADs below the team median", () => {
    const flags = flagPerformers(team(winRates), { lowerIsBetter: false });
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ id: "rep0", kind: "low", value: 0.37, median: 0.44, quotaAttainment: null, basis: ["robust_z"] });
    expect(flags[0]?.z).toBeCloseTo(-0.07 / (1.4826 * 0.02), 9);
    expect(flags[0]?.madsFromMedian).toBeCloseTo(0.07 / (1.4826 * 0.02), 9);
  });

  it("flags a top performer more than 2 scaled MADs above the median", () => {
    // 0.50 → z = 0.06 / 0.029652 = +2.0235 (MAD unchanged: deviations .07 .04 .02 0 .01 .02 .06)
    const flags = flagPerformers(team([0.37, 0.4, 0.42, 0.44, 0.45, 0.46, 0.5]), { lowerIsBetter: false });
    expect(flags.map((f) => [f.id, f.kind])).toEqual([
      ["rep0", "low"],
      ["rep6", "top"],
    ]);
    expect(flags[1]?.z).toBeCloseTo(0.06 / (1.4826 * 0.02), 9);
  });

  it("does not flag a rep inside the threshold", () => {
    const flags = flagPerformers(team(winRates), { lowerIsBetter: false });
    expect(flags.map((f) => f.id)).not.toContain("rep1"); // z = −1.349
    expect(flags.map((f) => f.id)).not.toContain("rep6"); // z = +1.686
  });

  it("flips the sign for a lower-is-better metric", () => {
    // Days to close: median 30, deviations 12 2 1 0 1 2 12 → MAD 2, scale 2.9652.
    // z(42) = +4.05 is LOW (slow), z(18) = −4.05 is TOP (fast).
    const flags = flagPerformers(team([42, 32, 31, 30, 29, 28, 18]), { lowerIsBetter: true });
    expect(flags.map((f) => [f.id, f.kind])).toEqual([
      ["rep0", "low"],
      ["rep6", "top"],
    ]);
    expect(flags[0]?.z).toBeCloseTo(12 / (1.4826 * 2), 9);
  });

  it("flags nobody statistically when MAD is 0", () => {
    const flags = flagPerformers(team([0.5, 0.5, 0.5, 0.5, 0.1, 0.9, 0.5]), { lowerIsBetter: false });
    expect(flags).toEqual([]);
  });

  it("still applies quota rules when MAD is 0", () => {
    const flags = flagPerformers(team([0.5, 0.5, 0.5, 0.5, 0.1, 0.9, 0.5], [1, 1, 1, 1, 0.5, 1, 1]), { lowerIsBetter: false });
    expect(flags).toEqual([
      { id: "rep4", kind: "low", value: 0.1, median: 0.5, z: null, madsFromMedian: null, quotaAttainment: 0.5, basis: ["quota"] },
    ]);
  });

  it("uses quota only below 5 reps", () => {
    // With a group of 4, 0.05 would be an extreme z, but no z is computed.
    const flags = flagPerformers(team([0.05, 0.4, 0.41, 0.42], [1, 0.6, 1.35, 1]), { lowerIsBetter: false });
    expect(flags).toEqual([
      { id: "rep1", kind: "low", value: 0.4, median: 0.405, z: null, madsFromMedian: null, quotaAttainment: 0.6, basis: ["quota"] },
      { id: "rep2", kind: "top", value: 0.41, median: 0.405, z: null, madsFromMedian: null, quotaAttainment: 1.35, basis: ["quota"] },
    ]);
  });

  it("counts only members with a value towards the group size", () => {
    // Five members, but one has no value: four values → quota only, nobody flagged.
    expect(flagPerformers(team([0.05, 0.4, 0.41, 0.42, null]), { lowerIsBetter: false })).toEqual([]);
    expect(flagPerformers(team([0.05, 0.4, 0.41, 0.42, 0.43]), { lowerIsBetter: false }).map((f) => f.id)).toEqual(["rep0"]);
  });

  it("flags a member without a value on quota alone", () => {
    const flags = flagPerformers(team([...winRates, null], [1, 1, 1, 1, 1, 1, 1, 0.3]), { lowerIsBetter: false });
    expect(flags.find((f) => f.id === "rep7")).toEqual({
      id: "rep7",
      kind: "low",
      value: null,
      median: 0.44,
      z: null,
      madsFromMedian: null,
      quotaAttainment: 0.3,
      basis: ["quota"],
    });
  });

  it("treats a non-finite value as missing", () => {
    const flags = flagPerformers(team([...winRates, Number.NaN]), { lowerIsBetter: false });
    expect(flags.map((f) => f.id)).toEqual(["rep0"]);
    expect(flags[0]?.median).toBe(0.44);
  });

  it("lists both rules when z and quota agree", () => {
    const flags = flagPerformers(team(winRates, [0.5]), { lowerIsBetter: false });
    expect(flags[0]).toMatchObject({ id: "rep0", kind: "low", basis: ["robust_z", "quota"], quotaAttainment: 0.5 });
  });

  it("prefers LOW when z says top but quota says low, keeping both facts", () => {
    const values = [0.37, 0.4, 0.42, 0.44, 0.45, 0.46, 0.5]; // rep6: z = +2.02
    const flags = flagPerformers(team(values, [1, 1, 1, 1, 1, 1, 0.6]), { lowerIsBetter: false });
    const rep6 = flags.find((f) => f.id === "rep6");
    expect(rep6).toMatchObject({ kind: "low", basis: ["quota"], quotaAttainment: 0.6 });
    expect(rep6?.z).toBeGreaterThan(2);
  });

  it("prefers LOW when z says low but quota says top", () => {
    const flags = flagPerformers(team(winRates, [1.5]), { lowerIsBetter: false });
    expect(flags[0]).toMatchObject({ id: "rep0", kind: "low", basis: ["robust_z"], quotaAttainment: 1.5 });
  });

  it("treats quotaLow as exclusive and quotaHigh as inclusive", () => {
    const flags = flagPerformers(team([1, 2, 3], [0.7, 1.3, 0.69]), { lowerIsBetter: false });
    expect(flags.map((f) => [f.id, f.kind])).toEqual([
      ["rep1", "top"],
      ["rep2", "low"],
    ]);
  });

  it("honours custom thresholds", () => {
    // zThreshold 2.5 spares rep0 (z = −2.36); minGroupSize 8 switches statistics off.
    expect(flagPerformers(team(winRates), { lowerIsBetter: false, zThreshold: 2.5 })).toEqual([]);
    expect(flagPerformers(team(winRates), { lowerIsBetter: false, minGroupSize: 8 })).toEqual([]);
    const quota = flagPerformers(team([1, 2, 3], [0.75, 1.2, 1]), { lowerIsBetter: false, quotaLow: 0.8, quotaHigh: 1.2 });
    expect(quota.map((f) => [f.id, f.kind])).toEqual([
      ["rep0", "low"],
      ["rep1", "top"],
    ]);
  });

  it("rejects inconsistent options", () => {
    expect(() => flagPerformers([], { lowerIsBetter: false, quotaLow: 1.3, quotaHigh: 1.3 })).toThrow(ZodError);
    expect(() => flagPerformers([], { lowerIsBetter: false, minGroupSize: 2 })).toThrow(ZodError);
    expect(() => flagPerformers([], { lowerIsBetter: false, zThreshold: 0 })).toThrow(ZodError);
  });

  it("fills in the documented defaults", () => {
    expect(flagOptionsSchema.parse({ lowerIsBetter: true })).toEqual({
      lowerIsBetter: true,
      minGap: { absolute: 0, relative: 0 },
      minGroupSize: 5,
      zThreshold: 2,
      quotaLow: 0.7,
      quotaHigh: 1.3,
    });
  });

  it("returns no flags for an empty group", () => {
    expect(flagPerformers([], { lowerIsBetter: false })).toEqual([]);
  });
});
