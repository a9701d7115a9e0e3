import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEMO_ADMIN_EMAIL,
  DEMO_MANAGER_EMAIL,
  DEMO_REP_EMAIL,
  ensureDemoData,
  seedDemo,
  type DemoSummary,
} from "../../src/data/seed/demo.ts";
import { SeedError } from "../../src/data/seed/markers.ts";
import type { SqlRunner } from "../../src/data/migrate.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";

const now = new Date("2026-11-26T15:00:00Z");
const DAY = 86_400_000;

/** Per-table counts, won totals per team, and digests of every generated row, from the database. */
async function fingerprint(sql: SqlRunner) {
  const [counts] = await sql.query<Record<string, number>>(
    `SELECT (SELECT count(*)::int FROM "Team") AS teams, (SELECT count(*)::int FROM "User") AS users,
            (SELECT count(*)::int FROM "Deal") AS deals, (SELECT count(*)::int FROM "Activity") AS activities,
            (SELECT count(*)::int FROM "Quota") AS quotas, (SELECT count(*)::int FROM "Ticket") AS tickets,
            (SELECT count(*)::int FROM "Campaign") AS campaigns`,
  );
  const [won] = await sql.query<{ amount: string }>(`SELECT sum(amount)::text AS amount FROM "Deal" WHERE status = 'won'`);
  const perTeam = await sql.query<{ team: string; amount: string }>(
    `SELECT t.name AS team, sum(d.amount)::text AS amount
     FROM "Deal" d JOIN "User" u ON u.id = d."ownerId" JOIN "Team" t ON t.id = u."teamId"
     WHERE d.status = 'won' GROUP BY t.name ORDER BY t.name`,
  );
  const [digests] = await sql.query<Record<string, string>>(
    `SELECT
       (SELECT md5(string_agg(concat_ws('|', d."externalId", u.email, d.customer, d.amount, d.status, d."createdAt", d."closedAt", c."externalId"), ',' ORDER BY d."externalId"))
          FROM "Deal" d JOIN "User" u ON u.id = d."ownerId" LEFT JOIN "Campaign" c ON c.id = d."campaignId") AS deals,
       (SELECT md5(string_agg(concat_ws('|', a."externalId", u.email, a.type, a."occurredAt", d."externalId"), ',' ORDER BY a."externalId"))
          FROM "Activity" a JOIN "User" u ON u.id = a."ownerId" LEFT JOIN "Deal" d ON d.id = a."dealId") AS activities,
       (SELECT md5(string_agg(concat_ws('|', u.email, u.name, u.role, t.name, m.email, u."slackUserId", u."teamsUserId", u.timezone, u.locale, u."startedAt"), ',' ORDER BY u.email))
          FROM "User" u LEFT JOIN "Team" t ON t.id = u."teamId" LEFT JOIN "User" m ON m.id = u."managerId") AS users,
       (SELECT md5(string_agg(concat_ws('|', k."externalId", u.email, k."openedAt", k."firstResponseAt", k."resolvedAt", k.csat), ',' ORDER BY k."externalId"))
          FROM "Ticket" k JOIN "User" u ON u.id = k."agentId") AS tickets`,
  );
  return { counts, won: won?.amount, perTeam, digests };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** (x − median) / (1.4826 · MAD) for every value. */
function robustZ(xs: number[]): number[] {
  const m = median(xs);
  const mad = median(xs.map((x) => Math.abs(x - m)));
  return xs.map((x) => (x - m) / (1.4826 * mad));
}

describe.each(backends)("demo seed on %s", (backend) => {
  let db: TestDatabase;
  let summary: DemoSummary;

  beforeAll(async () => {
    db = await freshDatabase(backend);
    summary = await seedDemo(db, { now });
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it("returns counts that match the tables and the sum of won amounts", async () => {
    const f = await fingerprint(db.sql);
    expect(f.counts).toEqual(summary.counts);
    expect(summary.wonAmount).toBe(BigInt(f.won!));
    expect(summary.counts.deals).toBeGreaterThan(2_000);
    expect(summary.counts.deals).toBeLessThan(6_000);
    expect(summary.counts.activities).toBeGreaterThan(20_000);
    expect(summary.currency).toBe("USD");
  });

  it("is deterministic: the same seed and now give identical rows in another database; another seed differs", async () => {
    const other = await freshDatabase(backend);
    try {
      const again = await seedDemo(other, { seed: 42, now });
      expect(again).toEqual(summary);
      const [a, b] = [await fingerprint(db.sql), await fingerprint(other.sql)];
      expect(b).toEqual(a);
      expect(a.perTeam.map((t) => t.team)).toEqual(["APAC", "East", "North", "West"]);

      const different = await seedDemo(other, { seed: 7, now, replace: true });
      expect(different.counts.users).toBe(summary.counts.users);
      expect(different.wonAmount).not.toBe(summary.wonAmount);
      expect(different.counts.deals).not.toBe(summary.counts.deals);
      const c = await fingerprint(other.sql);
      expect(c.counts).toEqual(different.counts);
      expect(c.perTeam).not.toEqual(a.perTeam);
    } finally {
      await other.dispose();
    }
  });

  it("refuses a second seed without replace and leaves the data as it was", async () => {
    const before = await fingerprint(db.sql);
    await expect(seedDemo(db, { now })).rejects.toThrow(SeedError);
    await expect(seedDemo(db, { now })).rejects.toThrow(/already has 41 user\(s\).*--replace/);
    expect(await fingerprint(db.sql)).toEqual(before);
  });

  it("builds an org: Sales with 3–4 sales teams, Service and Marketing, every team led by a manager", async () => {
    const teams = await db.sql.query<{ name: string; parent: string | null; manager: string | null; role: string | null; managerTeam: string | null }>(
      `SELECT t.name, p.name AS parent, m.email AS manager, m.role::text AS role, mt.name AS "managerTeam"
       FROM "Team" t LEFT JOIN "Team" p ON p.id = t."parentId" LEFT JOIN "User" m ON m.id = t."managerId" LEFT JOIN "Team" mt ON mt.id = m."teamId"
       ORDER BY t.name`,
    );
    const sales = teams.filter((t) => t.parent === "Sales");
    expect(sales.length).toBeGreaterThanOrEqual(3);
    expect(sales.length).toBeLessThanOrEqual(4);
    expect(teams.find((t) => t.name === "Sales")?.parent).toBeNull();
    expect(teams.map((t) => t.name)).toEqual(expect.arrayContaining(["Sales", "Service", "Marketing"]));
    for (const t of teams) {
      expect(t.role, `manager of ${t.name}`).toBe("manager");
      expect(t.managerTeam, `manager of ${t.name} is a member`).toBe(t.name);
    }
    expect(teams.find((t) => t.manager === DEMO_MANAGER_EMAIL)?.parent).toBe("Sales");
  });

  it("has 30–45 people with managers, admins, Chinese names, platform ids, time zones and locales", async () => {
    const users = await db.sql.query<{
      email: string;
      name: string;
      role: string;
      team: string | null;
      manager: string | null;
      slackUserId: string | null;
      teamsUserId: string | null;
      timezone: string;
      locale: string;
    }>(
      `SELECT u.email, u.name, u.role::text AS role, t.name AS team, m.email AS manager, u."slackUserId", u."teamsUserId", u.timezone, u.locale
       FROM "User" u LEFT JOIN "Team" t ON t.id = u."teamId" LEFT JOIN "User" m ON m.id = u."managerId"`,
    );
    expect(users.length).toBeGreaterThanOrEqual(30);
    expect(users.length).toBeLessThanOrEqual(45);
    expect(users.every((u) => u.email.endsWith("@demo.kpi-bot.dev"))).toBe(true);
    const byEmail = new Map(users.map((u) => [u.email, u]));
    expect(byEmail.get(DEMO_ADMIN_EMAIL)?.role).toBe("admin");
    expect(byEmail.get(DEMO_MANAGER_EMAIL)?.role).toBe("manager");
    expect(byEmail.get(DEMO_REP_EMAIL)).toMatchObject({ role: "rep", manager: DEMO_MANAGER_EMAIL });
    for (const email of [DEMO_ADMIN_EMAIL, DEMO_MANAGER_EMAIL, DEMO_REP_EMAIL]) {
      expect(byEmail.get(email)?.slackUserId).toMatch(/^U0[A-Z0-9]{9}$/);
      expect(byEmail.get(email)?.teamsUserId).toMatch(/^29:1/);
    }
    expect(users.filter((u) => u.role === "rep").every((u) => u.manager !== null && u.team !== null)).toBe(true);

    const chinese = users.filter((u) => /\p{Script=Han}/u.test(u.name));
    expect(chinese.length).toBeGreaterThanOrEqual(5);
    expect(byEmail.get("wang.fang@demo.kpi-bot.dev")).toMatchObject({ name: "王芳", locale: "zh-CN", timezone: "Asia/Shanghai" });
    expect([...new Set(users.map((u) => u.timezone))]).toEqual(expect.arrayContaining(["Asia/Shanghai", "America/New_York", "Europe/London"]));
    expect([...new Set(users.map((u) => u.locale))].sort()).toEqual(["en", "zh-CN"]);
    expect(users.filter((u) => u.slackUserId).length).toBeGreaterThan(users.length / 2);
    expect(users.some((u) => u.slackUserId === null)).toBe(true);
  });

  it("has a rep who joined about six weeks ago with only a few deals", async () => {
    const recent = await db.sql.query<{ email: string; startedAt: Date; deals: number }>(
      `SELECT u.email, u."startedAt", count(d.id)::int AS deals
       FROM "User" u LEFT JOIN "Deal" d ON d."ownerId" = u.id
       WHERE u.role = 'rep' AND u."startedAt" > $1 GROUP BY u.id`,
      [new Date(now.getTime() - 60 * DAY)],
    );
    expect(recent).toHaveLength(1);
    expect(recent[0]!.deals).toBeGreaterThan(0);
    expect(recent[0]!.deals).toBeLessThan(10);
    const weeks = (now.getTime() - new Date(recent[0]!.startedAt).getTime()) / (7 * DAY);
    expect(weeks).toBeGreaterThan(5);
    expect(weeks).toBeLessThan(7);
  });

  it("has a rep whose win rate over the last two quarters is ≥ 2 robust z below the team, and a star ≥ 2 above on sales", async () => {
    // The two complete calendar quarters before now: 2026-04-01 … 2026-09-30.
    const rows = await db.sql.query<{ team: string; email: string; won: number; closed: number; sales: string }>(
      `SELECT t.name AS team, u.email, count(*) FILTER (WHERE d.status = 'won')::int AS won, count(*)::int AS closed,
              coalesce(sum(d.amount) FILTER (WHERE d.status = 'won'), 0)::text AS sales
       FROM "User" u JOIN "Team" t ON t.id = u."teamId" JOIN "Deal" d ON d."ownerId" = u.id
       WHERE u.role = 'rep' AND d."closedAt" >= '2026-04-01' AND d."closedAt" < '2026-10-01'
       GROUP BY t.name, u.email`,
    );
    const lows: string[] = [];
    const stars: string[] = [];
    for (const team of new Set(rows.map((r) => r.team))) {
      const reps = rows.filter((r) => r.team === team && r.closed >= 5);
      if (reps.length < 5) continue;
      robustZ(reps.map((r) => r.won / r.closed)).forEach((z, i) => z <= -2 && lows.push(reps[i]!.email));
      robustZ(reps.map((r) => Number(r.sales))).forEach((z, i) => z >= 2 && stars.push(reps[i]!.email));
    }
    expect(lows).toContain("james.turner@demo.kpi-bot.dev");
    expect(stars).toContain("wang.fang@demo.kpi-bot.dev");
  });

  it("deals look like a CRM: log-normal USD amounts, 20–40 % win rate, week-long cycles, an open pipeline, Q4 heavier", async () => {
    const [d] = await db.sql.query<{
      bad: number;
      won: number;
      lost: number;
      open: number;
      minCycle: number;
      medianCycle: number;
      medianAmount: number;
      meanAmount: number;
      oldest: Date;
      newest: Date;
    }>(
      `SELECT count(*) FILTER (WHERE amount <= 0 OR currency <> 'USD' OR "createdAt" > $1 OR "closedAt" > $1 OR "closedAt" < "createdAt"
                                  OR (status = 'open') <> ("closedAt" IS NULL))::int AS bad,
              count(*) FILTER (WHERE status = 'won')::int AS won, count(*) FILTER (WHERE status = 'lost')::int AS lost,
              count(*) FILTER (WHERE status = 'open')::int AS open,
              min(extract(epoch FROM "closedAt" - "createdAt") / 86400)::float8 AS "minCycle",
              (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "closedAt" - "createdAt") / 86400))::float8 AS "medianCycle",
              (percentile_cont(0.5) WITHIN GROUP (ORDER BY amount))::float8 AS "medianAmount", avg(amount)::float8 AS "meanAmount",
              min("createdAt") AS oldest, max("createdAt") AS newest
       FROM "Deal"`,
      [now],
    );
    expect(d!.bad).toBe(0);
    const winRate = d!.won / (d!.won + d!.lost);
    expect(winRate).toBeGreaterThan(0.2);
    expect(winRate).toBeLessThan(0.4);
    expect(d!.open).toBeGreaterThan(100);
    expect(d!.minCycle).toBeGreaterThanOrEqual(2);
    expect(d!.medianCycle).toBeGreaterThan(21);
    expect(d!.medianCycle).toBeLessThan(56);
    expect(d!.meanAmount / d!.medianAmount).toBeGreaterThan(1.1); // right-skewed
    expect(now.getTime() - new Date(d!.oldest).getTime()).toBeLessThanOrEqual(730 * DAY);
    expect(now.getTime() - new Date(d!.newest).getTime()).toBeLessThan(7 * DAY);

    const quarters = await db.sql.query<{ q: number; n: number }>(
      `SELECT extract(quarter FROM "createdAt")::int AS q, count(*)::int AS n FROM "Deal"
       WHERE "createdAt" >= '2025-01-01' AND "createdAt" < '2026-01-01' GROUP BY 1 ORDER BY 1`,
    );
    const q4 = quarters.find((q) => q.q === 4)!.n;
    expect(quarters.filter((q) => q.q !== 4).every((q) => q.n < q4)).toBe(true);
  });

  it("activities follow deals (same owner, during the deal) and outnumber them; won deals get more work", async () => {
    const [a] = await db.sql.query<{ bad: number; onDeals: number; prospecting: number; perWon: number; perLost: number }>(
      `SELECT count(*) FILTER (WHERE d.id IS NOT NULL AND (a."ownerId" <> d."ownerId" OR a."occurredAt" < d."createdAt"
                                 OR a."occurredAt" > coalesce(d."closedAt", $1)))::int AS bad,
              count(d.id)::int AS "onDeals", count(*) FILTER (WHERE a."dealId" IS NULL)::int AS prospecting,
              (count(*) FILTER (WHERE d.status = 'won'))::float8 / (SELECT count(*) FROM "Deal" WHERE status = 'won') AS "perWon",
              (count(*) FILTER (WHERE d.status = 'lost'))::float8 / (SELECT count(*) FROM "Deal" WHERE status = 'lost') AS "perLost"
       FROM "Activity" a LEFT JOIN "Deal" d ON d.id = a."dealId"`,
      [now],
    );
    expect(a!.bad).toBe(0);
    expect(a!.onDeals).toBeGreaterThan(summary.counts.deals * 3);
    expect(a!.prospecting).toBeGreaterThan(1_000);
    expect(a!.perWon).toBeGreaterThan(a!.perLost * 1.3);
  });

  it("gives every sales rep a quota for the current quarter and none before they started", async () => {
    const rows = await db.sql.query<{ email: string; current: number; early: number }>(
      `SELECT u.email,
              count(*) FILTER (WHERE q."periodStart" = '2026-10-01' AND q."periodEnd" = '2026-12-31')::int AS current,
              count(*) FILTER (WHERE q."periodEnd" < u."startedAt")::int AS early
       FROM "User" u JOIN "Team" t ON t.id = u."teamId" JOIN "Team" p ON p.id = t."parentId"
       LEFT JOIN "Quota" q ON q."ownerId" = u.id
       WHERE u.role = 'rep' AND p.name = 'Sales' GROUP BY u.email`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(20);
    expect(rows.every((r) => r.current === 1 && r.early === 0)).toBe(true);
  });

  it("service tickets: log-normal times, CSAT mostly 4–5 with some unrated, one clearly slow agent", async () => {
    const agents = await db.sql.query<{ email: string; tickets: number; firstMinutes: number; resolveHours: number; csat: number; rated: number }>(
      `SELECT u.email, count(*)::int AS tickets,
              (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM k."firstResponseAt" - k."openedAt") / 60))::float8 AS "firstMinutes",
              (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM k."resolvedAt" - k."firstResponseAt") / 3600))::float8 AS "resolveHours",
              avg(k.csat)::float8 AS csat, count(k.csat)::int AS rated
       FROM "Ticket" k JOIN "User" u ON u.id = k."agentId" JOIN "Team" t ON t.id = u."teamId"
       WHERE t.name = 'Service' GROUP BY u.email ORDER BY "firstMinutes"`,
    );
    expect(agents.length).toBeGreaterThanOrEqual(3);
    const slow = agents[agents.length - 1]!;
    const others = agents.slice(0, -1);
    expect(slow.firstMinutes).toBeGreaterThan(2 * Math.max(...others.map((a) => a.firstMinutes)));
    expect(slow.csat).toBeLessThan(Math.min(...others.map((a) => a.csat)));
    for (const a of others) expect(a.csat).toBeGreaterThan(4);
    expect(agents.every((a) => a.rated < a.tickets && a.rated > a.tickets / 2)).toBe(true);
    const [bad] = await db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Ticket"
       WHERE csat NOT BETWEEN 1 AND 5 OR "firstResponseAt" < "openedAt" OR "resolvedAt" < "firstResponseAt"
          OR (csat IS NOT NULL AND "resolvedAt" IS NULL) OR "resolvedAt" > $1`,
      [now],
    );
    expect(bad!.n).toBe(0);
  });

  it("campaigns carry channel, spend, leads and conversions, and revenue equals their won deals", async () => {
    const rows = await db.sql.query<{ channel: string; spend: string; leads: number; conversions: number; revenue: string; deals: number; won: string; owner: string }>(
      `SELECT c.channel, c.spend::text, c.leads, c.conversions, c.revenue::text, count(d.id)::int AS deals,
              coalesce(sum(d.amount) FILTER (WHERE d.status = 'won'), 0)::text AS won, t.name AS owner
       FROM "Campaign" c JOIN "User" u ON u.id = c."ownerId" JOIN "Team" t ON t.id = u."teamId"
       LEFT JOIN "Deal" d ON d."campaignId" = c.id GROUP BY c.id, t.name`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(15);
    expect(new Set(rows.map((r) => r.channel)).size).toBeGreaterThanOrEqual(4);
    for (const r of rows) {
      expect(r.owner).toBe("Marketing");
      expect(Number(r.spend)).toBeGreaterThan(0);
      expect(r.conversions).toBe(r.deals);
      expect(r.leads).toBeGreaterThanOrEqual(r.conversions);
      expect(r.revenue).toBe(r.won);
    }
  });

  it("has differences for breakdowns to find: a product that loses, a costly channel, a low-CSAT service team", async () => {
    const products = await db.sql.query<{ product: string; rate: number }>(
      `SELECT product, (count(*) FILTER (WHERE status = 'won'))::float8 / count(*) AS rate FROM "Deal" WHERE status <> 'open' GROUP BY product ORDER BY rate`,
    );
    expect(products.length).toBe(5);
    expect(products[0]!.product).toBe("Analytics Pro");
    expect(products[1]!.rate - products[0]!.rate).toBeGreaterThan(0.1);
    const [blank] = await db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Deal" WHERE product IS NULL OR region IS NULL OR source IS NULL OR segment IS NULL OR stage IS NULL
         OR pipeline IS NULL OR type IS NULL OR (status = 'open') = (stage LIKE 'Closed%')`,
    );
    expect(blank!.n).toBe(0);
    const channels = await db.sql.query<{ channel: string; cpl: number }>(
      `SELECT channel, sum(spend)::float8 / sum(leads) AS cpl FROM "Campaign" GROUP BY channel ORDER BY cpl`,
    );
    expect(channels[channels.length - 1]!.cpl).toBeGreaterThan(3 * channels[0]!.cpl);
    const teams = await db.sql.query<{ team: string; csat: number }>(
      `SELECT t.name AS team, avg(k.csat)::float8 AS csat FROM "Ticket" k JOIN "User" u ON u.id = k."agentId" JOIN "Team" t ON t.id = u."teamId"
       GROUP BY t.name ORDER BY csat`,
    );
    expect(teams.map((t) => t.team)).toEqual(["Service APAC", "Service"]);
    expect(teams[1]!.csat - teams[0]!.csat).toBeGreaterThan(0.3);
  });
});

describe.each(backends)("ensureDemoData on %s", (backend) => {
  it(backend === "pglite" ? "seeds an empty embedded database once, then leaves it alone" : "never seeds a PostgreSQL database", async () => {
    const db = await freshDatabase(backend);
    try {
      const first = await ensureDemoData(db, now);
      if (backend === "pglite") {
        expect(first.seeded).toBe(true);
        expect(first.seeded && first.summary.counts.users).toBe(41);
        expect(await ensureDemoData(db, now)).toEqual({ seeded: false, reason: "has-users" });
      } else {
        expect(first).toEqual({ seeded: false, reason: "postgres" });
        const [users] = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "User"`);
        expect(users!.n).toBe(0);
      }
    } finally {
      await db.dispose();
    }
  });
});

describe("ensureDemoData", () => {
  it("does not even look into a database that says it is PostgreSQL", async () => {
    const untouchable: SqlRunner = {
      exec: () => Promise.reject(new Error("touched")),
      query: () => Promise.reject(new Error("touched")),
      transaction: () => Promise.reject(new Error("touched")),
    };
    expect(await ensureDemoData({ kind: "postgres", sql: untouchable }, now)).toEqual({ seeded: false, reason: "postgres" });
  });
});
