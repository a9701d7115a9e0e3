// Team "East" from the report: five reps under Mia (manager of Alpha too), Q3 2026 deals
// and quotas such that James Turner is flagged low (quota attainment ≈ 23 %) and Grace Kim top.
import type { PrismaClient } from "../../../src/data/db.ts";

export const EAST_LOW = "James Turner";
export const EAST_TOP = "Grace Kim";

export async function addEastTeam(prisma: PrismaClient, managerId: number, parentId: number): Promise<void> {
  const east = await prisma.team.create({ data: { name: "East", parentId, managerId } });
  const reps = [
    { name: EAST_LOW, won: 23_100_00, quota: 100_000_00 },
    { name: "Maria Lopez", won: 95_000_00, quota: 100_000_00 },
    { name: "Omar Haddad", won: 101_000_00, quota: 100_000_00 },
    { name: "Lena Fischer", won: 98_000_00, quota: 100_000_00 },
    { name: EAST_TOP, won: 260_000_00, quota: 100_000_00 },
  ];
  for (const [i, r] of reps.entries()) {
    const email = `${r.name.split(" ")[0]!.toLowerCase()}@east.test`;
    const user = await prisma.user.create({ data: { email, name: r.name, role: "rep", teamId: east.id, managerId } });
    await prisma.deal.createMany({
      data: [
        { externalId: `east-${i}-a`, ownerId: user.id, customer: "C", amount: BigInt(Math.round(r.won / 2)), status: "won", createdAt: new Date("2026-07-01T00:00:00Z"), closedAt: new Date("2026-07-20T00:00:00Z") },
        { externalId: `east-${i}-b`, ownerId: user.id, customer: "C", amount: BigInt(r.won - Math.round(r.won / 2)), status: "won", createdAt: new Date("2026-08-01T00:00:00Z"), closedAt: new Date("2026-08-20T00:00:00Z") },
      ],
    });
    await prisma.quota.create({ data: { ownerId: user.id, periodStart: new Date("2026-07-01"), periodEnd: new Date("2026-09-30"), amount: BigInt(r.quota) } });
  }
}
