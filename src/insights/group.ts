// The people a metric ranks, their values and what may be said about the group: one set of rules
// for plain answers, comparisons, digests and alerts (they all come through here).
import type { Roster } from "../access/roster.ts";
import { seesOneByOne, teamFunctions, type Viewer, type Visibility } from "../access/rules.ts";
import type { MetricFigures } from "../data/kpi-queries.ts";
import type { Metric } from "../metrics/index.ts";
import { mean, median } from "../stats/index.ts";
import type { Person } from "./targets.ts";

/** A group figure is shown to someone who may not see its members only from this many contributors. */
export const MIN_CONTRIBUTORS = 3;
/**
 * …and its spread (median, mean, ranks, distribution, series) only from this many: with the total,
 * a median and one's own figure, a 3- or 4-person group can be solved for each member.
 */
export const MIN_CONTRIBUTORS_FOR_SPREAD = 5;

/** A person the metric applies to; `isNew`: started during the period, ranked but never flagged. */
export type Member = Person & { isNew: boolean };

/**
 * Who a metric ranks: members of a team of the metric's function (inherited from parent teams), or
 * anyone with a record of its kind ever. The roster holds only active people; someone who starts
 * after the period ends is not in it yet.
 */
export function membersFor(metric: Metric, people: readonly Person[], roster: Pick<Roster, "teams" | "byId">, withRecords: ReadonlySet<number>, period: { start: Date; end: Date }): Member[] {
  const functionOf = teamFunctions(roster.teams);
  const out: Member[] = [];
  for (const p of people) {
    const started = roster.byId.get(p.id)?.startedAt ?? null;
    if (started !== null && started >= period.end) continue;
    if (withRecords.has(p.id) || functionOf(p.teamId) === metric.function) {
      out.push({ id: p.id, name: p.name, email: p.email, teamId: p.teamId, isNew: started !== null && started > period.start });
    }
  }
  return out;
}

/** The people whose team does not settle whether the metric applies: their records must. */
export function unsettled(metric: Metric, people: readonly Person[], teams: Roster["teams"]): number[] {
  const functionOf = teamFunctions(teams);
  return people.filter((p) => functionOf(p.teamId) !== metric.function).map((p) => p.id);
}

export type GroupFigures = {
  members: Member[];
  /** Per member: additive metrics count a member without records as 0, the rest as unknown. */
  values: Map<number, number | null>;
  /** Values that exist, in member order. */
  known: number[];
  /** People with a share of the figure: a non-zero sum, or records behind a rate or median. */
  contributors: number;
  /** Who they are (id and team), to tell those an asker already sees from the rest. */
  contributorTeams: { id: number; teamId: number | null }[];
  /** The metric over the whole group (won over closed for win rate), not a mean of members. */
  total: number | null;
  median: number | null;
  mean: number | null;
  /** Records behind the group figure; 0 = no data at all. */
  records: number;
};

export function groupFigures(metric: Metric, figures: MetricFigures, members: readonly Member[]): GroupFigures {
  const values = new Map(members.map((p) => [p.id, figures.perRep.get(p.id) ?? (metric.additive ? 0 : null)]));
  const known = [...values.values()].filter((v): v is number => v !== null && Number.isFinite(v));
  const contributing = members.filter((p) => (metric.additive ? (values.get(p.id) ?? 0) !== 0 : (figures.countPerRep.get(p.id) ?? 0) > 0));
  return {
    members: [...members], values, known, contributors: contributing.length, contributorTeams: contributing.map((p) => ({ id: p.id, teamId: p.teamId })),
    total: figures.total, median: median(known), mean: mean(known), records: figures.totalCount,
  };
}

/**
 * Contributors the asker cannot already see one by one. Those they can see (themselves, people
 * of teams they manage, their direct reports) could be subtracted from a total: an org total minus a manager's own
 * teams, or a team total minus a rep's own figure, must still hide at least 3 people.
 */
export function hiddenContributors(g: Pick<GroupFigures, "contributorTeams">, viewer: Pick<Viewer, "id" | "managedTeamIds" | "directReportIds">): number {
  return g.contributorTeams.filter((p) => !seesOneByOne(viewer, p)).length;
}

/** What may be said about a group to this audience. */
export type Disclosure = { total: boolean; spread: boolean };

export function disclosure(visibility: Pick<Visibility, "groupVisible">, contributors: number): Disclosure {
  if (visibility.groupVisible) return { total: true, spread: true };
  return { total: contributors >= MIN_CONTRIBUTORS, spread: contributors >= MIN_CONTRIBUTORS_FOR_SPREAD };
}

/** Best first: descending, or ascending for lower-is-better metrics; unknown values last. */
export function compareForRank(metric: Pick<Metric, "lowerIsBetter">, a: number | null, b: number | null): number {
  if (a === null) return b === null ? 0 : 1;
  if (b === null) return -1;
  return metric.lowerIsBetter ? a - b : b - a;
}

/** Whether ranks mean anything: two or more values that are not all equal. */
export function rankable(known: readonly number[]): boolean {
  return known.length > 1 && known.some((v) => v !== known[0]);
}
