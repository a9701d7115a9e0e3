// The people and teams every request starts from (who is asking, which teams they manage, who is
// in a team), cached by each bot. Each use first reads RosterVersion, a counter that
// triggers on User and Team bump in the writer's transaction (see the roster_version migration):
// an unchanged counter means an unchanged roster, on this replica or any other. The counter is
// read before a reload, so a cached roster is never older than the counter it is filed under.
import type { PrismaClient } from "../data/db.ts";
import type { TeamNode, Viewer } from "./rules.ts";

/** An active user, with what identity and scope resolution need. */
export type RosterUser = Pick<Viewer, "id" | "name" | "email" | "role" | "teamId" | "locale"> & {
  slackUserId: string | null;
  teamsUserId: string | null;
  /** When they started (a person who starts during a period is new in it, never flagged). */
  startedAt: Date | null;
  /** Their manager (User.managerId): a manager sees their direct reports. */
  managerId: number | null;
};

/** Someone who left (User.active false): never ranked or flagged, but their records stay in group totals. */
export type FormerUser = { id: number; teamId: number | null; role: RosterUser["role"] };

export type Roster = {
  version: string;
  /** Inactive people, by id ascending: history (a team's last-year sales) does not change when someone leaves. */
  former: FormerUser[];
  teams: TeamNode[];
  /** Active users, by id ascending. */
  users: RosterUser[];
  byId: ReadonlyMap<number, RosterUser>;
  byEmail: ReadonlyMap<string, RosterUser>;
  bySlack: ReadonlyMap<string, RosterUser>;
  byTeams: ReadonlyMap<string, RosterUser>;
};

/** "epoch:counter": the epoch tells a restored or replaced database from the one cached. */
async function readVersion(prisma: PrismaClient): Promise<string | null> {
  const [row] = await prisma.$queryRawUnsafe<{ v: string }[]>(`SELECT "epoch" || ':' || "version"::text AS v FROM "RosterVersion" WHERE "id" = 1`);
  return row?.v ?? null;
}

async function load(prisma: PrismaClient, version: string): Promise<Roster> {
  const [teams, users, former] = await Promise.all([
    prisma.team.findMany({ select: { id: true, name: true, parentId: true, managerId: true, function: true }, orderBy: { id: "asc" } }),
    prisma.user.findMany({
      where: { active: true },
      select: { id: true, name: true, email: true, role: true, teamId: true, locale: true, slackUserId: true, teamsUserId: true, startedAt: true, managerId: true },
      orderBy: { id: "asc" },
    }),
    prisma.user.findMany({ where: { active: false }, select: { id: true, teamId: true, role: true }, orderBy: { id: "asc" } }),
  ]);
  const index = (key: (u: RosterUser) => string | null) => new Map(users.flatMap((u) => (key(u) === null ? [] : [[key(u)!, u] as const])));
  return {
    version,
    former,
    teams,
    users,
    byId: new Map(users.map((u) => [u.id, u])),
    byEmail: index((u) => u.email),
    bySlack: index((u) => u.slackUserId),
    byTeams: index((u) => u.teamsUserId),
  };
}

export type RosterCache = {
  /** The cached roster when the counter has not moved, else a fresh load (shared by concurrent requests). */
  current(): Promise<Roster>;
};

/** One cache per bot (per database client): nothing lives in module state. */
export function createRosterCache(prisma: PrismaClient): RosterCache {
  let cached: Roster | null = null;
  let loading: { version: string; roster: Promise<Roster> } | null = null;
  return {
    async current() {
      const version = await readVersion(prisma);
      // No counter row (a database migrated by hand without it): never cache.
      if (version === null) return load(prisma, "none");
      if (cached?.version === version) return cached;
      if (loading?.version === version) return loading.roster;
      // The cache holds the last roster loaded, filed under the version read before loading it.
      // Only equality is ever trusted: if a slow load of an older version lands last, the next
      // request sees a different counter and loads again; nothing is compared as "newer".
      const mine = {
        version,
        roster: load(prisma, version).then((roster) => {
          cached = roster;
          return roster;
        }),
      };
      loading = mine;
      const done = () => {
        if (loading === mine) loading = null;
      };
      mine.roster.then(done, done);
      return mine.roster;
    },
  };
}
