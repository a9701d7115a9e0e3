import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRosterCache, type RosterCache } from "../../src/access/roster.ts";
import type { PrismaClient } from "../../src/data/db.ts";
import { openDatabase, type Database } from "../../src/data/db.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";

describe.each(backends)("roster cache on %s", (backend) => {
  let db: TestDatabase;
  let team: number;
  // One cache per client, as each bot has.
  const caches = new Map<PrismaClient, RosterCache>();
  const currentRoster = (prisma: PrismaClient) => {
    if (!caches.has(prisma)) caches.set(prisma, createRosterCache(prisma));
    return caches.get(prisma)!.current();
  };
  beforeAll(async () => {
    db = await freshDatabase(backend);
    team = (await db.prisma.team.create({ data: { name: "East" } })).id;
    await db.prisma.user.createMany({
      data: [
        { name: "Ann", email: "ann@x.test", role: "rep", teamId: team, slackUserId: "UANN" },
        { name: "Bo", email: "bo@x.test", role: "rep", teamId: team },
        { name: "Mia", email: "mia@x.test", role: "manager", teamId: team },
      ],
    });
  });
  afterAll(() => db?.dispose());

  it("is reused while nothing changed, and shared by concurrent cold requests", async () => {
    const [a, b] = await Promise.all([currentRoster(db.prisma), currentRoster(db.prisma)]);
    expect(a).toBe(b);
    expect(await currentRoster(db.prisma)).toBe(a);
    expect(a.users.map((u) => u.name)).toEqual(["Ann", "Bo", "Mia"]);
    expect(a.bySlack.get("UANN")?.name).toBe("Ann");
    expect(a.teams.map((t) => t.name)).toEqual(["East"]);
  });

  it("reloads after any write to User or Team, whoever makes it", async () => {
    const before = await currentRoster(db.prisma);
    await db.prisma.user.update({ where: { email: "bo@x.test" }, data: { teamsUserId: "aad-bo" } });
    const linked = await currentRoster(db.prisma);
    expect(linked).not.toBe(before);
    expect(linked.byTeams.get("aad-bo")?.name).toBe("Bo");

    await db.sql.exec(`UPDATE "User" SET active = false WHERE email = 'ann@x.test'`);
    const deactivated = await currentRoster(db.prisma);
    expect(deactivated.byEmail.has("ann@x.test")).toBe(false);
    expect(deactivated.bySlack.has("UANN")).toBe(false);

    await db.sql.query(`INSERT INTO "Team" (name, "parentId") VALUES ('East North', $1)`, [team]);
    expect((await currentRoster(db.prisma)).teams.map((t) => t.name)).toEqual(["East", "East North"]);

    await db.sql.exec(`DELETE FROM "User" WHERE email = 'ann@x.test'`);
    expect((await currentRoster(db.prisma)).byId.size).toBe(2);
  });

  it("keeps the cache when a write rolls back (the counter rolls back with it)", async () => {
    const before = await currentRoster(db.prisma);
    await expect(
      db.sql.transaction(async (tx) => {
        await tx.exec(`UPDATE "User" SET name = 'Robert' WHERE email = 'bo@x.test'`);
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    const after = await currentRoster(db.prisma);
    expect(after).toBe(before);
    expect(after.byEmail.get("bo@x.test")?.name).toBe("Bo");
  });

  it("files a load under the counter read before it: a change landing during the load is seen next time", async () => {
    await currentRoster(db.prisma);
    await db.sql.exec(`UPDATE "User" SET name = 'Bo' WHERE email = 'bo@x.test'`); // a cold cache
    let hooked = false;
    // A change commits right after the users are read, before anything else happens.
    const racing = new Proxy(db.prisma, {
      get(target, key) {
        if (key !== "user") return Reflect.get(target, key);
        return new Proxy(target.user, {
          get(u, k) {
            if (k !== "findMany") return Reflect.get(u, k);
            return async (...args: unknown[]) => {
              const rows = await (u.findMany as (...a: unknown[]) => Promise<unknown>)(...args);
              if (!hooked) (hooked = true), await db.sql.exec(`UPDATE "User" SET name = 'Bo Racer' WHERE email = 'bo@x.test'`);
              return rows;
            };
          },
        });
      },
    }) as typeof db.prisma;
    expect((await currentRoster(racing)).byEmail.get("bo@x.test")?.name).toBe("Bo");
    expect((await currentRoster(racing)).byEmail.get("bo@x.test")?.name).toBe("Bo Racer");
  });

  it("never trusts an equal counter from another database (the epoch differs)", async () => {
    const cached = await currentRoster(db.prisma);
    const counter = cached.version.split(":")[1]!;
    // A restored or replaced database whose counter happens to equal the cached one.
    await db.sql.transaction(async (tx) => {
      await tx.exec(`UPDATE "User" SET name = 'Mia Elsewhere' WHERE email = 'mia@x.test'`);
      await tx.query(`UPDATE "RosterVersion" SET version = $1::bigint, epoch = 'another-database'`, [counter]);
    });
    expect((await currentRoster(db.prisma)).byEmail.get("mia@x.test")?.name).toBe("Mia Elsewhere");
  });

  it.runIf(backend === "postgres")("lets two writers of different users wait for each other instead of deadlocking", async () => {
    const pg = await import("pg");
    const [one, two] = [new pg.default.Client({ connectionString: db.url }), new pg.default.Client({ connectionString: db.url })];
    await Promise.all([one.connect(), two.connect()]);
    try {
      await one.query(`SET deadlock_timeout = '100ms'`);
      await two.query(`SET deadlock_timeout = '100ms'`);
      await one.query("BEGIN");
      await one.query(`UPDATE "User" SET locale = 'en' WHERE email = 'bo@x.test'`);
      // The second writer touches another user; it waits for the first rather than locking that user first.
      const second = two.query(`UPDATE "User" SET locale = 'zh' WHERE email = 'mia@x.test'`);
      await new Promise((r) => setTimeout(r, 200));
      await one.query(`UPDATE "User" SET locale = 'en' WHERE email = 'mia@x.test'`);
      await one.query("COMMIT");
      await expect(second).resolves.toBeDefined();
      expect((await db.prisma.user.findUnique({ where: { email: "mia@x.test" } }))?.locale).toBe("zh");
    } finally {
      await Promise.all([one.end(), two.end()]);
    }
  });

  it.runIf(backend === "postgres")("sees a change made through another connection pool (another replica)", async () => {
    const other: Database = await openDatabase({ kind: "postgres", url: db.url! });
    try {
      const mine = await currentRoster(db.prisma);
      expect(mine.byEmail.get("mia@x.test")?.role).toBe("manager");
      await other.prisma.user.update({ where: { email: "mia@x.test" }, data: { role: "admin" } });
      expect((await currentRoster(db.prisma)).byEmail.get("mia@x.test")?.role).toBe("admin");
    } finally {
      await other.close();
    }
  });
  it("reloads after TRUNCATE of Team (and what it cascades to)", async () => {
    const before = await currentRoster(db.prisma);
    expect(before.teams.length).toBeGreaterThan(0);
    await db.sql.exec(`TRUNCATE "Team" CASCADE`);
    const after = await currentRoster(db.prisma);
    expect(after.teams).toEqual([]);
    expect(after.users).toEqual([]);
  });

});
