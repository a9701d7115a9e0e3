// `compare A vs B`: the same metric over two periods, side by side — each side the same figures,
// members and disclosure as the plain answer for that period (group.ts; a property test holds them equal).
import type { Viewer } from "../access/rules.ts";
import type { Period } from "../command/index.ts";
import { currenciesOf, moneyCurrency } from "../data/currencies.ts";
import { fetchFigures, peopleWithRecords } from "../data/figures.ts";
import { messages } from "../i18n/messages.ts";
import { METRICS } from "../metrics/index.ts";
import { textReply, type Fact, type Reply } from "../reply.ts";
import { MIN_CONTRIBUTORS, hiddenContributors, disclosure, groupFigures, membersFor, unsettled } from "./group.ts";
import { measuredWindow, type AnswerInput, type EngineDeps } from "./query.ts";

export type CompareInput = AnswerInput & { a: Period; b: Period };

export async function answerCompare(deps: EngineDeps, viewer: Pick<Viewer, "id" | "managedTeamIds" | "directReportIds">, q: CompareInput): Promise<Reply> {
  const t = messages(q.lang);
  const def = METRICS[q.metric];
  const vis = q.visibility;
  const now = deps.now();
  const [wa, wb] = [measuredWindow(q.a, now, deps.timeZone), measuredWindow(q.b, now, deps.timeZone)];
  const ids = [...new Set([...q.resolved.group.map((p) => p.id), ...(q.resolved.subject ? [q.resolved.subject.id] : []), ...q.resolved.former])];
  const quotaWindow = (p: Period) => ({ start: p.start, end: p.end, timeZone: deps.timeZone });
  const read = (convert?: string) =>
    fetchFigures(deps.prisma, ids, [
      { metrics: [q.metric], window: wa.window, quotaWindow: quotaWindow(q.a) },
      { metrics: [q.metric], window: wb.window, quotaWindow: quotaWindow(q.b) },
    ], { convert, params: deps.metricParams, filters: q.filters });
  const [first, withRecords, ca, cb] = await Promise.all([
    read(),
    peopleWithRecords(deps.prisma, def.records, unsettled(def, q.resolved.group, q.roster.teams)),
    currenciesOf(deps.prisma, def, ids, wa.window),
    currenciesOf(deps.prisma, def, ids, wb.window),
  ]);
  // Two periods in different currencies are compared only through the operator's rates too.
  const currencies = [...new Set([...ca, ...cb])].sort();
  const money = await moneyCurrency(deps, def, ids, [wa.window, wb.window], currencies);
  if (!money.ok) return textReply("error", q.lang, t.titleCompare(def.name[q.lang], q.resolved.label, q.a.label, q.b.label), money.message(q.lang));
  const [fa, fb] = money.convert ? await read(money.convert) : first;
  const currency = money.currency;
  const subject = q.resolved.subject;
  const side = (p: Period, measuredEnd: Date, f: NonNullable<typeof fa>) => {
    const members = membersFor(def, q.resolved.group, q.roster, withRecords, { start: p.start, end: measuredEnd });
    const g = groupFigures(def, f.get(q.metric)!, members);
    const shown = disclosure(vis, vis.audience === "channel" ? g.contributors : hiddenContributors(g, viewer));
    const own = subject ? f.get(q.metric)!.perRep.get(subject.id) ?? (def.additive ? 0 : null) : null;
    return { p, g, shown, total: subject ? own : shown.total ? g.total : null, median: shown.spread ? g.median : null };
  };
  const A = side(q.a, wa.window.end, fa!);
  const B = side(q.b, wb.window.end, fb!);
  const fmt = (v: number | null) => deps.formats.value(v, def.unit, q.lang, currency);
  const withheld = t.withheld(MIN_CONTRIBUTORS);
  const shownTotal = (s: typeof A) => (subject || s.shown.total ? fmt(s.total) : withheld);
  // The change reads from the earlier period to the later one.
  const [older, newer] = q.a.start <= q.b.start ? [A, B] : [B, A];
  const delta = deps.formats.delta(newer.total, older.total, def.unit, def.lowerIsBetter, q.lang, currency);
  const medianLabel = q.resolved.target.kind === "org" ? t.orgMedian : t.teamMedian;
  const facts: Fact[] = [
    { label: q.a.label, value: shownTotal(A) },
    { label: q.b.label, value: shownTotal(B), ...(delta ? { delta } : {}) },
  ];
  if (!subject) {
    for (const s of [A, B]) facts.push({ label: `${medianLabel} (${s.p.label})`, value: s.shown.spread ? fmt(s.median) : withheld });
    for (const s of [A, B]) facts.push({ label: `${t.people} (${s.p.label})`, value: String(s.g.members.length) });
  }
  const reply: Reply = {
    kind: "answer",
    lang: q.lang,
    title: t.titleCompare(def.name[q.lang], q.resolved.label, q.a.label, q.b.label),
    summary: `${q.resolved.label}: ${def.name[q.lang]} ${shownTotal(A)} (${q.a.label}) · ${shownTotal(B)} (${q.b.label})${delta ? ` · ${delta.text} ${older.p.label} → ${newer.p.label}` : ""}`,
    facts,
    charts: [],
    flags: [],
    followUps: [],
    figures: {
      metric: q.metric,
      unit: def.unit,
      currency: currency,
      period: { label: `${q.a.label} vs ${q.b.label}`, start: q.a.start.toISOString(), end: q.b.end.toISOString() },
      total: null,
      median: null,
      sides: [A, B].map((s) => ({ label: s.p.label, start: s.p.start.toISOString(), end: s.p.end.toISOString(), total: s.total, median: subject ? null : s.median, members: s.g.members.length })),
      rows: [],
    },
    about: subject ? (subject.id === viewer.id ? "self" : "person") : "group",
    visibility: vis.individuals ? "private" : "shareable",
  };
  if (vis.individuals && !subject) {
    const members = [...new Map([...A.g.members, ...B.g.members].map((p) => [p.id, p])).values()];
    reply.table = {
      columns: [t.name, q.a.label, q.b.label, t.change],
      align: ["left", "right", "right", "right"],
      rows: members.map((p) => {
        const va = A.g.values.get(p.id) ?? (def.additive ? 0 : null);
        const vb = B.g.values.get(p.id) ?? (def.additive ? 0 : null);
        const [o, n] = q.a.start <= q.b.start ? [va, vb] : [vb, va];
        return [p.name, fmt(va), fmt(vb), deps.formats.delta(n, o, def.unit, def.lowerIsBetter, q.lang, currency)?.text ?? ""];
      }),
    };
  }
  return reply;
}
