// A scorecard (`team east scorecard`, `我的计分卡`): the key metrics of the scope's function(s), each
// with its value, the value over the previous period of the same length, the rank among peer teams
// (a team) or in the team's distribution (a person), and a flag. Figures come from fetchFigures:
// per metric family one grouped statement per period (groups, owners and total together); the
// snapshot and attainment metrics (pipeline, quota) are summed per group from per-rep figures.
// Each line obeys the contributors rule of every answer (group.ts); low flags are coaching: never
// in a channel, and a reply carrying one is private.
import { decide, expandTeams, teamFunctions, type Viewer } from "../access/rules.ts";
import { currenciesOf, moneyCurrency } from "../data/currencies.ts";
import { fetchFigures, peopleWithRecords } from "../data/figures.ts";
import { attainment, fetchQuotaAmounts, type GroupFigure, type MetricFigures, type Window } from "../data/kpi-queries.ts";
import { messages } from "../i18n/messages.ts";
import { METRICS, MetricFunction, scorecardMetrics, type Metric, type MetricId } from "../metrics/index.ts";
import type { Fact, Lang, Reply, ReplyFlag, ScorecardLine } from "../reply.ts";
import { flagPerformers } from "../stats/index.ts";
import { adviceForLow } from "./advice.ts";
import { MIN_CONTRIBUTORS, compareForRank, disclosure, groupFigures, hiddenContributors, membersFor, rankable, unsettled, type Member } from "./group.ts";
import { measuredWindow, type EngineDeps, type QueryInput } from "./query.ts";
import type { Person } from "./targets.ts";

export type ScorecardInput = Omit<QueryInput, "metric" | "rank" | "view">;

const WORDS: Readonly<Record<Lang, { title: string; metric: string; value: string; previous: string; rank: string; summary: (n: number, fns: string) => string; fn: Record<MetricFunction, string>; among: (n: number) => string; groupAdvice: string }>> = {
  en: {
    title: "Scorecard",
    metric: "Metric",
    value: "Value",
    previous: "Previous",
    rank: "Rank",
    summary: (n, fns) => `${n} key metrics (${fns})`,
    fn: { sales: "sales", service: "service", marketing: "marketing" },
    among: (n) => `among ${n}`,
    groupAdvice: "Compare this team's practices and workload with the best teams.",
  },
  zh: {
    title: "计分卡",
    metric: "指标",
    value: "数值",
    previous: "上期",
    rank: "排名",
    summary: (n, fns) => `${n} 项关键指标（${fns}）`,
    fn: { sales: "销售", service: "客服", marketing: "营销" },
    among: (n) => `共 ${n}`,
    groupAdvice: "对照表现最好的团队，检查该团队的做法与工作量。",
  },
};

/** A group the scope is ranked among: a peer team (or the scope's own group). */
type Peer = { key: string; teamId: number | null; people: Person[] };

/** Each metric's figures for a period: per group, per rep, total (quota: with the quota amounts). */
type Quoted = MetricFigures & { quotas?: ReadonlyMap<number, number> };
type Read = Map<MetricId, Quoted>;

/**
 * The functions a scorecard covers: a person's team's, a team's (with its sub-teams'), for the
 * org every function of its people's teams; sales when no team says.
 */
export function scorecardFunctions(functionOf: (teamId: number | null) => MetricFunction | null | undefined, people: readonly Person[]): MetricFunction[] {
  const found = new Set(people.map((p) => functionOf(p.teamId)).filter((f): f is MetricFunction => !!f));
  const out = MetricFunction.options.filter((f) => found.has(f));
  return out.length > 0 ? out : ["sales"];
}

export async function answerScorecard(deps: EngineDeps, viewer: Viewer, q: ScorecardInput): Promise<Reply> {
  const t = messages(q.lang);
  const w = WORDS[q.lang];
  const { resolved, lang, visibility: vis } = q;
  const subject = resolved.subject;
  const title = `${w.title} · ${resolved.label} · ${q.period.label}`;
  const teams = q.roster.teams;
  const functionOf = teamFunctions(teams);
  const everyone = [...q.roster.byId.values()].map((u): Person => ({ id: u.id, name: u.name, email: u.email, teamId: u.teamId }));

  // The scope's group and its peers. A team: its sibling teams (same parent). A person: the
  // people of their team (the distribution they are ranked in). The org: itself.
  const target = resolved.target;
  let peers: Peer[];
  let own: string;
  if (subject) {
    own = "self";
    peers = [{ key: own, teamId: subject.teamId, people: [...new Map([...resolved.group, subject].map((p) => [p.id, p])).values()] }];
  } else if (target.kind === "team") {
    own = String(target.teamId);
    const parent = teams.find((x) => x.id === target.teamId)?.parentId ?? null;
    peers = teams
      .filter((x) => x.parentId === parent)
      .map((x) => {
        if (x.id === target.teamId) return { key: own, teamId: x.id, people: resolved.group };
        const inside = expandTeams(teams, [x.id]);
        return { key: String(x.id), teamId: x.id, people: everyone.filter((p) => p.teamId !== null && inside.has(p.teamId)) };
      })
      .filter((p) => p.people.length > 0 || p.key === own);
  } else {
    own = "org";
    peers = [{ key: own, teamId: null, people: resolved.group }];
  }
  const ownPeople = peers.find((p) => p.key === own)!.people;
  const functions = scorecardFunctions(functionOf, subject ? [subject] : ownPeople);
  const metrics = functions.flatMap((f) => scorecardMetrics(f));

  const now = deps.now();
  const cur = measuredWindow(q.period, now, deps.timeZone);
  const elapsed = cur.window.end.getTime() - cur.window.start.getTime();
  const prevWindow: Window = { start: q.previous.start, end: cur.inProgress ? new Date(Math.min(q.previous.start.getTime() + elapsed, q.previous.end.getTime())) : q.previous.end, timeZone: deps.timeZone };
  const keys = new Map<number, string>();
  for (const p of peers) for (const person of p.people) if (!keys.has(person.id)) keys.set(person.id, p.key);
  const ids = [...keys.keys()];

  // Money: one currency decision per kind of record, as every answer makes it (currencies.ts).
  const money = new Map<string, { ok: true; currency: string; convert: string | undefined } | { ok: false; message: (l: Lang) => string }>();
  for (const kind of ["deals", "campaigns"] as const) {
    const first = metrics.find((m) => METRICS[m].records === kind && (METRICS[m].money || METRICS[m].ofMoney));
    if (!first) continue;
    const def = METRICS[first];
    const decided = await moneyCurrency(deps, def, ids, [cur.window, prevWindow], await currenciesOf(deps.prisma, def, ids, cur.window));
    money.set(kind, decided);
  }
  const convertOf = (m: MetricId) => {
    const d = money.get(METRICS[m].records);
    return d && d.ok ? d.convert : undefined;
  };
  const refused = (m: MetricId) => {
    const d = money.get(METRICS[m].records);
    return d !== undefined && !d.ok && (METRICS[m].money || METRICS[m].ofMoney === true);
  };
  const currency = (() => {
    const d = money.get("deals") ?? money.get("campaigns");
    return d && d.ok ? d.currency : deps.currency;
  })();

  // One wave per conversion (usually one): grouped families for both periods, and the per-rep
  // figures pipeline and quota are summed from, with the quotas of both whole periods.
  const wanted = metrics.filter((m) => !refused(m));
  const bySql = wanted.filter((m) => typeof METRICS[m].source !== "string");
  const needsQuota = wanted.includes("quota");
  const perRepMetrics: MetricId[] = [...(wanted.includes("pipeline") ? ["pipeline" as const] : []), ...(needsQuota ? ["sales" as const] : [])];
  const converts = [...new Set(wanted.map(convertOf))];
  const nowRead: Read = new Map();
  const prevRead: Read = new Map();
  const salesPerRep: MetricFigures[] = [];
  const periodWindow = (p: { start: Date; end: Date }): Window => ({ start: p.start, end: p.end, timeZone: deps.timeZone });
  const [, quotasNow, quotasPrev] = await Promise.all([
    Promise.all(converts.map(async (convert) => {
      const mine = bySql.filter((m) => convertOf(m) === convert);
      const plain = perRepMetrics.filter((m) => convertOf(m) === convert);
      const groupBy = { kind: "owner" as const, keys };
      const [a, b, c, d] = await fetchFigures(deps.prisma, ids, [
        { metrics: mine, window: cur.window, groupBy },
        { metrics: mine, window: prevWindow, groupBy },
        { metrics: plain, window: cur.window },
        { metrics: plain, window: prevWindow },
      ], { convert });
      a!.forEach((f, m) => nowRead.set(m, f));
      b!.forEach((f, m) => prevRead.set(m, f));
      if (c!.has("pipeline")) nowRead.set("pipeline", c!.get("pipeline")!);
      if (d!.has("pipeline")) prevRead.set("pipeline", d!.get("pipeline")!);
      // Attainment needs each rep's sales (quota.ts: sales of quota holders over their quotas).
      if (c!.has("sales")) salesPerRep.push(c!.get("sales")!, d!.get("sales")!);
    })),
    needsQuota ? fetchQuotaAmounts(deps.prisma, ids, periodWindow(q.period)) : Promise.resolve(new Map<number, number>()),
    needsQuota ? fetchQuotaAmounts(deps.prisma, ids, periodWindow(q.previous)) : Promise.resolve(new Map<number, number>()),
  ]);
  if (needsQuota) {
    nowRead.set("quota", { ...attainment(salesPerRep[0]!, quotasNow), quotas: quotasNow });
    prevRead.set("quota", { ...attainment(salesPerRep[1]!, quotasPrev), quotas: quotasPrev });
  }

  // People without a team of the metric's function count where they have records of its kind.
  const recordKinds = [...new Set(wanted.map((m) => METRICS[m].records))];
  const scoped = [...new Map(peers.flatMap((p) => p.people).map((p) => [p.id, p])).values()];
  const withRecords = new Map(await Promise.all(recordKinds.map(async (kind) => {
    const unsure = [...new Set(wanted.filter((m) => METRICS[m].records === kind).flatMap((m) => unsettled(METRICS[m], scoped, teams)))];
    return [kind, await peopleWithRecords(deps.prisma, kind, unsure)] as const;
  })));

  const asker = vis.audience === "asker";
  // Whether the asker may see a team's people: then its figure counts whatever its size.
  const seesTeam = (teamId: number | null) => asker && teamId !== null && decide(viewer, { kind: "team", teamId }).level === "individuals";
  const lines: ScorecardLine[] = [];
  const rows: string[][] = [];
  const flags: ReplyFlag[] = [];
  const facts: Fact[] = [];
  for (const m of metrics) {
    const def = METRICS[m];
    const fmt = (v: number | null) => deps.formats.value(v, def.unit, lang, currency);
    if (refused(m)) {
      lines.push({ metric: m, value: null, previous: null, rank: null, of: null, flag: null });
      rows.push([def.name[lang], "—", "", "", "", ""]);
      facts.push({ label: def.name[lang], value: (money.get(def.records) as { message: (l: Lang) => string }).message(lang) });
      continue;
    }
    const period = { start: q.period.start, end: cur.window.end };
    const line = subject
      ? personLine(def, nowRead.get(m), prevRead.get(m), subject, membersFor(def, peers[0]!.people, q.roster, withRecords.get(def.records) ?? new Set(), period), vis, viewer)
      : groupLine(def, nowRead.get(m), prevRead.get(m), peers, own, functionOf, q.roster, withRecords.get(def.records) ?? new Set(), period, vis, viewer, seesTeam);
    // Coaching stays private: never a low flag to a channel.
    const flag = line.flag === "low" && !asker ? null : line.flag;
    lines.push({ metric: m, value: line.value, previous: line.previous, rank: line.rank, of: line.of, flag });
    const delta = line.value !== null && line.previous !== null ? deps.formats.delta(line.value, line.previous, def.unit, def.lowerIsBetter, lang, currency)?.text ?? "" : "";
    rows.push([
      def.name[lang],
      line.withheld ? t.withheld(MIN_CONTRIBUTORS) : fmt(line.value),
      line.previous === null ? "" : fmt(line.previous),
      delta,
      line.rank === null ? "" : `${line.rank}/${line.of}`,
      flag === "low" ? t.lowFlag : flag === "top" ? t.topFlag : "",
    ]);
    if (flag && line.median !== null) {
      const num = deps.formats.comparable([line.value, line.median], def.unit, lang, currency);
      flags.push({
        kind: flag,
        subject: `${resolved.label} · ${def.name[lang]}`,
        reason: t.reasonZ({ metric: def.name[lang], value: num(line.value), median: num(line.median), mads: (line.mads ?? 0).toFixed(1), dir: flag === "low" ? (def.lowerIsBetter ? "above" : "below") : def.lowerIsBetter ? "below" : "above" }),
        advice: flag === "low" ? `${t.advice[adviceForLow(m, {}, null)]}${subject ? "" : ` ${w.groupAdvice}`}` : t.advice.shareWins,
      });
    }
  }
  const lowShown = lines.some((l) => l.flag === "low");
  return {
    kind: "answer",
    lang,
    title,
    summary: w.summary(lines.length, functions.map((f) => w.fn[f]).join(", ")),
    facts,
    table: { columns: [w.metric, w.value, w.previous, t.change, w.rank, t.flag], align: ["left", "right", "right", "right", "right", "left"], rows },
    charts: [],
    flags,
    followUps: [],
    figures: {
      metric: "scorecard",
      unit: "ratio",
      currency,
      period: { label: q.period.label, start: q.period.start.toISOString(), end: q.period.end.toISOString() },
      total: null,
      median: null,
      members: ownPeople.length,
      rows: [],
      scorecard: lines,
    },
    about: subject ? (subject.id === viewer.id ? "self" : "person") : "group",
    visibility: subject || lowShown ? "private" : "shareable",
  };
}

type Line = { value: number | null; previous: number | null; rank: number | null; of: number | null; flag: "low" | "top" | null; withheld: boolean; median: number | null; mads: number | null };

const empty = (): MetricFigures => ({ perRep: new Map(), countPerRep: new Map(), total: null, totalCount: 0, series: [], seriesPerRep: new Map() });

/** A person's line: their own value, ranked in their team's distribution where its spread may be shown. */
function personLine(def: Metric, now: MetricFigures | undefined, prev: MetricFigures | undefined, subject: Person, members: Member[], vis: ScorecardInput["visibility"], viewer: Pick<Viewer, "id" | "managedTeamIds" | "directReportIds">): Line {
  const f = now ?? empty();
  const zero = def.additive ? 0 : null;
  const value = f.perRep.get(subject.id) ?? zero;
  const previous = (prev ?? empty()).perRep.get(subject.id) ?? zero;
  const g = groupFigures(def, f, members);
  const shown = disclosure(vis, vis.audience === "channel" ? g.contributors : hiddenContributors(g, viewer));
  let rank: number | null = null;
  let of: number | null = null;
  let flag: Line["flag"] = null;
  let mads: number | null = null;
  if (shown.spread && value !== null && g.values.has(subject.id) && rankable(g.known)) {
    const ranked = [...g.known].sort((a, b) => compareForRank(def, a, b));
    rank = ranked.indexOf(value) + 1;
    of = g.known.length;
    const found = flagPerformers(members.filter((p) => !p.isNew || p.id === subject.id).map((p) => ({ id: p.id, value: g.values.get(p.id) ?? null })), { lowerIsBetter: def.lowerIsBetter, minGap: def.minGap })
      .filter((x) => x.basis.includes("robust_z"))
      .find((x) => x.id === subject.id && !members.find((p) => p.id === subject.id)?.isNew);
    flag = found?.kind ?? null;
    mads = found?.madsFromMedian ?? null;
  }
  return { value, previous, rank, of, flag, withheld: false, median: shown.spread ? g.median : null, mads };
}

/**
 * A team's or the org's line: the metric over the group's records, shown by the contributors
 * rule; ranked among the peer teams of the metric's function whose figure is disclosed.
 */
function groupLine(
  def: Metric, now: Quoted | undefined, prev: Quoted | undefined, peers: readonly Peer[], own: string,
  functionOf: (teamId: number | null) => MetricFunction | null | undefined, roster: ScorecardInput["roster"], withRecords: ReadonlySet<number>,
  period: { start: Date; end: Date }, vis: ScorecardInput["visibility"], viewer: Pick<Viewer, "id" | "managedTeamIds" | "directReportIds">, seesTeam: (teamId: number | null) => boolean,
): Line {
  const zero = def.additive ? 0 : null;
  const figureOf = (f: Quoted | undefined, p: Peer): { value: number | null; contributors: number; members: Member[] } => {
    const members = membersFor(def, p.people, roster, withRecords, period);
    const fig = f ?? empty();
    const g = groupFigures(def, fig, members);
    const grouped: GroupFigure | undefined = fig.perGroup?.get(p.key);
    // SQL metrics: the group's own figure; pipeline and quota: summed from its people.
    const value = fig.perGroup ? (grouped?.value ?? zero) : def.id === "quota" ? attainmentOf(fig, members) : g.total === null ? zero : members.reduce((s, x) => s + (g.values.get(x.id) ?? 0), 0);
    return { value, contributors: g.contributors, members };
  };
  const mine = peers.find((p) => p.key === own)!;
  const cur = figureOf(now, mine);
  const before = figureOf(prev, mine);
  const g = groupFigures(def, now ?? empty(), cur.members);
  const shown = disclosure(vis, vis.audience === "channel" ? g.contributors : hiddenContributors(g, viewer)).total;
  const gPrev = groupFigures(def, prev ?? empty(), before.members);
  const prevShown = disclosure(vis, vis.audience === "channel" ? gPrev.contributors : hiddenContributors(gPrev, viewer)).total;
  const value = shown ? cur.value : null;
  // Peers of the metric's function, disclosed like any group (a small team the asker may not see is left out).
  const ranked = peers
    .filter((p) => p.key === own || functionOf(p.teamId) === def.function)
    .map((p) => (p.key === own ? { key: p.key, value } : (() => { const x = figureOf(now, p); return { key: p.key, value: x.contributors >= MIN_CONTRIBUTORS || seesTeam(p.teamId) ? x.value : null }; })()))
    .filter((p) => p.value !== null) as { key: string; value: number }[];
  let rank: number | null = null;
  let of: number | null = null;
  let flag: Line["flag"] = null;
  let median: number | null = null;
  let mads: number | null = null;
  if (value !== null && ranked.length > 1 && rankable(ranked.map((p) => p.value))) {
    const sorted = [...ranked].sort((a, b) => compareForRank(def, a.value, b.value));
    rank = sorted.findIndex((p) => p.value === value) + 1;
    of = sorted.length;
    const found = flagPerformers(ranked.map((p) => ({ id: p.key, value: p.value })), { lowerIsBetter: def.lowerIsBetter, minGap: def.minGap }).filter((x) => x.basis.includes("robust_z")).find((x) => x.id === own);
    flag = found?.kind ?? null;
    median = found?.median ?? null;
    mads = found?.madsFromMedian ?? null;
  }
  return { value, previous: prevShown ? before.value : null, rank, of, flag, withheld: !shown && cur.contributors > 0, median, mads };
}

/** Quota attainment of a group: its quota-holders' sales over their quotas (attainment's total). */
function attainmentOf(f: Quoted, members: readonly Member[]): number | null {
  // perRep holds each quota holder's sales / quota: weighted by quotas it sums back to sales / quotas.
  let sales = 0;
  let quotas = 0;
  for (const m of members) {
    const quota = f.quotas?.get(m.id);
    if (!quota) continue;
    sales += (f.perRep.get(m.id) ?? 0) * quota;
    quotas += quota;
  }
  return quotas > 0 ? sales / quotas : null;
}
