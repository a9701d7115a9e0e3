// A tiny CRM with hand-computed answers (see the comments) for metric and access tests.
// Period of interest: Q3 2026 = [2026-07-01, 2026-10-01) UTC.
import type { PrismaClient } from "../../src/data/db.ts";

export const Q3 = { start: new Date("2026-07-01T00:00:00Z"), end: new Date("2026-10-01T00:00:00Z"), timeZone: "UTC" };

const d = (s: string) => new Date(s);

export type Handmade = { org: number; alpha: number; beta: number; admin: number; manager: number; a: number; b: number; c: number; x: number };

/**
 * Org "Acme" ⊃ team "Alpha" (manager Mia: reps Ann, Bo, Cy) and team "Beta" (rep Xu, no manager
 * but Acme's manager). Admin Ada. Expected Q3 2026:
 *  sales: Ann 400000, Bo 200000 (Cy none) → total 600000; deals: Ann 2, Bo 1 → 3
 *  winrate: Ann 2/3, Bo 1/3, Cy 0/1 → 3/7; avgdeal: 200000 each → 200000
 *  cycle (days): Ann median(40, 20) = 30, Bo 10 → total median(40, 20, 10) = 20
 *  pipeline at 2026-10-01: Bo 700000 (still open), Cy 400000 (won only on 10-05) → 1100000
 *  activities: Ann 3, Bo 1 → 4 (Ann's 2026-09-30T23:30Z call is 10-01 in Asia/Shanghai)
 *  quota: Ann 400000/800000 = 0.5, Bo 200000/100000 = 2 → 600000/900000
 *  tickets (agent Cy): frt median(30, 90, 60) = 60 min; resolution median(4, 10) = 7 h; csat mean(5, 3) = 4
 *  campaigns (owner Cy): leads 100, conversion 20/100 = 0.2, cpl 150000/100 = 1500, roi (300000 − 150000)/150000 = 1
 */
export async function loadHandmade(prisma: PrismaClient): Promise<Handmade> {
  const admin = await prisma.user.create({ data: { email: "ada@acme.test", name: "Ada", role: "admin", slackUserId: "UADA" } });
  const manager = await prisma.user.create({ data: { email: "mia@acme.test", name: "Mia", role: "manager", slackUserId: "UMIA" } });
  const top = await prisma.user.create({ data: { email: "otto@acme.test", name: "Otto", role: "manager" } });
  const org = await prisma.team.create({ data: { name: "Acme", managerId: top.id } });
  const alpha = await prisma.team.create({ data: { name: "Alpha", parentId: org.id, managerId: manager.id } });
  const beta = await prisma.team.create({ data: { name: "Beta", parentId: org.id } });
  await prisma.user.update({ where: { id: manager.id }, data: { teamId: alpha.id } });
  const rep = (email: string, name: string, teamId: number, extra: object = {}) =>
    prisma.user.create({ data: { email, name, role: "rep", teamId, managerId: manager.id, ...extra } });
  const a = await rep("ann@acme.test", "Ann Lee", alpha.id, { slackUserId: "UANN", teamsUserId: "aad-ann" });
  const b = await rep("bo@acme.test", "Bo Chen 陈博", alpha.id);
  const c = await rep("cy@acme.test", "Cy Park", alpha.id);
  const x = await rep("xu@acme.test", "Xu Ming 徐明", beta.id);

  let n = 0;
  const deal = (ownerId: number, amount: number, status: "open" | "won" | "lost", createdAt: string, closedAt: string | null) =>
    ({ externalId: `d${++n}`, ownerId, customer: "Cust", amount: BigInt(amount), status, createdAt: d(createdAt), closedAt: closedAt ? d(closedAt) : null });
  await prisma.deal.createMany({
    data: [
      deal(a.id, 100000, "won", "2026-06-01T00:00:00Z", "2026-07-11T00:00:00Z"),
      deal(a.id, 300000, "won", "2026-07-01T00:00:00Z", "2026-07-21T00:00:00Z"),
      deal(a.id, 90000, "lost", "2026-07-05T00:00:00Z", "2026-08-01T00:00:00Z"),
      deal(a.id, 50000, "won", "2026-05-01T00:00:00Z", "2026-06-15T00:00:00Z"),
      deal(b.id, 200000, "won", "2026-08-01T00:00:00Z", "2026-08-11T00:00:00Z"),
      deal(b.id, 10000, "lost", "2026-07-01T00:00:00Z", "2026-07-15T00:00:00Z"),
      deal(b.id, 10000, "lost", "2026-07-01T00:00:00Z", "2026-09-15T00:00:00Z"),
      deal(b.id, 700000, "open", "2026-09-01T00:00:00Z", null),
      deal(c.id, 20000, "lost", "2026-07-01T00:00:00Z", "2026-07-30T00:00:00Z"),
      deal(c.id, 400000, "won", "2026-09-15T00:00:00Z", "2026-10-05T00:00:00Z"),
      deal(x.id, 999999, "won", "2026-07-01T00:00:00Z", "2026-07-02T00:00:00Z"),
    ],
  });
  let m = 0;
  const act = (ownerId: number, at: string) => ({ externalId: `a${++m}`, ownerId, type: "call" as const, occurredAt: d(at) });
  await prisma.activity.createMany({
    data: [
      act(a.id, "2026-07-02T10:00:00Z"),
      act(a.id, "2026-08-02T10:00:00Z"),
      act(a.id, "2026-09-30T23:30:00Z"),
      act(a.id, "2026-06-30T10:00:00Z"),
      act(b.id, "2026-07-03T10:00:00Z"),
    ],
  });
  await prisma.quota.createMany({
    data: [
      { ownerId: a.id, periodStart: d("2026-07-01"), periodEnd: d("2026-09-30"), amount: 800000n },
      { ownerId: b.id, periodStart: d("2026-07-01"), periodEnd: d("2026-09-30"), amount: 100000n },
    ],
  });
  await prisma.ticket.createMany({
    data: [
      { externalId: "t1", agentId: c.id, openedAt: d("2026-07-01T00:00:00Z"), firstResponseAt: d("2026-07-01T00:30:00Z"), resolvedAt: d("2026-07-01T04:00:00Z"), csat: 5 },
      { externalId: "t2", agentId: c.id, openedAt: d("2026-07-02T00:00:00Z"), firstResponseAt: d("2026-07-02T01:30:00Z"), resolvedAt: d("2026-07-02T10:00:00Z"), csat: 3 },
      { externalId: "t3", agentId: c.id, openedAt: d("2026-07-03T00:00:00Z"), firstResponseAt: d("2026-07-03T01:00:00Z"), resolvedAt: null, csat: null },
    ],
  });
  await prisma.campaign.createMany({
    data: [
      { externalId: "c1", name: "Summer", channel: "email", startDate: d("2026-07-10"), spend: 100000n, leads: 50, conversions: 5, revenue: 300000n, ownerId: c.id },
      { externalId: "c2", name: "Autumn", channel: "ads", startDate: d("2026-09-30"), spend: 50000n, leads: 50, conversions: 15, revenue: 0n, ownerId: c.id },
      { externalId: "c3", name: "Winter", channel: "ads", startDate: d("2026-10-01"), spend: 1n, leads: 1, conversions: 1, revenue: 0n, ownerId: c.id },
    ],
  });
  return { org: org.id, alpha: alpha.id, beta: beta.id, admin: admin.id, manager: manager.id, a: a.id, b: b.id, c: c.id, x: x.id };
}
