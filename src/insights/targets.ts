// Scope words → who exactly: a rep, a team (with sub-teams) or the org, and the group of reps the
// figures are compared within. User-typed names are matched here, never put into SQL text.
import { expandTeams, type Target, type TeamNode, type Viewer } from "../access/rules.ts";
import type { Scope } from "../command/index.ts";
import type { PrismaClient } from "../data/db.ts";

export type Person = { id: number; name: string; email: string; teamId: number | null };

export type Resolved = {
  target: Target;
  /** Display name of the scope ("Team East", "Ann Lee"). */
  label: string;
  /** The reps whose figures are computed (a rep target: the rep's team, for comparison). */
  group: Person[];
  /** For a rep target: that rep. */
  subject: Person | null;
};

export type TargetError =
  | { code: "rep_not_found"; who: string; suggestions: string[] }
  | { code: "rep_ambiguous"; who: string; names: string[] }
  | { code: "team_not_found"; name: string; suggestions: string[]; known: string[] }
  | { code: "no_team"; known: string[] };

/** Damerau–Levenshtein (optimal string alignment) distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** Up to 3 candidates within a small edit distance of the input, closest first. */
export function closest(input: string, candidates: readonly string[]): string[] {
  const q = input.toLowerCase();
  const limit = Math.max(1, Math.floor(q.length / 3));
  return candidates
    .map((c) => ({ c, d: editDistance(q, c.toLowerCase()) }))
    .filter((x) => x.d <= limit)
    .sort((x, y) => x.d - y.d)
    .slice(0, 3)
    .map((x) => x.c);
}

const personSelect = { id: true, name: true, email: true, teamId: true } as const;

async function repsIn(prisma: PrismaClient, teamIds: Set<number> | null): Promise<Person[]> {
  return prisma.user.findMany({
    where: { active: true, role: "rep", ...(teamIds ? { teamId: { in: [...teamIds] } } : {}) },
    select: personSelect,
    orderBy: { id: "asc" },
  });
}

async function findPerson(prisma: PrismaClient, who: string): Promise<{ ok: true; person: Person } | { ok: false; error: TargetError }> {
  const raw = who.trim();
  const slack = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(raw);
  const teams = /^<at>(.+)<\/at>$/i.exec(raw);
  const text = teams ? teams[1]!.trim() : raw.replace(/^@/, "");
  let candidates: Person[];
  if (slack) {
    candidates = await prisma.user.findMany({ where: { slackUserId: slack[1]!, active: true }, select: personSelect });
  } else if (text.includes("@")) {
    candidates = await prisma.user.findMany({ where: { email: text.toLowerCase(), active: true }, select: personSelect });
  } else {
    // A handle like li.wei matches the email's local part; otherwise the name, case-insensitively.
    const exact = await prisma.user.findMany({
      where: {
        active: true,
        OR: [{ email: { startsWith: `${text.toLowerCase()}@` } }, { name: { equals: text, mode: "insensitive" } }],
      },
      select: personSelect,
    });
    candidates = exact.length > 0
      ? exact
      : await prisma.user.findMany({ where: { active: true, name: { contains: text, mode: "insensitive" } }, select: personSelect, take: 6 });
  }
  if (candidates.length === 1) return { ok: true, person: candidates[0]! };
  if (candidates.length > 1) return { ok: false, error: { code: "rep_ambiguous", who: raw, names: candidates.slice(0, 5).map((c) => `${c.name} <${c.email}>`) } };
  const everyone = await prisma.user.findMany({ where: { active: true }, select: { name: true } });
  return { ok: false, error: { code: "rep_not_found", who: raw, suggestions: closest(text, everyone.map((u) => u.name)) } };
}

function findTeam(teams: readonly TeamNode[], name: string): TeamNode | TargetError {
  const q = name.trim().toLowerCase().replace(/^team\s+/, "");
  const exact = teams.find((t) => t.name.toLowerCase() === q);
  if (exact) return exact;
  const partial = teams.filter((t) => t.name.toLowerCase().includes(q));
  if (partial.length === 1) return partial[0]!;
  return { code: "team_not_found", name, suggestions: closest(q, teams.map((t) => t.name)), known: teams.slice(0, 12).map((t) => t.name) };
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

export async function resolveScope(
  prisma: PrismaClient,
  viewer: Viewer,
  teams: readonly TeamNode[],
  scope: Scope,
  labels: { org: string; team: (n: string) => string },
): Promise<{ ok: true; value: Resolved } | { ok: false; error: TargetError }> {
  const teamOf = (p: { teamId: number | null }) => (p.teamId === null ? null : expandTeams(teams, [p.teamId]));
  switch (scope.kind) {
    case "me":
    case "rep": {
      let person: Person;
      if (scope.kind === "me") {
        person = { id: viewer.id, name: viewer.name, email: viewer.email, teamId: viewer.teamId };
      } else {
        const found = await findPerson(prisma, scope.who);
        if (!found.ok) return found;
        person = found.person;
      }
      const ids = teamOf(person);
      const group = ids ? await repsIn(prisma, ids) : [];
      if (!group.some((p) => p.id === person.id)) group.push(person);
      return { ok: true, value: { target: { kind: "rep", repId: person.id, teamId: person.teamId }, label: person.name, group, subject: person } };
    }
    case "team": {
      let team: TeamNode | TargetError | undefined;
      if (scope.name) team = findTeam(teams, scope.name);
      else team = topManagedTeam(viewer, teams) ?? teams.find((t) => t.id === viewer.teamId) ?? { code: "no_team", known: teams.slice(0, 12).map((t) => t.name) };
      if ("code" in team) return { ok: false, error: team };
      const group = await repsIn(prisma, expandTeams(teams, [team.id]));
      return { ok: true, value: { target: { kind: "team", teamId: team.id }, label: labels.team(team.name), group, subject: null } };
    }
    case "org": {
      const group = await repsIn(prisma, null);
      return { ok: true, value: { target: { kind: "org" }, label: labels.org, group, subject: null } };
    }
  }
}
