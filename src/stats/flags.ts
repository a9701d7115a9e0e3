/**
 * Which team members stand out on a metric: robust z against the team, and quota attainment.
 * Returns data only; the wording users read is written by the insights layer.
 */
import { z } from "zod";
import { finiteOrNull } from "./finite.ts";
import { median } from "./describe.ts";
import { robustZScores } from "./robust.ts";

/** Thresholds for `flagPerformers`; every field but `lowerIsBetter` has a default. */
export const flagOptionsSchema = z
  .object({
    /** True for metrics where less is better (days to close, churn): flips the sign of z. */
    lowerIsBetter: z.boolean(),
    /** Fewer members with a value than this → quota rules only (a robust z needs ≥ 3). */
    minGroupSize: z.number().int().min(3).default(5),
    /** |robust z| at or beyond this flags a member. */
    zThreshold: z.number().positive().default(2),
    /** Quota attainment strictly below this flags LOW (0.7 = 70 % of quota). */
    quotaLow: z.number().nonnegative().default(0.7),
    /** Quota attainment at or above this flags TOP. */
    quotaHigh: z.number().positive().default(1.3),
    /**
     * The statistical rule also needs a practical difference: |value − median| at least
     * `absolute` and at least `relative` × |median| (bunched scores are not news).
     */
    minGap: z.object({ absolute: z.number().nonnegative(), relative: z.number().nonnegative() }).default({ absolute: 0, relative: 0 }),
  })
  .refine((o) => o.quotaLow < o.quotaHigh, {
    message: "quotaLow must be below quotaHigh",
    path: ["quotaHigh"],
  });

/** Options as a caller writes them (defaults optional). */
export type FlagOptions = z.input<typeof flagOptionsSchema>;

/** One member of the group; a `null` (or non-finite) value or attainment counts as missing. */
export type Member = {
  id: string | number;
  value: number | null;
  /** Share of quota reached, 1 = 100 %. */
  quotaAttainment?: number | null;
};

/** Why a member was flagged. */
export type FlagBasis = "robust_z" | "quota";

export type Flag = {
  id: string | number;
  kind: "low" | "top";
  value: number | null;
  /** Median of the group's non-missing values; `null` when nobody has a value. */
  median: number | null;
  /** Robust z on the metric's own scale (negative = below the median, whatever lowerIsBetter
   * says); `null` in a group below minGroupSize, when MAD = 0, or when the value is missing. */
  z: number | null;
  /** |z|: distance from the median in units of 1.4826·MAD (≈ standard deviations). */
  madsFromMedian: number | null;
  quotaAttainment: number | null;
  /** The rules that support `kind`, in the order robust_z, quota; never empty. */
  basis: FlagBasis[];
};

/**
 * Flags members who are LOW or TOP performers within their group, in input order.
 *
 * - Statistical rule, only when at least `minGroupSize` members have a value: LOW when the
 *   robust z is ≤ −zThreshold (≥ +zThreshold if lowerIsBetter), TOP symmetrically. MAD = 0
 *   flags nobody statistically.
 * - Quota rule, at any group size: LOW when quotaAttainment < quotaLow, TOP when ≥ quotaHigh.
 * - Conflicts (e.g. z says TOP, quota says LOW): LOW wins, so a warning is never hidden by
 *   good news elsewhere; `basis` then lists only the LOW rules, while `z` and
 *   `quotaAttainment` still carry both facts for the wording.
 *
 * Throws a ZodError for invalid options (a caller bug, e.g. quotaLow ≥ quotaHigh).
 *
 * @example
 * flagPerformers(
 *   [0.37, 0.4, 0.42, 0.44, 0.45, 0.46, 0.49].map((value, i) => ({ id: i, value })),
 *   { lowerIsBetter: false },
 * );
 * // median 0.44, MAD 0.02 → z(0.37) = −0.07 / (1.4826 · 0.02) = −2.36:
 * // => [{ id: 0, kind: "low", value: 0.37, median: 0.44, z: -2.3607…, madsFromMedian: 2.3607…,
 * //       quotaAttainment: null, basis: ["robust_z"] }]
 */
export function flagPerformers(members: readonly Member[], options: FlagOptions): Flag[] {
  const o = flagOptionsSchema.parse(options);
  const withValue = members.flatMap((m) => {
    const value = finiteOrNull(m.value);
    return value === null ? [] : [{ member: m, value }];
  });
  const values = withValue.map((w) => w.value);
  const groupMedian = median(values);
  const scores = values.length >= o.minGroupSize ? robustZScores(values) : values.map(() => null);
  const zOf = new Map(withValue.map((w, i) => [w.member, scores[i] ?? null]));
  const better = o.lowerIsBetter ? -1 : 1;

  return members.flatMap((m): Flag[] => {
    const z = zOf.get(m) ?? null;
    const value = finiteOrNull(m.value);
    const gap = value === null || groupMedian === null ? 0 : Math.abs(value - groupMedian);
    const practical = groupMedian !== null && gap > 0 && gap >= o.minGap.absolute && gap >= o.minGap.relative * Math.abs(groupMedian);
    const quotaAttainment = finiteOrNull(m.quotaAttainment);
    const low = basis(z !== null && practical && better * z <= -o.zThreshold, quotaAttainment !== null && quotaAttainment < o.quotaLow);
    const top = basis(z !== null && practical && better * z >= o.zThreshold, quotaAttainment !== null && quotaAttainment >= o.quotaHigh);
    const [kind, reasons] = low.length > 0 ? (["low", low] as const) : (["top", top] as const);
    if (reasons.length === 0) return [];
    return [
      {
        id: m.id,
        kind,
        value,
        median: groupMedian,
        z,
        madsFromMedian: z === null ? null : Math.abs(z),
        quotaAttainment,
        basis: reasons,
      },
    ];
  });
}

function basis(byZ: boolean, byQuota: boolean): FlagBasis[] {
  return [...(byZ ? (["robust_z"] as const) : []), ...(byQuota ? (["quota"] as const) : [])];
}
