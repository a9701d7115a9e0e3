// The buttons under an answer: commands the parser reads back (periods as tokens it understands).
import type { Viewer } from "../access/rules.ts";
import { periodToken, type Period } from "../command/index.ts";
import { messages } from "../i18n/messages.ts";
import { METRICS, type MetricId } from "../metrics/index.ts";
import type { FollowUp, Lang } from "../reply.ts";
import type { Resolved } from "./targets.ts";

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
