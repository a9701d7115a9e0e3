/**
 * `npm run seed -- --remove`: delete exactly the demo (its people, the teams only it uses, and
 * everything its people own), never imported rows. Rollups follow through their triggers and a
 * fold. Imported people managed by a demo person lose that manager (set null), imported deals
 * tied to a demo campaign lose the campaign.
 */
import type { Database } from "../db.ts";
import { foldRollups } from "../rollups.ts";
import { DEMO_EMAIL_LIKE, markHeldData } from "./history.ts";
import { MARKETING_TEAM, SALES_ORG, SALES_TEAMS, SERVICE_APAC_TEAM, SERVICE_TEAM } from "./demo-org.ts";
import { SEED_LOCK_KEY } from "./markers.ts";

export type RemoveSummary = {
  users: number;
  teams: number;
  deals: number;
  activities: number;
  quotas: number;
  tickets: number;
  campaigns: number;
  subscriptions: number;
  alerts: number;
  auditRows: number;
};

/** Every team name the demo creates. */
export function demoTeamNames(): string[] {
  return [SALES_ORG.name, ...SALES_TEAMS.map((t) => t.name), SERVICE_TEAM.name, MARKETING_TEAM.name, SERVICE_APAC_TEAM.name];
}

const demoUsers = `SELECT id FROM "User" WHERE email LIKE $1`;

/**
 * Remove the demo dataset; a database without it is left as it is (all counts 0).
 *
 * @example
 * const removed = await removeDemo(db);
 * removed.users; // => 41 after a plain demo load
 */
export async function removeDemo(db: Pick<Database, "sql">): Promise<RemoveSummary> {
  const summary = await db.sql.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [SEED_LOCK_KEY]);
    const p = [DEMO_EMAIL_LIKE];
    const del = async (sql: string, params: unknown[] = p) => (await tx.query(`${sql} RETURNING 1`, params)).length;
    const activities = await del(`DELETE FROM "Activity" WHERE "ownerId" IN (${demoUsers})`);
    const quotas = await del(`DELETE FROM "Quota" WHERE "ownerId" IN (${demoUsers})`);
    const tickets = await del(`DELETE FROM "Ticket" WHERE "agentId" IN (${demoUsers})`);
    const deals = await del(`DELETE FROM "Deal" WHERE "ownerId" IN (${demoUsers})`);
    const campaigns = await del(`DELETE FROM "Campaign" WHERE "ownerId" IN (${demoUsers})`);
    const subscriptions = await del(`DELETE FROM "Subscription" WHERE "ownerId" IN (${demoUsers})`);
    const alerts = await del(`DELETE FROM "Alert" WHERE "ownerId" IN (${demoUsers})`);
    // What demo people asked is demo history too; imported people's rows stay.
    const auditRows = await del(`DELETE FROM "AuditLog" WHERE "userId" IN (${demoUsers})`);
    const users = await del(`DELETE FROM "User" WHERE email LIKE $1`);
    // A demo-named team stays while imported people or teams still use it; leaves first.
    let teams = 0;
    for (;;) {
      const n = await del(
        `DELETE FROM "Team" t WHERE t.name = ANY($1::text[])
           AND NOT EXISTS (SELECT 1 FROM "User" u WHERE u."teamId" = t.id)
           AND NOT EXISTS (SELECT 1 FROM "Team" c WHERE c."parentId" = t.id)`,
        [demoTeamNames()],
      );
      teams += n;
      if (n === 0) break;
    }
    // Asked to be rid of the demo: start-up never loads it again.
    await markHeldData(tx);
    return { users, teams, deals, activities, quotas, tickets, campaigns, subscriptions, alerts, auditRows };
  });
  await foldRollups(db.sql);
  return summary;
}
