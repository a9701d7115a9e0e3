import { describe, expect, it } from "vitest";
import { decide, directReports, expandTeams, managedTeams, type TeamNode, type Viewer } from "../../src/access/rules.ts";

// Acme(1, manager 10) ⊃ Alpha(2, manager 11) ⊃ Alpha-North(4); Acme ⊃ Beta(3, no manager)
const teams: TeamNode[] = [
  { id: 1, name: "Acme", parentId: null, managerId: 10 },
  { id: 2, name: "Alpha", parentId: 1, managerId: 11 },
  { id: 3, name: "Beta", parentId: 1, managerId: null },
  { id: 4, name: "Alpha-North", parentId: 2, managerId: null },
];
// Reporting lines: 30 (in Beta) reports to 11; 31 (in Beta) reports to 20, a rep.
const people = [{ id: 20, managerId: 11 }, { id: 30, managerId: 11 }, { id: 31, managerId: 20 }, { id: 11, managerId: 10 }];
const viewer = (id: number, role: Viewer["role"], teamId: number | null): Viewer => ({
  id, name: `u${id}`, email: `u${id}@x`, role, teamId, locale: "en", managedTeamIds: managedTeams(teams, id), directReportIds: directReports(people, id),
});

describe("team tree", () => {
  it("expands managed teams to every sub-team", () => {
    expect([...managedTeams(teams, 10)].sort()).toEqual([1, 2, 3, 4]);
    expect([...managedTeams(teams, 11)].sort()).toEqual([2, 4]);
    expect(managedTeams(teams, 99).size).toBe(0);
  });
  it("survives a cycle in bad data", () => {
    const cyclic: TeamNode[] = [{ id: 1, name: "a", parentId: 2, managerId: null }, { id: 2, name: "b", parentId: 1, managerId: null }];
    expect([...expandTeams(cyclic, [1])].sort()).toEqual([1, 2]);
  });
});

describe("access matrix", () => {
  const rep = viewer(20, "rep", 4); // in Alpha-North
  const mgr = viewer(11, "manager", 2);
  const admin = viewer(1, "admin", null);
  const level = (v: Viewer, t: Parameters<typeof decide>[1]) => decide(v, t).level;

  it("a rep sees their own figures and only aggregates of their own team", () => {
    expect(level(rep, { kind: "rep", repId: 20, teamId: 4 })).toBe("individuals");
    expect(level(rep, { kind: "rep", repId: 21, teamId: 4 })).toBe("none");
    expect(level(rep, { kind: "team", teamId: 4 })).toBe("aggregates");
    // Not the parent: Alpha's total minus Alpha-North's would reveal the rest of Alpha.
    expect(level(rep, { kind: "team", teamId: 2 })).toBe("none");
    expect(level(rep, { kind: "team", teamId: 3 })).toBe("none");
    expect(level(rep, { kind: "org" })).toBe("none");
  });
  it("a manager sees individuals in managed teams, nested ones included", () => {
    expect(level(mgr, { kind: "rep", repId: 20, teamId: 4 })).toBe("individuals");
    expect(level(mgr, { kind: "rep", repId: 32, teamId: 3 })).toBe("none");
    expect(level(mgr, { kind: "team", teamId: 2 })).toBe("individuals");
    expect(level(mgr, { kind: "team", teamId: 4 })).toBe("individuals");
    expect(level(mgr, { kind: "team", teamId: 3 })).toBe("none");
    expect(level(mgr, { kind: "org" })).toBe("aggregates");
    expect(level(mgr, { kind: "rep", repId: 11, teamId: 2 })).toBe("individuals");
  });
  it("a manager sees a direct report in a team they do not manage, but not that team", () => {
    expect(decide(mgr, { kind: "rep", repId: 30, teamId: 3 })).toEqual({ level: "individuals", reason: "manages" });
    expect(level(mgr, { kind: "team", teamId: 3 })).toBe("none");
    expect(level(mgr, { kind: "rep", repId: 31, teamId: 3 })).toBe("none"); // a report's report: not direct
  });
  it("a rep named as someone's manager gains nothing from it", () => {
    expect(level(rep, { kind: "rep", repId: 31, teamId: 3 })).toBe("none");
  });
  it("an admin sees everything", () => {
    for (const t of [{ kind: "rep", repId: 30, teamId: 3 }, { kind: "team", teamId: 3 }, { kind: "org" }] as const) {
      expect(level(admin, t)).toBe("individuals");
    }
  });
});
