// Platform user → CRM user: by the stored platform id, else by email (and the link is remembered
// when the request was authenticated).
import type { PrismaClient } from "../data/db.ts";
import type { Roster } from "./roster.ts";
import { directReports, managedTeams, type Viewer } from "./rules.ts";

export type Platform = "slack" | "teams" | "console";

/**
 * Who is asking, as the adapter knows it. `email` when the platform told us; `authenticated` when
 * the request carried proof of its sender (only such a request may write a link).
 */
export type Identity = { platform: Platform; userId: string; email?: string | undefined; authenticated?: boolean | undefined };

const isEmail = (s: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s);

/** The CRM user behind a platform identity, or null when nobody is linked. */
export async function resolveViewer(prisma: PrismaClient, identity: Identity, roster: Roster): Promise<Viewer | null> {
  const id = identity.userId.trim().slice(0, 200);
  let user: UserRow | null =
    (identity.platform === "slack"
      ? roster.bySlack.get(id)
      : identity.platform === "teams"
        ? roster.byTeams.get(id)
        : isEmail(id)
          ? roster.byEmail.get(id.toLowerCase())
          : roster.bySlack.get(id) ?? roster.byTeams.get(id)) ?? null;
  if (!user && identity.email && isEmail(identity.email)) {
    const byEmail = roster.byEmail.get(identity.email.toLowerCase()) ?? null;
    const linkedElsewhere = identity.platform === "slack" ? byEmail?.slackUserId : identity.platform === "teams" ? byEmail?.teamsUserId : null;
    // Someone already linked to another account of this platform: an email is no proof of identity.
    user = linkedElsewhere && linkedElsewhere !== id ? null : byEmail;
    if (byEmail && user && identity.platform !== "console" && identity.authenticated === true) {
      // Remember the link so the next request needs no email lookup (this moves the roster counter).
      // Never for an unauthenticated request (Teams local mode): its email is only a claim.
      const field = identity.platform === "slack" ? "slackUserId" : "teamsUserId";
      if (byEmail[field] === null) {
        user = await prisma.user.update({ where: { id: byEmail.id }, data: { [field]: id } }).catch(() => user);
      }
    }
  }
  return user ? toViewer(user, roster) : null;
}

/** The active CRM user with this id as a viewer (scheduled deliveries act as their owner). */
export function viewerById(roster: Roster, id: number): Viewer | null {
  const user = roster.byId.get(id);
  return user ? toViewer(user, roster) : null;
}

type UserRow = { id: number; name: string; email: string; role: Viewer["role"]; teamId: number | null; locale: string };

function toViewer(user: UserRow, roster: Pick<Roster, "teams" | "users">): Viewer {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    teamId: user.teamId,
    locale: user.locale,
    managedTeamIds: managedTeams(roster.teams, user.id),
    directReportIds: directReports(roster.users, user.id),
  };
}
