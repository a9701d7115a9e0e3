/**
 * teams: team,parent_team,manager_email (or manager: an email or a full name), and optionally
 * function (sales | service | marketing; blank: inherited from the parent team) — the org tree.
 * Upserted by team name. A manager who is nobody yet is kept pending (Team.pendingManager).
 */
import { z } from "zod";
import { blanks, enumWord, fail, issue, personRef, optionalText, requiredText, type PersonRef } from "./fields.ts";
import type { Kind } from "./kind.ts";

/** What a team does (the TeamFunction enum of the schema). */
export const TEAM_FUNCTIONS = ["sales", "service", "marketing"] as const;
export type TeamFunction = (typeof TEAM_FUNCTIONS)[number];

export type TeamRow = { name: string; parent: string | null; manager: PersonRef | null; function: TeamFunction | null };

/** An email or a full name, or null when blank. */
const optionalPerson = z.string().transform((s, ctx): PersonRef | null => {
  if (s.trim() === "") return null;
  const r = personRef.safeParse(s);
  return r.success ? r.data : fail(ctx, "invalid email", `"${s.trim()}" is not an email address`);
});

const teamFunction = enumWord(
  TEAM_FUNCTIONS,
  { support: "service", "customer service": "service", "customer support": "service" },
  true,
);

export const teams: Kind<TeamRow> = {
  name: "teams",
  required: ["team", "parent_team", "manager_email"],
  optional: ["function"],
  aliases: { manager: "manager_email" },
  keyColumns: ["team"],
  key: (row) => row.name,
  schema: () =>
    z
      .object({ team: requiredText, parent_team: optionalText, manager_email: optionalPerson, function: teamFunction })
      .transform((r, ctx) => {
        if (r.parent_team === r.team) issue(ctx, "team is its own parent", `"${r.team}" cannot be its own parent`, ["parent_team"]);
        return { row: { name: r.team, parent: r.parent_team, manager: r.manager_email, function: r.function }, fills: [], unset: blanks(r, ["parent_team", "manager_email", "function"]) };
      }),
};
