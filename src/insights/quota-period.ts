// The quota period in force: what quota milestones (and anything else that follows "the period
// quotas are set for") measure. One rule, here.
import { datesPeriod, unitPeriod, type Period } from "../command/index.ts";
import type { PrismaClient } from "../data/db.ts";
import { quotaPeriodInForce } from "../data/kpi-queries.ts";
import { localDate } from "../time/zone.ts";
import type { Resolved } from "./targets.ts";

export type QuotaPeriodDeps = { prisma: PrismaClient; now: () => Date; timeZone: string; fiscalYearStartMonth: number };

/**
 * The period of the quotas in force today (workspace zone) for whom the figure is about: the
 * person (`me`, `rep`), or the group and its former members (a team, the org). When their quotas
 * run over different periods, the one most of them have; when none is in force, the current
 * fiscal quarter (quotas overlapping it then count pro rata by days, as in every answer).
 */
export async function quotaPeriod(deps: QuotaPeriodDeps, resolved: Pick<Resolved, "subject" | "group" | "former">): Promise<Period> {
  const now = deps.now();
  const ctx = { timeZone: deps.timeZone, fiscalYearStartMonth: deps.fiscalYearStartMonth };
  const ids = resolved.subject ? [resolved.subject.id] : [...new Set([...resolved.group.map((p) => p.id), ...resolved.former])];
  const found = await quotaPeriodInForce(deps.prisma, ids, localDate(now, deps.timeZone));
  return found ? datesPeriod(found.from, found.to, ctx) : unitPeriod("quarter", 0, now, ctx);
}
