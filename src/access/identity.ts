// Platform user → CRM user: by the stored platform id, else by email (and the link is remembered).
import type { PrismaClient } from "../data/db.ts";
import { managedTeams, type TeamNode, type Viewer } from "./rules.ts";

export type Platform = "slack" | "teams" | "console";

/** Who is asking, as the adapter knows it. `email` when the platform told us. */
export type Identity = { platform: Platform; userId: string; email?: string | undefined };

const isEmail = (s: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s);

export async function loadTeams(prisma: PrismaClient): Promise<TeamNode[]> {
  return prisma.team.findMany({ select: { id: true, name: true, parentId: true, managerId: true }, orderBy: { id: "asc" } });
}

/** The CRM user behind a platform identity, or null when nobody is linked. */
export async function resolveViewer(prisma: PrismaClient, identity: Identity, teams: readonly TeamNode[] | Promise<readonly TeamNode[]>): Promise<Viewer | null> {
  const id = identity.userId.trim().slice(0, 200);
  const byPlatform =
    identity.platform === "slack"
      ? { slackUserId: id }
      : identity.platform === "teams"
        ? { teamsUserId: id }
        : isEmail(id)
          ? { email: id.toLowerCase() }
          : { OR: [{ slackUserId: id }, { teamsUserId: id }] };
  let user = await prisma.user.findFirst({ where: { ...byPlatform, active: true } });
  if (!user && identity.email && isEmail(identity.email)) {
    user = await prisma.user.findFirst({ where: { email: identity.email.toLowerCase(), active: true } });
    const linkedElsewhere = identity.platform === "slack" ? user?.slackUserId : identity.platform === "teams" ? user?.teamsUserId : null;
    // Someone already linked to another account of this platform: an email is no proof of identity.
    if (linkedElsewhere && linkedElsewhere !== id) user = null;
    if (user && identity.platform !== "console") {
      // Remember the link so the next request needs no email lookup.
      const field = identity.platform === "slack" ? "slackUserId" : "teamsUserId";
      if (user[field] === null) {
        user = await prisma.user.update({ where: { id: user.id }, data: { [field]: id } }).catch(() => user);
      }
    }
  }
  return user ? toViewer(user, await teams) : null;
}

/** The CRM user with this id as a viewer (scheduled deliveries act as their owner). */
export async function viewerById(prisma: PrismaClient, id: number, teams: readonly TeamNode[]): Promise<Viewer | null> {
  const user = await prisma.user.findFirst({ where: { id, active: true } });
  return user ? toViewer(user, teams) : null;
}

type UserRow = { id: number; name: string; email: string; role: Viewer["role"]; teamId: number | null; locale: string };

function toViewer(user: UserRow, teams: readonly TeamNode[]): Viewer {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    teamId: user.teamId,
    locale: user.locale,
    managedTeamIds: managedTeams(teams, user.id),
  };
}
