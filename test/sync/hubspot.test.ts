// HubSpot sync against the fake HubSpot on loopback: a full sync equals a CSV import of the same
// data (and an independent recomputation from the raw records), incremental runs pick up edits,
// stage changes, deletions and new owners, CSV-owned managers and roles survive, one run per
// source at a time, rate limits are paced and retried.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { importCsv } from "../../src/data/import/run.ts";
import { HubSpotClient } from "../../src/sync/hubspot/client.ts";
import { HubSpotSource } from "../../src/sync/hubspot/source.ts";
import { syncSource, type SyncOptions } from "../../src/sync/run.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";
import { generate, serve, statusOf, writeCsvFiles, type GenData } from "./support/crm-data.ts";
import { dump } from "./support/dump.ts";
import { FakeHubSpot } from "./support/fake-hubspot.ts";

const SIZE = { owners: 12, deals: 700, activities: 450, tickets: 260 };

function source(fake: FakeHubSpot, extra: Partial<ConstructorParameters<typeof HubSpotClient>[0]> = {}) {
  // Pacing off unless a test asks for it: these tests are about data, not limits.
  const client = new HubSpotClient({ token: fake.token, baseUrl: fake.url, requestsPer10s: 100_000, searchesPerSecond: 100_000, ...extra });
  return new HubSpotSource({ client });
}

const OPTIONS: SyncOptions = { currency: "USD" };

/** Per owner: won count and cents by currency, lost and open counts, activities, tickets — in SQL. */
async function figures(db: TestDatabase) {
  const deals = await db.sql.query<{ email: string; status: string; currency: string; n: number; cents: string | null }>(
    `SELECT u.email, d.status::text AS status, d.currency, count(*)::int AS n, sum(d.amount)::text AS cents
     FROM "Deal" d JOIN "User" u ON u.id = d."ownerId" GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
  );
  const activities = await db.sql.query<{ email: string; type: string; n: number }>(
    `SELECT u.email, a.type::text AS type, count(*)::int AS n FROM "Activity" a JOIN "User" u ON u.id = a."ownerId" GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  const tickets = await db.sql.query<{ email: string; n: number; resolved: number }>(
    `SELECT u.email, count(*)::int AS n, count(t."resolvedAt")::int AS resolved FROM "Ticket" t JOIN "User" u ON u.id = t."agentId" GROUP BY 1 ORDER BY 1`,
  );
  return { deals: deals.map((d) => ({ ...d, n: Number(d.n) })), activities: activities.map((a) => ({ ...a, n: Number(a.n) })), tickets: tickets.map((t) => ({ ...t, n: Number(t.n), resolved: Number(t.resolved) })) };
}

/** The same figures recomputed from the raw generated records (no code under test). */
function expectedFigures(data: GenData) {
  const email = new Map(data.owners.map((o) => [o.id, o.email]));
  const cents = (a: string) => {
    const [w, f = ""] = a.split(".");
    const x = (f + "000").slice(0, 3);
    return BigInt(w!) * 100n + BigInt(x.slice(0, 2)) + (Number(x[2]) >= 5 ? 1n : 0n);
  };
  const deals = new Map<string, { email: string; status: string; currency: string; n: number; cents: bigint | null }>();
  for (const d of data.deals) {
    const k = [email.get(d.ownerId!)!, statusOf(d.pipeline, d.stage), d.currency];
    const key = k.join("|");
    const e = deals.get(key) ?? { email: k[0]!, status: k[1]!, currency: k[2]!, n: 0, cents: null };
    e.n++;
    if (d.amount !== null) e.cents = (e.cents ?? 0n) + cents(d.amount);
    deals.set(key, e);
  }
  const activities = new Map<string, { email: string; type: string; n: number }>();
  const word = { calls: "call", meetings: "meeting", emails: "email" } as const;
  for (const a of data.activities) {
    const key = `${email.get(a.ownerId)}|${word[a.type]}`;
    const e = activities.get(key) ?? { email: email.get(a.ownerId)!, type: word[a.type], n: 0 };
    e.n++;
    activities.set(key, e);
  }
  const tickets = new Map<string, { email: string; n: number; resolved: number }>();
  for (const t of data.tickets) {
    const e = tickets.get(email.get(t.ownerId)!) ?? { email: email.get(t.ownerId)!, n: 0, resolved: 0 };
    e.n++;
    if (t.closed) e.resolved++;
    tickets.set(e.email, e);
  }
  const sorted = <T extends object>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  return {
    deals: sorted(deals).map((d) => ({ ...d, cents: d.cents === null ? null : d.cents.toString() })),
    activities: sorted(activities),
    tickets: sorted(tickets),
  };
}

describe.each(backends)("HubSpot sync on %s", (backend) => {
  let fake: FakeHubSpot;
  let db: TestDatabase;
  let data: GenData;

  beforeEach(async () => {
    fake = new FakeHubSpot();
    await fake.start();
    data = generate(7, SIZE);
    serve(fake, data);
    db = await freshDatabase(backend);
  });
  afterEach(async () => {
    await fake.stop();
    await db.dispose();
  });

  describe("a full sync and a CSV import of the same data", () => {
    let dir: string;
    let csvDb: TestDatabase;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), "kpi-sync-hs-"));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it("store the same records and give the same figures, which match the raw data", async () => {
      const report = await syncSource(db, source(fake), { ...OPTIONS, full: true });
      expect(report.outcome, report.problem ?? "").toBe("synced");
      csvDb = await freshDatabase(backend);
      try {
        const files = await writeCsvFiles(dir, data);
        for (const kind of ["reps", "deals", "activities", "tickets"] as const) {
          const r = await importCsv(csvDb, { kind, file: files[kind], currency: "USD" });
          expect(r.outcome, JSON.stringify(r.errors.slice(0, 3))).toBe("imported");
        }
        const [synced, imported] = [await dump(db), await dump(csvDb)];
        expect(synced.deals.length).toBe(SIZE.deals);
        expect(synced.activities.length).toBe(SIZE.activities);
        expect(synced.tickets.length).toBe(SIZE.tickets);
        expect(synced).toEqual(imported);
        const expected = expectedFigures(data);
        expect(await figures(db)).toEqual(expected);
        expect(await figures(csvDb)).toEqual(expected);
      } finally {
        await csvDb.dispose();
      }
      const deals = report.objects.find((o) => o.object === "deals")!;
      expect([deals.read, deals.created, deals.refused, deals.complete]).toEqual([SIZE.deals, SIZE.deals, 0, true]);
      // The archived owner is a person kept for history, inactive.
      const archived = data.owners.find((o) => o.archived)!;
      expect(await db.sql.query(`SELECT active FROM "User" WHERE email = $1`, [archived.email])).toEqual([{ active: false }]);
    });
  });

  it("a second run with no change in HubSpot reads little and changes nothing", async () => {
    await syncSource(db, source(fake), OPTIONS);
    const before = await dump(db);
    const second = await syncSource(db, source(fake), OPTIONS);
    expect(second.outcome).toBe("synced");
    expect(second.changed).toBe(false);
    // Only the records at the stored instant are read again (≥ cursor).
    const deals = second.objects.find((o) => o.object === "deals")!;
    expect(deals.read).toBeLessThanOrEqual(1);
    expect(await dump(db)).toEqual(before);
  });

  it("an edit, a stage change to won, a deletion and a new owner each show after one incremental run", async () => {
    await syncSource(db, source(fake), OPTIONS);
    const [edited, toWin, toDelete] = data.deals.filter((d) => statusOf(d.pipeline, d.stage) === "open" && d.amount !== null);
    fake.put("deals", edited!.id, { amount: "4321.00" });
    fake.put("deals", toWin!.id, { dealstage: toWin!.pipeline === "default" ? "closedwon" : "1002", closedate: "2026-11-01T12:00:00.000Z" });
    fake.archive("deals", toDelete!.id);
    fake.owners.push({ id: "999", email: "Zoe.New@acme.example", firstName: "Zoe", lastName: "New", archived: false, teams: [{ id: "t-9", name: "South", primary: true }] });
    fake.put("deals", "88888", { dealname: "New one", amount: "100", deal_currency_code: "USD", dealstage: "closedwon", pipeline: "default", createdate: "2026-10-01T00:00:00.000Z", closedate: "2026-10-20T00:00:00.000Z", hubspot_owner_id: "999" });

    const r = await syncSource(db, source(fake), OPTIONS);
    expect(r.outcome).toBe("synced");
    expect(r.changed).toBe(true);
    const deal = (id: string) =>
      db.sql.query<{ amount: string; status: string; closedAt: string | null; email: string }>(
        `SELECT d.amount::text AS amount, d.status::text AS status, d."closedAt"::text AS "closedAt", u.email FROM "Deal" d JOIN "User" u ON u.id = d."ownerId" WHERE d."externalId" = $1`,
        [`hubspot:${id}`],
      );
    expect((await deal(edited!.id))[0]!.amount).toBe("432100");
    expect((await deal(toWin!.id))[0]).toMatchObject({ status: "won", closedAt: "2026-11-01 12:00:00" });
    expect(await deal(toDelete!.id)).toEqual([]);
    expect(await deal("88888")).toEqual([{ amount: "10000", status: "won", closedAt: "2026-10-20 00:00:00", email: "zoe.new@acme.example" }]);
    expect(await db.sql.query(`SELECT u.name, t.name AS team, u.role::text AS role, u.active FROM "User" u JOIN "Team" t ON t.id = u."teamId" WHERE u.email = 'zoe.new@acme.example'`)).toEqual([
      { name: "Zoe New", team: "South", role: "rep", active: true },
    ]);
    const deals = r.objects.find((o) => o.object === "deals")!;
    expect([deals.created, deals.updated, deals.deleted]).toEqual([1, 2, 1]);
  });

  it("a property emptied in HubSpot is emptied here after one incremental run; CSV-set managers stay", async () => {
    const client = new HubSpotClient({ token: fake.token, baseUrl: fake.url, requestsPer10s: 100_000, searchesPerSecond: 100_000 });
    const withCsat = () => new HubSpotSource({ client, csatProperty: "kpi_csat" });
    const deal = data.deals.find((d) => statusOf(d.pipeline, d.stage) === "open" && d.amount !== null && d.source !== null && d.dealtype !== null)!;
    const ticket = data.tickets.find((t) => t.closed !== null)!;
    fake.put("tickets", ticket.id, { kpi_csat: "4" });
    await syncSource(db, withCsat(), OPTIONS);
    const [boss, rep] = [data.owners[0]!, data.owners.find((o) => o.id === deal.ownerId)!];
    const dir = await mkdtemp(path.join(os.tmpdir(), "kpi-sync-hs-clear-"));
    try {
      const { writeFile } = await import("node:fs/promises");
      await writeFile(path.join(dir, "reps.csv"), `email,name,manager_email\n${rep.email},${rep.firstName} ${rep.lastName},${boss.email}\n`);
      expect((await importCsv(db, { kind: "reps", file: path.join(dir, "reps.csv"), currency: "USD" })).outcome).toBe("imported");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const dealRow = async () =>
      (await db.sql.query<{ amount: string | null; source: string | null; type: string | null; status: string }>(`SELECT amount::text AS amount, source, type, status::text AS status FROM "Deal" WHERE "externalId" = $1`, [`hubspot:${deal.id}`]))[0];
    const ticketRow = async () =>
      (await db.sql.query<{ csat: number | null; resolved: string | null }>(`SELECT csat, "resolvedAt"::text AS resolved FROM "Ticket" WHERE "externalId" = $1`, [`hubspot:${ticket.id}`]))[0];
    expect(await dealRow()).toMatchObject({ source: deal.source, type: deal.dealtype, status: "open" });
    expect((await dealRow())!.amount).not.toBeNull();
    expect(await ticketRow()).toMatchObject({ csat: 4 });
    expect((await ticketRow())!.resolved).not.toBeNull();

    // Amount, source and type cleared on the deal; the ticket reopened and its rating removed.
    fake.put("deals", deal.id, { amount: null, hs_analytics_source: "", dealtype: null });
    fake.put("tickets", ticket.id, { closed_date: null, kpi_csat: null });
    const r = await syncSource(db, withCsat(), OPTIONS);
    expect(r.outcome, r.problem ?? "").toBe("synced");
    expect(await dealRow()).toEqual({ amount: null, source: null, type: null, status: "open" });
    expect(await ticketRow()).toEqual({ csat: null, resolved: null });
    expect([r.objects.find((o) => o.object === "deals")!.updated, r.objects.find((o) => o.object === "tickets")!.updated]).toEqual([1, 1]);
    // What the sync does not own stays: the manager a reps file set on the deal's owner.
    expect(await db.sql.query(`SELECT m.email FROM "User" u JOIN "User" m ON m.id = u."managerId" WHERE u.email = $1`, [rep.email])).toEqual([{ email: boss.email }]);
    // And a second run finds nothing more to clear.
    expect((await syncSource(db, withCsat(), OPTIONS)).changed).toBe(false);
  });

  it("managers and teams set by CSV survive syncs; admins named by a reps file stay admins", async () => {
    await syncSource(db, source(fake), OPTIONS);
    const [boss, rep] = [data.owners[0]!, data.owners[1]!];
    const dir = await mkdtemp(path.join(os.tmpdir(), "kpi-sync-hs-csv-"));
    try {
      const { writeFile } = await import("node:fs/promises");
      await writeFile(path.join(dir, "teams.csv"), `team,parent_team,manager_email\nEast,,${boss.email}\n`);
      await writeFile(path.join(dir, "reps.csv"), `email,name,team,role,manager_email,slack_user_id,teams_user_id,timezone,locale\n${boss.email},Boss,,admin,,U1,,,\n${rep.email},,,,${boss.email},,,,\n`.replace(`${rep.email},,`, `${rep.email},Rep,`));
      expect((await importCsv(db, { kind: "teams", file: path.join(dir, "teams.csv"), currency: "USD" })).outcome).toBe("imported");
      expect((await importCsv(db, { kind: "reps", file: path.join(dir, "reps.csv"), currency: "USD" })).outcome).toBe("imported");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    fake.owners[1]!.firstName = "Renamed";
    await syncSource(db, source(fake), { ...OPTIONS, full: true });
    expect(await db.sql.query(`SELECT u.role::text AS role, u."slackUserId" FROM "User" u WHERE u.email = $1`, [boss.email])).toEqual([{ role: "admin", slackUserId: "U1" }]);
    expect(await db.sql.query(`SELECT u.name, m.email AS manager FROM "User" u JOIN "User" m ON m.id = u."managerId" WHERE u.email = $1`, [rep.email])).toEqual([
      { name: `Renamed ${rep.lastName}`, manager: boss.email },
    ]);
    expect(await db.sql.query(`SELECT m.email FROM "Team" t JOIN "User" m ON m.id = t."managerId" WHERE t.name = 'East'`)).toEqual([{ email: boss.email }]);
  });

  it("never deletes or changes records a CSV import owns", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "kpi-sync-hs-own-"));
    try {
      await syncSource(db, source(fake), OPTIONS);
      const { writeFile } = await import("node:fs/promises");
      await writeFile(path.join(dir, "deals.csv"), `deal_id,owner_email,status,created_at,amount,closed_at\nD-1,${data.owners[0]!.email},won,2026-03-01,500,2026-03-05\n`);
      expect((await importCsv(db, { kind: "deals", file: path.join(dir, "deals.csv"), currency: "USD" })).outcome).toBe("imported");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const r = await syncSource(db, source(fake), { ...OPTIONS, full: true });
    expect(r.outcome).toBe("synced");
    expect(await db.sql.query(`SELECT amount::text FROM "Deal" WHERE "externalId" = 'D-1'`)).toEqual([{ amount: "50000" }]);
  });

  it("--full deletes what HubSpot no longer has, even when the archive list forgot it", async () => {
    await syncSource(db, source(fake), OPTIONS);
    const gone = data.deals[3]!;
    fake.objects.get("deals")!.delete(gone.id); // purged: in neither the search nor the archived list
    const incremental = await syncSource(db, source(fake), OPTIONS);
    expect(incremental.objects.find((o) => o.object === "deals")!.deleted).toBe(0);
    const full = await syncSource(db, source(fake), { ...OPTIONS, full: true });
    expect(full.deletedAbsent).toEqual({ deals: 1, activities: 0, tickets: 0 });
    expect(await db.sql.query(`SELECT 1 FROM "Deal" WHERE "externalId" = $1`, [`hubspot:${gone.id}`])).toEqual([]);
    const n = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Deal"`);
    expect(Number(n[0]!.n)).toBe(SIZE.deals - 1);
  });

  it("lists records it cannot map with reasons and still completes (exit 0 territory)", async () => {
    fake.put("deals", "77001", { amount: "10", dealstage: "closedwon", pipeline: "default", createdate: "2026-10-01T00:00:00.000Z", closedate: "2026-10-02T00:00:00.000Z", hubspot_owner_id: null });
    fake.put("deals", "77002", { amount: "10", dealstage: "nosuchstage", pipeline: "default", createdate: "2026-10-01T00:00:00.000Z", hubspot_owner_id: "100" });
    fake.put("deals", "77003", { amount: "-5", dealstage: "closedwon", pipeline: "default", createdate: "2026-10-01T00:00:00.000Z", closedate: "2026-10-02T00:00:00.000Z", hubspot_owner_id: "100" });
    const r = await syncSource(db, source(fake), OPTIONS);
    expect(r.outcome).toBe("synced");
    const deals = r.objects.find((o) => o.object === "deals")!;
    expect(deals.refused).toBe(3);
    expect(Object.keys(deals.refusedByReason).sort()).toEqual(["amount: negative amount", "owner_email: no owner", "status: unknown stage"].sort());
    expect(deals.errors.map((e) => e.key).sort()).toEqual(["hubspot:77001", "hubspot:77002", "hubspot:77003"]);
  });

  it("a dry run reads and counts everything and stores nothing, not even the cursor", async () => {
    const r = await syncSource(db, source(fake), { ...OPTIONS, dryRun: true });
    expect(r.outcome).toBe("checked");
    expect(r.objects.find((o) => o.object === "deals")!.created).toBe(SIZE.deals);
    expect(await db.sql.query(`SELECT count(*)::int AS n FROM "Deal"`)).toEqual([{ n: 0 }]);
    expect(await db.sql.query(`SELECT count(*)::int AS n FROM "SyncCursor"`)).toEqual([{ n: 0 }]);
  });

  it("two replicas never sync the same source at once: the second is busy and writes nothing", async () => {
    fake.delayMs = 5;
    const [a, b] = await Promise.all([
      syncSource(db, source(fake), { ...OPTIONS, holder: "replica-a" }),
      new Promise((r) => setTimeout(r, 20)).then(() => syncSource(db, source(fake), { ...OPTIONS, holder: "replica-b" })),
    ]);
    expect([a.outcome, b.outcome]).toEqual(["synced", "busy"]);
    expect(b.objects).toEqual([]);
    // The lease is released at the end: the next run goes ahead.
    expect((await syncSource(db, source(fake), { ...OPTIONS, holder: "replica-b" })).outcome).toBe("synced");
  });

  it("a bad token fails the run with what to do, and never shows the token", async () => {
    const client = new HubSpotClient({ token: "pat-na1-wrong-secret", baseUrl: fake.url });
    const r = await syncSource(db, new HubSpotSource({ client }), OPTIONS);
    expect(r.outcome).toBe("failed");
    expect(r.problem).toMatch(/401 INVALID_AUTHENTICATION.*HUBSPOT_TOKEN/);
    expect(JSON.stringify(r)).not.toContain("wrong-secret");
  });
});
