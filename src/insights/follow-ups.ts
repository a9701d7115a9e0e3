// The buttons under an answer: commands the parser reads back (periods as tokens it understands).
import type { Viewer } from "../access/rules.ts";
import type { Period } from "../command/index.ts";
import { localDate } from "../data/kpi-queries.ts";
import { messages } from "../i18n/messages.ts";
import { METRICS, type MetricId } from "../metrics/index.ts";
import type { FollowUp, Lang } from "../reply.ts";
import type { Resolved } from "./targets.ts";

/** A token the parser reads back, for follow-up buttons. */
export function periodToken(period: Period, timeZone: string, fiscalYearStartMonth = 1): string {
  const start = localDate(period.start, timeZone);
  const lastDay = localDate(new Date(period.end.getTime() - 1), timeZone);
  const [y, m, d] = start.split("-").map(Number) as [number, number, number];
  const wholeMonths = d === 1 && localDate(period.end, timeZone).endsWith("-01");
  if (period.grain === "month" && wholeMonths) return start.slice(0, 7);
  // Calendar quarters and years have short names; fiscal ones are spelled out as ranges.
  if (fiscalYearStartMonth === 1 && wholeMonths && period.grain === "quarter" && (m - 1) % 3 === 0 && period.label.startsWith("Q")) return `q${(m - 1) / 3 + 1}-${y}`;
  if (fiscalYearStartMonth === 1 && wholeMonths && period.grain === "year" && m === 1 && /^\d{4}$/.test(period.label)) return String(y);
  return `${start}..${lastDay}`;
}

/** The scope as command words: `org`, `team "East"`, `me`, `rep ann@x.com`. */
export function scopeWords(resolved: Resolved, viewer: Pick<Viewer, "id">): string {
  return resolved.target.kind === "org" ? "org"
    : resolved.target.kind === "team" ? `team "${resolved.label.replace(/^(Team |团队 )/, "")}"`
    : resolved.subject!.id === viewer.id ? "me" : `rep ${resolved.subject!.email}`;
}

export function followUps(args: {
  metric: MetricId; period: Period; previous: Period; resolved: Resolved; viewer: Pick<Viewer, "id">; view: "summary" | "dist"; lang: Lang;
  timeZone: string; fiscalYearStartMonth: number; firstLow: { name: string; email: string } | null;
}): FollowUp[] {
  const t = messages(args.lang);
  const def = METRICS[args.metric];
  const token = periodToken(args.period, args.timeZone, args.fiscalYearStartMonth);
  const scope = scopeWords(args.resolved, args.viewer);
  const out: FollowUp[] = [];
  if (args.metric !== "winrate" && def.function === "sales") out.push({ label: t.followWinrate, command: `/kpi ${scope} winrate ${token}` });
  out.push({ label: t.followCompare, command: `/kpi compare ${scope} ${args.metric} ${token} vs ${periodToken(args.previous, args.timeZone, args.fiscalYearStartMonth)}` });
  if (args.view !== "dist") out.push({ label: t.followDist, command: `/kpi ${scope} ${args.metric} ${token} dist` });
  if (args.firstLow && def.function === "sales") out.push({ label: t.followActivities(args.firstLow.name), command: `/kpi rep ${args.firstLow.email} activities ${token}` });
  return out.slice(0, 5);
}
