// Every synced fact of a database by natural key (no ids), for comparing two databases.
import type { Database } from "../../../src/data/db.ts";
import { syncSource, type SyncOptions } from "../../../src/sync/run.ts";
import type { Source } from "../../../src/sync/source.ts";
import { freshDatabase } from "../../support/databases.ts";

/** Every synced fact, by natural key, for comparing two databases. */
export async function dump(db: Pick<Database, "sql">) {
  const people = await db.sql.query(`SELECT u.email, u.name, u.role::text, u.active, t.name AS team, m.email AS manager FROM "User" u LEFT JOIN "Team" t ON t.id = u."teamId" LEFT JOIN "User" m ON m.id = u."managerId" ORDER BY u.email`);
  const deals = await db.sql.query(
    `SELECT d."externalId", u.email, d.customer, d.amount::text, d.currency, d.status::text, d."createdAt"::text, d."closedAt"::text, d.stage, d.pipeline, d.type, d.source
     FROM "Deal" d JOIN "User" u ON u.id = d."ownerId" ORDER BY d."externalId"`,
  );
  const activities = await db.sql.query(`SELECT a."externalId", u.email, a.type::text, a."occurredAt"::text FROM "Activity" a JOIN "User" u ON u.id = a."ownerId" ORDER BY a."externalId"`);
  const tickets = await db.sql.query(
    `SELECT t."externalId", u.email, t."openedAt"::text, t."firstResponseAt"::text, t."resolvedAt"::text, t.csat FROM "Ticket" t JOIN "User" u ON u.id = t."agentId" ORDER BY t."externalId"`,
  );
  return { people, deals, activities, tickets };
}


/** What one uninterrupted sync of `source` into an empty database holds: the reference a resumed run must equal. */
export async function uninterruptedDump(source: Source, options: SyncOptions): Promise<Awaited<ReturnType<typeof dump>>> {
  const reference = await freshDatabase("pglite");
  try {
    const report = await syncSource(reference, source, options);
    if (report.outcome !== "synced") throw new Error(`the reference sync did not finish: ${report.outcome} ${report.problem ?? ""}`);
    return await dump(reference);
  } finally {
    await reference.dispose();
  }
}
