// Scope words → who exactly: a rep, a team (with sub-teams) or the org, and the group of reps the
// figures are compared within. User-typed names are matched here, never put into SQL text.
import type { Roster, RosterUser } from "../access/roster.ts";
import { decide, expandTeams, type Target, type TeamNode, type Viewer } from "../access/rules.ts";
import { closest } from "../command/distance.ts";
import type { Scope } from "../command/index.ts";
import { messages } from "../i18n/messages.ts";
import type { Lang } from "../reply.ts";
import type { Result } from "../result.ts";

export type Person = { id: number; name: string; email: string; teamId: number | null };

export type Resolved = {
  target: Target;
  /** Display name of the scope ("Team East", "Ann Lee"). */
  label: string;
  /** The reps whose figures are computed (a rep target: the rep's team, for comparison). */
  group: Person[];
  /** For a rep target: that rep. */
  subject: Person | null;
  /** Reps of the same teams who left: their records count in group totals, they are never ranked. */
  former: number[];
};

export type TargetError =
  | { code: "rep_not_found"; who: string; suggestions: string[] }
  | { code: "rep_ambiguous"; who: string; names: string[] }
  | { code: "team_not_found"; name: string; suggestions: string[]; known: string[] }
  | { code: "no_team"; known: string[] };

/** Up to 3 names within a small edit distance of the input, closest first (the parser's rule). */
export function closestNames(input: string, names: readonly string[]): string[] {
  return closest(input.toLowerCase(), names.map((n) => ({ text: n.toLowerCase(), suggestion: n, kind: "name" }))).map((c) => c.suggestion);
}

const personOf = (u: RosterUser): Person => ({ id: u.id, name: u.name, email: u.email, teamId: u.teamId });

/** Active reps in these teams (all of them for null), by id. */
function formerIn(roster: Roster, teamIds: ReadonlySet<number> | null): number[] {
  return roster.former.filter((u) => u.role === "rep" && (teamIds === null || (u.teamId !== null && teamIds.has(u.teamId)))).map((u) => u.id);
}

function repsIn(roster: Roster, teamIds: ReadonlySet<number> | null): Person[] {
  return roster.users.filter((u) => u.role === "rep" && (teamIds === null || (u.teamId !== null && teamIds.has(u.teamId)))).map(personOf);
}

/**
 * A person named by platform id (`@U123`), email, email handle (li.wei) or name, among the active
 * users the asker may see: anyone else is "not found", with suggestions only among those visible,
 * so the bot never confirms who exists behind a name, an email or an id.
 */
function findPerson(roster: Roster, who: string, canSee: (u: RosterUser) => boolean): Result<{ person: Person }, { error: TargetError }> {
  const raw = who.trim();
  // Adapters turn platform mentions into `@<platform user id>` (Slack `<@U123>` → `@U123`).
  const handle = raw.startsWith("@");
  const text = raw.replace(/^@/, "");
  const lower = text.toLowerCase();
  const users = roster.users.filter(canSee);
  const byPlatformId = (): RosterUser[] => [roster.bySlack.get(text), roster.byTeams.get(text)].filter((u, i, all): u is RosterUser => u !== undefined && all.indexOf(u) === i && canSee(u));
  const byEmailOrName = (): RosterUser[] => {
    if (text.includes("@")) return users.filter((u) => u.email === lower);
    // A handle like li.wei matches the email's local part; otherwise the name, case-insensitively.
    const exact = users.filter((u) => u.email.startsWith(`${lower}@`) || u.name.toLowerCase() === lower);
    return exact.length > 0 ? exact : users.filter((u) => u.name.toLowerCase().includes(lower)).slice(0, 6);
  };
  let candidates = handle ? byPlatformId() : [];
  if (candidates.length === 0) candidates = byEmailOrName();
  if (candidates.length === 1) return { ok: true, person: personOf(candidates[0]!) };
  if (candidates.length > 1) return { ok: false, error: { code: "rep_ambiguous", who: raw, names: candidates.slice(0, 5).map((c) => c.name) } };
  return { ok: false, error: { code: "rep_not_found", who: raw, suggestions: closestNames(text, users.map((u) => u.name)) } };
}

function findTeam(teams: readonly TeamNode[], name: string): TeamNode | TargetError {
  const q = name.trim().toLowerCase().replace(/^team\s+/, "");
  const exact = teams.find((t) => t.name.toLowerCase() === q);
  if (exact) return exact;
  const partial = teams.filter((t) => t.name.toLowerCase().includes(q));
  if (partial.length === 1) return partial[0]!;
  return { code: "team_not_found", name, suggestions: closestNames(q, teams.map((t) => t.name)), known: teams.slice(0, 12).map((t) => t.name) };
}

/** The scope a command means when it names none: reps see themselves, managers their team, admins the org. */
export function defaultScope(viewer: Viewer): Scope {
  if (viewer.role === "admin") return { kind: "org" };
  if (viewer.role === "manager" && viewer.managedTeamIds.size > 0) return { kind: "team" };
  return { kind: "me" };
}

function topManagedTeam(viewer: Viewer, teams: readonly TeamNode[]): TeamNode | undefined {
  // The managed team whose parent is not also managed: the root of what this manager sees.
  return teams.find((t) => viewer.managedTeamIds.has(t.id) && (t.parentId === null || !viewer.managedTeamIds.has(t.parentId)));
}

/** Scope words → who exactly, from the roster alone (pure). */
export function resolveScope(
  viewer: Viewer,
  roster: Roster,
  scope: Scope,
  labels: { org: string; team: (n: string) => string },
): Result<{ value: Resolved }, { error: TargetError }> {
  const { teams } = roster;
  const teamOf = (p: { teamId: number | null }) => (p.teamId === null ? null : expandTeams(teams, [p.teamId]));
  switch (scope.kind) {
    case "me":
    case "rep": {
      let person: Person;
      if (scope.kind === "me") {
        person = { id: viewer.id, name: viewer.name, email: viewer.email, teamId: viewer.teamId };
      } else {
        const found = findPerson(roster, scope.who, (u) => decide(viewer, { kind: "rep", repId: u.id, teamId: u.teamId }).level !== "none");
        if (!found.ok) return found;
        person = found.person;
      }
      const ids = teamOf(person);
      const group = ids ? repsIn(roster, ids) : [];
      // Rankings are of reps: a manager or admin asking about themselves sees their own figure,
      // not a rank among the reps they lead.
      if (!group.some((p) => p.id === person.id) && roster.byId.get(person.id)?.role === "rep") group.push(person);
      return { ok: true, value: { target: { kind: "rep", repId: person.id, teamId: person.teamId }, label: person.name, group, subject: person, former: ids ? formerIn(roster, ids) : [] } };
    }
    case "team": {
      let team: TeamNode | TargetError | undefined;
      if (scope.name) team = findTeam(teams, scope.name);
      else team = topManagedTeam(viewer, teams) ?? teams.find((t) => t.id === viewer.teamId) ?? { code: "no_team", known: teams.slice(0, 12).map((t) => t.name) };
      if ("code" in team) return { ok: false, error: team };
      const inside = expandTeams(teams, [team.id]);
      const group = repsIn(roster, inside);
      return { ok: true, value: { target: { kind: "team", teamId: team.id }, label: labels.team(team.name), group, subject: null, former: formerIn(roster, inside) } };
    }
    case "org": {
      const group = repsIn(roster, null);
      return { ok: true, value: { target: { kind: "org" }, label: labels.org, group, subject: null, former: formerIn(roster, null) } };
    }
  }
}

/** What to tell the asker when a scope does not resolve. */
export function targetErrorText(lang: Lang, e: TargetError): string {
  const t = messages(lang);
  return e.code === "rep_not_found" ? t.notFoundRep(e.who, e.suggestions)
    : e.code === "rep_ambiguous" ? t.ambiguousRep(e.who, e.names)
    : e.code === "team_not_found" ? t.notFoundTeam(e.name, e.suggestions, e.known)
    : t.noTeam(e.known);
}
