/**
 * The statistics engine: pure functions on number arrays, simple-statistics underneath.
 * Undefined results are `null` (never NaN/Infinity); invalid parameters throw.
 */
export { mean, median, sampleVariance, sampleStdDev, quantile, percentileRank, summary } from "./describe.ts";
export type { Summary } from "./describe.ts";
export { pearson } from "./correlation.ts";
export { studentTCdf, studentTQuantile } from "./studentT.ts";
export { linearTrend, forecast } from "./trend.ts";
export type { Point, LinearTrend, Forecast } from "./trend.ts";
export { MAD_SCALE, mad, robustZ, robustZScores } from "./robust.ts";
export { iqrFence, isUpperOutlier } from "./outliers.ts";
export type { IqrFence } from "./outliers.ts";
export { flagOptionsSchema, flagPerformers } from "./flags.ts";
export type { Flag, FlagBasis, FlagOptions, Member } from "./flags.ts";
export * from "./forecast-total.ts";
