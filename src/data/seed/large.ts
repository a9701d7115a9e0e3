/**
 * The benchmark dataset: hundreds of reps and a million deals, generated inside the database by
 * set-based INSERT … SELECT … FROM generate_series. Randomness is a hash of the row number and
 * the seed (hashint8extended), so a load is deterministic and never one statement per row.
 */
import { foldRollups } from "../rollups.ts";
import { z } from "zod";
import type { Database } from "../db.ts";
import type { SqlRunner } from "../migrate.ts";
import { addDays, DAY_MS, HISTORY_DAYS, quartersBetween, seasonalDayTable, startOfUtcDay } from "./calendar.ts";
import { BENCH_EMAIL_DOMAIN, BENCH_ID_PREFIX, BENCH_ORG_TEAM, BENCH_TEAM_PREFIX, SEED_LOCK_KEY, SeedError } from "./markers.ts";
import { wipeBench } from "./wipe.ts";

/** Reps per benchmark team. */
export const BENCH_REPS_PER_TEAM = 20;

export const largeOptionsSchema = z
  .object({
    deals: z.number().int().min(1).max(50_000_000).default(1_000_000),
    reps: z.number().int().min(1).max(20_000).default(500),
    /** Activities to generate, about this many (each deal gets a random share); default 2 per deal. */
    activities: z.number().int().min(0).optional(),
    seed: z.number().int().min(0).max(0xffff_ffff).default(42),
    /** The end of the two years of history. */
    now: z.date().refine((d) => !Number.isNaN(d.getTime()), "must be a valid date"),
  })
  .refine((o) => (o.activities ?? 0) <= o.deals * 100, { message: "at most 100 activities per deal", path: ["activities"] });
export type LargeOptions = z.input<typeof largeOptionsSchema>;

export type LargeSummary = {
  seed: number;
  now: string;
  counts: { teams: number; users: number; reps: number; deals: number; activities: number; quotas: number };
  wonDeals: number;
  /** Sum of won deal amounts, minor units of `currency`. */
  wonAmount: bigint;
  openDeals: number;
  currency: "USD";
};

const REP_EMAIL_LIKE = `bench.rep.%@${BENCH_EMAIL_DOMAIN}`;
const DEAL_PREFIX = `${BENCH_ID_PREFIX}deal-`;
const DEAL_DIGITS = 9;
/** Median deal in minor units, and the log-scale spread of amounts. */
const MEDIAN_AMOUNT = 900_000;
const AMOUNT_SIGMA = 0.7;
/** Share of closed deals won, on average over reps (each rep's own rate is 22–38 %). */
const MEAN_WIN_RATE = 0.3;

/** External id of benchmark deal number i (1-based). */
export function benchDealId(i: number): string {
  return `${DEAL_PREFIX}${String(i).padStart(DEAL_DIGITS, "0")}`;
}

/**
 * True when a committed benchmark load with exactly `deals` deals (and `reps` reps, when given)
 * is present, so a benchmark can skip reloading. Cheap: index lookups and a scan of users.
 */
export async function hasLargeDataset(db: Pick<Database, "sql">, deals: number, reps?: number): Promise<boolean> {
  const [row] = await db.sql.query<{ org: boolean; last: boolean; beyond: boolean; reps: number }>(
    `SELECT EXISTS (SELECT 1 FROM "Team" WHERE name = $1) AS org,
            EXISTS (SELECT 1 FROM "Deal" WHERE "externalId" = $2) AS last,
            EXISTS (SELECT 1 FROM "Deal" WHERE "externalId" = $3) AS beyond,
            (SELECT count(*)::int FROM "User" WHERE email LIKE $4) AS reps`,
    [BENCH_ORG_TEAM, benchDealId(deals), benchDealId(deals + 1), REP_EMAIL_LIKE],
  );
  if (!row) return false;
  return row.org && row.last && !row.beyond && (reps === undefined || row.reps === reps);
}

/**
 * Load (or reload: an earlier benchmark dataset is removed first) the benchmark dataset in one
 * transaction. Demo or imported data in the same database is left alone.
 *
 * @example
 * await seedLarge(db, { deals: 1_000_000, reps: 500, now: new Date() });
 */
export async function seedLarge(db: Pick<Database, "sql">, options: LargeOptions): Promise<LargeSummary> {
  const summary = await loadLarge(db, options);
  await foldRollups(db.sql, 1_000_000);
  return summary;
}

async function loadLarge(db: Pick<Database, "sql">, options: LargeOptions): Promise<LargeSummary> {
  const parsed = largeOptionsSchema.safeParse(options);
  if (!parsed.success) throw new SeedError(`invalid benchmark options: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const o = parsed.data;
  const activities = o.activities ?? o.deals * 2;
  return db.sql.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [SEED_LOCK_KEY]);
    await wipeBench(tx);
    const gen = new Generator(tx, o.seed, o.now);
    const teams = await gen.teams(o.reps);
    const users = await gen.users(o.reps, teams - 1);
    const load = async () => {
      const deals = await gen.deals(o.deals, o.reps);
      return { deals, activityCount: await gen.activities(activities, deals) };
    };
    // Setting indexes aside pays off when the load is most of the table, not when it is a sliver.
    const [existing] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Deal"`);
    const { deals, activityCount } = (existing?.n ?? 0) < o.deals ? await withBulkLoadTables(tx, ["Deal", "Activity"], load) : await load();
    const quotas = await gen.quotas(o.deals, o.reps);
    await tx.exec(`ANALYZE "Team", "User", "Deal", "Activity", "Quota"`);
    return {
      seed: o.seed,
      now: o.now.toISOString(),
      counts: { teams, users, reps: o.reps, deals: o.deals, activities: activityCount, quotas },
      wonDeals: deals.won,
      wonAmount: deals.wonAmount,
      openDeals: deals.open,
      currency: "USD",
    };
  });
}

type DealStats = { won: number; lost: number; open: number; wonAmount: bigint };

/** A UTC instant as a timestamp literal without zone, the way the schema stores times. */
function utcTimestamp(t: Date): string {
  return t.toISOString().replace("Z", "");
}

/**
 * The SQL of one load; every pseudo-random number is a pure function of (seed, row, purpose).
 * `OFFSET 0` fences keep the planner from inlining a derived column into each place it is used
 * (which would recompute its hashes several times per row). $1 is always `now`.
 */
class Generator {
  private readonly now: string;
  private readonly windowStart: Date;
  private readonly firstDay: Date;

  constructor(
    private readonly tx: SqlRunner,
    private readonly seed: number,
    private readonly nowDate: Date,
  ) {
    this.now = utcTimestamp(nowDate);
    this.windowStart = new Date(nowDate.getTime() - HISTORY_DAYS * DAY_MS);
    this.firstDay = startOfUtcDay(this.windowStart);
  }

  /** Uniform on [0, 1) from a bigint SQL expression and a purpose number (distinct streams). */
  private u(expr: string, purpose: number): string {
    const salt = BigInt(this.seed) * 1000n + BigInt(purpose);
    return `((hashint8extended((${expr})::bigint, ${salt}) & 9007199254740991)::float8 / 9007199254740992.0)`;
  }

  /** Standard normal (Box–Muller) from two streams. */
  private normal(expr: string, a: number, b: number): string {
    return `(sqrt(-2 * ln(1 - ${this.u(expr, a)})) * cos(2 * pi() * ${this.u(expr, b)}))`;
  }

  async teams(reps: number): Promise<number> {
    const count = Math.ceil(reps / BENCH_REPS_PER_TEAM);
    const created = utcTimestamp(addDays(this.nowDate, -2190));
    // A sales org: its teams inherit the function, so every rep is ranked on sales metrics.
    await this.tx.query(`INSERT INTO "Team" (name, "function", "createdAt") VALUES ($1::text, 'sales', $2::timestamp)`, [BENCH_ORG_TEAM, created]);
    await this.tx.query(
      `INSERT INTO "Team" (name, "parentId", "createdAt")
       SELECT $1::text || lpad(t::text, 4, '0'), (SELECT id FROM "Team" WHERE name = $2::text), $3::timestamp
       FROM generate_series(1, $4::int) t`,
      [BENCH_TEAM_PREFIX, BENCH_ORG_TEAM, created, count],
    );
    return count + 1;
  }

  async users(reps: number, teams: number): Promise<number> {
    const domain = `@${BENCH_EMAIL_DOMAIN}`;
    const started = (expr: string, purpose: number) => `($1::timestamp - make_interval(days => 740 + floor(${this.u(expr, purpose)} * 1500)::int))`;
    // Head of the org, one manager per team, then the reps dealt round-robin over the teams.
    await this.tx.query(
      `INSERT INTO "User" (email, name, role, "teamId", timezone, locale, "startedAt", "createdAt")
       SELECT 'bench.head' || $2::text, 'Bench Head', 'manager'::"Role", (SELECT id FROM "Team" WHERE name = $3::text), 'UTC', 'en',
              $1::timestamp - interval '3000 days', $1::timestamp - interval '3000 days'
       UNION ALL
       SELECT 'bench.mgr.' || lpad(t::text, 4, '0') || $2::text, 'Bench Manager ' || lpad(t::text, 4, '0'), 'manager'::"Role", team.id,
              'UTC', 'en', ${started("t", 1)}, ${started("t", 1)}
       FROM generate_series(1, $4::int) t JOIN "Team" team ON team.name = $5::text || lpad(t::text, 4, '0')`,
      [this.now, domain, BENCH_ORG_TEAM, teams, BENCH_TEAM_PREFIX],
    );
    await this.tx.query(
      `INSERT INTO "User" (email, name, role, "teamId", timezone, locale, "startedAt", "createdAt")
       SELECT 'bench.rep.' || lpad(r::text, 5, '0') || $2::text, 'Bench Rep ' || lpad(r::text, 5, '0'), 'rep'::"Role", team.id,
              (ARRAY['America/New_York', 'America/Los_Angeles', 'Europe/London', 'Asia/Shanghai'])[1 + r % 4],
              CASE WHEN r % 4 = 3 THEN 'zh-CN' ELSE 'en' END,
              ${started("r", 2)}, ${started("r", 2)}
       FROM generate_series(1, $3::int) r
       JOIN "Team" team ON team.name = $4::text || lpad((1 + (r - 1) % $5::int)::text, 4, '0')
       ORDER BY r`,
      [this.now, domain, reps, BENCH_TEAM_PREFIX, teams],
    );
    await this.tx.query(
      `UPDATE "Team" t SET "managerId" = u.id FROM "User" u
       WHERE t.name LIKE $1::text || '%' AND u.email = 'bench.mgr.' || substr(t.name, length($1::text) + 1) || $2::text`,
      [BENCH_TEAM_PREFIX, domain],
    );
    await this.tx.query(`UPDATE "Team" SET "managerId" = (SELECT id FROM "User" WHERE email = 'bench.head' || $2::text) WHERE name = $1::text`, [
      BENCH_ORG_TEAM,
      domain,
    ]);
    await this.tx.query(
      `UPDATE "User" u SET "managerId" = CASE WHEN u.role = 'rep' THEN t."managerId" ELSE org."managerId" END
       FROM "Team" t, "Team" org
       WHERE u."teamId" = t.id AND org.name = $1::text AND u.email LIKE '%' || $2::text AND u.email <> 'bench.head' || $2::text`,
      [BENCH_ORG_TEAM, domain],
    );
    return 1 + teams + reps;
  }

  async deals(deals: number, reps: number): Promise<DealStats> {
    // Creation days follow the shared seasonality, drawn through an inverse-CDF table; the table
    // covers whole days after the window starts and before today, so every deal lies in [now − 2y, now).
    const days = seasonalDayTable(addDays(this.firstDay, 1), HISTORY_DAYS - 1);
    const first = utcTimestamp(addDays(this.firstDay, 1));
    const u = (p: number) => this.u("i", p);
    await this.tx.query(
      `INSERT INTO "Deal" ("externalId", "ownerId", customer, amount, currency, status, "createdAt", "closedAt", product, region)
       SELECT $5::text || lpad(i::text, ${DEAL_DIGITS}, '0'), reps.ids[r], 'Bench Customer ' || lpad(customer::text, 5, '0'), amount, 'USD',
              (CASE WHEN closed > $1::timestamp THEN 'open' WHEN w < skill THEN 'won' ELSE 'lost' END)::"DealStatus",
              created, CASE WHEN closed > $1::timestamp THEN NULL ELSE closed END, product, region
       FROM (
         SELECT i, r, customer, w, skill, created, product, region,
                created + exp(ln(35) + 0.55 * z_cycle) * interval '1 day' AS closed,
                greatest(50000, round(${MEDIAN_AMOUNT} * exp(${AMOUNT_SIGMA} * z_amount + 0.15 * z_rep) / 5000) * 5000)::bigint AS amount
         FROM (
           SELECT i, r, customer, w, product, region,
                  $2::timestamp + ($3::int[])[1 + floor(day_u * $4::int)::int] * interval '1 day' + (8 + 10 * hour_u) * interval '1 hour' AS created,
                  0.22 + 0.16 * ${this.u("r", 101)} AS skill,
                  ${this.normal("r", 102, 103)} AS z_rep,
                  sqrt(-2 * ln(1 - u6)) * cos(2 * pi() * u7) AS z_amount,
                  sqrt(-2 * ln(1 - u6)) * sin(2 * pi() * u7) AS z_cycle
           FROM (
             SELECT i, 1 + floor(${u(1)} * $6::int)::int AS r, ${u(2)} AS day_u, ${u(3)} AS hour_u, ${u(4)} AS w,
                    floor(${u(5)} * 50000)::int AS customer, ${u(6)} AS u6, ${u(7)} AS u7,
                    'Product ' || lpad((1 + floor(${u(8)} * 20))::text, 2, '0') AS product, 'Region ' || (1 + floor(${u(9)} * 8))::text AS region
             FROM generate_series(1, $7::int) i
             OFFSET 0
           ) g
           OFFSET 0
         ) h
         OFFSET 0
       ) d,
       (SELECT array_agg(id ORDER BY email) AS ids FROM "User" WHERE email LIKE $8::text) reps
       -- A CRM's rows arrive over time: stored in creation order, as an append-only history would be.
       ORDER BY created`,
      [this.now, first, days, days.length, DEAL_PREFIX, reps, deals, REP_EMAIL_LIKE],
    );
    const rows = await this.tx.query<{ status: "won" | "lost" | "open"; n: number; amount: string }>(
      `SELECT status::text AS status, count(*)::int AS n, sum(amount)::text AS amount
       FROM "Deal" WHERE "externalId" LIKE $1::text GROUP BY status`,
      [`${DEAL_PREFIX}%`],
    );
    const get = (s: string) => rows.find((r) => r.status === s);
    const stats = { won: get("won")?.n ?? 0, lost: get("lost")?.n ?? 0, open: get("open")?.n ?? 0, wonAmount: BigInt(get("won")?.amount ?? "0") };
    if (stats.won + stats.lost + stats.open !== deals) throw new Error(`Deal: inserted ${stats.won + stats.lost + stats.open} of ${deals}`);
    return stats;
  }

  /**
   * About `target` activities on the benchmark deals, by the deal's owner, between its creation
   * and its close (or now); a won deal gets about twice the work of a lost or open one.
   */
  async activities(target: number, deals: DealStats): Promise<number> {
    const total = deals.won + deals.lost + deals.open;
    if (target === 0 || total === 0) return 0;
    const weight = { won: 1.5, lost: 0.8, open: 0.7 };
    const scale = target / (weight.won * deals.won + weight.lost * deals.lost + weight.open * deals.open);
    const key = "(d.n * 4096 + k)";
    const prefix = `${BENCH_ID_PREFIX}act-`;
    await this.tx.query(
      `INSERT INTO "Activity" ("externalId", "ownerId", type, "occurredAt", "dealId")
         SELECT $3::text || n || '-' || k, owner,
                (CASE WHEN t < 0.4 THEN 'call' WHEN t < 0.8 THEN 'email' WHEN t < 0.97 THEN 'meeting' ELSE 'other' END)::"ActivityType",
                created + at * (coalesce(closed, $1::timestamp) - created),
                id
         FROM (
           SELECT d.id, d.owner, d.created, d.closed, d.n, k, ${this.u(key, 201)} AS t, ${this.u(key, 202)} AS at
           FROM (
             SELECT id, "ownerId" AS owner, "createdAt" AS created, "closedAt" AS closed,
                    substr("externalId", length($2::text) + 1)::bigint AS n,
                    $4::float8 * CASE status WHEN 'won' THEN $5::float8 WHEN 'lost' THEN $6::float8 ELSE $7::float8 END AS lambda
             FROM "Deal" WHERE "externalId" LIKE $2::text || '%'
             OFFSET 0
           ) d
           CROSS JOIN LATERAL generate_series(1, floor(d.lambda * (0.25 + 1.5 * ${this.u("d.n", 203)}) + ${this.u("d.n", 204)})::int) k
           OFFSET 0
         ) a`,
      [this.now, DEAL_PREFIX, prefix, scale, weight.won, weight.lost, weight.open],
    );
    // Counted afterwards: a RETURNING tally of two million rows costs more than one scan.
    const [row] = await this.tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Activity" WHERE "externalId" LIKE $1::text`, [`${prefix}%`]);
    return row?.n ?? 0;
  }

  /** Quarterly quotas per rep, sized so an average rep lands near 100 % attainment. */
  async quotas(deals: number, reps: number): Promise<number> {
    const quarters = quartersBetween(this.windowStart, this.nowDate, 1);
    const dealsPerRepQuarter = deals / reps / (HISTORY_DAYS / 91.3);
    const meanAmount = MEDIAN_AMOUNT * Math.exp((AMOUNT_SIGMA * AMOUNT_SIGMA) / 2);
    const base = dealsPerRepQuarter * MEAN_WIN_RATE * meanAmount;
    const [row] = await this.tx.query<{ n: number }>(
      `WITH ins AS (
         INSERT INTO "Quota" ("ownerId", "periodStart", "periodEnd", amount, currency)
         SELECT u.id, q.s::date, q.e::date,
                greatest(500000, round($3::float8 * (0.85 + 0.3 * ${this.u("substr(u.email, 11, 5)::int", 301)}) / 500000) * 500000)::bigint,
                'USD'
         FROM "User" u, unnest($1::text[], $2::text[]) AS q(s, e)
         WHERE u.email LIKE $4::text
         RETURNING 1
       )
       SELECT count(*)::int AS n FROM ins`,
      [quarters.map((q) => q.start), quarters.map((q) => q.end), base, REP_EMAIL_LIKE],
    );
    return row?.n ?? 0;
  }
}

/**
 * Run a bulk load into `tables` with their foreign keys and secondary indexes dropped, then put
 * them back exactly as they were (definitions read from the catalog). One sort per index and one
 * set-based check per foreign key are far cheaper than a million per-row index insertions and
 * trigger lookups; the re-added foreign keys still validate every loaded row. Primary keys and
 * indexes backing a constraint stay. DDL is transactional: a failed load rolls all of it back.
 * The tables are locked exclusively until the transaction ends.
 */
async function withBulkLoadTables<T>(tx: SqlRunner, tables: string[], load: () => Promise<T>): Promise<T> {
  const foreignKeys = await tx.query<{ drop: string; add: string }>(
    `SELECT format('ALTER TABLE %I.%I DROP CONSTRAINT %I', n.nspname, t.relname, k.conname) AS drop,
            format('ALTER TABLE %I.%I ADD CONSTRAINT %I %s', n.nspname, t.relname, k.conname, pg_get_constraintdef(k.oid)) AS add
     FROM pg_constraint k
     JOIN pg_class t ON t.oid = k.conrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE k.contype = 'f' AND n.nspname = current_schema() AND t.relname = ANY($1::text[])
     ORDER BY t.relname, k.conname`,
    [tables],
  );
  const indexes = await tx.query<{ drop: string; create: string }>(
    `SELECT format('DROP INDEX %I.%I', n.nspname, c.relname) AS drop, pg_get_indexdef(x.indexrelid) AS create
     FROM pg_index x
     JOIN pg_class c ON c.oid = x.indexrelid
     JOIN pg_class t ON t.oid = x.indrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE n.nspname = current_schema() AND t.relname = ANY($1::text[]) AND NOT x.indisprimary
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
     ORDER BY c.relname`,
    [tables],
  );
  // Room for the index sorts to stay in memory (this transaction only).
  await tx.exec(`SET LOCAL maintenance_work_mem = '256MB'`);
  for (const k of foreignKeys) await tx.exec(k.drop);
  for (const i of indexes) await tx.exec(i.drop);
  const out = await load();
  for (const i of indexes) await tx.exec(i.create);
  for (const k of foreignKeys) await tx.exec(k.add);
  return out;
}
