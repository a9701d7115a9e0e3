// `compare A vs B`: the same metric over two periods, side by side.
import { decide, type Viewer } from "../access/rules.ts";
import type { MetricId, Period } from "../command/index.ts";
import { fetchMetric, type Window } from "../data/kpi-queries.ts";
import { messages } from "../i18n/messages.ts";
import type { Lang, Reply } from "../reply.ts";
import { median } from "../stats/index.ts";
import { METRICS } from "../metrics/index.ts";
import { formatDelta, formatValue } from "../format/index.ts";
import { MIN_AGGREGATE_GROUP, type EngineDeps } from "./query.ts";
import type { Resolved } from "./targets.ts";

export type CompareInput = { metric: MetricId; a: Period; b: Period; resolved: Resolved; lang: Lang; audience?: "asker" | "channel" };

export async function answerCompare(deps: EngineDeps, viewer: Viewer, q: CompareInput): Promise<Reply> {
  const t = messages(q.lang);
  const def = METRICS[q.metric];
  const individuals = decide(viewer, q.resolved.target).level === "individuals" && q.audience !== "channel";
  const now = deps.now();
  const win = (p: Period): Window => ({ start: p.start, end: p.end < now ? p.end : now > p.start ? now : p.end, timeZone: deps.timeZone });
  const ids = q.resolved.group.map((p) => p.id);
  const [fa, fb] = await Promise.all([fetchMetric(deps.prisma, q.metric, ids, win(q.a)), fetchMetric(deps.prisma, q.metric, ids, win(q.b))]);
  const fmt = (v: number | null) => formatValue(v, def.unit, q.lang, deps.currency);
  const val = (f: typeof fa, id: number) => f.perRep.get(id) ?? (def.additive ? 0 : null);
  const personal = q.resolved.subject;
  // As in answers: a total over fewer than 3 people with a value is withheld from aggregate askers.
  const enough = (f: typeof fa) => individuals || [...f.perRep.values()].filter((v) => v !== null).length >= MIN_AGGREGATE_GROUP;
  const totalA = personal ? val(fa, personal.id) : enough(fa) ? fa.total : null;
  const totalB = personal ? val(fb, personal.id) : enough(fb) ? fb.total : null;
  // The change reads from the earlier period to the later one.
  const [older, newer, olderP, newerP] = q.a.start <= q.b.start ? [totalA, totalB, q.a, q.b] : [totalB, totalA, q.b, q.a];
  const delta = formatDelta(newer, older, def.unit, def.lowerIsBetter, q.lang);
  const reply: Reply = {
    kind: "answer",
    lang: q.lang,
    title: t.titleCompare(def.name[q.lang], q.resolved.label, q.a.label, q.b.label),
    summary: `${q.resolved.label}: ${def.name[q.lang]} ${fmt(totalA)} (${q.a.label}) · ${fmt(totalB)} (${q.b.label})${delta ? ` · ${delta.text} ${olderP.label} → ${newerP.label}` : ""}`,
    facts: [
      { label: q.a.label, value: fmt(totalA) },
      { label: q.b.label, value: fmt(totalB), ...(delta ? { delta } : {}) },
    ],
    charts: [],
    flags: [],
    followUps: [],
    about: personal ? (personal.id === viewer.id ? "self" : "person") : "group",
    visibility: individuals ? "private" : "shareable",
  };
  if (!personal) {
    reply.facts.push({ label: `${t.teamMedian} (${q.a.label})`, value: fmt(enough(fa) ? median([...fa.perRep.values()].filter((v): v is number => v !== null)) : null) });
  }
  if (individuals && !personal) {
    reply.table = {
      columns: [t.name, q.a.label, q.b.label, t.change],
      align: ["left", "right", "right", "right"],
      rows: q.resolved.group.map((p) => {
        const [va, vb] = [val(fa, p.id), val(fb, p.id)];
        const [o, n] = q.a.start <= q.b.start ? [va, vb] : [vb, va];
        return [p.name, fmt(va), fmt(vb), formatDelta(n, o, def.unit, def.lowerIsBetter, q.lang)?.text ?? ""];
      }),
    };
  }
  return reply;
}
