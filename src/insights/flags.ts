// Flags with their reasons and advice: who stands out, by how much, and what to do about it.
// Coaching is private; callers only ask for flags where individual figures may be shown.
import type { MetricFigures } from "../data/kpi-queries.ts";
import type { Formats } from "../format/index.ts";
import { messages } from "../i18n/messages.ts";
import { METRICS, type Metric, type MetricId } from "../metrics/index.ts";
import type { Lang, ReplyFlag } from "../reply.ts";
import { flagPerformers, median, type Flag, type FlagOptions } from "../stats/index.ts";
import { adviceForLow, contextMetrics, type Context } from "./advice.ts";
import type { GroupFigures } from "./group.ts";

export type FlagInput = {
  metric: Metric;
  group: GroupFigures;
  /** Quota attainment per member, where quotas exist. */
  quota: Map<number, number | null> | null;
  /** The advice context metrics' figures for the same people and period. */
  context: Map<MetricId, MetricFigures>;
  lang: Lang;
  currency: string;
  formats: Formats;
  /** The formatter of the group's values (formats.comparable over them), shared with the table. */
  fmt: (value: number | null) => string;
  options?: Partial<FlagOptions>;
};

export type Flagged = { raw: Flag[]; flags: ReplyFlag[]; of: Map<number, "low" | "top"> };

export function flagsFor(input: FlagInput): Flagged {
  const { metric, group, lang, formats } = input;
  const t = messages(lang);
  // No records at all: nothing to flag (a missing import is not a team of low performers).
  if (group.records === 0) return { raw: [], flags: [], of: new Map() };
  const all = flagPerformers(
    group.members.map((p) => ({ id: p.id, value: group.values.get(p.id) ?? null, quotaAttainment: input.quota?.get(p.id) ?? null })),
    { lowerIsBetter: metric.lowerIsBetter, minGap: metric.minGap, ...input.options },
  );
  const isNew = new Set(group.members.filter((p) => p.isNew).map((p) => p.id));
  const raw = all.filter((f) => !isNew.has(Number(f.id)));
  // Numbers a reason compares are written so that different values read differently.
  const fmt = input.fmt;
  const names = new Map(group.members.map((p) => [p.id, p.name]));
  // Context metrics the group has no records of are left out of the advice, and said so.
  const context = contextMetrics(metric.id).map((m) => ({ m, g: input.context.get(m) }));
  const present = context
    .filter((c): c is { m: MetricId; g: MetricFigures } => c.g !== undefined && c.g.totalCount > 0)
    .map(({ m, g }) => {
      const additive = METRICS[m].additive;
      const valueOf = (id: number) => g.perRep.get(id) ?? (additive ? 0 : null);
      const known = group.members.map((p) => valueOf(p.id)).filter((v): v is number => v !== null && Number.isFinite(v));
      return { m, valueOf, median: median(known) };
    });
  const missing = context.filter((c) => c.g !== undefined && c.g.totalCount === 0).map((c) => METRICS[c.m].name[lang]);
  const flags = raw.map((f): ReplyFlag => {
    const id = Number(f.id);
    const reasons: string[] = [];
    if (f.basis.includes("robust_z") && f.madsFromMedian !== null) {
      reasons.push(t.reasonZ({ metric: metric.name[lang], value: fmt(f.value), median: fmt(f.median), mads: f.madsFromMedian.toFixed(1), dir: (f.z ?? 0) < 0 ? "below" : "above" }));
    }
    if (f.basis.includes("quota") && f.quotaAttainment !== null) reasons.push(t.reasonQuota(formats.value(f.quotaAttainment, "percent", lang)));
    let advice: string;
    if (f.kind === "low") {
      const ctx: Context = Object.fromEntries(present.map(({ m, valueOf, median: med }) => [m, { value: valueOf(id), median: med }]));
      advice = t.advice[adviceForLow(metric.id, ctx, f.quotaAttainment)] + (missing.length > 0 ? ` ${t.missingData(missing)}` : "");
    } else {
      advice = t.advice.shareWins;
    }
    return { kind: f.kind, subject: names.get(id) ?? String(id), reason: reasons.join("; "), advice };
  });
  return { raw, flags, of: new Map(raw.map((f) => [Number(f.id), f.kind])) };
}
