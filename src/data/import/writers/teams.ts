/**
 * teams → "Team": upsert by name (manager resolved per batch), then set parents in one UPDATE.
 * A parent must be in the database or in the file no later than the child's batch; a parent
 * that would make the tree a cycle is refused. A manager (email, or a full name) who is nobody
 * yet leaves the team's manager unset and what the file said in "pendingManager", set when a reps
 * file brings that person (pending.ts); a name several people share is refused.
 */
import type { TeamRow } from "../kinds/teams.ts";
import { alsoChanged, kept, leadsBackTo, personIds, upsertRows } from "./sql.ts";
import type { Checked, RowIssue, Writer } from "./writer.ts";

type Ready = TeamRow & { managerId: number | null; pendingManager: string | null };

export const teamsWriter: Writer<TeamRow, Ready> = {
  async resolve(tx, rows, keep) {
    const manager = await personIds(tx, rows.flatMap((r) => (r.manager === null ? [] : [r.manager])), "give the email");
    const tree = new Map(
      (await tx.query<{ name: string; parent: string | null }>(
        `SELECT t."name", p."name" AS parent FROM "Team" t LEFT JOIN "Team" p ON p."id" = t."parentId"`,
      )).map((t) => [t.name, t.parent]),
    );
    // Found: the manager's id; nobody yet: pending (what the file said); several: refused.
    const found = rows.map((row) => (row.manager === null ? null : manager(row.manager)));
    const issues: RowIssue[][] = found.map((f) => (f !== null && !f.ok && f.reason === "ambiguous name" ? [{ column: "manager_email", reason: f.reason, message: f.message }] : []));
    // A blank parent_team keeps the stored parent (unless --clear-empty): that edge still counts.
    const parentOfRow = rows.map((row, i) => row.parent ?? (keep[i]!.has("parent_team") ? (tree.get(row.name) ?? null) : null));
    // Parents may be rows of this batch: re-check until no accepted row leans on a rejected one.
    for (let changed = true; changed; ) {
      changed = false;
      const parentOf = new Map(tree);
      rows.forEach((row, i) => issues[i]!.length === 0 && parentOf.set(row.name, parentOfRow[i]!));
      rows.forEach((row, i) => {
        if (issues[i]!.length > 0 || row.parent === null) return;
        if (!parentOf.has(row.parent)) {
          issues[i]!.push({ column: "parent_team", reason: "unknown team", message: `no team "${row.parent}" in the database or earlier in this file` });
          changed = true;
        } else if (leadsBackTo(row.name, row.parent, parentOf)) {
          issues[i]!.push({ column: "parent_team", reason: "team tree cycle", message: `"${row.parent}" is already below "${row.name}" in the team tree` });
          changed = true;
        }
      });
    }
    return rows.map((row, i): Checked<Ready> =>
      issues[i]!.length > 0
        ? { ok: false, issues: issues[i]! }
        : {
            ok: true,
            value: {
              ...row,
              managerId: found[i]?.ok ? found[i].id : null,
              pendingManager: row.manager === null || found[i]?.ok ? null : "email" in row.manager ? row.manager.email : row.manager.name,
            },
          },
    );
  },

  async write(tx, rows, keep) {
    const written = await upsertRows(tx, "Team", ["name"], [
      { name: "name", type: "text", values: rows.map((r) => r.name) },
      { name: "managerId", type: "int", values: rows.map((r) => r.managerId), field: "manager_email", keep: kept(keep, "manager_email") },
      { name: "pendingManager", type: "text", values: rows.map((r) => r.pendingManager), keep: kept(keep, "manager_email") },
      { name: "function", type: "text", cast: '"TeamFunction"', values: rows.map((r) => r.function), field: "function", keep: kept(keep, "function") },
    ]);
    // A new team's blank parent is no parent; an existing one's is kept (unless --clear-empty).
    const keepParent = rows.map((_, i) => keep[i]!.has("parent_team") && !written[i]!.inserted);
    const reparented = await tx.query<{ i: string; cleared: boolean }>(
      `UPDATE "Team" t SET "parentId" = p."id"
       FROM unnest($1::text[], $2::text[], $3::bool[]) WITH ORDINALITY AS u(name, parent, keep, i) LEFT JOIN "Team" p ON p."name" = u.parent
       WHERE t."name" = u.name AND NOT u.keep AND t."parentId" IS DISTINCT FROM p."id"
       RETURNING u.i, p."id" IS NULL AS cleared`,
      [rows.map((r) => r.name), rows.map((r) => r.parent), keepParent],
    );
    return alsoChanged(written, reparented, "parent_team");
  },
};
