// One concrete suggestion per flag, chosen by rules from the person's other metrics — only those
// the group actually has data for; what is missing is said, never read as zero.
import type { AdviceKey } from "../i18n/messages.ts";
import { METRICS, type MetricId } from "../metrics/index.ts";

/** A person's context figures next to the group's medians; absent = no data for the group. */
export type Context = Partial<Record<MetricId, { value: number | null; median: number | null }>>;

const below = (c: Context, m: MetricId, ratio = 0.8) => {
  const x = c[m];
  return x?.value != null && x.median != null && x.median > 0 && x.value < x.median * ratio;
};
const atLeast = (c: Context, m: MetricId) => {
  const x = c[m];
  // "Plenty" needs something: 0 at a median of 0 is not plenty.
  return x?.value != null && x.median != null && x.value > 0 && x.value >= x.median;
};
const above = (c: Context, m: MetricId, ratio = 1.25) => {
  const x = c[m];
  return x?.value != null && x.median != null && x.median > 0 && x.value > x.median * ratio;
};

/**
 * The advice for a LOW flag on `metric`.
 * Example: low sales with activities at or above the median but a low win rate → qualification.
 */
export function adviceForLow(metric: MetricId, c: Context, quotaAttainment: number | null): AdviceKey {
  switch (METRICS[metric].function) {
    case "sales":
      if (below(c, "activities")) return "pipelineGeneration";
      if (atLeast(c, "activities") && (metric === "winrate" || below(c, "winrate", 0.9))) return "qualification";
      if (metric === "cycle" || above(c, "cycle")) return "velocity";
      if (metric === "avgdeal" || below(c, "avgdeal")) return "dealSize";
      if (quotaAttainment !== null && quotaAttainment < 0.7) return "quotaPlan";
      return metric === "activities" ? "pipelineGeneration" : "generic";
    case "service":
      if (metric === "frt" || above(c, "frt")) return "serviceTriage";
      if (metric === "resolution" || above(c, "resolution")) return "serviceKnowledge";
      return "serviceQuality";
    case "marketing":
      if (metric === "cpl" || above(c, "cpl")) return "marketingSpend";
      return "marketingFunnel";
  }
}

/** Which other metrics the advice rules look at (the registry's `context`). */
export function contextMetrics(metric: MetricId): readonly MetricId[] {
  return METRICS[metric].context;
}
