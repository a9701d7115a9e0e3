// Who may see what. Pure: callers load the viewer and the team tree, this decides.
//  rep:     own figures; aggregates (median, mean, own rank) of the team they belong to (not its parents)
//  manager: individual figures of reps in the teams they manage (and sub-teams) and of their
//           direct reports (User.managerId) wherever they sit; aggregates of their own team and
//           of the org
//  admin:   everything
export type Role = "rep" | "manager" | "admin";

/** `function`: what the team does (sales, service, marketing); null = its parent's. */
export type TeamNode = { id: number; name: string; parentId: number | null; managerId: number | null; function?: "sales" | "service" | "marketing" | null };

export type Viewer = {
  id: number;
  name: string;
  email: string;
  role: Role;
  teamId: number | null;
  locale: string;
  /** Teams this viewer manages, including every sub-team. */
  managedTeamIds: ReadonlySet<number>;
  /** Active people whose manager (User.managerId) is this viewer; a manager sees each of them. */
  directReportIds: ReadonlySet<number>;
};

export type Target =
  | { kind: "rep"; repId: number; teamId: number | null }
  | { kind: "team"; teamId: number }
  | { kind: "org" };

/** individuals: per-person figures; aggregates: totals, medians, the viewer's own rank only. */
export type Level = "individuals" | "aggregates" | "none";

export type Decision = { level: Level; reason: "admin" | "self" | "manages" | "member" | "org_aggregate" | "not_allowed" };

/** The ids of these teams and all their descendants. */
export function expandTeams(teams: readonly TeamNode[], roots: Iterable<number>): Set<number> {
  const children = new Map<number, number[]>();
  for (const t of teams) {
    if (t.parentId === null) continue;
    children.set(t.parentId, [...(children.get(t.parentId) ?? []), t.id]);
  }
  const out = new Set<number>();
  const stack = [...roots];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (out.has(id)) continue; // a cycle in bad data must not loop forever
    out.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return out;
}

/** The ids of the people whose manager is `userId`. */
export function directReports(users: readonly { id: number; managerId: number | null }[], userId: number): Set<number> {
  return new Set(users.filter((u) => u.managerId === userId).map((u) => u.id));
}

export function managedTeams(teams: readonly TeamNode[], userId: number): Set<number> {
  return expandTeams(teams, teams.filter((t) => t.managerId === userId).map((t) => t.id));
}

/**
 * Whether the viewer sees this person one by one whatever the audience: themselves, the people of
 * teams they manage, their direct reports. Such people never count towards a group's hidden
 * contributors: a group figure minus theirs would show the rest.
 */
export function seesOneByOne(viewer: Pick<Viewer, "id" | "managedTeamIds" | "directReportIds">, person: { id: number; teamId: number | null }): boolean {
  return person.id === viewer.id || (person.teamId !== null && viewer.managedTeamIds.has(person.teamId)) || viewer.directReportIds.has(person.id);
}

export function decide(viewer: Viewer, target: Target): Decision {
  if (viewer.role === "admin") return { level: "individuals", reason: "admin" };
  switch (target.kind) {
    case "rep":
      if (target.repId === viewer.id) return { level: "individuals", reason: "self" };
      if (target.teamId !== null && viewer.managedTeamIds.has(target.teamId)) return { level: "individuals", reason: "manages" };
      // The reporting line, not only the team tree: a manager whose report sits in another team.
      if (viewer.role === "manager" && viewer.directReportIds.has(target.repId)) return { level: "individuals", reason: "manages" };
      return { level: "none", reason: "not_allowed" };
    case "team":
      if (viewer.managedTeamIds.has(target.teamId)) return { level: "individuals", reason: "manages" };
      // Aggregates of one's own team only: a parent team's total minus one's own would reveal
      // the sibling teams', down to a single person.
      if (viewer.teamId !== null && target.teamId === viewer.teamId) return { level: "aggregates", reason: "member" };
      return { level: "none", reason: "not_allowed" };
    case "org":
      if (viewer.role === "manager") return { level: "aggregates", reason: "org_aggregate" };
      return { level: "none", reason: "not_allowed" };
  }
}

/** A team's function, inherited from the nearest ancestor that has one; null when none does. */
export function teamFunction(teams: readonly TeamNode[], teamId: number | null): TeamNode["function"] {
  return teamFunctions(teams)(teamId);
}

/** `teamFunction` for many lookups over one team list (one pass to index it). */
export function teamFunctions(teams: readonly TeamNode[]): (teamId: number | null) => TeamNode["function"] {
  const byId = new Map(teams.map((t) => [t.id, t]));
  const known = new Map<number, TeamNode["function"]>();
  return (teamId) => {
    if (teamId === null) return null;
    if (!known.has(teamId)) known.set(teamId, inherited(byId, teamId));
    return known.get(teamId)!;
  };
}

function inherited(byId: ReadonlyMap<number, TeamNode>, teamId: number | null): TeamNode["function"] {
  const seen = new Set<number>();
  for (let id = teamId; id !== null && !seen.has(id); ) {
    seen.add(id); // a cycle in bad data must not loop forever
    const t = byId.get(id);
    if (!t) return null;
    if (t.function) return t.function;
    id = t.parentId;
  }
  return null;
}

/** Who reads an answer: the asker (their access applies) or a channel (aggregates at most). */
export type Audience = "asker" | "channel";

/**
 * What one answer may show, decided once per request from the viewer, the scope and the audience.
 *  individuals:  per-person figures of the scope (tables, flags, bars)
 *  groupVisible: every member of the comparison group may be seen (a person's team, for `me`/`rep`)
 */
export type Visibility = { individuals: boolean; groupVisible: boolean; audience: Audience; reason: Decision["reason"] };

/** The visibility of an answer about `target` (whose comparison group is `groupTeamId` for a person). */
export function visibility(viewer: Viewer, target: Target, audience: Audience): Visibility | null {
  const d = decide(viewer, target);
  if (d.level === "none") return null;
  const channel = audience === "channel";
  const individuals = d.level === "individuals" && !channel;
  const groupVisible =
    !channel && (target.kind === "rep" ? target.teamId !== null && decide(viewer, { kind: "team", teamId: target.teamId }).level === "individuals" : individuals);
  return { individuals, groupVisible, audience, reason: d.reason };
}
