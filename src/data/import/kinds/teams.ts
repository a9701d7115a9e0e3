/**
 * teams: team,parent_team,manager_email, and optionally function (sales | service | marketing;
 * blank: inherited from the parent team) — the org tree. Upserted by team name.
 */
import { z } from "zod";
import { blanks, enumWord, issue, optionalEmail, optionalText, requiredText } from "./fields.ts";
import type { Kind } from "./kind.ts";

/** What a team does (the TeamFunction enum of the schema). */
export const TEAM_FUNCTIONS = ["sales", "service", "marketing"] as const;
export type TeamFunction = (typeof TEAM_FUNCTIONS)[number];

export type TeamRow = { name: string; parent: string | null; managerEmail: string | null; function: TeamFunction | null };

const teamFunction = enumWord(
  TEAM_FUNCTIONS,
  { support: "service", "customer service": "service", "customer support": "service" },
  true,
);

export const teams: Kind<TeamRow> = {
  name: "teams",
  required: ["team", "parent_team", "manager_email"],
  optional: ["function"],
  keyColumns: ["team"],
  key: (row) => row.name,
  schema: () =>
    z
      .object({ team: requiredText, parent_team: optionalText, manager_email: optionalEmail, function: teamFunction })
      .transform((r, ctx) => {
        if (r.parent_team === r.team) issue(ctx, "team is its own parent", `"${r.team}" cannot be its own parent`, ["parent_team"]);
        return { row: { name: r.team, parent: r.parent_team, managerEmail: r.manager_email, function: r.function }, fills: [], unset: blanks(r, ["parent_team", "manager_email", "function"]) };
      }),
};
