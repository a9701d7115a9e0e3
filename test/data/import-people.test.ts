import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KindName } from "../../src/data/import/importers.ts";
import { importCsv, type ImportOptions } from "../../src/data/import/run.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";

const REPS = "email,name,team,role,manager_email,slack_user_id,teams_user_id,timezone,locale";

describe.each(backends)("reps files: teams they name, the active column, on %s", (backend) => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await freshDatabase(backend);
    dir = await mkdtemp(path.join(os.tmpdir(), "kpi-import-people-"));
  });
  afterAll(async () => {
    await db.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  let fileNo = 0;
  async function run(kind: KindName, lines: string[], options: Partial<ImportOptions> = {}) {
    const file = path.join(dir, `f${++fileNo}.csv`);
    await writeFile(file, lines.join("\n") + "\n");
    return importCsv(db, { kind, file, currency: "USD", ...options });
  }
  const people = () =>
    db.sql.query<{ email: string; team: string | null; active: boolean }>(
      `SELECT u.email, t.name AS team, u.active FROM "User" u LEFT JOIN "Team" t ON t.id = u."teamId" ORDER BY u.email`,
    );

  it("creates a team no teams file named, bare, and a later teams file completes it", async () => {
    const r = await run("reps", [REPS, "a@example.com,Ann,Nordics,,,,,,", "b@example.com,Bo,Nordics,,,,,,", "c@example.com,Cy,,,,,,,"]);
    expect([r.outcome, r.written.inserted]).toEqual(["imported", 3]);
    expect(await people()).toEqual([
      { email: "a@example.com", team: "Nordics", active: true },
      { email: "b@example.com", team: "Nordics", active: true },
      { email: "c@example.com", team: null, active: true },
    ]);
    const teams = await db.sql.query<{ name: string; parentId: number | null; managerId: number | null }>(`SELECT name, "parentId", "managerId" FROM "Team"`);
    expect(teams).toEqual([{ name: "Nordics", parentId: null, managerId: null }]);

    expect((await run("teams", ["team,parent_team,manager_email", "Europe,,", "Nordics,Europe,a@example.com"])).outcome).toBe("imported");
    const [nordics] = await db.sql.query<{ parent: string; manager: string }>(
      `SELECT p.name AS parent, m.email AS manager FROM "Team" t JOIN "Team" p ON p.id = t."parentId" JOIN "User" m ON m.id = t."managerId" WHERE t.name = 'Nordics'`,
    );
    expect(nordics).toEqual({ parent: "Europe", manager: "a@example.com" });
  });

  it("a dry run creates no team", async () => {
    const r = await run("reps", [REPS, "d@example.com,Di,Ghost Team,,,,,,"], { dryRun: true });
    expect(r.outcome).toBe("checked");
    expect(await db.sql.query(`SELECT name FROM "Team" WHERE name = 'Ghost Team'`)).toEqual([]);
  });

  it("reads active as true/false/yes/no/1/0; a blank keeps the stored flag; an absent column changes nothing", async () => {
    const H = `${REPS},active`;
    const r = await run("reps", [H, "a@example.com,Ann,Nordics,,,,,,,no", "b@example.com,Bo,Nordics,,,,,,,0", "c@example.com,Cy,,,,,,,,YES", "e@example.com,Ed,,,,,,,,"]);
    expect(r.outcome).toBe("imported");
    expect((await people()).map((p) => [p.email, p.active])).toEqual([
      ["a@example.com", false],
      ["b@example.com", false],
      ["c@example.com", true],
      ["e@example.com", true],
    ]);
    // Blank cell and absent column: stored flags stay.
    await run("reps", [H, "a@example.com,Ann,Nordics,,,,,,,"]);
    await run("reps", [REPS, "b@example.com,Bo,Nordics,,,,,,"]);
    expect((await people()).filter((p) => !p.active).map((p) => p.email)).toEqual(["a@example.com", "b@example.com"]);
    // Back to active with 1 / true.
    const back = await run("reps", [H, "a@example.com,Ann,Nordics,,,,,,,1", "b@example.com,Bo,Nordics,,,,,,,true"]);
    expect(back.written.updated).toBe(2);
    expect(back.fieldsChanged).toEqual({ active: 2 });
    expect((await people()).every((p) => p.active)).toBe(true);
  });

  it("makes the one manager all of a managerless team's reps share its manager, and nothing else", async () => {
    const r = await run("reps", [
      REPS,
      "lead@example.com,Lea Lead,,manager,,,,,",
      "r1@example.com,Rae,Iberia,rep,lead@example.com,,,,",
      "r2@example.com,Rui,Iberia,rep,lead@example.com,,,,",
      "s1@example.com,Sam,Benelux,rep,lead@example.com,,,,",
      "s2@example.com,Sol,Benelux,rep,,,,,",
    ]);
    expect(r.outcome).toBe("imported");
    const managers = await db.sql.query<{ name: string; manager: string | null }>(
      `SELECT t.name, m.email AS manager FROM "Team" t LEFT JOIN "User" m ON m.id = t."managerId" WHERE t.name IN ('Iberia', 'Benelux') ORDER BY t.name`,
    );
    expect(managers).toEqual([
      { name: "Benelux", manager: null },
      { name: "Iberia", manager: "lead@example.com" },
    ]);
    // A team that has a manager keeps it.
    await run("teams", ["team,parent_team,manager_email", "Benelux,,s2@example.com"]);
    await run("reps", [REPS, "s2@example.com,Sol,Benelux,rep,lead@example.com,,,,"]);
    const [benelux] = await db.sql.query<{ manager: string }>(`SELECT m.email AS manager FROM "Team" t JOIN "User" m ON m.id = t."managerId" WHERE t.name = 'Benelux'`);
    expect(benelux).toEqual({ manager: "s2@example.com" });
  });

  it("reads manager as an email or a full name; an unknown email is created as a manager", async () => {
    const H = "email,name,team,role,manager,slack_user_id,teams_user_id,timezone,locale";
    const r = await run("reps", [
      H,
      "m1@example.com,Mia Manager,,manager,,,,,",
      "p1@example.com,Pat One,Iberia,rep,mia  manager,,,,",
      "p2@example.com,Pat Two,Iberia,rep,New.Boss@Example.com,,,,",
    ]);
    expect(r.errors).toEqual([]);
    const lines = await db.sql.query<{ email: string; manager: string | null; role: string }>(
      `SELECT u.email, m.email AS manager, u.role::text AS role FROM "User" u LEFT JOIN "User" m ON m.id = u."managerId"
       WHERE u.email IN ('p1@example.com', 'p2@example.com', 'new.boss@example.com') ORDER BY u.email`,
    );
    expect(lines).toEqual([
      { email: "new.boss@example.com", manager: null, role: "manager" },
      { email: "p1@example.com", manager: "m1@example.com", role: "rep" },
      { email: "p2@example.com", manager: "new.boss@example.com", role: "rep" },
    ]);
    // Their own row later fills in the name and keeps the link.
    await run("reps", [H, "new.boss@example.com,Nia Boss,,manager,,,,,"]);
    const [boss] = await db.sql.query<{ name: string; reports: number }>(
      `SELECT name, (SELECT count(*)::int FROM "User" r WHERE r."managerId" = u.id) AS reports FROM "User" u WHERE email = 'new.boss@example.com'`,
    );
    expect(boss).toEqual({ name: "Nia Boss", reports: 1 });
  });

  it("refuses a manager name several people have, and two different managers (a name nobody has is created by name)", async () => {
    await run("reps", [REPS, "x1@example.com,Sam Same,,,,,,,", "x2@example.com,Sam Same,,,,,,,"]);
    const H = "email,name,team,role,manager_email,manager,slack_user_id,teams_user_id,timezone,locale";
    const r = await run("reps", [H, "y1@example.com,Yo,,,,Nobody Here,,,,", "y2@example.com,Yu,,,,sam same,,,,", "y3@example.com,Ya,,,m1@example.com,Mia Manager,,,,"]);
    expect(r.outcome).toBe("aborted");
    expect(r.errors.map((e) => `${e.line} ${e.column}: ${e.message}`)).toEqual([
      'line 3 manager: 2 people are named "sam same": give the manager\'s email',
      "line 4 manager: names Mia Manager while manager_email gives m1@example.com: keep one",
    ].map((m) => m.replace(/^line (\d+)/, "$1")));
  });
});
