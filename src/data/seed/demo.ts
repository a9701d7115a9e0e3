/**
 * Load the demo company into a database: built in memory (./demo-data.ts), inserted in batches in
 * one transaction, so a load either completes or leaves nothing behind.
 */
import { foldRollups } from "../rollups.ts";
import { z } from "zod";
import type { Database } from "../db.ts";
import type { SqlRunner } from "../migrate.ts";
import { addDays } from "./calendar.ts";
import { buildDemo, type DemoData } from "./demo-data.ts";
import { SERVICE_APAC_TEAM } from "./demo-org.ts";
import { hasHeldData, markHeldData } from "./history.ts";
import { BENCH_EMAIL_LIKE, SEED_LOCK_KEY, SeedError } from "./markers.ts";
import { insertRows, updateFromRows } from "./rows.ts";
import { wipeAllButBench } from "./wipe.ts";

export { DEMO_ADMIN_EMAIL, DEMO_MANAGER_EMAIL, DEMO_REP_EMAIL } from "./demo-org.ts";

export const DEFAULT_DEMO_SEED = 42;

export const demoOptionsSchema = z.object({
  /** Any integer 0 … 2³²−1; the same seed and `now` give identical data. */
  seed: z.number().int().min(0).max(0xffff_ffff).default(DEFAULT_DEMO_SEED),
  /** The end of the two years of history (nothing is dated after it). */
  now: z.date().refine((d) => !Number.isNaN(d.getTime()), "must be a valid date"),
  /** Delete every CRM row except the benchmark dataset first (the audit log is kept). */
  replace: z.boolean().default(false),
});
export type DemoOptions = z.input<typeof demoOptionsSchema>;

export type DemoSummary = {
  seed: number;
  now: string;
  counts: { teams: number; users: number; campaigns: number; deals: number; activities: number; quotas: number; tickets: number };
  wonDeals: number;
  /** Sum of won deal amounts, minor units of `currency`. */
  wonAmount: bigint;
  openDeals: number;
  /** Sum of open deal amounts (the pipeline), minor units. */
  openAmount: bigint;
  currency: "USD";
};

/**
 * Seed the demo CRM. Refuses (SeedError) when the database already has users other than the
 * benchmark's, unless `replace` is set.
 *
 * @example
 * const summary = await seedDemo(db, { now: new Date("2026-11-26T15:00:00Z") });
 * summary.counts.users; // => 37
 */
export async function seedDemo(db: Pick<Database, "sql">, options: DemoOptions): Promise<DemoSummary> {
  const parsed = demoOptionsSchema.safeParse(options);
  if (!parsed.success) throw new SeedError(`invalid demo options: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const { seed, now, replace } = parsed.data;
  const data = buildDemo(seed, now);
  await db.sql.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [SEED_LOCK_KEY]);
    const existing = await countNonBenchUsers(tx);
    if (existing > 0) {
      if (!replace) {
        throw new SeedError(
          `the database already has ${existing} user(s); the demo loads only into an empty CRM. ` +
            "Reload it with --replace (wipes teams, users, deals, activities, quotas, tickets and campaigns), or use an empty database",
        );
      }
      await wipeAllButBench(tx);
    }
    await insertDemo(tx, data, now);
    await markHeldData(tx);
  });
  await foldRollups(db.sql);
  return summarise(seed, now, data);
}

export type EnsureDemoResult =
  | { seeded: true; summary: DemoSummary }
  | {
      seeded: false;
      /** postgres: never seeded automatically (it may be production); held-data: the demo was removed, or data imported. */
      reason: "postgres" | "has-users" | "held-data";
    };

/**
 * Start-up hook: seed the demo (seed 42, history ending at `now`) into the embedded database
 * when it has no users yet (benchmark users aside) and never held data (no demo removed, nothing
 * imported: see ./history.ts). Never touches PostgreSQL, which may be production: load the demo
 * there explicitly with `npm run seed`.
 */
export async function ensureDemoData(db: Pick<Database, "kind" | "sql">, now: Date): Promise<EnsureDemoResult> {
  if (db.kind !== "pglite") return { seeded: false, reason: "postgres" };
  if ((await countNonBenchUsers(db.sql)) > 0) return { seeded: false, reason: "has-users" };
  if (await hasHeldData(db.sql)) return { seeded: false, reason: "held-data" };
  try {
    return { seeded: true, summary: await seedDemo(db, { now }) };
  } catch (e) {
    // Another process seeded between the look and the load.
    if (e instanceof SeedError) return { seeded: false, reason: "has-users" };
    throw e;
  }
}

async function countNonBenchUsers(sql: SqlRunner): Promise<number> {
  const [row] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "User" WHERE email NOT LIKE $1`, [BENCH_EMAIL_LIKE]);
  return row?.n ?? 0;
}

function summarise(seed: number, now: Date, data: DemoData): DemoSummary {
  const won = data.deals.filter((d) => d.status === "won");
  const open = data.deals.filter((d) => d.status === "open");
  const sum = (ds: typeof won) => ds.reduce((s, d) => s + BigInt(d.amount), 0n);
  return {
    seed,
    now: now.toISOString(),
    counts: {
      teams: data.teams.length,
      users: data.users.length,
      campaigns: data.campaigns.length,
      deals: data.deals.length,
      activities: data.activities.length,
      quotas: data.quotas.length,
      tickets: data.tickets.length,
    },
    wonDeals: won.length,
    wonAmount: sum(won),
    openDeals: open.length,
    openAmount: sum(open),
    currency: "USD",
  };
}

// Timestamps travel as ISO strings with Z and are stored as UTC (timestamp without time zone).
const utc = (col: string) => `(x.${col} AT TIME ZONE 'UTC')`;

async function insertDemo(tx: SqlRunner, data: DemoData, now: Date): Promise<void> {
  // Teams exist for the whole demo history; createdAt is explicit so no wall clock leaks in.
  const teamsCreated = addDays(now, -2190).toISOString();
  await insertRows(
    tx,
    "Team",
    `INSERT INTO "Team" (name, "createdAt")
     SELECT x.name, ${utc("created")} FROM json_to_recordset($1::json) AS x(name text, created timestamptz)`,
    data.teams.map((t) => ({ name: t.name, created: teamsCreated })),
  );
  await updateFromRows(
    tx,
    `UPDATE "Team" t SET "parentId" = p.id
     FROM json_to_recordset($1::json) AS x(name text, parent text) JOIN "Team" p ON p.name = x.parent
     WHERE t.name = x.name`,
    data.teams,
  );
  // What each top team does (sub-teams inherit it): who is ranked on which metrics.
  await tx.query(
    `UPDATE "Team" SET "function" = x.fn::"TeamFunction" FROM json_to_recordset($1::json) AS x(name text, fn text) WHERE "Team".name = x.name`,
    [JSON.stringify([{ name: "Sales", fn: "sales" }, { name: "Service", fn: "service" }, { name: SERVICE_APAC_TEAM.name, fn: "service" }, { name: "Marketing", fn: "marketing" }])],
  );
  await insertRows(
    tx,
    "User",
    `INSERT INTO "User" (email, name, role, "teamId", "slackUserId", "teamsUserId", timezone, locale, "startedAt", "createdAt")
     SELECT x.email, x.name, x.role::"Role", t.id, x."slackUserId", x."teamsUserId", x.timezone, x.locale,
            ${utc(`"startedAt"`)}, ${utc(`"startedAt"`)}
     FROM json_to_recordset($1::json) AS x(n int, email text, name text, role text, team text, "slackUserId" text,
                                           "teamsUserId" text, timezone text, locale text, "startedAt" timestamptz)
     LEFT JOIN "Team" t ON t.name = x.team
     ORDER BY x.n`,
    data.users,
  );
  await updateFromRows(
    tx,
    `UPDATE "User" u SET "managerId" = m.id
     FROM json_to_recordset($1::json) AS x(email text, manager text) JOIN "User" m ON m.email = x.manager
     WHERE u.email = x.email`,
    data.users,
  );
  await updateFromRows(
    tx,
    `UPDATE "Team" t SET "managerId" = m.id
     FROM json_to_recordset($1::json) AS x(name text, manager text) JOIN "User" m ON m.email = x.manager
     WHERE t.name = x.name`,
    data.teams,
  );
  await insertRows(
    tx,
    "Campaign",
    `INSERT INTO "Campaign" ("externalId", name, channel, "startDate", "endDate", spend, leads, conversions, revenue, currency, "ownerId")
     SELECT x.ext, x.name, x.channel, x.start, x."end", x.spend, x.leads, x.conversions, x.revenue, 'USD', u.id
     FROM json_to_recordset($1::json) AS x(n int, ext text, name text, channel text, start date, "end" date, spend bigint,
                                           leads int, conversions int, revenue bigint, owner text)
     JOIN "User" u ON u.email = x.owner
     ORDER BY x.n`,
    data.campaigns,
  );
  await insertRows(
    tx,
    "Deal",
    `INSERT INTO "Deal" ("externalId", "ownerId", customer, amount, currency, status, "createdAt", "closedAt", "campaignId",
                         product, region, source, segment, stage, pipeline, type)
     SELECT x.ext, u.id, x.customer, x.amount, 'USD', x.status::"DealStatus", ${utc("created")}, ${utc("closed")}, c.id,
            x.product, x.region, x.source, x.segment, x.stage, x.pipeline, x.type
     FROM json_to_recordset($1::json) AS x(n int, ext text, owner text, customer text, amount bigint, status text,
                                           created timestamptz, closed timestamptz, campaign text, product text,
                                           region text, source text, segment text, stage text, pipeline text, type text)
     JOIN "User" u ON u.email = x.owner
     LEFT JOIN "Campaign" c ON c."externalId" = x.campaign
     ORDER BY x.n`,
    data.deals,
  );
  await insertRows(
    tx,
    "Activity",
    `INSERT INTO "Activity" ("externalId", "ownerId", type, "occurredAt", "dealId")
     SELECT x.ext, u.id, x.type::"ActivityType", ${utc("at")}, d.id
     FROM json_to_recordset($1::json) AS x(n int, ext text, owner text, type text, at timestamptz, deal text)
     JOIN "User" u ON u.email = x.owner
     LEFT JOIN "Deal" d ON d."externalId" = x.deal
     ORDER BY x.n`,
    data.activities,
  );
  await insertRows(
    tx,
    "Quota",
    `INSERT INTO "Quota" ("ownerId", "periodStart", "periodEnd", amount, currency)
     SELECT u.id, x.start, x."end", x.amount, 'USD'
     FROM json_to_recordset($1::json) AS x(owner text, start date, "end" date, amount bigint)
     JOIN "User" u ON u.email = x.owner`,
    data.quotas,
  );
  await insertRows(
    tx,
    "Ticket",
    `INSERT INTO "Ticket" ("externalId", "agentId", "openedAt", "firstResponseAt", "resolvedAt", csat, category, priority, channel)
     SELECT x.ext, u.id, ${utc("opened")}, ${utc(`"firstResponse"`)}, ${utc("resolved")}, x.csat, x.category, x.priority, x.channel
     FROM json_to_recordset($1::json) AS x(n int, ext text, agent text, opened timestamptz, "firstResponse" timestamptz,
                                           resolved timestamptz, csat smallint, category text, priority text, channel text)
     JOIN "User" u ON u.email = x.agent
     ORDER BY x.n`,
    data.tickets,
  );
}
