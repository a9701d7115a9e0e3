/**
 * reps → "User": team resolved per batch (a team no teams file named yet is created, with no
 * parent and no manager), upsert by email, then managers set in one UPDATE.
 * A manager (manager_email, or manager: an email or one person's full name) absent from the
 * database and the batch is created with role manager; one named only by a name nobody (or
 * several people) has is refused, as is a manager that would make the reporting line a cycle,
 * as is a Slack or Teams user id that already belongs to someone else.
 */
import { NAME_KEY_PREFIX, nameOnlyKey, type RepRow } from "../kinds/reps.ts";
import { alsoChanged, idsBy, kept, leadsBackTo, upsertRows } from "./sql.ts";
import type { Checked, RowIssue, Writer } from "./writer.ts";

type Ready = RepRow & { teamId: number | null };

/** Which email holds each platform id among `ids` (Slack or Teams). */
async function holders(tx: Parameters<Writer<RepRow, Ready>["resolve"]>[0], column: "slackUserId" | "teamsUserId", ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((x): x is string => x !== null))];
  if (wanted.length === 0) return new Map<string, string>();
  const rows = await tx.query<{ id: string; email: string }>(
    `SELECT "${column}" AS id, lower("email") AS email FROM "User" WHERE "${column}" = ANY($1::text[])`,
    [wanted],
  );
  return new Map(rows.map((r) => [r.id, r.email]));
}

export const repsWriter: Writer<RepRow, Ready> = {
  async resolve(tx, rows, keep) {
    const teams = await idsBy(tx, "Team", "name", rows.map((r) => r.team));
    const stored = new Map(
      (await tx.query<{ lower: string; email: string; manager: string | null }>(
        `SELECT lower(u."email") AS lower, u."email", lower(m."email") AS manager FROM "User" u LEFT JOIN "User" m ON m."id" = u."managerId"`,
      )).map((u) => [u.lower, u]),
    );
    const platformIds = [
      { column: "slack_user_id", held: await holders(tx, "slackUserId", rows.map((r) => r.slackUserId)), of: (r: RepRow) => r.slackUserId },
      { column: "teams_user_id", held: await holders(tx, "teamsUserId", rows.map((r) => r.teamsUserId)), of: (r: RepRow) => r.teamsUserId },
    ];
    const issues: RowIssue[][] = rows.map((row) => {
      const mine: RowIssue[] = [];
      for (const p of platformIds) {
        const id = p.of(row);
        const holder = id === null ? undefined : p.held.get(id);
        if (holder !== undefined && holder !== row.email) {
          mine.push({ column: p.column, reason: "already taken", message: `${id} already belongs to ${holder}` });
        }
      }
      // Only a row that will be written claims its ids against later rows of the batch.
      if (mine.length === 0) for (const p of platformIds) if (p.of(row) !== null) p.held.set(p.of(row)!, row.email);
      return mine;
    });
    // A manager given by full name is the one person of that name, in the database or this batch.
    const named = [...new Set(rows.flatMap((r) => (r.managerName === null ? [] : [r.managerName.toLowerCase()])))];
    const byName = new Map<string, Set<string>>();
    if (named.length > 0) {
      const found = await tx.query<{ name: string; email: string }>(
        `SELECT lower("name") AS name, lower("email") AS email FROM "User" WHERE lower("name") = ANY($1::text[])`,
        [named],
      );
      for (const u of [...found, ...rows.map((r) => ({ name: r.name.toLowerCase(), email: r.email }))]) {
        if (named.includes(u.name)) byName.set(u.name, (byName.get(u.name) ?? new Set()).add(u.email));
      }
    }
    rows = rows.map((row, i) => {
      if (row.managerName === null) return row;
      const emails = [...(byName.get(row.managerName.toLowerCase()) ?? [])];
      if (emails.length === 1) return { ...row, managerEmail: emails[0]! };
      // Nobody of that name: created, known by name until a file gives their email.
      if (emails.length === 0) return { ...row, managerEmail: nameOnlyKey(row.managerName) };
      issues[i]!.push({ column: "manager", reason: "ambiguous name", message: `${emails.length} people are named "${row.managerName}": give the manager's email` });
      return row;
    });
    const keepsManager = (i: number) => keep[i]!.has("manager_email") && keep[i]!.has("manager");
    // A blank manager keeps the stored one (unless --clear-empty): that edge still counts.
    const managerOfRow = rows.map((row, i) => row.managerEmail ?? (keepsManager(i) ? (stored.get(row.email)?.manager ?? null) : null));
    // Managers may be rows of this batch: re-check until no accepted row leans on a rejected one.
    for (let changed = true; changed; ) {
      changed = false;
      const managerOf = new Map<string, string | null>([...stored].map(([e, u]) => [e, u.manager]));
      rows.forEach((row, i) => issues[i]!.length === 0 && managerOf.set(row.email, managerOfRow[i]!));
      rows.forEach((row, i) => {
        if (issues[i]!.length > 0 || row.managerEmail === null) return;
        // A manager who is nobody yet is created (role manager) with no manager: no cycle there.
        if (!managerOf.has(row.managerEmail)) return;
        if (leadsBackTo(row.email, row.managerEmail, managerOf)) {
          issues[i]!.push({ column: row.managerName === null ? "manager_email" : "manager", reason: "reporting line cycle", message: `${row.managerEmail} already reports to ${row.email}` });
          changed = true;
        }
      });
    }
    return rows.map((row, i): Checked<Ready> =>
      issues[i]!.length > 0
        ? { ok: false, issues: issues[i]! }
        : {
            ok: true,
            // Keep an existing user's stored spelling so the upsert finds them.
            value: { ...row, email: stored.get(row.email)?.email ?? row.email, teamId: row.team === null ? null : (teams.get(row.team) ?? null) },
          },
    );
  },

  async write(tx, rows, keep) {
    // Teams named here first: created bare; a later teams file gives them a parent and manager.
    const missing = [...new Set(rows.flatMap((r) => (r.team !== null && r.teamId === null ? [r.team] : [])))];
    if (missing.length > 0) {
      await tx.query(`INSERT INTO "Team" ("name") SELECT x FROM unnest($1::text[]) AS x ON CONFLICT ("name") DO NOTHING`, [missing]);
      const created = await idsBy(tx, "Team", "name", missing);
      rows = rows.map((r) => (r.team !== null && r.teamId === null ? { ...r, teamId: created.get(r.team)! } : r));
    }
    // A person known by name only (an earlier roster without emails) gets the email a row now
    // gives for that name: the same person, their deals and reports kept.
    const claims = rows.filter((r) => !r.email.startsWith(NAME_KEY_PREFIX));
    if (claims.length > 0) {
      await tx.query(
        `UPDATE "User" u SET "email" = x.email
         FROM unnest($1::text[], $2::text[]) AS x(email, key)
         WHERE u."email" = x.key AND NOT EXISTS (SELECT 1 FROM "User" v WHERE lower(v."email") = lower(x.email))`,
        [claims.map((r) => r.email), claims.map((r) => nameOnlyKey(r.name))],
      );
    }
    const field = (name: string) => ({ field: name, keep: kept(keep, name) });
    const written = await upsertRows(tx, "User", ["email"], [
      { name: "email", type: "text", values: rows.map((r) => r.email) },
      { name: "name", type: "text", values: rows.map((r) => r.name), field: "name" },
      { name: "role", type: "text", cast: '"Role"', values: rows.map((r) => r.role), ...field("role") },
      { name: "teamId", type: "int", values: rows.map((r) => r.teamId), ...field("team") },
      { name: "slackUserId", type: "text", values: rows.map((r) => r.slackUserId), ...field("slack_user_id") },
      { name: "teamsUserId", type: "text", values: rows.map((r) => r.teamsUserId), ...field("teams_user_id") },
      { name: "timezone", type: "text", values: rows.map((r) => r.timezone), ...field("timezone") },
      { name: "locale", type: "text", values: rows.map((r) => r.locale), ...field("locale") },
      // A blank cell keeps a stored flag; a new person (or --clear-empty) gets the default, active.
      { name: "active", type: "text", cast: "boolean", values: rows.map((r) => String(r.active ?? true)), ...field("active") },
    ]);
    // A new rep's blank manager is no manager; an existing one's is kept (unless --clear-empty).
    const keepManager = rows.map((_, i) => keep[i]!.has("manager_email") && keep[i]!.has("manager") && !written[i]!.inserted);
    // Managers named by email who are nobody yet: created with role manager, named by their email
    // until a reps row of their own gives the rest.
    const managers = new Map(rows.flatMap((r) => (r.managerEmail === null ? [] : [[r.managerEmail, r.managerEmail.startsWith(NAME_KEY_PREFIX) ? r.managerName! : r.managerEmail] as const])));
    if (managers.size > 0) {
      await tx.query(
        `INSERT INTO "User" ("email", "name", "role")
         SELECT e, n, 'manager' FROM unnest($1::text[], $2::text[]) AS x(e, n) WHERE NOT EXISTS (SELECT 1 FROM "User" u WHERE lower(u."email") = e)
         ON CONFLICT DO NOTHING`,
        [[...managers.keys()], [...managers.values()]],
      );
    }
    const rewired = await tx.query<{ i: string; cleared: boolean }>(
      `UPDATE "User" u SET "managerId" = m."id"
       FROM unnest($1::text[], $2::text[], $3::bool[]) WITH ORDINALITY AS x(email, manager, keep, i) LEFT JOIN "User" m ON lower(m."email") = x.manager
       WHERE u."email" = x.email AND NOT x.keep AND u."managerId" IS DISTINCT FROM m."id"
       RETURNING x.i, m."id" IS NULL AS cleared`,
      [rows.map((r) => r.email), rows.map((r) => r.managerEmail), keepManager],
    );
    // A team without a manager whose reps all report to one person is that person's team.
    const touched = [...new Set(rows.flatMap((r) => (r.teamId === null ? [] : [r.teamId])))];
    if (touched.length > 0) {
      await tx.query(
        `UPDATE "Team" t SET "managerId" = s.manager
         FROM (SELECT "teamId", min("managerId") AS manager FROM "User"
               WHERE "teamId" = ANY($1::int[]) AND role = 'rep'
               GROUP BY "teamId" HAVING count(*) = count("managerId") AND count(DISTINCT "managerId") = 1) s
         WHERE t."id" = s."teamId" AND t."managerId" IS NULL`,
        [touched],
      );
    }
    return alsoChanged(written, rewired, "manager_email");
  },
};
